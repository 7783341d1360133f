package dev.colloquy.memory.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.memory.TurnRecord;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.TokenUsage;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The process {@link CrashTest} kills: it opens the store, commits a warm-up turn, prints {@code
 * ready}, then commits turns through {@link ChatMemory} as fast as it can, printing {@code
 * committed <n>} after each commit returned, until it is killed.
 *
 * <p>Arguments: {@code sqlite <file>} or {@code postgresql <jdbc url>}, then the run's id, then
 * optionally {@code exit} to stop after the warm-up turn. Turn {@code n} goes to conversation
 * {@code <run>-<n % 4>} as the messages {@code q<n>} and {@code a<n>}.
 */
public final class CrashChild {

  static final int CONVERSATIONS = 4;

  private CrashChild() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    JdbcMemoryStore.Builder builder = JdbcMemoryStore.builder().migrateOnStart(false);
    if (args[0].equals("sqlite")) {
      builder.sqliteFile(Path.of(args[1]));
    } else {
      // A pool, as an application has: the kill drops its connections mid-transaction.
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(args[1]);
      config.setMaximumPoolSize(2);
      builder.dataSource(new HikariDataSource(config));
    }
    String run = args[2];
    JdbcMemoryStore store = builder.build();
    ChatMemory memory = ChatMemory.builder().store(store).maxMessages(100_000).build();
    // One turn first, so that class loading and the first JSON and SQL are behind it: the kills
    // then land among commits, not in the first one.
    memory.commit(run + "-warm-up", List.of(Message.user("q"), Message.assistant("a")));
    out.println("ready");
    out.flush();
    if (args.length > 3 && args[3].equals("exit")) {
      // The run that writes the class-data archive the killed children start from.
      return;
    }
    for (long n = 0; ; n++) {
      memory.commit(
          run + "-" + n % CONVERSATIONS,
          List.of(Message.user("q" + n), Message.assistant("a" + n)),
          new TurnRecord(run, "crash-model", new TokenUsage(n, 1), Instant.now()));
      out.println("committed " + n);
      out.flush();
    }
  }
}
