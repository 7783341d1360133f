package dev.colloquy.model.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.model.local.fixture.Gpt2TokenizerJson;
import dev.colloquy.model.local.fixture.RandomDecoderCheckpoint;
import dev.colloquy.model.local.fixture.RandomGpt2Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The prompt cache through {@link LocalGptModel}: the same replies as without it, turn by turn. */
class LocalGptModelPromptCacheTest {

  private static final ChatOptions GREEDY =
      ChatOptions.builder().temperature(0).maxTokens(8).logprobs(3).repetitionPenalty(1.3).build();

  @TempDir Path directory;

  private Path write(String family) throws IOException {
    if (family.equals("gpt2")) {
      return RandomGpt2Checkpoint.tiny().withPositions(512).writeTo(directory.resolve(family));
    }
    Path model =
        RandomDecoderCheckpoint.tiny(family)
            .withVocabulary(50257)
            .with("max_position_embeddings", "512")
            .writeTo(directory.resolve(family));
    Files.writeString(model.resolve("tokenizer.json"), Gpt2TokenizerJson.text());
    return model;
  }

  private static LocalGptModel load(Path model, long cacheBytes) {
    return LocalGptModel.builder(model)
        .device(LocalDevice.cpu())
        .backend(ComputeBackend.JAVA)
        .threads(2)
        .chatFormat(ChatFormat.transcript())
        .promptCacheBytes(cacheBytes)
        .build();
  }

  /** Ten turns under one system prompt, each reply going back into the history. */
  private List<ChatResponse> converse(LocalGptModel model, String topic) {
    List<Message> history = new ArrayList<>();
    history.add(Message.system("You are a terse shop assistant. Answer in one line."));
    List<ChatResponse> replies = new ArrayList<>();
    for (int turn = 1; turn <= 10; turn++) {
      history.add(Message.user("Question " + turn + " about " + topic + ": what does it cost?"));
      ChatResponse reply = model.chat(ChatRequest.of(history).withOptions(GREEDY));
      replies.add(reply);
      reused.add(model.lastReusedTokens());
      history.add(reply.message());
    }
    return replies;
  }

  private final List<Integer> reused = new ArrayList<>();

