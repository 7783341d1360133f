package dev.colloquy.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.message.AssistantMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatResponseTest {

  private static TokenLogprob token(String text, double logprob) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return new TokenLogprob(
        text, logprob, bytes, List.of(new TokenLogprob.Alternative(text, logprob, bytes)));
  }

  @Test
  void aResponseWithoutLogprobsHasAnEmptyList() {
    ChatResponse response =
        new ChatResponse(AssistantMessage.of("hi"), FinishReason.STOP, TokenUsage.ZERO, "m");

    assertThat(response.logprobs()).isEmpty();
    assertThat(response.warnings()).isEmpty();
  }

  @Test
  void logprobsAreCopiedAndSurviveANewModelId() {
    List<TokenLogprob> tokens = new ArrayList<>(List.of(token("hi", -0.5)));
    ChatResponse response =
        new ChatResponse(
            AssistantMessage.of("hi"), FinishReason.STOP, TokenUsage.ZERO, "m", List.of(), tokens);
    tokens.clear();

    assertThat(response.logprobs()).containsExactly(token("hi", -0.5));
    assertThat(response.withModelId("other").logprobs()).isEqualTo(response.logprobs());
    assertThatThrownBy(() -> response.logprobs().add(token("x", 0)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void tokenBytesAreCopiedInAndOutAndCompareByContent() {
    byte[] bytes = {(byte) 0xe2, (byte) 0x82};
    TokenLogprob token = new TokenLogprob("\ufffd", -1.25, bytes, List.of());
    bytes[0] = 0;
    token.bytes()[1] = 0;

    assertThat(token.bytes()).containsExactly((byte) 0xe2, (byte) 0x82);
    assertThat(token).isEqualTo(new TokenLogprob("\ufffd", -1.25, token.bytes(), List.of()));
    assertThat(token.hashCode())
        .isEqualTo(new TokenLogprob("\ufffd", -1.25, token.bytes(), List.of()).hashCode());
    assertThat(token.toString()).contains("bytes=e282");
    assertThat(token.probability()).isEqualTo(Math.exp(-1.25));
  }

  @Test
  void rejectsPositiveOrNanLogprobsAndTooManyAlternatives() {
    assertThatThrownBy(() -> new TokenLogprob("a", 0.1, new byte[0], List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("logprob must be zero or less, was 0.1");
    assertThatThrownBy(() -> new TokenLogprob.Alternative("a", Double.NaN, new byte[0]))
        .hasMessage("logprob must be zero or less, was NaN");
    List<TokenLogprob.Alternative> many =
        Collections.nCopies(21, new TokenLogprob.Alternative("a", -1, new byte[0]));
    assertThatThrownBy(() -> new TokenLogprob("a", -1, new byte[0], many))
        .hasMessage("at most 20 top logprobs are allowed, got 21");
    assertThat(
            new TokenLogprob("a", Double.NEGATIVE_INFINITY, new byte[0], List.of()).probability())
        .isZero();
  }
}
