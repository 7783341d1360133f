package dev.colloquy.test.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.test.ScriptedChatModel;
import dev.colloquy.test.ScriptedReply;
import dev.colloquy.test.script.ConversationTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationTest {

  private static final String ORDER_SCHEMA =
      """
      {"type": "object", "required": ["orderId", "status"],
       "properties": {"orderId": {"type": "integer"}, "status": {"enum": ["shipped", "late"]}}}""";

  private static Agent agent() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .whenUserMatches("hours", "We are open 9am to 5pm.")
            .whenUserMatches("status", "{\"orderId\": 1001, \"status\": \"lost\"}")
            .whenUserMatches("busy", ScriptedReply.rateLimited(Duration.ofSeconds(1)))
            .build();
    return Agent.builder().model(model).build();
  }

  private static EvalReport run(Check judgeCheck) {
    return Evaluation.named("support agent")
        .run(
            ConversationTarget.of(agent()),
            List.of(
                EvalCase.of(
                    "hours",
                    "What are your hours?",
                    Check.contains("9am"),
                    Check.matches("\\d+pm"),
                    judgeCheck),
                EvalCase.of("status", "status of 1001", Check.jsonSchema(ORDER_SCHEMA)),
                EvalCase.of("busy", "busy?", Check.contains("x"))));
  }

  @Test
  void scoresEachCaseAndReportsThePassRateInMarkdown() {
    ScriptedChatModel judge = ScriptedChatModel.alwaysReplying("PASS\nIt gives the hours.");

    EvalReport report = run(Check.judge(judge, "states the opening hours"));

    assertThat(report.passRate()).isEqualTo(1.0 / 3);
    assertThat(report.toMarkdown())
        .isEqualTo(
            """
        # Evaluation: support agent

        Pass rate: 33.3% (1 of 3 cases)

        | Case | Result | Failed checks |
        |---|---|---|
        | hours | PASS |  |
        | status | FAIL | matches JSON schema: the reply does not fit the schema: /status: does not have a value in the enumeration ["shipped", "late"] |
        | busy | FAIL | turn: the turn failed: 429 Too Many Requests (scripted): retry after PT1S |
        """);
    assertThat(judge.lastRequest().lastUserText())
        .contains("Rubric: states the opening hours", "Assistant: We are open 9am to 5pm.");
  }

  @Test
  void aJudgeThatSaysFailFailsTheCaseWithItsReason() {
    EvalReport report =
        run(
            Check.judge(
                ScriptedChatModel.alwaysReplying("FAIL\nNo hours given."), "states the hours"));

    assertThat(report.cases().get(0).checks().get(2))
        .isEqualTo(
            new EvalReport.CheckResult(
                "judge: states the hours", false, "the judge said: FAIL No hours given."));
  }

  @Test
  void writesMarkdownAndJsonReportsAndEnforcesAThreshold(@TempDir Path dir) throws Exception {
    EvalReport report = run(Check.calledTool("lookup"));

    report.writeTo(dir);

    assertThat(Files.readString(dir.resolve("evaluation.md"))).isEqualTo(report.toMarkdown());
    assertThat(Files.readString(dir.resolve("evaluation.json")))
        .startsWith(
            "{\n  \"title\" : \"support agent\",\n  \"passRate\" : 0.0,\n  \"passed\" : 0,\n  \"total\" : 3,")
        .contains("\"detail\" : \"the turn called no tool\"");
    assertThatThrownBy(() -> report.assertPassRateAtLeast(0.5))
        .hasMessageStartingWith(
            "pass rate 0.0% is below the required 50.0%\n# Evaluation: support agent");
  }

  @Test
  void casesNeedANameAndAtLeastOneCheck() {
    assertThatThrownBy(() -> EvalCase.of("empty", "hi"))
        .hasMessage("evaluation case 'empty' has no check");
    assertThatThrownBy(() -> Check.jsonSchema("{not json"))
        .hasMessage("the JSON schema is not valid JSON: {not json");
  }
}
