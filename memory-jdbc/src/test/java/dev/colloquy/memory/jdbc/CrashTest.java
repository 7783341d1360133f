package dev.colloquy.memory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.memory.StoredConversation;
import dev.colloquy.core.message.Message;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteDataSource;

/**
 * Kill -9 at random moments: a child JVM ({@link CrashChild}, started by {@link ChildJvm} on the
 * test's class path) appends turns through ChatMemory and prints each turn's number once its commit
 * returned; the test kills it with SIGKILL after a random delay, 50 times on a SQLite file and 50
 * times on PostgreSQL (both databases at once), each time opening the store again in a new child.
 * Afterwards, on both: every turn whose commit was printed is there; at most the one turn in flight
 * at the kill is there unprinted; no turn is half-written (each question is followed by its own
 * answer, and each turn's record goes with its messages); the store opens cleanly and the SQLite
 * file passes its integrity check. The seed is printed; rerun with {@code -Dcolloquy.crash.seed}.
 *
 * <p>What it does not prove: a kill of the database server, or a power cut (the operating system's
 * page cache survives a killed process). Both rest on the databases' own durability, which the
 * store asks for (synchronous=FULL on SQLite; PostgreSQL commits are durable by default).
 */
class CrashTest {

  private static final int KILLS_PER_DATABASE = 50;
  private static final long SEED = Long.getLong("colloquy.crash.seed", System.nanoTime());
  private static final Path CHILD_WORK = Path.of("target", "crash-child").toAbsolutePath();

