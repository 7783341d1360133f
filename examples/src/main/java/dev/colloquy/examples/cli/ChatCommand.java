package dev.colloquy.examples.cli;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.examples.shop.ShopAgent;
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
      names = "--timing",
      description = "Print when the first reply token arrives (ms after the JVM started).")
  boolean timing;

  @Override
  public Integer call() {
    boolean terminal = System.console() != null;
    ChatModel chatModel = model.open(new Progress(System.out, terminal));
    try {
      System.out.println("chatting with " + model.describe());
      boolean tools = chatModel.capabilities().toolCalling();
      if (!tools) {
        System.out.println(NO_TOOLS);
      }
      Agent agent = tools ? ShopAgent.create(chatModel) : ShopAgent.createWithoutTools(chatModel);
      new ChatSession(agent, System.out, timing).run(terminal);
    } finally {
      if (chatModel instanceof AutoCloseable closeable) {
        Closing.close(closeable);
      }
    }
    return 0;
  }
}
