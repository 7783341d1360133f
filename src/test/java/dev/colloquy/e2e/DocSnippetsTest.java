package dev.colloquy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Every {@code ```java} block of the README and of {@code docs/} compiles against the current
 * modules, imports included, so an example a reader copies cannot drift from the API.
 *
 * <p>A block holds its imports, then type declarations and statements in any order; statements run
 * in a method body, types become nested types. Names a block uses without declaring them (the
 * {@code model} the reader already has) are declared in an HTML comment just before the block,
 * invisible on the rendered page: {@code <!-- snippet-context: import x.Y; Y model; -->}.
 */
class DocSnippetsTest {

  private static final Path ROOT = Path.of("../..");
  private static final Pattern BLOCK =
      Pattern.compile(
          "(?:<!--\\s*snippet-context:(?<context>.*?)-->\\s*\\n)?```java\\n(?<code>.*?)```",
          Pattern.DOTALL);
  private static final Pattern TYPE_START =
      Pattern.compile(
          "^(@\\w+(\\(.*\\))?\\s*)*(public |abstract |final |static )*(class|record|interface|enum) .*");
  private static final Pattern METHOD_START =
      Pattern.compile("^[\\w<>\\[\\], ?]+ \\w+\\(.*\\)( throws [\\w, ]+)? \\{$");

  private static boolean startsMember(String line) {
    return TYPE_START.matcher(line).matches() || METHOD_START.matcher(line).matches();
  }

  /**
   * The context's declarations: split at {@code ;} or a closing brace, outside braces and
   * parentheses.
   */
  private static List<String> declarations(String context) {
    List<String> declarations = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int depth = 0;
    for (char c : context.toCharArray()) {
      current.append(c);
      depth += c == '{' || c == '(' ? 1 : c == '}' || c == ')' ? -1 : 0;
      if (depth == 0 && (c == ';' || c == '}')) {
        String declaration = current.toString().trim();
        declarations.add(
            declaration.endsWith(";") || declaration.endsWith("}")
                ? declaration
                : declaration + ";");
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      declarations.add(current.toString().trim() + ";");
    }
    return declarations;
  }

  @Test
  void everyJavaBlockInTheReadmeAndTheDocsCompiles() throws IOException {
    List<Snippet> snippets = new ArrayList<>();
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      for (Path doc :
          Stream.concat(
                  Stream.of(ROOT.resolve("README.md")),
                  docs.filter(p -> p.toString().endsWith(".md")).sorted())
              .toList()) {
        snippets.addAll(snippetsOf(doc));
      }
    }
    assertThat(snippets).as("java blocks found in README.md and docs/").hasSizeGreaterThan(20);

    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path out = Files.createTempDirectory("doc-snippets");
    StringWriter compilerOutput = new StringWriter();
    boolean compiled =
        compiler
            .getTask(
                compilerOutput,
                null,
                diagnostics,
                List.of("-proc:none", "-classpath", classPath, "-d", out.toString(), "-parameters"),
                null,
                snippets.stream().map(Snippet::source).toList())
            .call();

    List<String> errors = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() == Diagnostic.Kind.ERROR && d.getSource() instanceof Source source) {
        errors.add(source.describe(d.getLineNumber()) + ": " + d.getMessage(Locale.ROOT));
      }
    }
    assertThat(errors).as("compile errors in doc snippets").isEmpty();
    assertThat(compiled).as(compilerOutput.toString()).isTrue();
  }

  private static List<Snippet> snippetsOf(Path doc) throws IOException {
    String text = Files.readString(doc, StandardCharsets.UTF_8);
    List<Snippet> snippets = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      int line =
          (int) text.substring(0, m.start("code")).chars().filter(c -> c == '\n').count() + 1;
      String name = doc.getFileName().toString().replaceAll("\\W", "_") + "_" + line;
      snippets.add(
          new Snippet(
              ROOT.relativize(doc).toString(),
              line,
              name,
              m.group("context") == null ? "" : m.group("context").trim(),
              m.group("code")));
    }
    return snippets;
  }

  /** A block of a document: where it starts (file:line), its class name, context and code. */
  private record Snippet(
      String file, int firstLine, String className, String context, String code) {

    Source source() {
      // Each generated line remembers the document line it came from (0: generated).
      List<String> imports = new ArrayList<>();
      List<Integer> importLines = new ArrayList<>();
      List<String> members = new ArrayList<>();
      List<Integer> memberLines = new ArrayList<>();
      List<String> statements = new ArrayList<>();
      List<Integer> statementLines = new ArrayList<>();
      for (String declaration : declarations(context)) {
        if (declaration.startsWith("import ")) {
          imports.add(declaration);
          importLines.add(firstLine - 1);
        } else {
          members.add(declaration);
          memberLines.add(firstLine - 1);
        }
      }
      String[] lines = code.split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i];
        if (line.startsWith("import ")) {
          imports.add(line);
          importLines.add(firstLine + i);
        } else if (startsMember(line)
            || line.startsWith("@") && i + 1 < lines.length && startsMember(lines[i + 1])) {
          // A type or method at column 0 runs to its closing brace at column 0 (or ends on its own
          // line).
          int end = i;
          while (!lines[end].startsWith("}")
              && !lines[end].stripTrailing().endsWith("{}")
              && end + 1 < lines.length) {
            end++;
          }
          for (int j = i; j <= end; j++) {
            members.add(lines[j]);
            memberLines.add(firstLine + j);
          }
          i = end;
        } else {
          statements.add(line);
          statementLines.add(firstLine + i);
        }
      }
      List<String> text = new ArrayList<>(imports);
      List<Integer> origin = new ArrayList<>(importLines);
      text.add("@SuppressWarnings(\"all\") class " + className + " {");
      origin.add(0);
      text.addAll(members);
      origin.addAll(memberLines);
      text.add("void snippet() throws Exception {");
      origin.add(0);
      text.addAll(statements);
      origin.addAll(statementLines);
      text.add("}}");
      origin.add(0);
      return new Source(this, text, origin);
    }
  }

  private static final class Source extends SimpleJavaFileObject {
    final Snippet snippet;
    final List<String> lines;
    final List<Integer> origin;

    Source(Snippet snippet, List<String> lines, List<Integer> origin) {
      super(URI.create("string:///" + snippet.className() + ".java"), Kind.SOURCE);
      this.snippet = snippet;
      this.lines = lines;
      this.origin = origin;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return String.join("\n", lines) + "\n";
    }

    /** file:line of a generated line in its document, and the line itself. */
    String describe(long number) {
      int index = (int) Math.max(0, Math.min(lines.size() - 1, number - 1));
      int line = origin.get(index) == 0 ? snippet.firstLine() : origin.get(index);
      return snippet.file() + ":" + line + " (" + lines.get(index).trim() + ")";
    }
  }
}
