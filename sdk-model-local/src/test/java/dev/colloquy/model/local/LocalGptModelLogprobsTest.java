package dev.colloquy.model.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.TokenLogprob;
import dev.colloquy.model.local.fixture.Gpt2TokenizerJson;
import dev.colloquy.model.local.fixture.RandomDecoderCheckpoint;
import dev.colloquy.model.local.fixture.ReferenceDecoder;
import dev.colloquy.model.local.fixture.ReferenceGpt2;
import dev.colloquy.model.local.fixture.TinyModels;
import dev.colloquy.model.local.internal.checkpoint.CheckpointReader;
import dev.colloquy.model.local.internal.checkpoint.GptWeights;
import dev.colloquy.model.local.internal.tokenizer.BpeTokenizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Logprobs of the local model against an independent log-softmax of the logits of the naive
 * reference forward pass ({@link ReferenceGpt2}), on the random tiny GPT-2 checkpoint.
 */
class LocalGptModelLogprobsTest {

  private static final int END_OF_TEXT = 50256;

  private static LocalGptModel model;
  private static BpeTokenizer tokenizer;
  private static ReferenceGpt2 reference;

  @BeforeAll
  static void load() {
    // DialoGPT's format makes the prompt easy to rebuild here: the text, then end-of-text.
    model =
        LocalGptModel.builder(TinyModels.tiny())
            .device(LocalDevice.cpu())
            .backend(ComputeBackend.JAVA)
            .chatFormat(ChatFormat.dialoGpt())
            .build();
    tokenizer = BpeTokenizer.fromModelDirectory(TinyModels.tiny());
    GptWeights weights = CheckpointReader.read(TinyModels.tiny());
    reference = new ReferenceGpt2(weights);
  }

  @AfterAll
  static void close() {
    model.close();
    tokenizer.close();
  }

  private static ChatResponse ask(String text, ChatOptions options) {
    return model.chat(ChatRequest.of(Message.user(text)).withOptions(options));
  }

  private static int[] prompt(String text) {
    int[] ids = tokenizer.encode(text);
    int[] prompt = Arrays.copyOf(ids, ids.length + 1);
    prompt[ids.length] = END_OF_TEXT;
    return prompt;
  }

  /** log-softmax of the reference's last-position logits, in double precision. */
  private static double[] referenceLogprobs(int[] tokens) {
    return logSoftmax(reference.logits(tokens));
  }

  /** log-softmax of the last position of {@code all}: [positions, vocab]. */
  private static double[] logSoftmax(double[][] all) {
    double[] logits = all[all.length - 1];
    double max = Arrays.stream(logits).max().orElseThrow();
    double sum = 0;
    for (double logit : logits) {
      sum += Math.exp(logit - max);
    }
    double normalizer = max + Math.log(sum);
    double[] logprobs = new double[logits.length];
    for (int v = 0; v < logits.length; v++) {
      logprobs[v] = logits[v] - normalizer;
    }
    return logprobs;
  }

  /** Ids by descending logprob, ties toward the lower id. */
  private static List<Integer> ranked(double[] logprobs, int count) {
    List<Integer> ids = new ArrayList<>();
    for (int v = 0; v < logprobs.length; v++) {
      ids.add(v);
    }
    ids.sort(
        (a, b) -> logprobs[a] != logprobs[b] ? Double.compare(logprobs[b], logprobs[a]) : a - b);
    return ids.subList(0, count);
  }

