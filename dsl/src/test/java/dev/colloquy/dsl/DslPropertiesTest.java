package dev.colloquy.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.dsl.ast.AgentSetting;
import dev.colloquy.dsl.ast.Declaration;
import dev.colloquy.dsl.ast.DefinitionFile;
import dev.colloquy.dsl.ast.Literal;
import dev.colloquy.dsl.ast.Name;
import dev.colloquy.dsl.ast.Prompt;
import dev.colloquy.dsl.ast.SecretSource;
import dev.colloquy.dsl.ast.Step;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the language: any input ends in a definition or a {@link DslException} (any other
 * exception fails the property), and printing then parsing gives the same definition.
 */
class DslPropertiesTest {

  private static final List<String> VALID_TEXTS = validTexts();
  private static final List<String> VOCABULARY = List.of("agent", "flow", "template", "secret", "model",
      "system", "var", "expect", "memory", "window", "tools", "options", "budget", "ask", "tool", "call",
      "if", "else", "classify", "when", "repeat", "max", "until", "parallel", "branch", "join", "each",
      "env", "guard", "input", "output", "refusal", "{", "}", "(", ")", ",", "=", "\"", "\"\"\"", "\n", " ", "#", "-", "10s", "-1", "0.5", "{{x}}",
      "\\", "\r", "\t", "\u0000", "\uD800", "é");

