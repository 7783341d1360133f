package dev.colloquy.dsl;

import dev.colloquy.dsl.internal.compile.Checker;
import dev.colloquy.dsl.internal.syntax.ParsedSource;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a folder of definition files for CI, without running the application: what {@code colloquy
 * check} runs, callable from a build or a test. It prints, and returns an exit status; it never
 * exits the JVM.
 *
 * <pre>{@code
 * int status = DefinitionChecker.run(List.of("agents", "--models", "shop-model", "--tools", "orderStatus,refund"),
 *     System.out, System.err);
 * }</pre>
 *
 * <p>Without any of {@code --models}, {@code --tools}, {@code --functions}, {@code --predicates},
 * {@code --guards}, names the application binds are not checked (everything else is); with any of
 * them, all five kinds are checked against the lists given. Environment variables of secrets are
 * not checked. Exit status: 0 when every file is valid, 1 with the errors on standard error (a
 * folder without any definition file is an error: there was nothing to check), 2 on bad usage (a
 * missing folder included).
 */
public final class DefinitionChecker {
  private static final String USAGE =
      "usage: check <folder> [--models a,b] [--tools a,b] [--functions a,b] [--predicates a,b] [--guards a,b]";

  private DefinitionChecker() {}

  /**
   * Runs the check.
   *
   * @param args the folder, then options
   * @param out receives the summary
   * @param err receives the errors
   * @return the exit status: 0 valid, 1 errors or no file to check, 2 bad usage
   */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty() || args.get(0).startsWith("--")) {
      err.println(USAGE);
      return 2;
    }
    Path folder = Path.of(args.get(0));
    if (!Files.exists(folder)) {
      err.println("check: no such folder: " + folder);
      return 2;
    }
    if (!Files.isDirectory(folder)) {
      err.println(
          "check: " + folder + " is a file, not a folder of " + Definitions.EXTENSION + " files");
      return 2;
    }
    List<Set<String>> lists =
        new ArrayList<>(
            List.of(
                new LinkedHashSet<>(),
                new LinkedHashSet<>(),
                new LinkedHashSet<>(),
                new LinkedHashSet<>(),
                new LinkedHashSet<>()));
    List<String> flags = List.of("--models", "--tools", "--functions", "--predicates", "--guards");
    boolean checkBound = false;
    for (int i = 1; i < args.size(); i += 2) {
      int which = flags.indexOf(args.get(i));
      if (which < 0 || i + 1 >= args.size()) {
        err.println(USAGE);
        return 2;
      }
      checkBound = true;
      for (String name : args.get(i + 1).split(",")) {
        if (!name.isBlank()) {
          lists.get(which).add(name.strip());
        }
      }
    }
    List<ParsedSource> parsed;
    try {
      parsed = Definitions.readFolder(folder);
    } catch (DslException e) {
      err.println(e.getMessage());
      return 1;
    }
    if (parsed.isEmpty()) {
      // A wrong path must not pass CI as "no errors".
      err.println(
          "check: no "
              + Definitions.EXTENSION
              + " files in "
              + folder
              + " (sub-folders included): nothing to check");
      return 1;
    }
    Checker.Names names =
        new Checker.Names(
            lists.get(0),
            lists.get(1),
            lists.get(2),
            lists.get(3),
            lists.get(4),
            checkBound,
            variable -> Optional.of(""));
    List<Diagnostic> diagnostics = Definitions.check(parsed, names);
    if (!diagnostics.isEmpty()) {
      err.println(new DslException(diagnostics).getMessage());
      return 1;
    }
    out.println(
        "checked "
            + parsed.size()
            + (parsed.size() == 1 ? " file" : " files")
            + ": no errors"
            + (checkBound
                ? ""
                : " (bound names not checked: pass --models, --tools, --functions, --predicates, --guards)"));
    return 0;
  }
}
