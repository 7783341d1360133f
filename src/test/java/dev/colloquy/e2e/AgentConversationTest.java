package dev.colloquy.e2e;

import static dev.colloquy.test.ColloquyAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.RetryableException;
import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.agent.Reply;
import dev.colloquy.core.agent.Turn;
import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.prompt.TemplateException;
import dev.colloquy.test.ScriptedChatModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConversationTest {

  private static ScriptedChatModel echo() {
    return ScriptedChatModel.builder()
        .otherwise(request -> "echo: " + request.lastUserText())
        .build();
  }

  @Test
  void remembersEarlierTurnsOfTheSameConversationOnly() {
    ScriptedChatModel model = echo();
    Agent agent =
        Agent.builder()
            .model(model)
            .system("You help {{shop}} customers.")
            .variable("shop", "Acme")
            .build();

    agent.chat("alice", "Hi, I'm Alice");
    agent.chat("bob", "Hi, I'm Bob");
    String reply = agent.chat("alice", "Who am I?");

    assertThat(reply).isEqualTo("echo: Who am I?");
    assertThat(model.lastRequest())
        .hasSystemPrompt("You help Acme customers.")
        .hasMessageTexts(
            "You help Acme customers.", "Hi, I'm Alice", "echo: Hi, I'm Alice", "Who am I?");
  }

  @Test
  void perCallVariablesOverrideDefaults() {
    ScriptedChatModel model = echo();
    Agent agent =
        Agent.builder()
            .model(model)
            .system("Shop: {{shop}}, customer: {{customer}}")
            .variable("shop", "Acme")
            .expectVariables("customer")
            .build();

    agent.chat("c1", "hello", Map.of("customer", "Ada", "shop", "Acme Berlin"));

    assertThat(model.lastRequest()).hasSystemPrompt("Shop: Acme Berlin, customer: Ada");
  }

  @Test
  void aPromptVariableWithoutValueFailsAtBuildTime() {
    Agent.Builder builder = Agent.builder().model(echo()).system("Welcome to {{shop}}");

    assertThatThrownBy(builder::build)
        .isInstanceOf(TemplateException.class)
        .hasMessage("system prompt:1:12: no value for variable 'shop'");
  }

  @Test
  void anExpectedVariableMissingAtCallTimeFailsBeforeTheModelIsCalled() {
    ScriptedChatModel model = echo();
    Agent agent =
        Agent.builder()
            .model(model)
            .system("Hello {{customer}}")
            .expectVariables("customer")
            .build();

    assertThatThrownBy(() -> agent.chat("c1", "hi"))
        .isInstanceOf(TemplateException.class)
        .hasMessage("system prompt:1:7: no value for variable 'customer'");
    assertThat(model.callCount()).isZero();
    assertThat(agent.memory().messages("c1")).isEmpty();
  }

  @Test
  void renderShowsTheExactRequestWithoutSendingIt() {
    ScriptedChatModel model = echo();
    ChatOptions options = ChatOptions.builder().temperature(0.3).build();
    Agent agent = Agent.builder().model(model).system("Be kind.").options(options).build();
    agent.chat("c1", "first");

    ChatRequest rendered = agent.render("c1", "second");
    agent.chat("c1", "second");

    assertThat(rendered).isEqualTo(model.lastRequest());
    assertThat(rendered)
        .hasTemperature(0.3)
        .hasRoles(
            Message.Role.SYSTEM, Message.Role.USER, Message.Role.ASSISTANT, Message.Role.USER);
    assertThat(model.callCount()).isEqualTo(2);
  }

  @Test
  void streamsTheReplyAndCommitsTheWholeTurn() {
    ScriptedChatModel model =
        ScriptedChatModel.builder().reply("Your order ships today.").chunkSize(5).build();
    Agent agent = Agent.builder().model(model).build();
    List<String> deltas = new ArrayList<>();

    Reply reply = agent.stream("c1", "Where is my order?", deltas::add);

    assertThat(String.join("", deltas)).isEqualTo("Your order ships today.");
    assertThat(deltas).hasSizeGreaterThan(1);
    assertThat(reply)
        .hasText("Your order ships today.")
        .addedRoles(Message.Role.USER, Message.Role.ASSISTANT);
    assertThat(agent.memory().messages("c1")).containsExactlyElementsOf(reply.messages());
  }

  @Test
  void aFailedTurnLeavesMemoryAsItWas() {
    ScriptedChatModel model =
        ScriptedChatModel.builder()
            .failOnCall(
                5, () -> new RetryableException("503 Service Unavailable from scripted backend"))
            .otherwise(request -> "answer to " + request.lastUserText())
            .build();
    Agent agent = Agent.builder().model(model).memory(ChatMemory.window(100)).build();

    List<String> failures = new ArrayList<>();
    for (int turn = 1; turn <= 8; turn++) {
      try {
        agent.chat("c1", "question " + turn);
      } catch (RetryableException e) {
        failures.add("turn " + turn + ": " + e.getMessage());
        break;
      }
    }

    assertThat(failures).containsExactly("turn 5: 503 Service Unavailable from scripted backend");
    List<String> expected = new ArrayList<>();
    for (int turn = 1; turn <= 4; turn++) {
      expected.add("question " + turn);
      expected.add("answer to question " + turn);
    }
    assertThat(agent.memory().messages("c1"))
        .extracting(Message::text)
        .containsExactlyElementsOf(expected);
  }

  @Test
  void aTurnCancelledMidStreamCommitsNothing() {
    ScriptedChatModel model =
        ScriptedChatModel.builder().reply("a long reply in many chunks").chunkSize(2).build();
    Agent agent = Agent.builder().model(model).build();
    Cancellation cancellation = Cancellation.create();
    Turn turn =
        Turn.of("c1", "hi")
            .withCancellation(cancellation)
            .withListener(delta -> cancellation.cancel());

    assertThatThrownBy(() -> agent.run(turn)).isInstanceOf(CancelledException.class);
    assertThat(agent.memory().messages("c1")).isEmpty();
  }

  @Test
  void aToolCallWithoutToolsIsRejectedAndNotCommitted() {
    ScriptedChatModel model = ScriptedChatModel.builder().replyToolCall("refund", "{}").build();
    Agent agent = Agent.builder().model(model).build();

    assertThatThrownBy(() -> agent.chat("c1", "refund me"))
        .isInstanceOf(NonRetryableException.class)
        .hasMessage("the model asked for tool 'refund', but this agent offers no tools");
    assertThat(agent.memory().messages("c1")).isEmpty();
  }

  @Test
  void badInputIsRejectedWithTheFieldNamed() {
    Agent agent = Agent.builder().model(echo()).build();

    assertThatThrownBy(() -> agent.chat("", "hi"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("conversationId must not be blank");
    assertThatThrownBy(() -> agent.chat("c1", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the user's text must not be empty");
    assertThatThrownBy(() -> agent.chat(null, "hi"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("conversationId");
    assertThatThrownBy(() -> Agent.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("model is required: call model(...) before build()");
    assertThatThrownBy(() -> Agent.builder().model(echo()).model(echo()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("model was already set to ");
  }
}