  private static void assertSameReplies(List<ChatResponse> actual, List<ChatResponse> expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int turn = 0; turn < expected.size(); turn++) {
      ChatResponse a = actual.get(turn);
      ChatResponse e = expected.get(turn);
      assertThat(a.text()).as("turn %d text", turn + 1).isEqualTo(e.text());
      assertThat(a.logprobs()).as("turn %d logprobs", turn + 1).isEqualTo(e.logprobs());
      assertThat(a.usage()).as("turn %d usage", turn + 1).isEqualTo(e.usage());
      assertThat(a.finishReason()).as("turn %d finish", turn + 1).isEqualTo(e.finishReason());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2", "llama", "qwen3"})
  void tenTurnsGiveTheSameRepliesAndLogprobsWithAndWithoutTheCache(String family)
      throws IOException {
    Path model = write(family);
    List<ChatResponse> uncached;
    try (LocalGptModel plain = load(model, 0)) {
      uncached = converse(plain, "tea");
    }
    assertThat(reused).as("nothing is reused without a cache").containsOnly(0);
    reused.clear();
    try (LocalGptModel cached = load(model, 64L << 20)) {
      assertSameReplies(converse(cached, "tea"), uncached);
      // Each turn after the first reuses at least the previous turn's prompt. Where the model
      // began its reply with a space, as the transcript writes "Assistant: " + text, the reply
      // too, as the model wrote it (random weights write tokenizations the tokenizer would not
      // give: re-tokenized, the reply would depart from the cache); all but its last token,
      // which never ran.
      int wholeReplies = 0;
      for (int turn = 1; turn < 10; turn++) {
        ChatResponse previous = uncached.get(turn - 1);
        int prompt = (int) previous.usage().inputTokens();
        assertThat(reused.get(turn)).isGreaterThanOrEqualTo(prompt - 1);
        if (previous.logprobs().get(0).token().startsWith(" ")) {
          wholeReplies++;
          assertThat(reused.get(turn))
              .as("turn %d reuses the previous prompt and reply", turn + 1)
              .isGreaterThanOrEqualTo(prompt + (int) previous.usage().outputTokens() - 1);
        }
      }
      assertThat(wholeReplies).as("replies that began with a space").isPositive();
      // The same conversation again: every prompt is cached but its last token.
      reused.clear();
      assertSameReplies(converse(cached, "tea"), uncached);
      assertThat(reused.get(0)).isEqualTo((int) uncached.get(0).usage().inputTokens() - 1);
    }
  }

  /**
   * A role-labelled transcript without a space of its own after the label, so that a history can
   * read as the model wrote it (the transcript format writes "Assistant: " whatever the model began
   * its reply with).
   */
  private static final ChatFormat TIGHT =
      new ChatFormat() {
        @Override
        public List<Segment> render(List<Message> messages) {
          StringBuilder prompt = new StringBuilder();
          for (Message message : messages) {
            prompt.append(message.role()).append(':').append(message.text()).append('\n');
          }
          return List.of(new Text(prompt.append("ASSISTANT:").toString()));
        }

        @Override
        public List<String> stopSequences() {
          return List.of();
        }
      };

  @ParameterizedTest
  @ValueSource(strings = {"gpt2", "llama", "qwen3"})
  void aConversationsCacheHoldsEachReplyAsTheModelWroteItNotReTokenized(String family)
      throws IOException {
    Path model = write(family);
    try (LocalGptModel cached =
        LocalGptModel.builder(model)
            .device(LocalDevice.cpu())
            .backend(ComputeBackend.JAVA)
            .threads(2)
            .chatFormat(TIGHT)
            .promptCacheBytes(64L << 20)
            .build()) {
      List<Message> history = new ArrayList<>(List.of(Message.system("Terse shop assistant.")));
      for (int turn = 1; turn <= 8; turn++) {
        history.add(Message.user("Question " + turn + ": what does the tea cost?"));
        ChatResponse reply = cached.chat(ChatRequest.of(history).withOptions(LONGER));
        history.add(reply.message());
        ChatResponse next =
            cached.chat(
                ChatRequest.of(append(history, Message.user("And then?"))).withOptions(GREEDY));
        // Random weights write tokenizations the tokenizer would not give ("illary" as written,
        // "ill" + "ary" re-tokenized), and replies that begin with a space their text drops: only
        // the ids as written keep the cache matching past the reply's first token. Its last token
        // never ran, so it is not cached.
        assertThat(cached.lastReusedTokens())
            .as("turn %d: the prompt and the reply as written are reused", turn)
            .isGreaterThanOrEqualTo(
                (int) (reply.usage().inputTokens() + reply.usage().outputTokens()) - 1);
        assertThat(next.usage().inputTokens()).isGreaterThan(reply.usage().inputTokens());
      }
    }
  }

  // Long enough replies that random weights write some token pair the tokenizer would merge.
  private static final ChatOptions LONGER =
      ChatOptions.builder().temperature(0).maxTokens(40).logprobs(1).build();

  private static List<Message> append(List<Message> history, Message message) {
    List<Message> longer = new ArrayList<>(history);
    longer.add(message);
    return longer;
  }

  @Test
  void conversationsInterleavedUnderOneSystemPromptKeepTheirOwnReplies() throws IOException {
    Path model = write("gpt2");
    List<ChatResponse> teaAlone;
    List<ChatResponse> coffeeAlone;
    try (LocalGptModel plain = load(model, 0)) {
      teaAlone = converse(plain, "tea");
      coffeeAlone = converse(plain, "coffee");
    }
    try (LocalGptModel cached = load(model, 64L << 20)) {
      List<Message> tea =
          new ArrayList<>(
              List.of(Message.system("You are a terse shop assistant. Answer in one line.")));
      List<Message> coffee = new ArrayList<>(tea);
      List<ChatResponse> teaReplies = new ArrayList<>();
      List<ChatResponse> coffeeReplies = new ArrayList<>();
      for (int turn = 1; turn <= 10; turn++) {
        teaReplies.add(turn(cached, tea, "Question " + turn + " about tea: what does it cost?"));
        coffeeReplies.add(
            turn(cached, coffee, "Question " + turn + " about coffee: what does it cost?"));
      }
      assertSameReplies(teaReplies, teaAlone);
      assertSameReplies(coffeeReplies, coffeeAlone);
    }
  }

  private static ChatResponse turn(LocalGptModel model, List<Message> history, String question) {
    history.add(Message.user(question));
    ChatResponse reply = model.chat(ChatRequest.of(history).withOptions(GREEDY));
    history.add(reply.message());
    return reply;
  }

  @Test
  void aGenerationCancelledMidwayLeavesNoCacheThatChangesTheNextReply() throws IOException {
    Path model = write("gpt2");
    ChatRequest request =
        ChatRequest.of(Message.user("Tell me about the tea."))
            .withOptions(ChatOptions.builder().temperature(0).maxTokens(12).logprobs(2).build());
    ChatResponse expected;
    try (LocalGptModel plain = load(model, 0)) {
      expected = plain.chat(request);
    }
    try (LocalGptModel cached = load(model, 64L << 20)) {
      Cancellation cancellation = Cancellation.create();
      assertThatThrownBy(
              () -> cached.generate(request, delta -> cancellation.cancel(), cancellation))
          .isInstanceOf(CancelledException.class);
      ChatResponse after = cached.chat(request);
      assertThat(after.text()).isEqualTo(expected.text());
      assertThat(after.logprobs()).isEqualTo(expected.logprobs());
      assertThat(cached.chat(request).logprobs()).isEqualTo(expected.logprobs());
    }
  }

  @Test
  void aNegativeBudgetOrASecondBudgetIsRejectedNamingTheSetting() {
    LocalGptModel.Builder builder = LocalGptModel.builder(directory);
    assertThatThrownBy(() -> builder.promptCacheBytes(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("promptCacheBytes must be at least 0, was -1");
    builder.promptCacheBytes(0);
    assertThatThrownBy(() -> builder.promptCacheBytes(1024))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("promptCacheBytes was already set to 0");
  }
}
