package dev.colloquy.core.agent;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.tool.Toolbox;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regression: a tool timeout or turn deadline of 3,000,000 h was accepted and then every turn threw
 * {@code ArithmeticException: long overflow}. The builders take 1 ms to 24 h, as the DSL does.
 */
class DurationRangesTest {

  @ParameterizedTest
  @ValueSource(strings = {"PT0S", "PT-1S", "PT0.0005S", "PT24H0.001S", "PT3000000H"})
  void aToolTimeoutOutsideOneMillisecondToADayIsRefusedAtTheBuilder(String value) {
    assertThatThrownBy(() -> Toolbox.builder().toolTimeout(Duration.parse(value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("toolTimeout must be from 1 ms to 24 h, was " + Duration.parse(value));
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT0S", "PT-1S", "PT0.0005S", "PT24H0.001S", "PT3000000H"})
  void aTurnDeadlineOutsideOneMillisecondToADayIsRefusedAtTheBuilder(String value) {
    assertThatThrownBy(() -> Agent.builder().turnDeadline(Duration.parse(value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("turnDeadline must be from 1 ms to 24 h, was " + Duration.parse(value));
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT0.001S", "PT24H"})
  void theEndsOfTheRangeAreAccepted(String value) {
    assertThatCode(() -> Toolbox.builder().toolTimeout(Duration.parse(value)).build())
        .doesNotThrowAnyException();
    assertThatCode(() -> Agent.builder().turnDeadline(Duration.parse(value)))
        .doesNotThrowAnyException();
  }
}