  @Test
  void greedyLogprobsEqualAnIndependentLogSoftmaxOfTheReferenceLogits() {
    ChatResponse response =
        ask("hello world", ChatOptions.builder().temperature(0).maxTokens(6).logprobs(5).build());

    int[] tokens = prompt("hello world");
    List<TokenLogprob> entries = response.logprobs();
    assertThat(entries).isNotEmpty();
    for (TokenLogprob entry : entries) {
      double[] expected = referenceLogprobs(tokens);
      List<Integer> best = ranked(expected, 5);
      int chosen = best.get(0); // greedy
      assertThat(chosen).as("greedy never lists end-of-text").isNotEqualTo(END_OF_TEXT);
      assertThat(entry.bytes()).isEqualTo(tokenizer.bytes(chosen));
      assertThat(entry.token())
          .isEqualTo(new String(tokenizer.bytes(chosen), StandardCharsets.UTF_8));
      assertThat(entry.logprob()).isCloseTo(expected[chosen], within(1e-4));
      assertThat(entry.topLogprobs()).hasSize(5);
      for (int i = 0; i < 5; i++) {
        TokenLogprob.Alternative alternative = entry.topLogprobs().get(i);
        assertThat(alternative.bytes()).isEqualTo(tokenizer.bytes(best.get(i)));
        assertThat(alternative.logprob()).isCloseTo(expected[best.get(i)], within(1e-4));
      }
      tokens = Arrays.copyOf(tokens, tokens.length + 1);
      tokens[tokens.length - 1] = chosen;
    }
    if (entries.size() < response.usage().outputTokens()) {
      // The end-of-text token counts as generated but is not listed.
      assertThat(entries).hasSize((int) response.usage().outputTokens() - 1);
      assertThat(ranked(referenceLogprobs(tokens), 1)).containsExactly(END_OF_TEXT);
    } else {
      assertThat(entries).hasSize((int) response.usage().outputTokens());
    }
  }

  @Test
  void theTopListIsSortedHoldsTheGreedyChoiceAndItsProbabilitiesSumToAtMostOne() {
    ChatResponse response =
        ask(
            "where is my order",
            ChatOptions.builder().temperature(0).maxTokens(5).logprobs(20).build());

    for (TokenLogprob entry : response.logprobs()) {
      List<TokenLogprob.Alternative> top = entry.topLogprobs();
      assertThat(top).hasSize(20);
      for (int i = 1; i < top.size(); i++) {
        assertThat(top.get(i).logprob()).isLessThanOrEqualTo(top.get(i - 1).logprob());
      }
      assertThat(top.get(0).bytes()).isEqualTo(entry.bytes());
      assertThat(top.get(0).logprob()).isEqualTo(entry.logprob());
      double sum = top.stream().mapToDouble(TokenLogprob.Alternative::probability).sum();
      assertThat(sum).isLessThanOrEqualTo(1.0 + 1e-9);
      assertThat(entry.logprob()).isLessThanOrEqualTo(0);
    }
  }

  @Test
  void theTokensBytesJoinedAreTheRepliesBytes() {
    ChatResponse response =
        ask("hello", ChatOptions.builder().temperature(0).maxTokens(8).logprobs(0).build());

    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (TokenLogprob entry : response.logprobs()) {
      joined.writeBytes(entry.bytes());
      assertThat(entry.topLogprobs()).isEmpty();
    }
    // The reply drops its leading whitespace; the tokens keep it.
    assertThat(joined.toString(StandardCharsets.UTF_8).strip()).isEqualTo(response.text().strip());
  }

  @Test
  void logprobsAreTheModelsOwnBeforeTemperatureAndRepetitionPenalty() {
    ChatOptions.Builder plain = ChatOptions.builder().maxTokens(1).logprobs(10);
    TokenLogprob greedy =
        ask("hi there", plain.build().toBuilder().temperature(0).build()).logprobs().get(0);
    TokenLogprob hot =
        ask("hi there", plain.build().toBuilder().temperature(1.8).seed(3).build())
            .logprobs()
            .get(0);
    TokenLogprob penalised =
        ask("hi there", plain.build().toBuilder().temperature(0).repetitionPenalty(3.0).build())
            .logprobs()
            .get(0);

    assertThat(hot.topLogprobs()).isEqualTo(greedy.topLogprobs());
    assertThat(penalised.topLogprobs()).isEqualTo(greedy.topLogprobs());
    double[] expected = referenceLogprobs(prompt("hi there"));
    assertThat(greedy.logprob())
        .isCloseTo(Arrays.stream(expected).max().orElseThrow(), within(1e-4));
    // The sampled token's logprob is its place in the same distribution, not the sampler's.
    double worstListed = greedy.topLogprobs().get(9).logprob();
    hot.topLogprobs().stream()
        .filter(a -> Arrays.equals(a.bytes(), hot.bytes()))
        .findFirst()
        .ifPresentOrElse(
            a -> assertThat(hot.logprob()).isEqualTo(a.logprob()),
            () -> assertThat(hot.logprob()).isLessThanOrEqualTo(worstListed));
  }

