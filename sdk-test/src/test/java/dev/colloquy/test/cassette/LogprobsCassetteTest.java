package dev.colloquy.test.cassette;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenLogprob;
import dev.colloquy.core.model.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogprobsCassetteTest {

  @TempDir Path dir;

  private static final ChatRequest ASK =
      ChatRequest.of(Message.user("Hi"))
          .withOptions(ChatOptions.builder().temperature(0).logprobs(2).build());

  private static TokenLogprob.Alternative alternative(String token, double logprob) {
    return new TokenLogprob.Alternative(token, logprob, token.getBytes(StandardCharsets.UTF_8));
  }

  /** A model that answers with the given tokens, each with its logprobs. */
  private record TokenModel(List<TokenLogprob> tokens) implements ChatModel {
    @Override
    public ModelCapabilities capabilities() {
      return new ModelCapabilities(64, false, false, false, true, true);
    }

    @Override
    public ChatResponse generate(
        ChatRequest request, StreamListener listener, Cancellation cancellation) {
      StringBuilder text = new StringBuilder();
      for (TokenLogprob token : tokens) {
        listener.onText(token.token());
        text.append(token.token());
      }
      return new ChatResponse(
          AssistantMessage.of(text.toString()),
          FinishReason.STOP,
          new TokenUsage(1, tokens.size()),
          "tokens",
          List.of(),
          tokens);
    }
  }

  @Test
  void logprobsAndTheRequestsLogprobsOptionRoundTripThroughACassette() throws Exception {
    // The second token is half of a two-byte character: its text is U+FFFD, its bytes say more.
    byte[] half = {(byte) 0xc3};
    List<TokenLogprob> tokens =
        List.of(
            new TokenLogprob(
                "Hel",
                -0.125,
                "Hel".getBytes(StandardCharsets.UTF_8),
                List.of(alternative("Hel", -0.125), alternative("Hi", -2.5))),
            new TokenLogprob("\ufffd", -3.0E-7, half, List.of()),
            new TokenLogprob("", 0, new byte[0], List.of()));
    Path file = dir.resolve("logprobs.json");

    ChatResponse live = RecordingChatModel.recording(new TokenModel(tokens), file).chat(ASK);
    ChatResponse replayed = ReplayingChatModel.replaying(file, RequestMatcher.exact()).chat(ASK);

    assertThat(live.logprobs()).isEqualTo(tokens);
    assertThat(replayed.logprobs()).isEqualTo(tokens);
    assertThat(Files.readString(file))
        .contains("\"logprobs\" : 2")
        .contains("\"bytes\" : [ 195 ]")
        .contains("\"topLogprobs\"");
  }

  @Test
  void logprobsThatSpellASecretAreNotSaved() throws Exception {
    List<TokenLogprob> tokens = new ArrayList<>();
    for (String piece : List.of("key ", "sk-0123", "456789abcdef", "XYZ")) {
      tokens.add(new TokenLogprob(piece, -1, piece.getBytes(StandardCharsets.UTF_8), List.of()));
    }
    Path file = dir.resolve("secret.json");

    RecordingChatModel.recording(new TokenModel(tokens), file).chat(ASK);

    String json = Files.readString(file);
    assertThat(json).doesNotContain("sk-0123").doesNotContain("456789abcdef");
    assertThat(json).doesNotContain("\"token\"");
    ChatResponse replayed = ReplayingChatModel.replaying(file, RequestMatcher.exact()).chat(ASK);
    assertThat(replayed.text()).isEqualTo("key [REDACTED]");
    assertThat(replayed.logprobs()).isEmpty();
  }
}
