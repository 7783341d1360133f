package dev.colloquy.core.tool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ToolSessionTest {

  private static List<ToolResultMessage> run(Toolbox toolbox, List<ToolCall> calls) {
    return toolbox
        .session("c1", Cancellation.create(), Long.MAX_VALUE, System::nanoTime)
        .run(calls, execution -> {});
  }

  private static ToolDefinition blocksUntilStopped(String name, CountDownLatch stopped) {
    return ToolDefinition.builder(name)
        .handler(
            (arguments, context) -> {
              try {
                new CountDownLatch(1).await();
                return "never";
              } catch (InterruptedException e) {
                stopped.countDown();
                Thread.currentThread().interrupt();
                return "interrupted";
              }
            })
        .build();
  }

  // Runs past its limit: it waits until the first call was stopped for its timeout, then works on.
  private static ToolDefinition finishesAfterTheFirstIsStopped(
      String name, CountDownLatch firstStopped) {
    return ToolDefinition.builder(name)
        .handler(
            (arguments, context) -> {
              try {
                firstStopped.await();
                Thread.sleep(200);
                return "finished late";
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
              }
            })
        .build();
  }

  @Test
  void parallelCallsEachTimeOutFromTheirOwnStartSoALateCallIsNeverASuccess() {
    CountDownLatch firstStopped = new CountDownLatch(1);
    Toolbox toolbox =
        Toolbox.builder()
            .add(blocksUntilStopped("first", firstStopped))
            .add(finishesAfterTheFirstIsStopped("second", firstStopped))
            .add(finishesAfterTheFirstIsStopped("third", firstStopped))
            .toolTimeout(Duration.ofMillis(500))
            .build();

    List<ToolResultMessage> results =
        run(
            toolbox,
            List.of(
                new ToolCall("a", "first", "{}"),
                new ToolCall("b", "second", "{}"),
                new ToolCall("c", "third", "{}")));

    // Before the fix the second and third calls got a fresh 500 ms each once the turn thread came
    // to them.
    assertThat(results).extracting(ToolResultMessage::toolCallId).containsExactly("a", "b", "c");
    assertThat(results)
        .allSatisfy(
            result -> {
              assertThat(result.error()).isTrue();
              assertThat(result.text())
                  .matches("tool '\\w+' did not finish within 500 ms and was stopped");
            });
  }

  @Test
  void parallelCallsThatAllHangEndTogetherAfterOneTimeout() {
    Duration timeout = Duration.ofMillis(400);
    int calls = 5;
    CountDownLatch stopped = new CountDownLatch(calls);
    Toolbox.Builder builder = Toolbox.builder().toolTimeout(timeout);
    List<ToolCall> toolCalls = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      builder.add(blocksUntilStopped("hang" + i, stopped));
      toolCalls.add(new ToolCall("call-" + i, "hang" + i, "{}"));
    }
    Toolbox toolbox = builder.build();

    long start = System.nanoTime();
    List<ToolResultMessage> results = run(toolbox, toolCalls);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(results).hasSize(calls).allSatisfy(result -> assertThat(result.error()).isTrue());
    // One timeout, not five in a row (2 s before the fix); the margin is two more timeouts.
    assertThat(took).isLessThan(timeout.multipliedBy(3));
    assertThat(awaitQuietly(stopped)).as("every hanging call was interrupted").isTrue();
  }

  @Test
  void anErrorResultObeysTheResultSizeCapLikeASuccess() {
    String huge = "x".repeat(1_000_000);
    Toolbox toolbox =
        Toolbox.builder()
            .add(
                ToolDefinition.builder("explode")
                    .handler(
                        (arguments, context) -> {
                          throw new IllegalStateException(huge);
                        })
                    .build())
            .add(ToolDefinition.builder("talk").handler((arguments, context) -> huge).build())
            .maxResultChars(1_000)
            .build();
    List<ToolExecution> seen = new ArrayList<>();

    List<ToolResultMessage> results =
        toolbox
            .session("c1", Cancellation.create(), Long.MAX_VALUE, System::nanoTime)
            .run(
                List.of(
                    new ToolCall("a", "explode", "{}"),
                    new ToolCall("b", "talk", "{}"),
                    new ToolCall("c", "explode", "{\"" + "y".repeat(40_000) + "\":1}")),
                seen::add);

    assertThat(results).extracting(ToolResultMessage::error).containsExactly(true, false, true);
    assertThat(results).allSatisfy(result -> assertThat(result.text()).hasSizeLessThan(1_100));
    assertThat(results.get(0).text())
        .startsWith("tool 'explode' failed: IllegalStateException: xxx")
        .endsWith("\n[truncated: 1000 of 1000046 characters shown]");
    assertThat(results.get(1).text()).endsWith("\n[truncated: 1000 of 1000000 characters shown]");
    assertThat(results.get(2).text())
        .startsWith("invalid arguments for tool 'explode': $: property '" + "y".repeat(64) + "…'");
    assertThat(seen)
        .extracting(ToolExecution::result)
        .isEqualTo(results.stream().map(ToolResultMessage::text).toList());
  }

  @Test
  void twoHundredThousandUnknownKeysGiveAShortInvalidArgumentsResult() {
    Toolbox toolbox =
        Toolbox.builder()
            .add(
                ToolDefinition.builder("status")
                    .parameters(OrderId.class)
                    .handler((arguments, context) -> "ok")
                    .build())
            .build();
    StringBuilder arguments = new StringBuilder("{\"orderId\":7");
    for (int i = 0; i < 200_000; i++) {
      arguments.append(",\"unknown").append(i).append("\":\"value\"");
    }
    arguments.append('}');

    List<ToolResultMessage> results =
        run(toolbox, List.of(new ToolCall("a", "status", arguments.toString())));

    assertThat(results)
        .singleElement()
        .satisfies(
            result -> {
              assertThat(result.error()).isTrue();
              assertThat(result.text())
                  .isEqualTo(
                      "invalid arguments for tool 'status': $: properties 'unknown0', 'unknown1',"
                          + " 'unknown2', 'unknown3', 'unknown4' and 199995 more are not defined in the schema and the schema does"
                          + " not allow additional properties. The tool did not run; call it again with corrected arguments.");
            });
  }

  record OrderId(int orderId) {}

  @Test
  void anApprovalIsNeverAskedAboutArgumentsThatReadTwoWaysAndTheToolDoesNotRun() {
    List<String> asked = new ArrayList<>();
    List<Integer> refunded = new ArrayList<>();
    Toolbox toolbox =
        Toolbox.builder()
            .add(
                ToolDefinition.builder("refund")
                    .parameters(OrderId.class)
                    .requiresApproval(true)
                    .handler(
                        (arguments, context) -> refunded.add(arguments.as(OrderId.class).orderId()))
                    .build())
            .approval((call, context) -> asked.add(call.arguments()))
            .build();

    List<ToolResultMessage> results =
        run(
            toolbox,
            List.of(
                new ToolCall("a", "refund", "{\"orderId\":1,\"orderId\":666}"),
                new ToolCall("b", "refund", "{\"orderId\":1}{\"orderId\":666}"),
                new ToolCall("c", "refund", "{\"orderId\":1e400}")));

    assertThat(results)
        .allSatisfy(
            result -> {
              assertThat(result.error()).isTrue();
              assertThat(result.text()).startsWith("invalid arguments for tool 'refund': ");
            });
    assertThat(asked).isEmpty();
    assertThat(refunded).isEmpty();
  }

  private static boolean awaitQuietly(CountDownLatch latch) {
    try {
      return latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
