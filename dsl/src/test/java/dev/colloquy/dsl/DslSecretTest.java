package dev.colloquy.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.colloquy.dsl.ast.DefinitionFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A secret written in a file never shows, however the declaration is malformed: not in a {@link
 * DslException}'s message, its string, its stack trace or causes, its diagnostics, nor in {@link
 * Dsl#print} or the tree's {@code toString()} — and the error still says what is wrong and where.
 */
class DslSecretTest {
  private static final String FILE = "secrets.colloquy";

  /** A value as secrets look: the test looks for every six characters of it. */
  private static final String VALUE = "sk-live-Q7xK9vR2mWp";

  /** A value that is also a valid name, so an unquoted one lexes as one token. */
  private static final String WORD = "Q7xK9vR2mWpZ";

  static Stream<Arguments> malformedDeclarations() {
    return Stream.of(
        shape(
            "unquoted value",
            "secret api_key = " + VALUE + "\n",
            "1:18",
            "expected `env \"VARIABLE\"` or a string, found a name"),
        shape("unquoted one-word value", "secret api_key = " + WORD + "\n", "1:18", "found a name"),
        shape(
            "unquoted value on the next line",
            "secret api_key =\n  " + VALUE + "\n",
            "2:3",
            "found a name"),
        shape(
            "quoted value on the next line, then more",
            "secret api_key =\n\n  \"" + VALUE + "\" extra\n",
            "3:25",
            "expected a declaration, found a name"),
        shape(
            "a quote inside the value",
            "secret api_key = \"sk-live-Q7x\"K9vR2mWp\"\n",
            "1:31",
            "expected a declaration, found a name"),
        shape(
            "value split into two strings",
            "secret api_key = \"sk-live-\" \"Q7xK9vR2mWp\"\n",
            "1:29",
            "expected a declaration, found a string"),
        shape(
            "value continued on the next line",
            "secret api_key = \"sk-live-\"\n  \"Q7xK9vR2mWp\"\n",
            "2:3",
            "expected a declaration, found a string"),
        shape(
            "line break inside the quotes",
            "secret api_key = \"sk-live-\nQ7xK9vR2mWp\"\n",
            "1:18",
            "unterminated string"),
        shape(
            "text block value",
            "secret api_key = \"\"\"\n  " + VALUE + "\n  \"\"\"\n",
            "1:18",
            "expected `env \"VARIABLE\"` or a string, found a text block"),
        shape(
            "text block on one line",
            "secret api_key = \"\"\"" + VALUE + "\"\"\"\n",
            "1:18",
            "a text block starts with `\"\"\"` and a line break"),
        shape(
            "unterminated text block",
            "secret api_key = \"\"\"\n" + VALUE + "\n",
            "1:18",
            "unterminated text block"),
        shape(
            "env without quotes",
            "secret api_key = env " + VALUE + "\n",
            "1:22",
            "expected the environment variable's name as a string, found a name"),
        shape(
            "env without quotes, one word",
            "secret api_key = env " + WORD + "\n",
            "1:22",
            "found a name"),
        shape(
            "env and the value on the next line",
            "secret api_key = env\n" + VALUE + "\n",
            "2:1",
            "found a name"),
        shape(
            "env with the value in quotes",
            "secret api_key = env \"" + VALUE + "\"\n",
            "1:22",
            "an environment variable's name is letters, digits and `_`, not starting with a digit"),
        shape(
            "unterminated string",
            "secret api_key = \"" + VALUE + "\nagent a {\n  model \"shop-model\"\n}\n",
            "1:18",
            "unterminated string"),
        shape(
            "unterminated string on the last line",
            "secret api_key = \"" + VALUE,
            "1:18",
            "unterminated string"),
        shape(
            "unquoted value on the last line",
            "agent a {\n  model \"shop-model\"\n}\nsecret api_key = " + VALUE,
            "4:18",
            "found a name"),
        shape(
            "windows line endings",
            "secret api_key = " + VALUE + "\r\nagent a {\r\n  model \"shop-model\"\r\n}\r\n",
            "1:18",
            "found a name"),
        shape("tabs", "secret\tapi_key\t=\t" + VALUE + "\t\n", "1:18", "found a name"),
        shape(
            "single quotes",
            "secret api_key = '" + VALUE + "'\n",
            "1:18",
            "unexpected character on a `secret` declaration"),
        shape(
            "backquotes",
            "secret api_key = `" + VALUE + "`\n",
            "1:18",
            "unexpected character on a `secret` declaration"),
        shape(
            "an unknown escape",
            "secret api_key = \"" + VALUE + "\\q\"\n",
            "1:38",
            "unknown escape in a string"),
        shape(
            "extra text after the value",
            "secret api_key = \"" + VALUE + "\" extra\n",
            "1:40",
            "expected a declaration, found a name"),
        shape("no `=`", "secret api_key " + VALUE + "\n", "1:16", "expected `=`, found a name"),
        shape(
            "no name", "secret = \"" + VALUE + "\"\n", "1:8", "expected a secret name, found `=`"),
        shape(
            "no name and no `=`",
            "secret " + WORD + "\n",
            "2:1",
            "expected `=`, found the end of the file"),
        shape(
            "`==`",
            "secret api_key == \"" + VALUE + "\"\n",
            "1:17",
            "expected `env \"VARIABLE\"` or a string, found `=`"),
        shape(
            "value in a comment after an error",
            "secret api_key = oops # " + VALUE + "\n",
            "1:18",
            "found a name"),
        shape(
            "value starting with digits",
            "secret api_key = 12" + WORD + "\n",
            "1:18",
            "found a number"),
        shape(
            "value after a non-ASCII letter",
            "secret api_key = é" + VALUE + "\n",
            "1:18",
            "unexpected character on a `secret` declaration"),
        shape(
            "misspelt keyword",
            "secert api_key = \"" + VALUE + "\"\n",
            "1:1",
            "expected a declaration, found `secert`"),
        shape(
            "capitalised keyword, unquoted value",
            "Secret api_key = " + VALUE + "\n",
            "1:1",
            "expected a declaration, found `Secret`"),
        shape(
            "keyword glued to the name",
            "secretapi_key = \"" + VALUE + "\"\n",
            "1:1",
            "expected a declaration, found a name"),
        shape(
            "secret after an agent on one line",
            "agent a { model \"shop-model\" } secret api_key = \"" + VALUE + "\" x\n",
            "1:71",
            "expected a declaration, found a name"),
        shape(
            "secret inside an agent",
            "agent a {\n  model \"shop-model\"\n  secret api_key = \"" + VALUE + "\"\n}\n",
            "3:3",
            "expected an agent setting, found `secret`"),
        shape(
            "secret inside an agent, unquoted",
            "agent a {\n  model \"shop-model\"\n  secret api_key = " + VALUE + "\n}\n",
            "3:3",
            "expected an agent setting, found `secret`"),
        shape(
            "value in braces",
            "secret api_key = {\n  " + VALUE + "\n}\n",
            "1:18",
            "expected `env \"VARIABLE\"` or a string, found `{`"),
        shape(
            "a declared secret and a duplicate",
            "secret api_key = \"" + VALUE + "\"\nsecret api_key = \"" + VALUE + "\"\n",
            "2:8",
            "`api_key` is already declared at secrets.colloquy:1:8"),
        shape(
            "a valid secret and an error elsewhere",
            "secret api_key = \""
                + VALUE
                + "\"\nagent a {\n  model \"shop-model\"\n  tools nope\n}\n",
            "4:9",
            "unknown tool `nope`"));
  }

