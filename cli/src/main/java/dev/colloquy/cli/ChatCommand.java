package dev.colloquy.cli;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.memory.ChatMemory;
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

/**
 * {@code colloquy chat}: the demo shop agent on the embedded model, or a plain assistant on a local
 * model of another family, unless told otherwise.
 */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    description = {
      "Chat with the demo shop's agent (orders via the orderStatus tool, delivery, returns, hours; "
          + "English or Chinese) or, on a --model-dir model, with a plain assistant; replies stream.",
      "Type /reset, /history or /exit."
    })
final class ChatCommand implements Callable<Integer> {

  /** Which agent the chat runs. */
  enum AgentKind {
    /** The demo shop's agent: its system prompt, the orderStatus tool, a 6-message window. */
    SHOP,
    /** No system prompt (the model's template supplies its own default), no tools. */
    ASSISTANT
  }

  /** Messages the plain assistant keeps; the context window's overflow policy trims further. */
  static final int ASSISTANT_MEMORY = 40;

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
      names = "--agent",
      paramLabel = "KIND",
      description =
          "shop: the demo shop's agent (system prompt, orderStatus tool); assistant: no system "
              + "prompt, no tools, the model's own chat template alone. Default: shop on the "
              + "embedded model and --remote, assistant on --model-dir.")
  AgentKind agentKind;

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
      Agent agent = agent(chatModel, store);
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

  /**
   * The shop agent belongs to the demo model (and to checkpoints trained like it); a model of
   * another family gets no shop prompt or tool unless asked for with {@code --agent shop}.
   */
  private Agent agent(ChatModel chatModel, MemoryStore store) {
    AgentKind kind =
        agentKind != null
            ? agentKind
            : model.modelDirectory != null ? AgentKind.ASSISTANT : AgentKind.SHOP;
    if (kind == AgentKind.ASSISTANT) {
      return Agent.builder()
          .model(chatModel)
          .memory(ChatMemory.window(ASSISTANT_MEMORY, store))
          .build();
    }
    if (!chatModel.capabilities().toolCalling()) {
      System.out.println(NO_TOOLS);
      return ShopAgent.createWithoutTools(chatModel, store);
    }
    return ShopAgent.create(chatModel, store);
  }
}
