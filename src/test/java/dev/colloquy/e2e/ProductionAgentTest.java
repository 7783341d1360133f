package dev.colloquy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.agent.BudgetExceededException;
import dev.colloquy.core.agent.Reply;
import dev.colloquy.core.agent.Turn;
import dev.colloquy.core.cost.BudgetAction;
import dev.colloquy.core.cost.BudgetPolicy;
import dev.colloquy.core.cost.CostLedger;
import dev.colloquy.core.cost.ModelPrice;
import dev.colloquy.core.cost.PriceTable;
import dev.colloquy.core.guard.Guard;
import dev.colloquy.core.guard.GuardDecision;
import dev.colloquy.core.guard.Guards;
import dev.colloquy.core.guard.PiiRedactor;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.observe.ChatEvent;
import dev.colloquy.core.observe.ChatListener;
import dev.colloquy.core.observe.MicrometerChatListener;
import dev.colloquy.core.tool.Tool;
import dev.colloquy.core.tool.ToolParam;
import dev.colloquy.test.ScriptedChatModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ProductionAgentTest {

  /** A tool that records the address it was given. */
  public static class Mailer {
    final List<String> sentTo = new CopyOnWriteArrayList<>();

    @Tool(description = "Sends the receipt to an email address")
    public String sendReceipt(@ToolParam(name = "email") String email) {
      sentTo.add(email);
      return "sent to " + email;
    }
  }

  @Test
  void aBlockedInputReturnsTheRefusalWithoutCallingTheModelOrTouchingMemory() {
    ScriptedChatModel model = ScriptedChatModel.alwaysReplying("ok");
    Agent agent =
        Agent.builder()
            .model(model)
            .inputGuard(Guards.blockedTopics("politics", "(?i)\\belection\\b"))
            .refusal("I can only help with your orders.")
            .build();
    agent.chat("c1", "hello");

    Reply reply = agent.run(Turn.of("c1", "Who will win the election?"));

    assertThat(reply.text()).isEqualTo("I can only help with your orders.");
    assertThat(reply.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
    assertThat(reply.messages()).isEmpty();
    assertThat(model.callCount()).isEqualTo(1);
    assertThat(agent.memory().messages("c1"))
        .extracting(Message::text)
        .containsExactly("hello", "ok");
  }

  @Test
  void aBlockedAnswerIsRefusedAndNotCommitted() {
    ScriptedChatModel model = ScriptedChatModel.alwaysReplying("Our admin password is hunter2");
    Agent agent =
        Agent.builder()
            .model(model)
            .outputGuard(
                Guard.of(
                    "no-secrets",
                    text ->
                        text.contains("password")
                            ? GuardDecision.block("mentions a password")
                            : GuardDecision.pass()))
            .build();

    assertThat(agent.chat("c1", "what is the password?"))
        .isEqualTo("Sorry, I can't help with that request.");
    assertThat(agent.memory().messages("c1")).isEmpty();
  }

  @Test
  void redactionShowsTheModelPlaceholdersButGivesToolsAndTheCallerTheRealValue() {
    Mailer mailer = new Mailer();
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .replyMessage(
                AssistantMessage.ofToolCalls(
                    List.of(new ToolCall("1", "sendReceipt", "{\"email\":\"[EMAIL_1]\"}"))))
            .reply("Done, the receipt went to [EMAIL_1].")
            .build();
    Agent agent = Agent.builder().model(model).tools(mailer).redaction(PiiRedactor.all()).build();

    String reply = agent.chat("c1", "Send my receipt to ada@example.com please");

    assertThat(model.requests().get(0).lastUserText())
        .isEqualTo("Send my receipt to [EMAIL_1] please");
    assertThat(mailer.sentTo).containsExactly("ada@example.com");
    assertThat(model.lastRequest().messages().get(2).text()).isEqualTo("sent to [EMAIL_1]");
    assertThat(reply).isEqualTo("Done, the receipt went to ada@example.com.");
    assertThat(agent.memory().messages("c1"))
        .extracting(Message::text)
        .noneMatch(t -> t.contains("ada@example.com"));
  }

  @Test
  void renderShowsTheRedactedTextTheModelWouldSee() {
    ScriptedChatModel model = ScriptedChatModel.alwaysReplying("ok");
    Agent agent = Agent.builder().model(model).redaction(PiiRedactor.all()).build();

    ChatRequest rendered = agent.render("c1", "Mail ada@example.com");
    agent.chat("c1", "Mail ada@example.com");

    assertThat(rendered.lastUserText()).isEqualTo("Mail [EMAIL_1]");
    assertThat(rendered).isEqualTo(model.lastRequest());
  }

  @Test
  void eventsAndMetersAreRecordedForATurnWithAToolCall() {
    List<ChatEvent> events = new CopyOnWriteArrayList<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .replyMessage(
                AssistantMessage.ofToolCalls(
                    List.of(new ToolCall("1", "sendReceipt", "{\"email\":\"a@b.co\"}"))))
            .reply("sent")
            .build();
    Agent agent =
        Agent.builder()
            .model(model)
            .tools(new Mailer())
            .inputGuard(Guards.maxLength(1000))
            .listener(ChatListener.all(events::add, MicrometerChatListener.of(registry)))
            .build();

    agent.chat("c1", "mail it");

    assertThat(events)
        .extracting(e -> e.getClass().getSimpleName())
        .containsExactly(
            "GuardDecided",
            "RequestSent",
            "ResponseReceived",
            "ToolCalled",
            "RequestSent",
            "ResponseReceived");
    assertThat(registry.get("colloquy.model.calls").timer().count()).isEqualTo(2);
    assertThat(registry.get("colloquy.tool.calls").tag("tool", "sendReceipt").timer().count())
        .isEqualTo(1);
    assertThat(registry.get("colloquy.guard.decisions").counter().count()).isEqualTo(1);
  }

  @Test
  void aBudgetStopsAConversationOnceItIsSpent() {
    ScriptedChatModel model =
        ScriptedChatModel.builder().otherwise(request -> "a reply of five words").build();
    PriceTable prices =
        PriceTable.builder().price("scripted", ModelPrice.of("1000000", "1000000")).build();
    CostLedger ledger = CostLedger.of(prices);
    Agent agent =
        Agent.builder()
            .model(model)
            .costs(
                ledger,
                BudgetPolicy.builder()
                    .perConversation(new BigDecimal("5"), BudgetAction.stop())
                    .build())
            .build();

    agent.chat("c1", "first question");
    assertThatThrownBy(() -> agent.chat("c1", "second question"))
        .isInstanceOf(BudgetExceededException.class)
        .hasMessage(
            "conversation 'c1' of tenant 'default': the conversation budget of 5 is used up (spent 7);"
                + " the turn was refused");
    assertThat(agent.chat("c2", "other conversation")).isEqualTo("a reply of five words");
    assertThat(model.callCount()).isEqualTo(2);
  }

  @Test
  void aBudgetCanSwitchToACheaperModel() {
    ScriptedChatModel expensive =
        ScriptedChatModel.builder().modelId("big").otherwise(r -> "big answer here").build();
    ScriptedChatModel cheap =
        ScriptedChatModel.builder().modelId("small").otherwise(r -> "small answer").build();
    PriceTable prices =
        PriceTable.builder()
            .price("big", ModelPrice.of("1000000", "1000000"))
            .price("small", ModelPrice.of("1", "1"))
            .build();
    Agent agent =
        Agent.builder()
            .model(expensive)
            .costs(
                CostLedger.of(prices),
                BudgetPolicy.builder()
                    .perConversation(new BigDecimal("1"), BudgetAction.switchModel("small"))
                    .build())
            .alternativeModel("small", cheap)
            .build();

    assertThat(agent.chat("c1", "one")).isEqualTo("big answer here");
    assertThat(agent.chat("c1", "two")).isEqualTo("small answer");
  }
}