  private static Arguments shape(String name, String text, String location, String message) {
    return Arguments.of(name, text, location, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedDeclarations")
  void aMalformedSecretDeclarationNeverShowsTheValueButSaysWhatAndWhere(
      String shape, String text, String location, String message) {
    DslException e = loadError(text);

    assertNothingOfTheSecretIn(everythingShown(e));
    assertThat(e.diagnostics())
        .anySatisfy(
            d -> {
              assertThat(d.location()).isEqualTo(FILE + ":" + location);
              assertThat(d.message()).contains(message);
            });
  }

  @Test
  void aSecretBeforeBytesThatAreNotUtf8IsMaskedWhateverItsShape() {
    for (String before :
        List.of(
            "secret api_key = \"" + VALUE,
            "secret api_key = " + VALUE,
            "secret api_key =\n" + VALUE,
            "secret api_key = \"\"\"\n" + VALUE)) {
      byte[] bytes = (before + "\u00ff\n").getBytes(StandardCharsets.ISO_8859_1);

      DslException e = catchThrowableOfType(DslException.class, () -> Dsl.parse(FILE, bytes, 1000));

      assertNothingOfTheSecretIn(everythingShown(e));
      assertThat(e.diagnostics().get(0).message()).startsWith("the file is not valid UTF-8");
      assertThat(e.diagnostics().get(0).line()).isPositive();
    }
  }

  @Test
  void aParsedInlineSecretIsNeverPrintedNorInTheTreesText() {
    DefinitionFile file = Dsl.parse(FILE, "secret api_key =\n  \"" + VALUE + "\"\n");
    Definitions definitions =
        Definitions.compile(
            List.of(new Source(FILE, "secret api_key = \"" + VALUE + "\"\n")), Fixtures.bindings());

    assertThat(definitions.secret("api_key").reveal()).isEqualTo(VALUE);
    assertNothingOfTheSecretIn(
        Dsl.print(file) + file + definitions.secret("api_key") + definitions);
    assertThat(Dsl.print(file)).isEqualTo("secret api_key = \"***\"\n");
  }

  @Test
  void aPrintedInlineSecretFailsToLoadInsteadOfRunningWithoutItsValue() {
    String printed = Dsl.print(Dsl.parse(FILE, "secret api_key = \"" + VALUE + "\"\n"));

    DslException e = loadError(printed);

    assertThat(e.diagnostics().get(0).message())
        .isEqualTo(
            "secret `api_key` is `***`, which is how the printer writes a value it does not show");
  }

  @Test
  void aMisspeltDeclarationAfterACompleteSecretIsStillNamedWithTheNearestKeyword() {
    DslException e =
        loadError("secret api_key = \"" + VALUE + "\"\nagnet a {\n  model \"shop-model\"\n}\n");

    assertNothingOfTheSecretIn(everythingShown(e));
    assertThat(e.diagnostics().get(0).format())
        .isEqualTo(
            """
        secrets.colloquy:2:1: error: expected a declaration, found `agnet`
           2 | agnet a {
             | ^^^^^
             = expected one of: agent, flow, mcp, secret, template
             = did you mean `agent`?""");
  }

  @Test
  void theEnvironmentVariablesNameAndTheDeclarationsSyntaxStayVisible() {
    DslException e = loadError("secret api_key = env \"SHOP_API_KEY\" extra\n");

    assertThat(e.diagnostics().get(0).sourceLine())
        .isEqualTo("secret api_key = env \"SHOP_API_KEY\" ***");
  }

  // ---- property: random malformed declarations, seeded ----

  static LongStream seeds() {
    // Consecutive seeds start java.util.Random alike: draw the seeds from one seeded generator.
    return new Random(20261214).longs(400);
  }

  private static final List<String> SPACES = List.of(" ", "  ", "\t", "\n", "\r\n", " \n\n  ", "");
  private static final List<String> VALUES =
      List.of(
          "\"" + VALUE + "\"",
          VALUE,
          WORD,
          "\"" + VALUE,
          VALUE + "\"",
          "'" + VALUE + "'",
          "\"\"\"\n" + VALUE + "\n\"\"\"",
          "\"\"\"" + VALUE + "\"\"\"",
          "\"" + VALUE + "\\q\"",
          "\"sk-live-\" \"Q7xK9vR2mWp\"",
          "\"sk-live-\nQ7xK9vR2mWp\"",
          "12" + WORD,
          "é" + VALUE,
          "{" + VALUE + "}",
          "(" + VALUE + ")",
          "\"" + VALUE + "\" # " + VALUE,
          "# " + VALUE);
  private static final List<String> AROUND =
      List.of(
          "",
          "agent a {\n  model \"shop-model\"\n}\n",
          "flow f {\n  call openingHours\n}\n",
          "agent b {\n  model \"shop-model\"\n",
          "  tools x\n",
          "}\n",
          "{\n",
          "oops\n");

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomMalformedSecretDeclarationsNeverShowTheValue(long seed) {
    Random random = new Random(seed);
    String text =
        pick(random, AROUND)
            + "secret"
            + (random.nextInt(8) == 0 ? "" : pick(random, SPACES) + "api_key")
            + pick(random, SPACES)
            + (random.nextInt(6) == 0 ? "" : "=")
            + pick(random, SPACES)
            + (random.nextInt(4) == 0 ? "env" + pick(random, SPACES) : "")
            + pick(random, VALUES)
            + pick(random, List.of("", " extra", " \"x\"", ",", "\n", "\r\n"))
            + pick(random, AROUND);

    String shown;
    try {
      Definitions definitions =
          Definitions.compile(List.of(new Source(FILE, text)), Fixtures.bindings());
      DefinitionFile file = Dsl.parse(FILE, text);
      shown = Dsl.print(file) + file + definitions.files();
    } catch (DslException e) {
      shown = everythingShown(e);
      assertThat(e.diagnostics())
          .as("seed %d: %s", seed, text)
          .allSatisfy(d -> assertThat(d.line()).isPositive());
    }
    String everything = shown;
    assertThat(VALUE)
        .as("seed %d: %s\nshown: %s", seed, text, everything)
        .satisfies(v -> assertNothingOfTheSecretIn(everything));
  }

  private static String pick(Random random, List<String> choices) {
    return choices.get(random.nextInt(choices.size()));
  }

  // ---- helpers ----

  private static DslException loadError(String text) {
    DslException e =
        catchThrowableOfType(
            DslException.class,
            () -> Definitions.compile(List.of(new Source(FILE, text)), Fixtures.bindings()));
    assertThat(e).as("loading must fail:\n%s", text).isNotNull();
    return e;
  }

  /** Everything an application could log of an exception. */
  private static String everythingShown(Throwable e) {
    StringWriter out = new StringWriter();
    try (PrintWriter writer = new PrintWriter(out)) {
      e.printStackTrace(writer);
    }
    List<String> parts =
        new ArrayList<>(List.of(out.toString(), String.valueOf(e), String.valueOf(e.getMessage())));
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      parts.add(String.valueOf(cause));
    }
    if (e instanceof DslException dsl) {
      dsl.diagnostics().forEach(d -> parts.add(d.toString()));
    }
    return String.join("\n", parts);
  }

  /** Fails if any six characters in a row of either value appear. */
  private static void assertNothingOfTheSecretIn(String text) {
    for (String value : List.of(VALUE, WORD)) {
      for (int i = 0; i + 6 <= value.length(); i++) {
        assertThat(text)
            .as("shows `%s` of the secret", value.substring(i, i + 6))
            .doesNotContain(value.substring(i, i + 6));
      }
    }
  }
}
