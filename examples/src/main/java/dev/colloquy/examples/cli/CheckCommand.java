package dev.colloquy.examples.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code colloquy check DIR}: the agent-definition checker of colloquy-dsl. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Check the agent definition files (*.colloquy) of a folder; errors as file:line:column.")
final class CheckCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "DIR", description = "The folder of .colloquy files.")
  String folder;

  @Parameters(index = "1..*", paramLabel = "OPTION",
      description = "Passed on to the checker: --models a,b --tools a,b --functions a,b --predicates a,b.")
  List<String> options = new ArrayList<>();

  @Override
  public Integer call() {
    List<String> args = new ArrayList<>();
    args.add(folder);
    args.addAll(options);
    return dev.colloquy.dsl.Check.run(args, System.out, System.err);
  }
}
