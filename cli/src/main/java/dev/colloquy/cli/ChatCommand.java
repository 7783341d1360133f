package dev.colloquy.cli;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.memory.InMemoryStore;
import dev.colloquy.core.memory.MemoryStore;
import dev.colloquy.core.memory.MemoryStoreException;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.demo.ShopAgent;
import dev.colloquy.memory.jdbc.JdbcMemoryStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code colloquy chat}: the demo shop agent, on the embedded model unless told otherwise. */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    description = {
      "Chat with the demo shop's agent (orders via the orderStatus tool, delivery, returns, hours; "
          + "English or Chinese), streaming its replies.",
      "Type /reset, /history or /exit."
    })
final class ChatCommand implements Callable<Integer> {

  /**
   * Said once at the start when the model cannot call tools, so the agent goes without its tool.
   */
  static final String NO_TOOLS =
      "this model's chat format has no tool calls: chatting without tools";

  @Mixin ModelOptions model;

  @Option(
      names = "--memory",
      paramLabel = "FILE",
      description =
          "Keep the conversation in this SQLite file, so that the next chat with the same file "
              + "goes on where this one stopped (created if missing).")
  Path memoryFile;

  @Option(
      names = "--timing",
      description = "Print when the first reply token arrives (ms after the JVM started).")
  boolean timing;

  private static MemoryStore openMemory(Path file) {
    try {
      return JdbcMemoryStore.sqlite(file);
    } catch (MemoryStoreException e) {
      throw new IllegalArgumentException(
          "cannot keep the conversation in " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Integer call() {
    boolean terminal = System.console() != null;
    // Opened before the model, so that a file that cannot be a database fails before the load.
    MemoryStore store = memoryFile == null ? InMemoryStore.create() : openMemory(memoryFile);
    ChatModel chatModel = model.open(new Progress(System.out, terminal));
    try {
      System.out.println("chatting with " + model.describe());
      boolean tools = chatModel.capabilities().toolCalling();
      if (!tools) {
        System.out.println(NO_TOOLS);
      }
      Agent agent =
          tools
              ? ShopAgent.create(chatModel, store)
              : ShopAgent.createWithoutTools(chatModel, store);
      ChatSession session = new ChatSession(agent, System.out, timing);
      int kept = agent.memory().messages(ChatSession.CONVERSATION).size();
      if (kept > 0) {
        System.out.println(
            "going on with the conversation in "
                + memoryFile
                + " ("
                + kept
                + " messages; /reset forgets it)");
      }
      session.run(terminal);
    } finally {
      if (store instanceof AutoCloseable closeable) {
        Closing.close(closeable);
      }
      if (chatModel instanceof AutoCloseable closeable) {
        Closing.close(closeable);
      }
    }
    return 0;
  }
}
