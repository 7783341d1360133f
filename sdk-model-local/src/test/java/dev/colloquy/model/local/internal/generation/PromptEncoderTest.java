package dev.colloquy.model.local.internal.generation;

import static org.assertj.core.api.Assertions.assertThat;

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
}
