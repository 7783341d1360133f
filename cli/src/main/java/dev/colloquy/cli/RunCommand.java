package dev.colloquy.cli;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.demo.OrderBook;
import dev.colloquy.dsl.Bindings;
import dev.colloquy.dsl.Definitions;
import dev.colloquy.dsl.Diagnostic;
import dev.colloquy.dsl.DslException;
import dev.colloquy.dsl.Source;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
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
 * demo shop's {@code orderStatus} tool is bound too. The file is compiled before the model loads,
 * so its errors (all of them, as the compiler reports them) show at once.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Chat with an agent defined in a .colloquy file (see docs/dsl.md).")
final class RunCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE", description = "The agent definition file.")
  Path file;

  @Option(
      names = "--agent",
      paramLabel = "NAME",
      description = "The agent to run when the file defines several.")
  String agentName;

  @Option(
      names = "--bind",
      paramLabel = "NAME",
      split = ",",
      defaultValue = "shop-model,default",
      description =
          "Model names in the file that mean the chosen model (default: ${DEFAULT-VALUE}).")
  List<String> modelNames = new ArrayList<>();

  @Mixin ModelOptions model;

  @Override
  public Integer call() {
    String text = read(file);
    DeferredChatModel deferred = new DeferredChatModel();
    Bindings.Builder bindings = Bindings.builder().tools(new OrderBook());
    for (String name : modelNames) {
      bindings.model(name, deferred);
    }
    Definitions definitions;
    try {
      definitions =
          Definitions.compile(List.of(new Source(file.toString(), text)), bindings.build());
    } catch (DslException e) {
      System.err.println(e.getMessage());
      bindHint(e.diagnostics()).ifPresent(System.err::println);
      return 1;
    }
    String name = chooseAgent(definitions.agentNames());
    boolean terminal = System.console() != null;
    ChatModel chatModel = model.open(new Progress(System.out, terminal));
    try {
      deferred.become(chatModel);
      Agent agent = definitions.agent(name);
      System.out.println("running agent " + name + " from " + file + " on " + model.describe());
      if (!agent.toolbox().isEmpty() && !chatModel.capabilities().toolCalling()) {
        System.out.println(
            "this model's chat format has no tool calls, but agent "
                + name
                + " offers "
                + agent.toolbox().specifications().stream().map(t -> t.name()).toList()
                + ": every message will fail; run it on a model with tool calls, or drop its tools line");
      }
      new ChatSession(agent, System.out, false).run(terminal);
    } finally {
      if (chatModel instanceof AutoCloseable closeable) {
        Closing.close(closeable);
      }
    }
    return 0;
  }

  private String chooseAgent(Set<String> names) {
    if (agentName != null) {
      if (!names.contains(agentName)) {
        throw new IllegalArgumentException(
            file + " defines no agent " + agentName + "; it defines " + names);
      }
      return agentName;
    }
    if (names.size() != 1) {
      throw new IllegalArgumentException(
          file + " defines " + names.size() + " agents " + names + ": choose one with --agent");
    }
    return names.iterator().next();
  }

  /** Suggests the --bind that makes the file's unknown model names mean the chosen model. */
  private java.util.Optional<String> bindHint(List<Diagnostic> diagnostics) {
    Set<String> unknown = new LinkedHashSet<>();
    for (Diagnostic d : diagnostics) {
      String message = d.message();
      int start = message.indexOf('`');
      int end = message.lastIndexOf('`');
      if (message.startsWith("unknown model `") && end > start) {
        unknown.add(message.substring(start + 1, end));
      }
    }
    if (unknown.isEmpty()) {
      return java.util.Optional.empty();
    }
    Set<String> all = new LinkedHashSet<>(modelNames);
    all.addAll(unknown);
    return java.util.Optional.of(
        "hint: the chosen model is bound as "
            + String.join(", ", modelNames)
            + "; to run the file's "
            + String.join(", ", unknown)
            + " on it: --bind "
            + String.join(",", all));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("cannot read " + file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new UncheckedIOException("cannot read " + file + ": permission denied", e);
    } catch (IOException e) {
      String reason =
          e.getMessage() == null || e.getMessage().equals(file.toString())
              ? e.getClass().getSimpleName()
              : e.getMessage();
      throw new UncheckedIOException("cannot read " + file + ": " + reason, e);
    }
  }
}
