package dev.colloquy.examples.cli;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.dsl.Bindings;
import dev.colloquy.dsl.Definitions;
import dev.colloquy.dsl.Source;
import dev.colloquy.examples.shop.OrderBook;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code colloquy run FILE}: compiles an agent definition file and chats with its agent. The chosen
 * model (embedded demo model by default) is bound under the names given with {@code --bind}; the
 * demo shop's {@code orderStatus} tool is bound too.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Chat with an agent defined in a .colloquy file (see docs/dsl.md).")
final class RunCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE", description = "The agent definition file.")
  Path file;

  @Option(names = "--agent", paramLabel = "NAME", description = "The agent to run when the file defines several.")
  String agentName;

  @Option(names = "--bind", paramLabel = "NAME", split = ",", defaultValue = "shop-model,default",
      description = "Model names in the file that mean the chosen model (default: ${DEFAULT-VALUE}).")
  List<String> modelNames = new ArrayList<>();

  @Mixin
  ModelOptions model;

  @Override
  public Integer call() {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    boolean terminal = System.console() != null;
    ChatModel chatModel = model.open(new Progress(System.out, terminal));
    try {
      Bindings.Builder bindings = Bindings.builder().tools(new OrderBook());
      for (String name : modelNames) {
        bindings.model(name, chatModel);
      }
      Definitions definitions = Definitions.compile(List.of(new Source(file.toString(), text)), bindings.build());
      Set<String> names = definitions.agentNames();
      String name = agentName;
      if (name == null) {
        if (names.size() != 1) {
          throw new IllegalArgumentException(file + " defines " + names.size() + " agents " + names
              + ": choose one with --agent");
        }
        name = names.iterator().next();
      }
      Agent agent = definitions.agent(name);
      System.out.println("running agent " + name + " from " + file + " on " + model.describe());
      new ChatSession(agent, System.out, false).run(terminal);
    } finally {
      if (chatModel instanceof AutoCloseable closeable) {
        Closing.close(closeable);
      }
    }
    return 0;
  }
}