  private static List<String> validTexts() {
    try (Stream<Path> files = Files.list(Path.of("src/test/resources/golden/valid"))) {
      return files.filter(p -> p.toString().endsWith(".colloquy")).sorted().map(Fixtures::read).toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // ---- only our own error type, whatever the input ----

  @Property(tries = 300)
  void randomTextEndsInADefinitionOrADslException(@ForAll @Size(max = 400) String text) {
    parseAndCompile(text);
  }

  @Property(tries = 300)
  void randomBytesEndInADefinitionOrADslException(@ForAll @Size(max = 400) byte[] bytes) {
    try {
      Dsl.parse("random.colloquy", bytes, 1 << 16);
    } catch (DslException expected) {
      assertThat(expected.diagnostics()).isNotEmpty();
    }
  }

  @Property(tries = 500)
  void mutatedValidFilesEndInADefinitionOrADslException(@ForAll("mutatedFiles") String text) {
    parseAndCompile(text);
  }

  @Property(tries = 300)
  void tokenSoupEndsInADefinitionOrADslException(@ForAll("tokenSoup") String text) {
    parseAndCompile(text);
  }

  private static void parseAndCompile(String text) {
    try {
      DefinitionFile file = Dsl.parse("input.colloquy", text);
      assertThat(Dsl.parse("input.colloquy", Dsl.print(file))).isEqualTo(asPrinted(file));
      Definitions.compile(List.of(new Source("input.colloquy", text)), Fixtures.bindings());
    } catch (DslException expected) {
      assertThat(expected.diagnostics()).isNotEmpty().hasSizeLessThanOrEqualTo(DslException.MAX_REPORTED);
      assertThat(expected.getMessage()).contains("input.colloquy");
    }
  }

  @Provide
  Arbitrary<String> mutatedFiles() {
    Arbitrary<String> base = Arbitraries.of(VALID_TEXTS);
    return base.flatMap(text -> Arbitraries.integers().between(1, 5).flatMap(count ->
        mutation(text).list().ofSize(count).map(ops -> {
          String result = text;
          for (Mutation op : ops) {
            result = op.apply(result);
          }
          return result;
        })));
  }

  private interface Mutation {
    String apply(String text);
  }

  private Arbitrary<Mutation> mutation(String text) {
    Arbitrary<Double> where = Arbitraries.doubles().between(0, 1);
    Arbitrary<Mutation> delete = Combinators.combine(where, Arbitraries.integers().between(1, 20))
        .as((at, length) -> t -> {
          int start = (int) (at * t.length());
          return t.substring(0, start) + t.substring(Math.min(t.length(), start + length));
        });
    Arbitrary<Mutation> insert = Combinators.combine(where, Arbitraries.of(VOCABULARY))
        .as((at, token) -> t -> {
          int start = (int) (at * t.length());
          return t.substring(0, start) + token + t.substring(start);
        });
    Arbitrary<Mutation> duplicate = Combinators.combine(where, Arbitraries.integers().between(1, 80))
        .as((at, length) -> t -> {
          int start = (int) (at * t.length());
          int end = Math.min(t.length(), start + length);
          return t.substring(0, end) + t.substring(start, end) + t.substring(end);
        });
    return Arbitraries.oneOf(delete, insert, duplicate);
  }

  @Provide
  Arbitrary<String> tokenSoup() {
    return Arbitraries.of(VOCABULARY).list().ofMaxSize(60).map(tokens -> String.join(" ", tokens));
  }

  // ---- print then parse ----

  @Property(tries = 300)
  void printingThenParsingGivesTheSameDefinition(@ForAll("files") DefinitionFile file) {
    String printed = Dsl.print(file);

    DefinitionFile reparsed = Dsl.parse(file.name(), printed);

    assertThat(reparsed).isEqualTo(asPrinted(file));
    assertThat(Dsl.print(reparsed)).isEqualTo(printed);
  }

  /** The file as the printer writes it: inline secret values as the placeholder. */
  private static DefinitionFile asPrinted(DefinitionFile file) {
    return new DefinitionFile(file.name(), file.declarations().stream()
        .map(d -> d instanceof Declaration.Secret s && s.source() instanceof SecretSource.Inline
            ? new Declaration.Secret(s.name(), new SecretSource.Inline(SecretSource.Inline.PLACEHOLDER)) : d)
        .toList());
  }

  @Provide
  Arbitrary<DefinitionFile> files() {
    return declaration().list().ofMinSize(1).ofMaxSize(4).map(list -> new DefinitionFile("generated.colloquy", list));
  }

  private Arbitrary<String> identifier() {
    return Combinators.combine(Arbitraries.chars().range('a', 'z').with('_', 'Q'),
        Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars('_').ofMaxLength(8))
        .as((first, rest) -> first + rest);
  }

  private Arbitrary<String> text() {
    Arbitrary<String> anything = Arbitraries.strings().ofMaxLength(60);
    Arbitrary<String> promptLike = Arbitraries.of("", "one line", "two\nlines", "  indented\n\tand tabbed\n",
        "JSON {\"a\": [1, {\"b\": \"\\\\\"}]}\n{{input}}", "ends with newline\n", "\nstarts with newline",
        "quotes \"\"\" inside", "blank\n   \nline", "crlf\r\nline", "trailing \"quote\"");
    return Arbitraries.oneOf(anything, promptLike,
        Combinators.combine(promptLike, anything).as((a, b) -> a + "\n" + b));
  }

  private Arbitrary<Literal> literal() {
    return Arbitraries.oneOf(
        Combinators.combine(Arbitraries.longs().between(-100_000, 100_000), Arbitraries.integers().between(0, 3))
            .as((unscaled, scale) -> (Literal) new Literal.Number(BigDecimal.valueOf(unscaled, scale))),
        text().map(t -> (Literal) new Literal.Text(t)),
        Arbitraries.longs().between(-10_000_000, 10_000_000).map(ms -> (Literal) new Literal.Time(Duration.ofMillis(ms))));
  }

  private Arbitrary<Prompt> prompt() {
    return Arbitraries.oneOf(text().map(t -> (Prompt) new Prompt.Inline(t)),
        identifier().map(n -> (Prompt) new Prompt.Reference(new Name(n))));
  }

  private Arbitrary<AgentSetting.Entry> entry() {
    return Combinators.combine(identifier(), literal()).as(AgentSetting.Entry::new);
  }

  private Arbitrary<AgentSetting> setting() {
    return Arbitraries.oneOf(
        text().map(AgentSetting.Model::new),
        prompt().map(AgentSetting.SystemPrompt::new),
        Combinators.combine(identifier(), text()).as(AgentSetting.Variable::new),
        identifier().list().ofMinSize(1).ofMaxSize(3).map(AgentSetting.Expect::new),
        Arbitraries.integers().map(AgentSetting.Memory::new),
        identifier().map(Name::new).list().ofMinSize(1).ofMaxSize(3).map(AgentSetting.Tools::new),
        entry().list().ofMinSize(1).ofMaxSize(3).map(AgentSetting.Options::new),
        entry().list().ofMinSize(1).ofMaxSize(3).map(AgentSetting.Budget::new),
        Combinators.combine(Arbitraries.of(AgentSetting.Guardrail.Stage.class), identifier().map(Name::new))
            .as(AgentSetting.Guardrail::new),
        text().map(AgentSetting.Refusal::new));
  }

  private Arbitrary<List<Step>> steps(int depth) {
    return step(depth).list().ofMaxSize(depth > 2 ? 1 : 3);
  }

  private Arbitrary<Step> step(int depth) {
    Arbitrary<Name> name = identifier().map(Name::new);
    Arbitrary<Step> leaf = Arbitraries.oneOf(
        Combinators.combine(text(), prompt()).as(Step.Ask::new),
        name.map(Step.CallTool::new), name.map(Step.CallFunction::new), name.map(Step.CallAgent::new));
    if (depth >= 4) {
      return leaf;
    }
    Arbitrary<List<Step>> inner = Arbitraries.lazy(() -> steps(depth + 1));
    return Arbitraries.oneOf(leaf,
        Combinators.combine(name, inner, inner).as(Step.If::new),
        Combinators.combine(text(), Combinators.combine(identifier(), inner).as(Step.Case::new).list().ofMinSize(1).ofMaxSize(2), inner)
            .as(Step.Classify::new),
        Combinators.combine(Arbitraries.integers().between(1, 1000), name, inner).as(Step.Repeat::new),
        Combinators.combine(inner.list().ofMinSize(1).ofMaxSize(2), name).as(Step.Parallel::new),
        inner.map(Step.Each::new));
  }

  private Arbitrary<Declaration> declaration() {
    return Arbitraries.oneOf(
        Combinators.combine(identifier(), identifier().list().ofMaxSize(3), text()).as(Declaration.Template::new),
        Combinators.combine(identifier(), setting().list().ofMaxSize(6)).as(Declaration.Agent::new),
        Combinators.combine(identifier(), steps(1)).as(Declaration.Flow::new),
        Combinators.combine(identifier(), Arbitraries.oneOf(
            identifier().map(t -> (SecretSource) new SecretSource.Environment(t)),
            text().map(t -> (SecretSource) new SecretSource.Inline(t)))).as(Declaration.Secret::new));
  }
}
