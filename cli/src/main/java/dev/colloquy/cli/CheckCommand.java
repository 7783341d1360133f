package dev.colloquy.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code colloquy check DIR}: the agent-definition checker of colloquy-dsl ({@code
 * dev.colloquy.dsl.DefinitionChecker}), with its name lists as real options. Without any list, the
 * names the application binds are not checked; with any, all five kinds are checked against the
 * lists given (an absent list is empty).
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Check the agent definition files (*.colloquy, sub-folders included) of a folder; errors as "
          + "file:line:column.",
      "Names the application binds are checked only when at least one of --models, --tools, --functions, "
          + "--predicates, --guards is given; then all five are.",
      "Exit status: 0 valid, 1 errors (or no file to check), 2 bad usage (or no such folder)."
    })
final class CheckCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "DIR", description = "The folder of .colloquy files.")
  Path folder;

  @Option(
      names = "--models",
      split = ",",
      paramLabel = "NAME",
      description = "The model names the application binds.")
  List<String> models;

  @Option(
      names = "--tools",
      split = ",",
      paramLabel = "NAME",
      description = "The tool names the application binds.")
  List<String> tools;

  @Option(
      names = "--functions",
      split = ",",
      paramLabel = "NAME",
      description = "The function names (flow steps) the application binds.")
  List<String> functions;

  @Option(
      names = "--predicates",
      split = ",",
      paramLabel = "NAME",
      description = "The predicate names (flow conditions) the application binds.")
  List<String> predicates;

  @Option(
      names = "--guards",
      split = ",",
      paramLabel = "NAME",
      description = "The guard names (input and output guards) the application binds.")
  List<String> guards;

  @Override
  public Integer call() {
    List<String> args = new ArrayList<>();
    args.add(folder.toString());
    add(args, "--models", models);
    add(args, "--tools", tools);
    add(args, "--functions", functions);
    add(args, "--predicates", predicates);
    add(args, "--guards", guards);
    return dev.colloquy.dsl.DefinitionChecker.run(args, System.out, System.err);
  }

  private static void add(List<String> args, String flag, List<String> names) {
    if (names != null) {
      args.add(flag);
      args.add(String.join(",", names));
    }
  }
}
