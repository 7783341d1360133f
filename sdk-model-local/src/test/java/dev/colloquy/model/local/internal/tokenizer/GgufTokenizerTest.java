package dev.colloquy.model.local.internal.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.model.local.ModelLoadException;
import dev.colloquy.model.local.fixture.Gpt2TokenizerJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A tokenizer built from GGUF metadata equals the tokenizer.json it came from: the metadata here is
 * what llama.cpp's converter writes for the real files (tokens by id, token types, merges, scores),
 * and the ids must be the reference implementation's (reference-ids.json).
 */
public class GgufTokenizerTest {

  private static final Path GGUF = Path.of("model.gguf");

  /** The tokenizer.ggml.* values llama.cpp's converter writes for a tokenizer.json. */
  public static GgufVocabulary metadata(
      JsonNode tokenizer, String model, String pre, boolean withMerges, Integer bos, Integer eos) {
    JsonNode vocab = tokenizer.path("model").path("vocab");
    JsonNode added = tokenizer.path("added_tokens");
    int size = vocab.size();
    for (JsonNode token : added) {
      size = Math.max(size, token.path("id").asInt() + 1);
    }
    List<String> tokens = new ArrayList<>(Collections.nCopies(size, (String) null));
    int[] types = new int[size];
    float[] scores = new float[size];
    vocab.properties().forEach(entry -> tokens.set(entry.getValue().asInt(), entry.getKey()));
    // A SentencePiece BPE model scores a piece by the rank of the merge that makes it (a piece no
    // merge makes, a single character, scores below them all); the file's merges give the ranks.
    java.util.Map<String, Integer> rank = new java.util.HashMap<>();
    JsonNode fileMerges = tokenizer.path("model").path("merges");
    for (int i = 0; i < fileMerges.size(); i++) {
      JsonNode merge = fileMerges.get(i);
      rank.putIfAbsent(
          merge.isArray()
              ? merge.get(0).asText() + merge.get(1).asText()
              : merge.asText().replace(" ", ""),
          i);
    }
    for (int id = 0; id < size; id++) {
      boolean byteToken = model.equals("llama") && TokenTable.isByteToken(tokens.get(id));
      types[id] = byteToken ? GgufVocabulary.BYTE : GgufVocabulary.NORMAL;
      scores[id] = byteToken ? 0 : -rank.getOrDefault(tokens.get(id), fileMerges.size() + id);
    }
    for (JsonNode token : added) {
      int id = token.path("id").asInt();
      tokens.set(id, token.path("content").asText());
      types[id] =
          !token.path("special").asBoolean()
              ? GgufVocabulary.USER_DEFINED
              : token.path("content").asText().equals("<unk>")
                  ? GgufVocabulary.UNKNOWN
                  : GgufVocabulary.CONTROL;
      scores[id] = 0;
    }
    List<String> merges = new ArrayList<>();
    if (withMerges) {
      for (JsonNode merge : tokenizer.path("model").path("merges")) {
        merges.add(
            merge.isArray() ? merge.get(0).asText() + " " + merge.get(1).asText() : merge.asText());
      }
    }
    return new GgufVocabulary(
        model,
        Optional.ofNullable(pre),
        tokens,
        scores,
        types,
        merges,
        bos == null ? OptionalInt.empty() : OptionalInt.of(bos),
        eos == null ? OptionalInt.empty() : OptionalInt.of(eos),
        model.equals("llama") ? OptionalInt.of(0) : OptionalInt.empty(),
        OptionalInt.empty(),
        Optional.empty());
  }

