package dev.colloquy.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.JsonSchema;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.ToolChoice;
import dev.colloquy.core.model.ToolSpecification;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ChatModel} passes: local, remote and scripted alike. Extend it in a
 * backend's tests and return the backend from {@link #model()}.
 *
 * <p>The suite asks for deterministic replies (temperature 0 and a seed) and needs replies of at
 * least a few words to the prompt of {@link #prompt()}; a backend under test must be configured so
 * (a scripted one with a fixed reply, a remote one against a deterministic test server, a local one
 * on a fixed checkpoint).
 */
public abstract class ChatModelContract {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Returns the backend under test; called once per test. */
  protected abstract ChatModel model();

  /** Returns the user prompt the tests send; its reply must hold at least four words. */
  protected String prompt() {
    return "Tell me a short story about a lighthouse keeper.";
  }

  /**
   * Returns whether the backend, asked with {@code toolChoice} naming a tool, reliably calls it. By
   * default, what the backend's capabilities state.
   */
  protected boolean callsToolsOnRequest() {
    return model().capabilities().toolCalling();
  }

  private static ChatOptions deterministic() {
    return ChatOptions.builder().temperature(0).seed(42).maxTokens(48).build();
  }

  private ChatRequest request(ChatOptions options) {
    return new ChatRequest(List.of(Message.user(prompt())), List.of(), options);
  }

  @Test
  void repliesWithTextAndNamesTheModel() {
    ChatResponse response = model().chat(request(deterministic()));

    assertThat(response.text()).isNotBlank();
    assertThat(response.finishReason()).isIn(FinishReason.STOP, FinishReason.LENGTH);
    assertThat(response.modelId()).isNotBlank();
    assertThat(response.message().toolCalls()).isEmpty();
  }

  @Test
  void streamedDeltasJoinToTheBlockingReply() {
    ChatModel model = model();
    ChatResponse blocking = model.chat(request(deterministic()));
    StringBuilder joined = new StringBuilder();
    List<String> deltas = new ArrayList<>();
    StreamListener listener =
        delta -> {
          deltas.add(delta);
          joined.append(delta);
        };

    ChatResponse streamed = model.generate(request(deterministic()), listener, Cancellation.none());

    assertThat(deltas).allSatisfy(delta -> assertThat(delta).isNotEmpty());
    assertThat(joined.toString()).isEqualTo(streamed.text());
    assertThat(streamed.text()).isEqualTo(blocking.text());
    assertThat(streamed.finishReason()).isEqualTo(blocking.finishReason());
  }

  @Test
  void stopSequenceEndsTheReplyBeforeIt() {
    ChatModel model = model();
    String full = model.chat(request(deterministic())).text();
    // Stop on the text starting at the second word, so the reply must end after the first.
    int secondWord = full.indexOf(' ', full.indexOf(full.strip().charAt(0))) + 1;
    assertThat(secondWord).as("the reply needs at least two words: \"%s\"", full).isPositive();
    String stop = full.substring(secondWord, Math.min(full.length(), secondWord + 3));
    ChatOptions options = deterministic().toBuilder().stop(List.of(stop)).build();

    ChatResponse stopped = model.chat(request(options));

    assertThat(stopped.text()).isEqualTo(full.substring(0, full.indexOf(stop)));
    assertThat(stopped.text()).doesNotContain(stop);
    assertThat(stopped.finishReason()).isEqualTo(FinishReason.STOP);
  }

  @Test
  void logprobsComeOnlyWhenAskedWithAtMostTheAlternativesAskedAndChangeNothingElse() {
    ChatModel model = model();
    ChatResponse plain = model.chat(request(deterministic()));
    ChatResponse asked = model.chat(request(deterministic().toBuilder().logprobs(2).build()));

    assertThat(plain.logprobs()).isEmpty();
    assertThat(asked.text()).isEqualTo(plain.text());
    if (!model.capabilities().logprobs()) {
      assertThat(asked.logprobs()).isEmpty();
    }
    assertThat(asked.logprobs())
        .allSatisfy(token -> assertThat(token.topLogprobs()).hasSizeLessThanOrEqualTo(2));
  }

  @Test
  void maxTokensCapsTheReply() {
    ChatOptions options = deterministic().toBuilder().maxTokens(2).build();

    ChatResponse response = model().chat(request(options));

    assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(response.usage().outputTokens()).isBetween(1L, 2L);
  }

  @Test
  void reportsTokenUsage() {
    ChatResponse response = model().chat(request(deterministic()));

    assertThat(response.usage().inputTokens()).isPositive();
    assertThat(response.usage().outputTokens()).isPositive();
  }

  @Test
  void aCancelledSignalStopsTheCallBeforeItStarts() {
    Cancellation cancellation = Cancellation.create();
    cancellation.cancel();
    List<String> deltas = new ArrayList<>();

    assertThatThrownBy(() -> model().generate(request(deterministic()), deltas::add, cancellation))
        .isInstanceOf(CancelledException.class);
    assertThat(deltas).isEmpty();
  }

  @Test
  void cancellingDuringTheStreamStopsIt() {
    Cancellation cancellation = Cancellation.create();
    List<String> deltas = new ArrayList<>();
    StreamListener cancelAfterFirst =
        delta -> {
          if (cancellation.isCancelled()) {
            throw new AssertionError("a delta arrived after cancellation: \"" + delta + "\"");
          }
          deltas.add(delta);
          cancellation.cancel();
        };

    assertThatThrownBy(
            () -> model().generate(request(deterministic()), cancelAfterFirst, cancellation))
        .isInstanceOf(CancelledException.class);
    assertThat(deltas).hasSize(1);
  }

  @Test
  void callsANamedToolWithJsonArgumentsOrRefusesTools() throws Exception {
    JsonSchema schema =
        JsonSchema.parse(
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
                + "\"required\":[\"city\"]}");
    ToolSpecification weather =
        new ToolSpecification("get_weather", "Current weather of a city", schema);
    ChatOptions options =
        deterministic().toBuilder().toolChoice(ToolChoice.tool("get_weather")).build();
    ChatRequest request =
        new ChatRequest(
            List.of(Message.user("What is the weather in Paris?")), List.of(weather), options);
    ChatModel model = model();

    if (!callsToolsOnRequest()) {
      assertThatThrownBy(() -> model.chat(request))
          .isInstanceOf(NonRetryableException.class)
          .hasMessageContaining("tool");
      return;
    }
    List<ToolCall> streamedCalls = new ArrayList<>();
    StreamListener listener =
        new StreamListener() {
          @Override
          public void onText(String delta) {}

          @Override
          public void onToolCall(ToolCall call) {
            streamedCalls.add(call);
          }
        };
    ChatResponse response = model.generate(request, listener, Cancellation.none());

    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(response.message().toolCalls()).isNotEmpty();
    ToolCall call = response.message().toolCalls().get(0);
    assertThat(call.name()).isEqualTo("get_weather");
    JsonNode arguments = JSON.readTree(call.arguments());
    assertThat(arguments.isObject())
        .as("arguments %s are a JSON object", call.arguments())
        .isTrue();
    assertThat(streamedCalls).containsExactlyElementsOf(response.message().toolCalls());
  }
}
