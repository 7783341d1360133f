package dev.colloquy.examples.testing;

import static dev.colloquy.test.ColloquyAssertions.assertThat;
import static dev.colloquy.test.ColloquyAssertions.assertThatMemory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.RetryableException;
import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.agent.Reply;
import dev.colloquy.core.agent.Turn;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.test.FakeClock;
import dev.colloquy.test.ScriptedChatModel;
import dev.colloquy.test.ScriptedReply;
import dev.colloquy.test.cassette.CassetteMode;
import dev.colloquy.test.cassette.Cassettes;
import dev.colloquy.test.cassette.RequestMatcher;
import dev.colloquy.test.eval.Check;
import dev.colloquy.test.eval.EvalCase;
import dev.colloquy.test.eval.EvalReport;
import dev.colloquy.test.eval.Evaluation;
import dev.colloquy.test.junit.ColloquyTest;
import dev.colloquy.test.junit.TestModels;
import dev.colloquy.test.script.ConversationScript;
import dev.colloquy.test.script.ConversationTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests of the quick start's support agent with every part of colloquy-test: scripted backends, the
 * JUnit extension, assertions, record and replay, conversation scripts and evaluations.
 */
@ColloquyTest
class SupportAgentTest {

  private static ScriptedChatModel.Builder shopModel() {
    return ScriptedChatModel.builder()
        .whenUserMatches("(?i)my name is (\\w+)", "Nice to meet you! How can I help?")
        .whenUserMatches("(?i)hours", "We are open 9am to 5pm, Monday to Saturday.")
        .rule(
            "orders as JSON",
            10,
            r -> r.lastUserText().contains("JSON"),
            r ->
                ScriptedReply.text("{\"orderId\": 1001, \"status\": \"shipped\"}")
                    .withUsage(30, 12));
  }

  private static Agent supportAgent(ChatModel model) {
    return Agent.builder()
        .model(model)
        .system("You are the assistant of {{shop}}. Be brief.")
        .variable("shop", "Acme Books")
        .build();
  }

  @Test
  void theAgentSendsItsSystemPromptAndRemembersTheConversation(TestModels models) {
    ScriptedChatModel scripted = shopModel().strict().build();
    Agent agent = supportAgent(models.capture(scripted, "shop"));

    agent.chat("ada", "Hi, my name is Ada.");
    Reply reply = agent.run(Turn.of("ada", "Order 1001 as JSON please"));

    assertThat(reply)
        .hasJsonShape("{\"orderId\": \"integer\", \"status\": \"string\"}")
        .hasUsage(30, 12);
    assertThat(scripted.lastRequest())
        .hasSystemPrompt("You are the assistant of Acme Books. Be brief.")
        .offersNoTools();
    assertThatMemory(agent.memory(), "ada").hasSize(4).containsMessage(Message.Role.USER, "Ada");
    assertThat(models.transcript()).hasCallCount(2).usedAtMostTokens(100);
  }

  @Test
  void anUnscriptedQuestionFailsTheTestShowingWhatWasAsked() {
    Agent agent = supportAgent(shopModel().strict().build());

    assertThatThrownBy(() -> agent.chat("bob", "Do you sell maps?"))
        .isExactlyInstanceOf(AssertionError.class)
        .hasMessageContaining("user: Do you sell maps?")
        .hasMessageContaining("orders as JSON (priority 10)");
  }

  @Test
  void aRateLimitedCallFailsTheTurnAndLeavesMemoryUntouched() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .reply(ScriptedReply.rateLimited(Duration.ofSeconds(3)))
            .reply("Hello again!")
            .build();
    Agent agent = supportAgent(model);

    assertThatThrownBy(() -> agent.chat("c1", "hello")).isInstanceOf(RetryableException.class);
    assertThatMemory(agent.memory(), "c1").isEmpty();
    assertThat(agent.chat("c1", "hello")).isEqualTo("Hello again!");
    model.assertScriptConsumed();
  }

  @Test
  void streamedChunksArriveWithScriptedDelaysOnAFakeClock() {
    FakeClock clock = FakeClock.create();
    Agent agent =
        supportAgent(
            ScriptedChatModel.builder()
                .sleeper(clock)
                .reply(
                    ScriptedReply.chunks("We ", "ship ", "today.")
                        .withChunkDelay(Duration.ofSeconds(1)))
                .build());
    List<String> chunks = new ArrayList<>();

    agent.stream("c1", "When do you ship?", chunks::add);

    assertThat(chunks).containsExactly("We ", "ship ", "today.");
    assertThat(clock.totalSlept()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void aToolCallIsCheckedByNameAndArgument(TestModels models) {
    ChatModel model =
        models.capture(
            ScriptedChatModel.builder()
                .reply(
                    ScriptedReply.toolCall("refund", "{\"orderId\": 1001, \"reason\": \"late\"}"))
                .build(),
            "shop");

    model.chat(ChatRequest.of(Message.user("Refund order 1001, it is late")));

    assertThat(models.transcript())
        .calledTool("refund")
        .withArgument("orderId", 1001)
        .withArgument("reason", "late");
  }

  @Test
  void aRecordedConversationReplaysWithoutTheLiveModel(@TempDir Path dir) {
    Path cassette = dir.resolve("SupportAgentTest/hours.json");
    Agent recording =
        supportAgent(
            Cassettes.model(
                cassette,
                CassetteMode.RECORD_WHEN_MISSING,
                RequestMatcher.exact(),
                () -> shopModel().build()));
    String live = recording.chat("c1", "What are your hours?");

    Agent replaying =
        supportAgent(
            Cassettes.model(
                cassette,
                CassetteMode.REPLAY,
                RequestMatcher.exact(),
                () -> {
                  throw new AssertionError("replay must not build the live model");
                }));

    assertThat(Files.exists(cassette)).isTrue();
    assertThat(replaying.chat("c1", "What are your hours?")).isEqualTo(live);
  }

  @TestFactory
  Stream<DynamicTest> theConversationScriptPasses() {
    return ConversationScript.parse(
            "support.chat",
            """
        conversation "introductions"
        user: Hi, my name is Ada.
          expect contains "Nice to meet you"
        user: What are your hours?
          expect matches /\\d+am to \\d+pm/
          expect not contains "closed"

        conversation "order status"
        user: Order 1001 as JSON please
          expect json {"orderId": "integer", "status": "string"}
        """)
        .dynamicTests(ConversationTarget.of(supportAgent(shopModel().build())));
  }

  @Test
  void theEvaluationPassesEveryCase(@TempDir Path dir) {
    EvalReport report =
        Evaluation.named("support agent")
            .run(
                ConversationTarget.of(supportAgent(shopModel().build())),
                List.of(
                    EvalCase.of(
                        "hours",
                        "What are your hours?",
                        Check.contains("9am"),
                        Check.matches("Monday")),
                    EvalCase.of(
                        "status",
                        "Order 1001 as JSON",
                        Check.jsonSchema(
                            "{\"type\": \"object\", \"required\": [\"orderId\"], \"properties\": {\"orderId\": {\"type\": \"integer\"}}}")),
                    EvalCase.of(
                        "judged",
                        "What are your hours?",
                        Check.judge(
                            ScriptedChatModel.alwaysReplying("PASS\nClear hours."),
                            "gives the opening hours"))));

    report.writeTo(dir);

    report.assertPassRateAtLeast(1.0);
    assertThat(dir.resolve("evaluation.md")).content().contains("Pass rate: 100.0% (3 of 3 cases)");
  }
}
