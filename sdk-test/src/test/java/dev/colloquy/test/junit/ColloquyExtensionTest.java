package dev.colloquy.test.junit;

import static dev.colloquy.test.ColloquyAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.test.ScriptedChatModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

@ColloquyTest
class ColloquyExtensionTest {

  private static final String TRANSCRIPT =
      """
      Colloquy transcript of FailingConversation.greetsByName() (2 model calls):
      --- call #1 to support ---
        system: Greet the customer.
        user: I am Ada
        options: ChatOptions{}
        => assistant: Hello!
           finish: STOP, usage: 6 in / 1 out
      --- call #2 to support ---
        system: Greet the customer.
        user: I am Ada
        assistant: Hello!
        user: Say my name
        options: ChatOptions{}
        => assistant: Hello, customer.
           finish: STOP, usage: 10 in / 2 out
      """;

  /** Run only through the test kit below: it fails on purpose. */
  @ColloquyTest
  static class FailingConversation {
    @Test
    void greetsByName(TestModels models) {
      ChatModel model =
          models.capture(
              ScriptedChatModel.builder().reply("Hello!").reply("Hello, customer.").build(),
              "support");
      Agent agent = Agent.builder().model(model).system("Greet the customer.").build();
      agent.chat("c1", "I am Ada");

      assertThat(agent.chat("c1", "Say my name")).contains("Ada");
    }
  }

  @Test
  void aFailingTestPrintsItsTranscriptAndAttachesItToTheFailure() {
    PrintStream original = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Events events;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      events =
          EngineTestKit.engine("junit-jupiter")
              .selectors(selectClass(FailingConversation.class))
              .execute()
              .testEvents();
    } finally {
      System.setOut(original);
    }

    assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo(TRANSCRIPT);
    events.assertStatistics(stats -> stats.failed(1));
    Throwable failure =
        events
            .failed()
            .list()
            .get(0)
            .getPayload(org.junit.platform.engine.TestExecutionResult.class)
            .orElseThrow()
            .getThrowable()
            .orElseThrow();
    assertThat(failure.getSuppressed())
        .singleElement()
        .isInstanceOf(TranscriptOfFailedTest.class)
        .extracting(Throwable::getMessage)
        .isEqualTo(TRANSCRIPT);
  }

  @Test
  void eachTestGetsItsOwnCassetteFileAndTranscript(TestModels models) {
    ChatModel model = models.capture(ScriptedChatModel.alwaysReplying("hi"), "scripted");
    model.chat(
        dev.colloquy.core.model.ChatRequest.of(dev.colloquy.core.message.Message.user("hello")));

    assertThat(models.cassetteFile())
        .isEqualTo(
            Path.of(
                "src/test/resources/cassettes/ColloquyExtensionTest/eachTestGetsItsOwnCassetteFileAndTranscript.json"));
    assertThat(models.transcript()).hasCallCount(1).lastRequest().hasLastUserText("hello");
  }
}
