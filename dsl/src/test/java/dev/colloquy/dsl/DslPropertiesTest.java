package dev.colloquy.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.dsl.ast.AgentSetting;
import dev.colloquy.dsl.ast.Declaration;
import dev.colloquy.dsl.ast.DefinitionFile;
import dev.colloquy.dsl.ast.Literal;
import dev.colloquy.dsl.ast.McpSetting;
import dev.colloquy.dsl.ast.Name;
import dev.colloquy.dsl.ast.Prompt;
import dev.colloquy.dsl.ast.SecretSource;
import dev.colloquy.dsl.ast.Step;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of the language: any input ends in a definition or a {@link DslException} (any other
 * exception fails the property), and printing then parsing gives the same definition. Inputs come
 * from a {@link Random} seeded with the case's number, which the case's name shows, so a failure
 * replays exactly.
 */
class DslPropertiesTest {

  private static final List<String> VALID_TEXTS = validTexts();
  private static final List<String> VOCABULARY =
      List.of(
          "agent",
          "flow",
          "template",
          "secret",
          "model",
          "system",
          "var",
          "expect",
          "memory",
          "window",
          "tools",
          "options",
          "budget",
          "ask",
          "tool",
          "call",
          "if",
          "else",
          "classify",
          "when",
          "repeat",
          "max",
          "until",
          "parallel",
          "branch",
          "join",
          "each",
          "env",
          "guard",
          "input",
          "output",
          "refusal",
          "{",
          "}",
          "(",
          ")",
          ",",
          "=",
          "\"",
          "\"\"\"",
          "\n",
          " ",
          "#",
          "-",
          "10s",
          "-1",
          "0.5",
          "{{x}}",
          "\\",
          "\r",
          "\t",
          "\u0000",
          "\uD800",
          "é");
  private static final List<String> PROMPT_LIKE =
      List.of(
          "",
          "one line",
          "two\nlines",
          "  indented\n\tand tabbed\n",
          "JSON {\"a\": [1, {\"b\": \"\\\\\"}]}\n{{input}}",
          "ends with newline\n",
          "\nstarts with newline",
          "quotes \"\"\" inside",
          "blank\n   \nline",
          "crlf\r\nline",
          "trailing \"quote\"");

