package dev.colloquy.model.local.internal.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.model.local.ChatFormat;
import dev.colloquy.model.local.ContextOverflow;
import dev.colloquy.model.local.internal.tokenizer.BpeTokenizer;
import dev.colloquy.model.local.internal.tokenizer.RealTokenizerFiles;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How a rendered prompt becomes ids: the tokenizer's bos, joined text, special segments. */
class PromptEncoderTest {

  private static int[] concat(int[] first, int[] rest) {
    return IntStream.concat(IntStream.of(first), IntStream.of(rest)).toArray();
  }

  @Test
  void withoutATemplateTheTokenizersBosComesFirstAndTheTextIsEncodedAsTheStart() {
    // Mistral's SentencePiece tokenizer adds <s> and prepends a space at the start of the text.
    BpeTokenizer mistral = RealTokenizerFiles.tokenizer("mistral");
    assertThat(mistral.addsBosToken()).isTrue();
    List<Message> messages = List.of(Message.user("Hello there"));
    String rendered = ((ChatFormat.Text) ChatFormat.transcript().render(messages).get(0)).text();

    int[] ids =
        new PromptEncoder(mistral, ChatFormat.transcript(), 2, 4096)
            .encode(messages, ContextOverflow.FAIL)
            .tokens();

    assertThat(ids)
        .containsExactly(
            concat(new int[] {mistral.bos().orElseThrow().id()}, mistral.encode(rendered)));
  }

  @Test
  void aTemplatesSpecialTokensAreIdsAndAUsersTypedSpecialTokenStaysText() {
    BpeTokenizer qwen = RealTokenizerFiles.tokenizer("qwen3");
    ChatFormat format =
        ChatFormat.template(
                "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n"
                    + "{% endfor %}<|im_start|>assistant\n")
            .specialTokens(qwen.specialTokens())
            .build();
    int start = qwen.specialTokenId("<|im_start|>").orElseThrow();
    int end = qwen.specialTokenId("<|im_end|>").orElseThrow();

    int[] ids =
        new PromptEncoder(qwen, format, end, 4096)
            .encode(List.of(Message.user("say <|im_end|> please")), ContextOverflow.FAIL)
            .tokens();

    assertThat(ids[0]).isEqualTo(start);
    assertThat(IntStream.of(ids).filter(id -> id == end).count())
        .as("only the template's own <|im_end|> is the special id")
        .isEqualTo(1);
    assertThat(qwen.decode(ids)).contains("say <|im_end|> please");
  }

  private static final String CHATML =
      "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n"
          + "{% endfor %}<|im_start|>assistant\n";

  private static ChatFormat chatMl(BpeTokenizer tokenizer, String template) {
    return ChatFormat.template(template).specialTokens(tokenizer.specialTokens()).build();
  }

  private static int[] encode(
      BpeTokenizer tokenizer, ChatFormat format, ReplyMemory replies, List<Message> messages) {
    int end = tokenizer.specialTokenId("<|im_end|>").orElseThrow();
    return new PromptEncoder(tokenizer, format, end, 4096, replies)
        .encode(messages, ContextOverflow.FAIL)
        .tokens();
  }

  private static boolean containsRun(int[] ids, int[] run) {
    for (int i = 0; i + run.length <= ids.length; i++) {
      if (java.util.Arrays.equals(ids, i, i + run.length, run, 0, run.length)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aReplyTheModelWroteGoesBackAsItsOwnIdsNotReTokenized() {
    BpeTokenizer qwen = RealTokenizerFiles.tokenizer("qwen3");
    ChatFormat format = chatMl(qwen, CHATML);
    String reply = "Your order ships tomorrow.";
    // How a model may write it: " tomorrow" in pieces, not as the tokenizer would encode the text.
    int[] written = concat(qwen.encode("Your order ships to"), qwen.encodeFollowing("morrow."));
    assertThat(qwen.decode(written)).isEqualTo(reply);
    assertThat(written).isNotEqualTo(qwen.encode(reply));
    List<Message> history =
        List.of(
            Message.system("You are a shop assistant."),
            Message.user("Where is my order?"),
            AssistantMessage.of(reply),
            Message.user("Thanks!"));
    ReplyMemory replies = new ReplyMemory(8);
    replies.remember(reply, written);

    int[] own = encode(qwen, format, replies, history);
    int[] plain = encode(qwen, format, new ReplyMemory(8), history);

    assertThat(containsRun(plain, written)).isFalse();
    assertThat(qwen.decode(own)).isEqualTo(qwen.decode(plain));
    // The prompt the reply was generated from, then the reply as written: what the conversation's
    // cache holds, so the next turn runs only what follows.
    int[] generationPrompt = encode(qwen, format, replies, history.subList(0, 2));
    assertThat(java.util.Arrays.copyOf(own, generationPrompt.length + written.length))
        .containsExactly(concat(generationPrompt, written));
  }

  @Test
  void aTemplateThatChangesTheReplyOrATypedMarkerKeepsTheReTokenizedPrompt() {
    BpeTokenizer qwen = RealTokenizerFiles.tokenizer("qwen3");
    String reply = "  Spaced reply.  ";
    int[] written = concat(qwen.encode("  Spaced re"), qwen.encodeFollowing("ply.  "));
    ReplyMemory replies = new ReplyMemory(8);
    replies.remember(reply, written);
    List<Message> history =
        List.of(Message.user("hi"), AssistantMessage.of(reply), Message.user("and?"));
    // This template trims what it writes: the written ids would read as other text.
    ChatFormat trimming = chatMl(qwen, CHATML.replace("{{ m.content }}", "{{ m.content | trim }}"));

    assertThat(encode(qwen, trimming, replies, history))
        .containsExactly(encode(qwen, trimming, new ReplyMemory(8), history));

    // A customer who types the private-use characters the encoder marks replies with.
    ChatFormat format = chatMl(qwen, CHATML);
    List<Message> typed =
        List.of(Message.user("\uE0000\uE001 hi"), AssistantMessage.of(reply), Message.user("and?"));
    assertThat(encode(qwen, format, replies, typed))
        .containsExactly(encode(qwen, format, new ReplyMemory(8), typed));
  }

  @Test
  void theMemoryKeepsOneIdSequencePerTextWhateverTheOrderAndForgetsTheLeastRecent() {
    ReplyMemory memory = new ReplyMemory(2);
    memory.remember("a", new int[] {5, 6});
    memory.remember("a", new int[] {7});
    memory.remember("a", new int[] {4, 9});
    assertThat(memory.ids("a")).contains(new int[] {7});
    ReplyMemory other = new ReplyMemory(2);
    other.remember("a", new int[] {4, 9});
    other.remember("a", new int[] {7});
    assertThat(other.ids("a")).contains(new int[] {7});

    memory.remember("b", new int[] {1});
    memory.ids("a");
    memory.remember("c", new int[] {2});
    assertThat(memory.ids("b")).isEmpty();
    assertThat(memory.ids("a")).isPresent();
    ReplyMemory none = new ReplyMemory(0);
    none.remember("x", new int[] {1});
    assertThat(none.size()).isZero();
  }
}
