package dev.colloquy.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code colloquy} command line: chat with the embedded demo model (or any checkpoint or
 * server), run and check agent definition files, inspect and create models, benchmark decoding.
 * Errors print as one line; {@code --verbose} adds the stack trace.
 */
@Command(
    name = "colloquy",
    mixinStandardHelpOptions = true,
    version = "colloquy 0.1.0-SNAPSHOT",
    description =
        "Conversational agents on the JVM: chat, run and check agent definitions, local models.",
    subcommands = {
      ChatCommand.class,
      RunCommand.class,
      CheckCommand.class,
      ModelCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Colloquy {

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Print stack traces and model logs.")
  boolean verbose;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Runs the command line.
   *
   * @param args the arguments
   * @return the exit status: 0 success, 1 failure, 2 bad usage
   */
  public static int run(String... args) {
    boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
    if (!verbose && System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    CommandLine line = new CommandLine(new Colloquy());
    // Enum options are written in lower case (--agent shop).
    line.setCaseInsensitiveEnumValuesAllowed(true);
    line.setExecutionExceptionHandler(
        (e, commandLine, parsed) -> {
          PrintWriter err = commandLine.getErr();
          err.println("colloquy " + commandLine.getCommandName() + ": " + oneLine(e));
          if (verbose) {
            e.printStackTrace(err);
          } else {
            err.println("(run with --verbose for the stack trace)");
          }
          err.flush();
          return 1;
        });
    return line.execute(args);
  }

  private static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
