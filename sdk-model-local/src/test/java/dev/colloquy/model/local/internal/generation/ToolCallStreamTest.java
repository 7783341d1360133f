package dev.colloquy.model.local.internal.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.message.ToolCall;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolCallStreamTest {

  private final List<String> deltas = new ArrayList<>();
  private final List<ToolCall> calls = new ArrayList<>();
  private final ToolCallStream stream = new ToolCallStream(3, deltas::add, calls::add);

  @Test
  void parsesACallSplitAcrossDeltasWithoutLeakingItsSyntaxAsText() {
    for (String piece : List.of("[", "ca", "ll order", "Status {\"order", "Id\":10", "234}", "]")) {
      stream.accept(piece);
    }
    stream.finish();

    assertThat(deltas).isEmpty();
    assertThat(calls).containsExactly(new ToolCall("call_3", "orderStatus", "{\"orderId\":10234}"));
    assertThat(stream.text()).isEmpty();
  }

  @Test
  void passesTextOnAndHoldsBackOnlyWhatCouldStartACall() {
    stream.accept("Hello [c");
    assertThat(String.join("", deltas)).isEqualTo("Hello ");
    stream.accept("at]");
    stream.finish();

    assertThat(String.join("", deltas)).isEqualTo("Hello [cat]");
    assertThat(calls).isEmpty();
  }

  @Test
  void keepsBracesAndBracketsInsideJsonStrings() {
    stream.accept("[call note {\"text\":\"a } ] \\\" b\"}] Done.");
    stream.finish();

    assertThat(calls)
        .extracting(ToolCall::arguments)
        .containsExactly("{\"text\":\"a } ] \\\" b\"}");
    assertThat(deltas).containsExactly("Done.");
  }

  @Test
  void readsTwoCallsInARowWithFreshIds() {
    stream.accept("[call a {}] [call b {\"x\":1}]");
    stream.finish();

    assertThat(calls).extracting(ToolCall::id).containsExactly("call_3", "call_4");
    assertThat(calls).extracting(ToolCall::name).containsExactly("a", "b");
  }

  @Test
  void dropsAnUnfinishedCallWithAWarningInsteadOfPrintingIt() {
    stream.accept("[call orderStatus {\"orderId\":1");
    stream.finish();

    assertThat(deltas).isEmpty();
    assertThat(calls).isEmpty();
    assertThat(stream.warnings()).singleElement().asString().contains("did not finish");
  }

  @Test
  void treatsMalformedCallSyntaxAsText() {
    stream.accept("[call !bad] ok");
    stream.finish();

    assertThat(String.join("", deltas)).isEqualTo("[call !bad] ok");
    assertThat(calls).isEmpty();
  }
}