  @ParameterizedTest
  @CsvSource({
    "llama3_1, gpt2, llama-bpe, true, 128000, 128009",
    "qwen2_5, gpt2, qwen2, true, , 151645",
    "qwen3, gpt2, qwen2, true, , 151645",
    "mistral, llama, , true, 1, 2",
    "mistral, llama, , false, 1, 2"
  })
  void encodesAsTheReferenceDoesFromGgufMetadata(
      String name, String model, String pre, boolean withMerges, Integer bos, Integer eos) {
    GgufVocabulary metadata =
        metadata(RealTokenizerFiles.tokenizerJson(name), model, pre, withMerges, bos, eos);
    JsonNode reference = RealTokenizerFiles.referenceIds().path("tokenizers").path(name);
    List<String> texts = RealTokenizerFiles.texts();
    try (BpeTokenizer tokenizer = BpeTokenizer.fromGguf(GGUF, metadata)) {
      BpeTokenizer fromJson = RealTokenizerFiles.tokenizer(name);
      assertThat(tokenizer.size()).isEqualTo(fromJson.size());
      for (int i = 0; i < texts.size(); i++) {
        int[] ids = tokenizer.encode(texts.get(i));
        assertThat(ids)
            .as(
                "%s (%s merges) ids of text %d %s",
                name, withMerges ? "its" : "derived", i, texts.get(i))
            .containsExactly(RealTokenizerFiles.ids(reference.path("ids").get(i)));
        assertThat(tokenizer.decode(ids)).isEqualTo(fromJson.decode(ids));
      }
      List<Integer> differentBytes = new ArrayList<>();
      for (int id = 0; id < tokenizer.size(); id++) {
        if (!Arrays.equals(tokenizer.bytes(id), fromJson.bytes(id))) {
          differentBytes.add(id);
        }
      }
      assertThat(differentBytes).as("%s ids whose bytes differ", name).isEmpty();
      assertThat(tokenizer.bos()).isEqualTo(fromJson.bos());
      assertThat(tokenizer.eos()).isEqualTo(fromJson.eos());
      assertThat(tokenizer.addsBosToken()).isEqualTo(fromJson.addsBosToken());
      assertThat(tokenizer.stripsLeadingSpace()).isEqualTo(fromJson.stripsLeadingSpace());
      assertThat(tokenizer.file()).isEqualTo(GGUF);
    }
  }

  @Test
  void derivesTheMergesOfTheSentencePieceFileFromItsScores() {
    JsonNode mistral = RealTokenizerFiles.tokenizerJson("mistral");
    GgufVocabulary metadata = metadata(mistral, "llama", null, false, 1, 2);
    java.util.Map<String, Integer> ids = new java.util.HashMap<>();
    for (int id = 0; id < metadata.tokens().size(); id++) {
      ids.put(metadata.tokens().get(id), id);
    }
    List<String> derived =
        SentencePieceMerges.derive(metadata.tokens(), metadata.scores(), ids).stream()
            .map(merge -> merge.left() + " " + merge.right())
            .toList();
    List<String> inFile = new ArrayList<>();
    mistral.path("model").path("merges").forEach(merge -> inFile.add(merge.asText()));
    assertThat(derived).containsExactlyInAnyOrderElementsOf(inFile);
  }

  @Test
  void readsGpt2AndSmolLmPreTokenizersFromGgufMetadata() throws Exception {
    JsonNode gpt2 = new ObjectMapper().readTree(Gpt2TokenizerJson.text());
    try (BpeTokenizer tokenizer =
            BpeTokenizer.fromGguf(GGUF, metadata(gpt2, "gpt2", "gpt-2", true, null, 50256));
        BpeTokenizer smollm =
            BpeTokenizer.fromGguf(GGUF, metadata(gpt2, "gpt2", "smollm", true, null, 50256))) {
      assertThat(tokenizer.encode("hello world")).containsExactly(31373, 995);
      assertThat(tokenizer.encode("a<|endoftext|>b")).doesNotContain(50256);
      assertThat(tokenizer.specialTokenId("<|endoftext|>")).hasValue(50256);
      assertThat(tokenizer.addsBosToken()).isFalse();
      // SmolLM splits every digit on its own; GPT-2 keeps a run of digits together.
      assertThat(tokenizer.encode("12345")).hasSizeLessThan(5);
      int[] digits = smollm.encode("12345");
      assertThat(digits).hasSize(5);
      assertThat(smollm.decode(digits)).isEqualTo("12345");
    }
  }

  private static GgufVocabulary small(String model, String pre) {
    return new GgufVocabulary(
        model,
        Optional.ofNullable(pre),
        List.of("a", "b", "ab", "<s>"),
        new float[] {0, 0, -1, 0},
        new int[] {1, 1, 1, 3},
        List.of("a b"),
        OptionalInt.of(3),
        OptionalInt.empty(),
        OptionalInt.empty(),
        OptionalInt.empty(),
        Optional.empty());
  }

  @Test
  void anUnknownTokenizerModelIsAnErrorNamingTheKey() {
    assertThatThrownBy(() -> BpeTokenizer.fromGguf(GGUF, small("bert", null)))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("model.gguf")
        .hasMessageContaining("tokenizer.ggml.model = 'bert'");
  }