  /**
   * Characters a text value is drawn from: ASCII, the DSL's own punctuation, and some beyond ASCII.
   */
  private static final int[] TEXT_CODE_POINTS =
      ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.,:;!?'\"\\{}()[]#=\n\r\t"
              + "é世界😀\u00a0\u2028")
          .codePoints()
          .toArray();

  private static List<String> validTexts() {
    try (Stream<Path> files = Files.list(Path.of("src/test/resources/golden/valid"))) {
      return files
          .filter(p -> p.toString().endsWith(".colloquy"))
          .sorted()
          .map(Fixtures::read)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static LongStream seeds() {
    return LongStream.range(0, 300);
  }

  static LongStream moreSeeds() {
    return LongStream.range(0, 500);
  }

  // ---- only our own error type, whatever the input ----

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomTextEndsInADefinitionOrADslException(long seed) {
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(401); i > 0; i--) {
      // Any UTF-16 unit, lone surrogates and controls included, half the time; ASCII otherwise.
      text.append(
          random.nextBoolean()
              ? (char) random.nextInt(Character.MAX_VALUE + 1)
              : (char) (32 + random.nextInt(95)));
    }
    parseAndCompile(text.toString());
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomBytesEndInADefinitionOrADslException(long seed) {
    Random random = new Random(seed);
    byte[] bytes = new byte[random.nextInt(401)];
    random.nextBytes(bytes);
    try {
      Dsl.parse("random.colloquy", bytes, 1 << 16);
    } catch (DslException expected) {
      assertThat(expected.diagnostics()).isNotEmpty();
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("moreSeeds")
  void mutatedValidFilesEndInADefinitionOrADslException(long seed) {
    Random random = new Random(seed);
    String text = VALID_TEXTS.get(random.nextInt(VALID_TEXTS.size()));
    for (int count = 1 + random.nextInt(5); count > 0; count--) {
      text = mutate(random, text);
    }
    parseAndCompile(text);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void tokenSoupEndsInADefinitionOrADslException(long seed) {
    Random random = new Random(seed);
    parseAndCompile(String.join(" ", list(random, 0, 60, () -> pick(random, VOCABULARY))));
  }

  private static void parseAndCompile(String text) {
    try {
      DefinitionFile file = Dsl.parse("input.colloquy", text);
      assertThat(Dsl.parse("input.colloquy", Dsl.print(file))).isEqualTo(asPrinted(file));
      Definitions.compile(List.of(new Source("input.colloquy", text)), Fixtures.bindings());
    } catch (DslException expected) {
      assertThat(expected.diagnostics())
          .isNotEmpty()
          .hasSizeLessThanOrEqualTo(DslException.MAX_REPORTED);
      assertThat(expected.getMessage()).contains("input.colloquy");
    }
  }

  /** Deletes a run, inserts a token of the language, or duplicates a run, at a random place. */
  private static String mutate(Random random, String text) {
    int start = (int) (random.nextDouble() * text.length());
    return switch (random.nextInt(3)) {
      case 0 ->
          text.substring(0, start)
              + text.substring(Math.min(text.length(), start + 1 + random.nextInt(20)));
      case 1 -> text.substring(0, start) + pick(random, VOCABULARY) + text.substring(start);
      default -> {
        int end = Math.min(text.length(), start + 1 + random.nextInt(80));
        yield text.substring(0, end) + text.substring(start, end) + text.substring(end);
      }
    };
  }

  // ---- print then parse ----

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void printingThenParsingGivesTheSameDefinition(long seed) {
    DefinitionFile file = new Generator(new Random(seed)).file();
    String printed = Dsl.print(file);

    DefinitionFile reparsed = Dsl.parse(file.name(), printed);

    assertThat(reparsed).isEqualTo(asPrinted(file));
    assertThat(Dsl.print(reparsed)).isEqualTo(printed);
  }

  /** The file as the printer writes it: inline secret values as the placeholder. */
  private static DefinitionFile asPrinted(DefinitionFile file) {
    return new DefinitionFile(
        file.name(),
        file.declarations().stream()
            .map(
                d ->
                    d instanceof Declaration.Secret s && s.source() instanceof SecretSource.Inline
                        ? new Declaration.Secret(
                            s.name(), new SecretSource.Inline(SecretSource.Inline.PLACEHOLDER))
                        : d)
            .toList());
  }

  /** Random definitions within what the language can express. */
  private record Generator(Random random) {

    DefinitionFile file() {
      return new DefinitionFile("generated.colloquy", list(random, 1, 4, this::declaration));
    }

    String identifier() {
      String first = "abcdefghijklmnopqrstuvwxyz_Q";
      String rest = "abcdefghijklmnopqrstuvwxyz0123456789_";
      StringBuilder name = new StringBuilder().append(first.charAt(random.nextInt(first.length())));
      for (int i = random.nextInt(9); i > 0; i--) {
        name.append(rest.charAt(random.nextInt(rest.length())));
      }
      return name.toString();
    }

    Name name() {
      return new Name(identifier());
    }

    String text() {
      return switch (random.nextInt(3)) {
        case 0 -> anyText();
        case 1 -> pick(random, PROMPT_LIKE);
        default -> pick(random, PROMPT_LIKE) + "\n" + anyText();
      };
    }

    String anyText() {
      StringBuilder text = new StringBuilder();
      for (int i = random.nextInt(61); i > 0; i--) {
        text.appendCodePoint(TEXT_CODE_POINTS[random.nextInt(TEXT_CODE_POINTS.length)]);
      }
      return text.toString();
    }

    Literal literal() {
      return switch (random.nextInt(3)) {
        case 0 ->
            new Literal.Number(
                BigDecimal.valueOf(random.nextInt(200_001) - 100_000, random.nextInt(4)));
        case 1 -> new Literal.Text(text());
        default -> new Literal.Time(Duration.ofMillis(random.nextInt(20_000_001) - 10_000_000));
      };
    }

    Prompt prompt() {
      return random.nextBoolean() ? new Prompt.Inline(text()) : new Prompt.Reference(name());
    }

    AgentSetting.Entry entry() {
      return new AgentSetting.Entry(identifier(), literal());
    }

    AgentSetting setting() {
      return switch (random.nextInt(10)) {
        case 0 -> new AgentSetting.Model(text());
        case 1 -> new AgentSetting.SystemPrompt(prompt());
        case 2 -> new AgentSetting.Variable(identifier(), text());
        case 3 -> new AgentSetting.Expect(list(random, 1, 3, this::identifier));
        case 4 -> new AgentSetting.Memory(random.nextInt());
        case 5 -> new AgentSetting.Tools(list(random, 1, 3, this::name));
        case 6 -> new AgentSetting.Options(list(random, 1, 3, this::entry));
        case 7 -> new AgentSetting.Budget(list(random, 1, 3, this::entry));
        case 8 ->
            new AgentSetting.Guardrail(
                pick(random, List.of(AgentSetting.Guardrail.Stage.values())), name());
        default -> new AgentSetting.Refusal(text());
      };
    }

    List<Step> steps(int depth) {
      return list(random, 0, depth > 2 ? 1 : 3, () -> step(depth));
    }

    Step step(int depth) {
      int kinds = depth >= 4 ? 4 : 9;
      return switch (random.nextInt(kinds)) {
        case 0 -> new Step.Ask(text(), prompt());
        case 1 -> new Step.CallTool(name());
        case 2 -> new Step.CallFunction(name());
        case 3 -> new Step.CallAgent(name());
        case 4 -> new Step.If(name(), steps(depth + 1), steps(depth + 1));
        case 5 ->
            new Step.Classify(
                text(),
                list(random, 1, 2, () -> new Step.Case(identifier(), steps(depth + 1))),
                steps(depth + 1));
        case 6 -> new Step.Repeat(1 + random.nextInt(1000), name(), steps(depth + 1));
        case 7 -> new Step.Parallel(list(random, 1, 2, () -> steps(depth + 1)), name());
        default -> new Step.Each(steps(depth + 1));
      };
    }

    McpSetting mcpSetting() {
      return switch (random.nextInt(5)) {
        case 0 -> new McpSetting.Command(list(random, 1, 3, this::text));
        case 1 -> new McpSetting.Url(text());
        case 2 -> new McpSetting.Environment(identifier(), name());
        case 3 -> new McpSetting.Header(text(), name());
        default -> new McpSetting.Tools(list(random, 1, 3, this::text));
      };
    }

    Declaration declaration() {
      return switch (random.nextInt(5)) {
        case 0 ->
            new Declaration.Template(identifier(), list(random, 0, 3, this::identifier), text());
        case 1 -> new Declaration.Agent(identifier(), list(random, 0, 6, this::setting));
        case 2 -> new Declaration.Flow(identifier(), steps(1));
        case 3 -> new Declaration.McpServer(identifier(), list(random, 0, 4, this::mcpSetting));
        default ->
            new Declaration.Secret(
                identifier(),
                random.nextBoolean()
                    ? new SecretSource.Environment(identifier())
                    : new SecretSource.Inline(text()));
      };
    }
  }

  private static <T> T pick(Random random, List<T> choices) {
    return choices.get(random.nextInt(choices.size()));
  }

  private static <T> List<T> list(Random random, int min, int max, Supplier<T> element) {
    List<T> list = new ArrayList<>();
    for (int size = min + random.nextInt(max - min + 1); size > 0; size--) {
      list.add(element.get());
    }
    return list;
  }
}
