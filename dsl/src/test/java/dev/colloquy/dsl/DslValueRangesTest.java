package dev.colloquy.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.colloquy.dsl.ast.AgentSetting;
import dev.colloquy.dsl.ast.Declaration;
import dev.colloquy.dsl.ast.DefinitionFile;
import dev.colloquy.dsl.ast.Literal;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every number and duration a file sets is range-checked at load, with an error at the value that
 * gives the range; nothing out of range reaches the core, and printing never overflows.
 */
class DslValueRangesTest {
  private static final String FILE = "ranges.colloquy";

  private static String agent(String line) {
    return "agent a {\n  model \"shop-model\"\n  tools orderStatus\n  " + line + "\n}\n";
  }

  static Stream<Arguments> outOfRange() {
    return Stream.of(
        Arguments.of(
            "budget tool_timeout 3000000h",
            "4:23",
            "budget `tool_timeout` must be at most 24h, was 3000000h"),
        Arguments.of(
            "budget tool_timeout 3000000000000h",
            "4:23",
            "budget `tool_timeout` must be at most 24h, was 3000000000000h"),
        Arguments.of(
            "budget deadline 25h", "4:19", "budget `deadline` must be at most 24h, was 25h"),
        Arguments.of(
            "budget deadline 86400001ms",
            "4:19",
            "budget `deadline` must be at most 24h, was 86400001ms"),
        Arguments.of(
            "budget tool_timeout 1441m",
            "4:23",
            "budget `tool_timeout` must be at most 24h, was 1441m"),
        Arguments.of(
            "budget tool_timeout 99999999999999999999h",
            "4:23",
            "the duration `99999999999999999999h` is too long"),
        Arguments.of("budget tool_timeout " + "9".repeat(5000) + "s", "4:23", "is too long"),
        Arguments.of(
            "budget rounds 1001", "4:17", "budget `rounds` must be at most 1000, was 1001"),
        Arguments.of(
            "budget tool_calls 2147483647",
            "4:21",
            "budget `tool_calls` must be at most 1000, was 2147483647"),
        Arguments.of(
            "budget rounds 99999999999999999999",
            "4:17",
            "budget `rounds` must be at most 1000, was 99999999999999999999"),
        Arguments.of(
            "memory window 10001", "4:17", "memory window must be at most 10000, was 10001"),
        Arguments.of(
            "memory window 99999999999",
            "4:17",
            "memory window must be between 2 and 10000, was `99999999999`"),
        Arguments.of(
            "memory tokens 8", "4:17", "memory tokens must be between 16 and 10000000, was 8"),
        Arguments.of(
            "memory window 10 tokens 20000000",
            "4:17",
            "memory tokens must be between 16 and 10000000, was 20000000"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outOfRange")
  void aValueOutOfRangeIsAnErrorAtTheValueThatGivesTheRange(
      String line, String location, String message) {
    DslException e =
        catchThrowableOfType(
            DslException.class,
            () -> Definitions.compile(List.of(new Source(FILE, agent(line))), Fixtures.bindings()));

    assertThat(e).as("%s must not compile", line).isNotNull();
    assertThat(e.diagnostics()).hasSize(1);
    assertThat(e.diagnostics().get(0).location()).isEqualTo(FILE + ":" + location);
    assertThat(e.diagnostics().get(0).message()).contains(message);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "repeat max 1001 until resolved {\n  }",
        "repeat max 99999999999 until resolved {\n  }"
      })
  void aLoopBeyondTheMostIterationsIsAnError(String step) {
    DslException e =
        catchThrowableOfType(
            DslException.class,
            () ->
                Definitions.compile(
                    List.of(new Source(FILE, "flow f {\n  " + step + "\n}\n")),
                    Fixtures.bindings()));

    assertThat(e.diagnostics().get(0).location()).isEqualTo(FILE + ":2:14");
    assertThat(e.diagnostics().get(0).message()).startsWith("a loop's maximum must be");
    assertThat(e.diagnostics().get(0).message()).contains("1000");
  }

  @ParameterizedTest
  @ValueSource(strings = {"24h", "1440m", "86400s", "86400000ms"})
  void theLongestDurationsLoadAndATurnRuns(String duration) {
    Definitions definitions =
        Definitions.compile(
            List.of(
                new Source(
                    FILE,
                    agent(
                            "budget rounds 1000, tool_calls 1000, tool_timeout "
                                + duration
                                + ", deadline "
                                + duration)
                        .replace("}\n", "  memory window 10000\n}\n"))),
            Fixtures.bindings());

    assertThat(definitions.agent("a").chat("c-1", "Hi")).isEqualTo("ok");
  }

  @Test
  void aParsedHugeDurationPrintsAndParsesBackInsteadOfOverflowing() {
    DefinitionFile file =
        Dsl.parse(FILE, agent("budget tool_timeout 3000000000000h, deadline 9223372036854775807s"));

    String printed = Dsl.print(file);

    assertThat(printed).contains("tool_timeout 3000000000000h, deadline 9223372036854775807s");
    assertThat(Dsl.parse(FILE, printed)).isEqualTo(file);
  }

  @Test
  void anyDurationOfWholeMillisecondsPrintsAndParsesBack() {
    for (Duration d :
        List.of(
            Duration.ofSeconds(Long.MAX_VALUE, 999_000_000),
            Duration.ofSeconds(Long.MIN_VALUE / 2),
            Duration.ofMillis(-1),
            Duration.ZERO)) {
      DefinitionFile file =
          new DefinitionFile(
              FILE,
              List.of(
                  new Declaration.Agent(
                      "a",
                      List.of(
                          new AgentSetting.Budget(
                              List.of(new AgentSetting.Entry("deadline", new Literal.Time(d))))))));

      assertThatCode(() -> Dsl.print(file)).as("%s", d).doesNotThrowAnyException();
      assertThat(Dsl.parse(FILE, Dsl.print(file))).as("%s", d).isEqualTo(file);
    }
  }
}