  @Test
  void anUnknownPreTokenizerIsAnErrorListingTheKnownOnes() {
    assertThatThrownBy(() -> BpeTokenizer.fromGguf(GGUF, small("gpt2", "deepseek-coder")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("tokenizer.ggml.pre = 'deepseek-coder'")
        .hasMessageContaining("llama-bpe")
        .hasMessageContaining("tokenizer.json beside the GGUF file");
  }

  @Test
  void badArraysAndIdsAreErrorsNamingTheKey() {
    GgufVocabulary good = small("llama", null);
    assertThatThrownBy(
            () ->
                BpeTokenizer.fromGguf(
                    GGUF,
                    new GgufVocabulary(
                        "llama",
                        Optional.empty(),
                        good.tokens(),
                        new float[2],
                        good.tokenTypes(),
                        List.of(),
                        good.bosId(),
                        good.eosId(),
                        good.unknownId(),
                        good.paddingId(),
                        good.addBosToken())))
        .hasMessageContaining("2 entries in tokenizer.ggml.scores but 4");
    assertThatThrownBy(
            () ->
                BpeTokenizer.fromGguf(
                    GGUF,
                    new GgufVocabulary(
                        "llama",
                        Optional.empty(),
                        good.tokens(),
                        new float[0],
                        good.tokenTypes(),
                        List.of(),
                        good.bosId(),
                        good.eosId(),
                        good.unknownId(),
                        good.paddingId(),
                        good.addBosToken())))
        .hasMessageContaining("neither tokenizer.ggml.merges nor tokenizer.ggml.scores");
    assertThatThrownBy(
            () ->
                BpeTokenizer.fromGguf(
                    GGUF,
                    new GgufVocabulary(
                        "llama",
                        Optional.empty(),
                        good.tokens(),
                        good.scores(),
                        good.tokenTypes(),
                        good.merges(),
                        OptionalInt.of(2_000_000_000),
                        good.eosId(),
                        good.unknownId(),
                        good.paddingId(),
                        good.addBosToken())))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("tokenizer.ggml.bos_token_id = 2000000000");
    assertThatThrownBy(
            () ->
                BpeTokenizer.fromGguf(
                    GGUF,
                    new GgufVocabulary(
                        "llama",
                        Optional.empty(),
                        List.of("a", "b", "a", "<s>"),
                        good.scores(),
                        good.tokenTypes(),
                        List.of(),
                        good.bosId(),
                        good.eosId(),
                        good.unknownId(),
                        good.paddingId(),
                        good.addBosToken())))
        .hasMessageContaining("lists the token 'a' twice");
    assertThatThrownBy(
            () ->
                BpeTokenizer.fromGguf(
                    GGUF,
                    new GgufVocabulary(
                        "llama",
                        Optional.empty(),
                        good.tokens(),
                        good.scores(),
                        new int[] {1, 1, 9, 3},
                        good.merges(),
                        good.bosId(),
                        good.eosId(),
                        good.unknownId(),
                        good.paddingId(),
                        good.addBosToken())))
        .hasMessageContaining("tokenizer.ggml.token_type 9");
    assertThatThrownBy(
            () ->
                BpeTokenizer.fromGguf(
                    GGUF,
                    new GgufVocabulary(
                        "llama",
                        Optional.empty(),
                        good.tokens(),
                        good.scores(),
                        good.tokenTypes(),
                        List.of("ab"),
                        good.bosId(),
                        good.eosId(),
                        good.unknownId(),
                        good.paddingId(),
                        good.addBosToken())))
        .hasMessageContaining("tokenizer.ggml.merges[0] = 'ab'");
  }

  @Test
  void aSmallSentencePieceVocabularyWithDerivedMergesEncodesAndKeepsItsBos() {
    try (BpeTokenizer tokenizer = BpeTokenizer.fromGguf(GGUF, small("llama", null))) {
      assertThat(tokenizer.bos()).contains(new BpeTokenizer.Token(3, "<s>"));
      assertThat(tokenizer.addsBosToken()).isTrue(); // llama.cpp's default for SentencePiece
      assertThat(tokenizer.specialTokenId("<s>")).hasValue(3);
      assertThat(Arrays.stream(tokenizer.encode("ab")).boxed().toList()).contains(2);
    }
  }
}