  @Test
  void tokensWhollyInsideTheStopSequenceAreLeftOut() {
    ChatOptions.Builder greedy = ChatOptions.builder().temperature(0).maxTokens(8).logprobs(0);
    List<TokenLogprob> free = ask("hello", greedy.build()).logprobs();
    assertThat(free).hasSizeGreaterThan(3);
    String stop = free.get(2).token().strip();
    assertThat(stop).as("a stop sequence made of the third token").isNotEmpty();

    ChatResponse stopped = ask("hello", greedy.build().toBuilder().stop(stop).build());

    // The reply's text as the model wrote it, token by token, and where the stop first appears.
    StringBuilder text = new StringBuilder();
    List<Integer> starts = new ArrayList<>();
    for (TokenLogprob entry : free) {
      starts.add(text.length());
      text.append(entry.token());
    }
    int stopAt = text.indexOf(stop);
    long kept = starts.stream().filter(start -> start < stopAt).count();
    assertThat(stopped.logprobs()).isEqualTo(free.subList(0, (int) kept));
    assertThat(stopped.text()).isEqualTo(text.substring(0, stopAt).strip());
  }

  @ParameterizedTest
  @ValueSource(strings = {"llama", "qwen3"})
  void aDecoderFamilysLogprobsEqualTheLogSoftmaxOfTheReferenceDecodersLogits(
      String family, @TempDir Path directory) throws IOException {
    RandomDecoderCheckpoint checkpoint = RandomDecoderCheckpoint.tiny(family).withVocabulary(50257);
    Path files = checkpoint.writeTo(directory.resolve(family));
    Files.writeString(files.resolve("tokenizer.json"), Gpt2TokenizerJson.text());
    String rendered = "User: hello there\nAssistant:"; // ChatFormat.transcript() of the request
    ChatResponse response;
    try (LocalGptModel familyModel =
        LocalGptModel.builder(files)
            .backend(ComputeBackend.JAVA)
            .chatFormat(ChatFormat.transcript())
            .build()) {
      response =
          familyModel.chat(
              ChatRequest.of(Message.user("hello there"))
                  .withOptions(
                      ChatOptions.builder().temperature(0).maxTokens(1).logprobs(4).build()));
    }
    int[] prompt = tokenizer.encode(rendered);
    assertThat(response.usage().inputTokens())
        .as("the prompt rebuilt here")
        .isEqualTo(prompt.length);

    double[] expected = logSoftmax(new ReferenceDecoder(checkpoint).logits(prompt));
    List<Integer> best = ranked(expected, 4);
    TokenLogprob entry = response.logprobs().get(0);
    assertThat(entry.bytes()).isEqualTo(tokenizer.bytes(best.get(0)));
    assertThat(entry.logprob()).isCloseTo(expected[best.get(0)], within(1e-4));
    for (int i = 0; i < 4; i++) {
      assertThat(entry.topLogprobs().get(i).bytes()).isEqualTo(tokenizer.bytes(best.get(i)));
      assertThat(entry.topLogprobs().get(i).logprob())
          .isCloseTo(expected[best.get(i)], within(1e-4));
    }
  }

  @Test
  void noLogprobsAreComputedWhenNoneAreAskedFor() {
    ChatResponse response = ask("hello", ChatOptions.builder().temperature(0).maxTokens(4).build());

    assertThat(response.logprobs()).isEmpty();
    assertThat(model.capabilities().logprobs()).isTrue();
  }
}