  @Test
  void turnsCommittedBeforeAKillAreKeptWholeOnSqliteAndPostgresql() throws Exception {
    System.out.println(
        "CrashTest seed " + SEED + " (rerun with -Dcolloquy.crash.seed=" + SEED + ")");
    Path file = TestDatabases.newSqliteFile("crash");
    JdbcMemoryStore.sqlite(file).close();
    String database = TestDatabases.newPostgresDatabase("crash");
    String url = TestDatabases.postgresUrl(database);
    JdbcMemoryStore.builder().dataSource(TestDatabases.unpooled(database)).build().close();
    ChildJvm jvm =
        ChildJvm.prepare(
            CHILD_WORK, CrashChild.class, List.of("postgresql", url, "archiving", "exit"));

    CompletableFuture<List<Round>> sqlite =
        CompletableFuture.supplyAsync(() -> killRounds(jvm, "sqlite", file.toString(), SEED));
    CompletableFuture<List<Round>> postgres =
        CompletableFuture.supplyAsync(() -> killRounds(jvm, "postgresql", url, SEED + 1));
    List<Round> sqliteRounds = sqlite.get(170, TimeUnit.SECONDS);
    List<Round> postgresRounds = postgres.get(170, TimeUnit.SECONDS);

    try (JdbcMemoryStore store = JdbcMemoryStore.sqlite(file)) {
      check(store, sqliteRounds, "sqlite");
    }
    SQLiteDataSource plain = new SQLiteDataSource();
    plain.setUrl("jdbc:sqlite:" + file);
    try (Connection c = plain.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getString(1)).isEqualTo("ok");
    }
    try (JdbcMemoryStore store =
        JdbcMemoryStore.builder().dataSource(TestDatabases.unpooled(database)).build()) {
      check(store, postgresRounds, "postgresql");
    }
  }

  /** One child's life: its run id, and the turns it printed as committed. */
  private record Round(String run, TreeSet<Long> printed, long killedAfterMillis) {}

  private static List<Round> killRounds(ChildJvm jvm, String kind, String target, long seed) {
    Random random = new Random(seed);
    List<Round> rounds = new ArrayList<>();
    for (int i = 0; i < KILLS_PER_DATABASE; i++) {
      String run = kind + "-" + i;
      // One kill in ten lands while the child starts and opens the store, the rest while it
      // commits.
      boolean duringStart = random.nextInt(10) == 0;
      long delay = duringStart ? random.nextInt(500) : 20 + random.nextInt(400);
      try {
        rounds.add(runAndKill(jvm, kind, target, run, duringStart, delay));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return rounds;
  }

  private static Round runAndKill(
      ChildJvm jvm, String kind, String target, String run, boolean duringStart, long delayMillis)
      throws IOException, InterruptedException {
    Process child = jvm.start(kind, target, run);
    InputStream out = child.getInputStream();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    if (!duringStart) {
      awaitReady(child, out, printed, kind);
    }
    Thread.sleep(delayMillis);
    // SIGKILL on Linux. Through the ProcessHandle, which unlike Process.destroyForcibly leaves the
    // pipe open, so that every line the child printed before it died can still be read.
    child.toHandle().destroyForcibly();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the killed child ended").isTrue();
    out.transferTo(printed);
    TreeSet<Long> committed = new TreeSet<>();
    String text = printed.toString(StandardCharsets.UTF_8);
    // Only whole lines count: the kill may cut the last one.
    for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
      if (line.startsWith("committed ")) {
        committed.add(Long.parseLong(line.substring("committed ".length())));
      } else if (!line.equals("ready") && !line.isEmpty() && !line.startsWith("[")) {
        throw new AssertionError("the " + kind + " child failed (seed " + SEED + "):\n" + text);
      }
    }
    return new Round(run, committed, delayMillis);
  }

  // Reads the child's output up to its "ready" line, so that the delay starts when it commits.
  private static void awaitReady(
      Process child, InputStream out, ByteArrayOutputStream printed, String kind)
      throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int b = out.read();
      if (b < 0) {
        throw new AssertionError(
            "the "
                + kind
                + " child ended before it was ready:\n"
                + printed.toString(StandardCharsets.UTF_8));
      }
      printed.write(b);
      if (b != '\n') {
        line.append((char) b);
      } else if (line.toString().equals("ready")) {
        return;
      } else {
        line.setLength(0);
      }
    }
  }

  private static void check(JdbcMemoryStore store, List<Round> rounds, String kind) {
    long printedTurns = 0;
    for (Round round : rounds) {
      TreeSet<Long> found = new TreeSet<>();
      for (int c = 0; c < CrashChild.CONVERSATIONS; c++) {
        StoredConversation conversation = store.load(round.run() + "-" + c);
        List<Message> messages = conversation.messages();
        assertThat(messages.size() % 2)
            .as("%s %s-%d: whole turns only (seed %d)", kind, round.run(), c, SEED)
            .isZero();
        for (int i = 0; i < messages.size(); i += 2) {
          String q = messages.get(i).text();
          long n = Long.parseLong(q.substring(1));
          assertThat(messages.get(i)).isEqualTo(Message.user("q" + n));
          assertThat(messages.get(i + 1))
              .as("%s: turn %d is whole (seed %d)", round.run(), n, SEED)
              .isEqualTo(Message.assistant("a" + n));
          assertThat(n % CrashChild.CONVERSATIONS).isEqualTo(c);
          assertThat(found.add(n)).as("%s: turn %d once", round.run(), n).isTrue();
        }
        assertThat(conversation.turns()).hasSize(messages.size() / 2);
        for (int t = 0; t < conversation.turns().size(); t++) {
          long n = Long.parseLong(messages.get(2 * t).text().substring(1));
          assertThat(conversation.turns().get(t).usage().inputTokens())
              .as("%s: the record of turn %d goes with its messages", round.run(), n)
              .isEqualTo(n);
        }
      }
      assertThat(found)
          .as(
              "%s (killed after %d ms, seed %d): every printed turn is there",
              round.run(), round.killedAfterMillis(), SEED)
          .containsAll(round.printed());
      TreeSet<Long> extra = new TreeSet<>(found);
      extra.removeAll(round.printed());
      long next = round.printed().isEmpty() ? 0 : round.printed().last() + 1;
      assertThat(extra)
          .as(
              "%s: at most the turn in flight at the kill is there unprinted (seed %d)",
              round.run(), SEED)
          .isSubsetOf(List.of(next));
      printedTurns += round.printed().size();
    }
    // The kills must have hit children that were committing, not only starting ones.
    assertThat(printedTurns).as(kind + " turns committed across all rounds").isGreaterThan(50);
  }
}
