package dev.colloquy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.agent.Reply;
import dev.colloquy.core.agent.Turn;
import dev.colloquy.core.guard.Guard;
import dev.colloquy.core.guard.GuardDecision;
import dev.colloquy.core.guard.PiiRedactor;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.observe.ChatEvent;
import dev.colloquy.core.tool.Tool;
import dev.colloquy.core.tool.ToolCallCheck;
import dev.colloquy.core.tool.ToolCallDecision;
import dev.colloquy.core.tool.ToolParam;
import dev.colloquy.test.ScriptedChatModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ToolCallCheckTest {

  /** Counts lookups, so a test can tell whether a call ran. */
  public static class Orders {
    final List<Integer> looked = new CopyOnWriteArrayList<>();

    @Tool(description = "Status of an order")
    public String orderStatus(@ToolParam(name = "orderId") int orderId) {
      looked.add(orderId);
      return "order " + orderId + " shipped";
    }
  }

  /** Runs a lookup only for a number the user wrote. */
  private static final ToolCallCheck WRITTEN_NUMBER =
      ToolCallCheck.of(
          "written-number",
          round -> {
            for (ToolCall call : round.calls()) {
              String id = call.arguments().replaceAll("\\D", "");
              if (!Pattern.compile("\\b" + id + "\\b").matcher(round.userText()).find()) {
                return ToolCallDecision.answer(
                    "Which order do you mean?", "an order number the user did not write");
              }
            }
            return ToolCallDecision.run();
          });

  private static AssistantMessage lookup(String id, int orderId) {
    return AssistantMessage.ofToolCalls(
        List.of(new ToolCall(id, "orderStatus", "{\"orderId\":" + orderId + "}")));
  }

  @Test
  void anAnsweredRoundRunsNoToolAndEndsTheTurnWithTheAnswer() {
    Orders orders = new Orders();
    List<ChatEvent> events = new CopyOnWriteArrayList<>();
    ScriptedChatModel model =
        ScriptedChatModel.builder().replyMessage(lookup("1", 12345)).reply("unused").build();
    Agent agent =
        Agent.builder()
            .model(model)
            .tools(orders)
            .toolCallCheck(WRITTEN_NUMBER)
            .listener(events::add)
            .build();
    List<String> streamed = new ArrayList<>();

    Reply reply =
        agent.stream(
            "c1",
            "what is 12 times 3?",
            new StreamListener() {
              @Override
              public void onText(String delta) {
                streamed.add(delta);
              }
            });

    assertThat(reply.text()).isEqualTo("Which order do you mean?");
    assertThat(orders.looked).isEmpty();
    assertThat(model.requests()).hasSize(1);
    assertThat(streamed).containsExactly("Which order do you mean?");
    assertThat(agent.memory().messages("c1"))
        .extracting(Message::role, Message::text)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Message.Role.USER, "what is 12 times 3?"),
            org.assertj.core.groups.Tuple.tuple(
                Message.Role.ASSISTANT, "Which order do you mean?"));
    assertThat(events)
        .filteredOn(e -> e instanceof ChatEvent.GuardDecided)
        .containsExactly(
            new ChatEvent.GuardDecided(
                "written-number",
                ChatEvent.GuardDecided.Stage.TOOL_CALLS,
                ChatEvent.GuardDecided.Outcome.BLOCK,
                "an order number the user did not write"));
  }

  @Test
  void aRoundTheCheckLetsThroughRunsAndTheCheckSawTheGuardedText() {
    Orders orders = new Orders();
    List<String> seen = new CopyOnWriteArrayList<>();
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .replyMessage(lookup("1", 12345))
            .reply(request -> "done: " + request.messages().get(2).text())
            .build();
    Agent agent =
        Agent.builder()
            .model(model)
            .tools(orders)
            // The check reads the text the model read: after the input guard's rewrite.
            .inputGuard(Guard.of("upper", t -> GuardDecision.rewrite(t.toUpperCase(), "upper")))
            .toolCallCheck(
                ToolCallCheck.of(
                    "spy",
                    round -> {
                      seen.add(round.userText() + " | " + round.calls().get(0).arguments());
                      return WRITTEN_NUMBER.check(round);
                    }))
            .build();

    String reply = agent.chat("c1", "where is order 12345?");

    assertThat(reply).isEqualTo("done: order 12345 shipped");
    assertThat(orders.looked).containsExactly(12345);
    assertThat(seen).containsExactly("WHERE IS ORDER 12345? | {\"orderId\":12345}");
  }

  @Test
  void aLaterRoundCanBeAnsweredAfterAnEarlierOneRan() {
    Orders orders = new Orders();
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .replyMessage(lookup("1", 12345))
            .replyMessage(lookup("2", 99999))
            .reply("unused")
            .build();
    Agent agent = Agent.builder().model(model).tools(orders).toolCallCheck(WRITTEN_NUMBER).build();

    String reply = agent.chat("c1", "order 12345 please");

    assertThat(reply).isEqualTo("Which order do you mean?");
    assertThat(orders.looked).containsExactly(12345);
    assertThat(agent.memory().messages("c1"))
        .extracting(Message::role)
        .containsExactly(
            Message.Role.USER, Message.Role.ASSISTANT, Message.Role.TOOL, Message.Role.ASSISTANT);
  }

  @Test
  void withRedactionTheCheckSeesRealValuesAndMemoryKeepsPlaceholders() {
    List<String> seen = new CopyOnWriteArrayList<>();
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .replyMessage(
                AssistantMessage.ofToolCalls(
                    List.of(new ToolCall("1", "orderStatus", "{\"orderId\":\"[EMAIL_1]\"}"))))
            .reply("unused")
            .build();
    Agent agent =
        Agent.builder()
            .model(model)
            .tools(new Orders())
            .redaction(PiiRedactor.all())
            .toolCallCheck(
                ToolCallCheck.of(
                    "spy",
                    round -> {
                      seen.add(round.userText() + " | " + round.calls().get(0).arguments());
                      return ToolCallDecision.answer(
                          "I can't look up ada@example.com", "not an order number");
                    }))
            .build();

    String reply = agent.chat("c1", "status of ada@example.com");

    assertThat(seen)
        .containsExactly("status of ada@example.com | {\"orderId\":\"ada@example.com\"}");
    assertThat(reply).isEqualTo("I can't look up ada@example.com");
    assertThat(agent.memory().messages("c1"))
        .extracting(Message::text)
        .containsExactly("status of [EMAIL_1]", "I can't look up [EMAIL_1]");
  }

  @Test
  void theCheckSeesTheConversationBeforeTheTurnWithoutTheSystemPrompt() {
    List<String> seen = new CopyOnWriteArrayList<>();
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .reply("Which order?")
            .replyMessage(lookup("1", 12345))
            .reply("done")
            .build();
    Agent agent =
        Agent.builder()
            .model(model)
            .system("You are the shop.")
            .tools(new Orders())
            .toolCallCheck(
                ToolCallCheck.of(
                    "spy",
                    round -> {
                      round.history().forEach(m -> seen.add(m.role() + ": " + m.text()));
                      seen.add("now: " + round.userText());
                      return ToolCallDecision.run();
                    }))
            .build();

    agent.chat("c1", "where is my order?");
    agent.chat("c1", "12345");

    assertThat(seen)
        .containsExactly("USER: where is my order?", "ASSISTANT: Which order?", "now: 12345");
    assertThat(new ToolCallCheck.Round("a", List.of(), lookup("1", 12345).toolCalls()).toString())
        .doesNotContain("12345");
  }

  @Test
  void aTurnWithoutToolCallsNeverAsksTheCheck() {
    List<String> seen = new CopyOnWriteArrayList<>();
    Agent agent =
        Agent.builder()
            .model(ScriptedChatModel.alwaysReplying("hello"))
            .tools(new Orders())
            .toolCallCheck(
                ToolCallCheck.of(
                    "spy",
                    round -> {
                      seen.add(round.userText());
                      return ToolCallDecision.run();
                    }))
            .build();

    assertThat(agent.run(Turn.of("c1", "hi")).text()).isEqualTo("hello");
    assertThat(seen).isEmpty();
  }

  @Test
  void badDecisionsAndSettingsAreRefusedClearly() {
    assertThatThrownBy(() -> ToolCallDecision.answer(" ", "why"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a tool call check's answer must not be blank");
    assertThatThrownBy(() -> ToolCallDecision.answer("text", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a tool call check's reason must not be blank");
    assertThatThrownBy(() -> ToolCallCheck.of(" ", round -> ToolCallDecision.run()))
        .isInstanceOf(IllegalArgumentException.class);
    Agent.Builder builder = Agent.builder().toolCallCheck(WRITTEN_NUMBER);
    assertThatThrownBy(() -> builder.toolCallCheck(WRITTEN_NUMBER))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("toolCallCheck was already set to ToolCallCheck(written-number)");
    ToolCallCheck nulls = ToolCallCheck.of("nulls", round -> null);
    ToolCallCheck.Round round =
        new ToolCallCheck.Round("x", List.of(), List.of(new ToolCall("1", "orderStatus", "{}")));
    assertThatThrownBy(() -> nulls.check(round))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("tool call check 'nulls' returned null");
  }
}
