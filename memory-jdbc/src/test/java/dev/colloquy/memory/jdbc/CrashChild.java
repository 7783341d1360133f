package dev.colloquy.memory.jdbc;

import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.memory.TurnRecord;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.TokenUsage;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The process {@link CrashTest} kills: it opens the store, prints {@code ready}, then commits turns
 * through {@link ChatMemory} as fast as it can, printing {@code committed <n>} after each commit
 * returned, until it is killed.
 *
 * <p>Arguments: {@code sqlite <file>} or {@code postgresql <jdbc url>}, then the run's id. Turn
 * {@code n} goes to conversation {@code <run>-<n % 4>} as the messages {@code q<n>} and {@code
 * a<n>}.
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
      PGSimpleDataSource source = new PGSimpleDataSource();
      source.setUrl(args[1]);
      builder.dataSource(source);
    }
    String run = args[2];
    JdbcMemoryStore store = builder.build();
    ChatMemory memory = ChatMemory.builder().store(store).maxMessages(100_000).build();
    out.println("ready");
    out.flush();
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
