package dev.colloquy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.agent.StructuredOutputException;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.ResponseFormat;
import dev.colloquy.test.ScriptedChatModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class StructuredOutputTest {

  enum Intent {
    ORDER_STATUS,
    REFUND,
    OTHER
  }

  record Triage(Intent intent, int orderId, List<String> tags) {}

  @Test
  void aReplyThatFailsIsReaskedWithTheErrorAndTheSecondParses() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .reply("```json\n{\"intent\": \"ORDER_STATUS\", \"tags\": []}\n```")
            .reply(
                "```json\n{\"intent\": \"ORDER_STATUS\", \"orderId\": 1001, \"tags\": [\"late\"]}\n```")
            .build();
    Agent agent = Agent.builder().model(model).system("You triage support mail.").build();

    Triage triage = agent.chat("c1", "Where is order 1001? It is late.", Triage.class);

    assertThat(triage).isEqualTo(new Triage(Intent.ORDER_STATUS, 1001, List.of("late")));
    assertThat(model.requests().get(0).options().responseFormat())
        .isInstanceOf(ResponseFormat.JsonSchema.class);
    assertThat(model.requests().get(0).messages().get(0).text())
        .startsWith("You triage support mail.\n\nReply with only a JSON object");
    assertThat(model.lastRequest().lastUserText())
        .isEqualTo(
            "Your last reply could not be used: the JSON does not fit"
                + " the schema: $: required property 'orderId' not found. Reply again with only the JSON object.");
    // Memory keeps the question and the accepted answer only, not the re-ask.
    assertThat(agent.memory().messages("c1"))
        .extracting(Message::text)
        .containsExactly(
            "Where is order 1001? It is late.",
            "```json\n{\"intent\": \"ORDER_STATUS\", \"orderId\": 1001, \"tags\": [\"late\"]}\n```");
  }

  @Test
  void aBackendWithoutJsonModesGetsTheInstructionOnly() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .capabilities(new ModelCapabilities(2048, false, false, false, true))
            .reply("{\"intent\":\"OTHER\",\"orderId\":0,\"tags\":[]}")
            .build();
    Agent agent = Agent.builder().model(model).build();

    Triage triage = agent.chat("c1", "Hello", Triage.class);

    assertThat(triage.intent()).isEqualTo(Intent.OTHER);
    assertThat(model.lastRequest().options().responseFormat()).isEqualTo(ResponseFormat.text());
    assertThat(model.lastRequest().messages().get(0).text())
        .startsWith("Reply with only a JSON object");
  }

  @Test
  void afterTheRetriesTheRawTextIsAttachedAndNothingIsCommitted() {
    ScriptedChatModel model =
        ScriptedChatModel.builder().otherwise(request -> "I think it is a refund.").build();
    Agent agent = Agent.builder().model(model).structuredOutputRetries(1).build();

    assertThatThrownBy(() -> agent.chat("c1", "Money back please", Triage.class))
        .isInstanceOf(StructuredOutputException.class)
        .hasMessageStartingWith(
            "the reply could not be read as Triage after 2 attempts: the reply is not valid JSON: ")
        .satisfies(
            e ->
                assertThat(((StructuredOutputException) e).rawText())
                    .isEqualTo("I think it is a refund."));
    assertThat(model.callCount()).isEqualTo(2);
    assertThat(agent.memory().messages("c1")).isEmpty();
  }
}
