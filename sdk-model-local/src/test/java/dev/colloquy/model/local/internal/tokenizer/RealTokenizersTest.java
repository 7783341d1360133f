package dev.colloquy.model.local.internal.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real tokenizer files of Llama 3.1, Qwen 2.5, Qwen3 and Mistral give the ids that an
 * independent implementation gave (reference-ids.json, made by make-vectors.mjs with Hugging Face's
 * pure-JS tokenizers), and decode back to the text.
 */
class RealTokenizersTest {

  static List<String> names() {
    return RealTokenizerFiles.names();
  }

  @ParameterizedTest
  @MethodSource("names")
  void encodesEveryTextAsTheReferenceImplementationDoes(String name) {
    BpeTokenizer tokenizer = RealTokenizerFiles.tokenizer(name);
    JsonNode reference = RealTokenizerFiles.referenceIds().path("tokenizers").path(name);
    List<String> texts = RealTokenizerFiles.texts();
    assertThat(reference.path("ids").size()).isEqualTo(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      assertThat(tokenizer.encode(texts.get(i)))
          .as("%s ids of text %d %s", name, i, texts.get(i))
          .containsExactly(RealTokenizerFiles.ids(reference.path("ids").get(i)));
    }
  }

  @ParameterizedTest
  @MethodSource("names")
  void decodesWhatItEncodesToTheSameText(String name) {
    BpeTokenizer tokenizer = RealTokenizerFiles.tokenizer(name);
    for (String text : RealTokenizerFiles.texts()) {
      // Qwen's normalizer composes characters (NFC) before encoding.
      String expected =
          name.startsWith("qwen") ? Normalizer.normalize(text, Normalizer.Form.NFC) : text;
      assertThat(tokenizer.decode(tokenizer.encode(text)))
          .as("%s: %s", name, text)
          .isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @MethodSource("names")
  void addsABosTokenExactlyWhenTheReferenceDoes(String name) {
    BpeTokenizer tokenizer = RealTokenizerFiles.tokenizer(name);
    int[] withSpecialTokens =
        RealTokenizerFiles.ids(
            RealTokenizerFiles.referenceIds()
                .path("tokenizers")
                .path(name)
                .path("withSpecialTokens"));
    int[] plain = tokenizer.encode("Hello world");
    if (tokenizer.addsBosToken()) {
      assertThat(withSpecialTokens[0]).isEqualTo(tokenizer.bos().orElseThrow().id());
      assertThat(java.util.Arrays.copyOfRange(withSpecialTokens, 1, withSpecialTokens.length))
          .containsExactly(plain);
    } else {
      assertThat(withSpecialTokens).containsExactly(plain);
    }
  }

  @Test
  void readsTheSpecialTokensOfLlama31() {
    BpeTokenizer llama = RealTokenizerFiles.tokenizer("llama3_1");
    assertThat(llama.bos()).contains(new BpeTokenizer.Token(128000, "<|begin_of_text|>"));
    assertThat(llama.eos()).contains(new BpeTokenizer.Token(128009, "<|eot_id|>"));
    assertThat(llama.addsBosToken()).isTrue(); // its post-processor adds it
    assertThat(llama.specialTokenId("<|start_header_id|>")).hasValue(128006);
    assertThat(llama.isSpecial(128006)).isTrue();
    assertThat(llama.isSpecial(9906)).isFalse();
    assertThat(llama.stripsLeadingSpace()).isFalse();
    assertThat(llama.size()).isEqualTo(128256);
  }

  @Test
  void readsTheSpecialTokensOfQwen3() {
    BpeTokenizer qwen = RealTokenizerFiles.tokenizer("qwen3");
    assertThat(qwen.bos()).isEmpty();
    assertThat(qwen.addsBosToken()).isFalse();
    assertThat(qwen.eos()).contains(new BpeTokenizer.Token(151645, "<|im_end|>"));
    assertThat(qwen.padding()).contains(new BpeTokenizer.Token(151643, "<|endoftext|>"));
    assertThat(qwen.specialTokenId("<|im_start|>")).hasValue(151644);
    // <think> and <tool_call> are added but not special: one token even in plain text.
    assertThat(qwen.specialTokenId("<think>")).hasValue(151667);
    assertThat(qwen.isSpecial(151667)).isFalse();
    assertThat(qwen.encode("<think>")).containsExactly(151667);
    assertThat(qwen.encode("<|im_start|>")).doesNotContain(151644);
    assertThat(qwen.specialTokenId("<|no such token|>")).isEmpty();
    assertThat(qwen.addedToken("<tool_call>"))
        .contains(new BpeTokenizer.AddedToken(151657, "<tool_call>", false, false, false));
    assertThat(qwen.addedToken("<|im_end|>"))
        .contains(new BpeTokenizer.AddedToken(151645, "<|im_end|>", true, false, false));
  }

  @Test
  void readsTheSentencePieceTokensOfMistral() {
    BpeTokenizer mistral = RealTokenizerFiles.tokenizer("mistral");
    assertThat(mistral.bos()).contains(new BpeTokenizer.Token(1, "<s>"));
    assertThat(mistral.eos()).contains(new BpeTokenizer.Token(2, "</s>"));
    assertThat(mistral.addsBosToken()).isTrue(); // add_bos_token in tokenizer_config.json
    assertThat(mistral.stripsLeadingSpace()).isTrue();
    assertThat(mistral.bytes(13)).containsExactly('\n'); // <0x0A>
    assertThat(mistral.tokenText(13)).isEqualTo("<0x0A>");
    assertThat(new String(mistral.bytes(22557), StandardCharsets.UTF_8)).isEqualTo(" Hello");
    assertThat(mistral.encode("<s>")).doesNotContain(1);
  }

  @Test
  void aStreamedSentencePieceReplyLosesItsLeadingSpaceOnceAsTheDecoderDoes() {
    BpeTokenizer mistral = RealTokenizerFiles.tokenizer("mistral");
    int[] ids = mistral.encode("Hello  world");
    ReplyBytes reply = mistral.newReply();
    ByteArrayOutputStream streamed = new ByteArrayOutputStream();
    for (int id : ids) {
      streamed.writeBytes(reply.next(id));
    }
    assertThat(streamed.toString(StandardCharsets.UTF_8))
        .isEqualTo("Hello  world")
        .isEqualTo(mistral.decode(ids));
  }

  @Test
  void aStreamedByteLevelReplyKeepsItsLeadingSpace() {
    BpeTokenizer qwen = RealTokenizerFiles.tokenizer("qwen2_5");
    int[] ids = qwen.encode(" Hello");
    assertThat(new String(qwen.newReply().next(ids[0]), StandardCharsets.UTF_8))
        .isEqualTo(" Hello");
  }

  @Test
  void aMetaspaceThatPrependsOnlyFirstLeavesTextAfterASpecialTokenWithoutASpace(
      @TempDir Path directory) throws Exception {
    // The Mistral vocabulary with the pipeline of newer SentencePiece files, as make-vectors.mjs
    // changes it.
    ObjectNode json = (ObjectNode) RealTokenizerFiles.tokenizerJson("mistral");
    ObjectNode metaspace =
        json.objectNode()
            .put("type", "Metaspace")
            .put("replacement", "\u2581")
            .put("prepend_scheme", "first")
            .put("split", false);
    json.putNull("normalizer");
    json.set("pre_tokenizer", metaspace);
    json.set("decoder", metaspace.deepCopy());
    Path file = directory.resolve(BpeTokenizer.TOKENIZER_FILE);
    Files.writeString(file, json.toString());
    JsonNode reference =
        RealTokenizerFiles.referenceIds().path("tokenizers").path("mistral_metaspace_first");
    List<String> texts = RealTokenizerFiles.texts();
    try (BpeTokenizer tokenizer =
        BpeTokenizer.load(
            file, RealTokenizerFiles.folder("mistral").resolve(BpeTokenizer.CONFIG_FILE))) {
      for (int i = 0; i < texts.size(); i++) {
        assertThat(tokenizer.encode(texts.get(i)))
            .as("ids of text %d %s", i, texts.get(i))
            .containsExactly(RealTokenizerFiles.ids(reference.path("ids").get(i)));
        assertThat(tokenizer.encodeFollowing(texts.get(i)))
            .as("ids of text %d %s after a special token", i, texts.get(i))
            .containsExactly(RealTokenizerFiles.ids(reference.path("followingIds").get(i)));
      }
      assertThat(tokenizer.stripsLeadingSpace()).isTrue();
      assertThat(tokenizer.decode(tokenizer.encode("Hello world"))).isEqualTo("Hello world");
    }
  }

  @Test
  void encodesTextAfterASpecialTokenAsAtTheStartWhereTheNormalizerPrependsEverywhere() {
    BpeTokenizer mistral = RealTokenizerFiles.tokenizer("mistral");
    assertThat(mistral.encodeFollowing("[INST] Hi")).containsExactly(mistral.encode("[INST] Hi"));
  }
}
