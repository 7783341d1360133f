package dev.colloquy.model.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.core.message.Message;
import dev.colloquy.model.local.fixture.GgufConversion;
import dev.colloquy.model.local.fixture.RandomDecoderCheckpoint;
import dev.colloquy.model.local.fixture.RandomDecoderCheckpoint.Tensor;
import dev.colloquy.model.local.internal.generation.PromptEncoder;
import dev.colloquy.model.local.internal.gguf.GgmlType;
import dev.colloquy.model.local.internal.gguf.GgufValue;
import dev.colloquy.model.local.internal.gguf.GgufValueType;
import dev.colloquy.model.local.internal.gguf.GgufWriter;
import dev.colloquy.model.local.internal.tokenizer.BpeTokenizer;
import dev.colloquy.model.local.internal.tokenizer.GgufTokenizerTest;
import dev.colloquy.model.local.internal.tokenizer.GgufVocabulary;
import dev.colloquy.model.local.internal.tokenizer.RealTokenizerFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Qwen3 checkpoint with the real Qwen3 tokenizer and chat template, whose weights are set by hand
 * so that greedy decoding writes a chosen reply: every block adds nothing (zero output
 * projections), each reply token's embedding is its own basis vector, and the LM head maps each of
 * them to the next reply token. The model then answers any prompt ending in the template's {@code
 * <|im_start|>assistant\n} with that reply and the tokenizer's eos, through the real loader,
 * template renderer, tokenizer and engine. Shared through the test-jar with the command line's and
 * the Spring starter's tests.
 */
// "exports": a test fixture, read from the test-jar on the class path; GgmlType is internal.
@SuppressWarnings("exports")
public final class ScriptedQwen3Checkpoint {

  private static final int EOS = 151645;

  private final RandomDecoderCheckpoint shape;
  private final Map<String, Tensor> tensors;
  private final Path tokenizerFolder;

  private ScriptedQwen3Checkpoint(
      RandomDecoderCheckpoint shape, Map<String, Tensor> tensors, Path tokenizerFolder) {
    this.shape = shape;
    this.tensors = tensors;
    this.tokenizerFolder = tokenizerFolder;
  }

  /**
   * Scripts the reply; its tokens (with the Qwen3 tokenizer) must be distinct, since one token of
   * context decides the next.
   *
   * @throws IllegalArgumentException when the reply repeats a token
   */
  public static ScriptedQwen3Checkpoint replying(String reply) {
    Path tokenizerFolder = RealTokenizerFiles.folder("qwen3");
    try (BpeTokenizer tokenizer =
        BpeTokenizer.load(
            tokenizerFolder.resolve(BpeTokenizer.TOKENIZER_FILE),
            tokenizerFolder.resolve(BpeTokenizer.CONFIG_FILE))) {
      RandomDecoderCheckpoint shape =
          new RandomDecoderCheckpoint(
              "qwen3",
              1,
              64,
              4,
              2,
              16,
              64,
              tokenizer.size(),
              1024,
              false,
              0,
              "null",
              "F32",
              1,
              7,
              Map.of("eos_token_id", Integer.toString(EOS)));
      ChatFormat format =
          ModelChatTemplates.format(
              ModelChatTemplates.fromDirectory(tokenizerFolder).orElseThrow(), tokenizer);
      int[] prompt =
          new PromptEncoder(tokenizer, format, EOS, 1024)
              .encode(List.of(Message.user("Hello")), ContextOverflow.FAIL)
              .tokens();
      int[] replyTokens = tokenizer.encode(reply);
      int[] chain = new int[replyTokens.length + 2];
      chain[0] = prompt[prompt.length - 1];
      System.arraycopy(replyTokens, 0, chain, 1, replyTokens.length);
      chain[chain.length - 1] = tokenizer.eos().orElseThrow().id();
      if (Arrays.stream(chain).distinct().count() != chain.length) {
        throw new IllegalArgumentException(
            "the scripted reply needs distinct tokens: " + reply + " is " + Arrays.toString(chain));
      }
      return new ScriptedQwen3Checkpoint(shape, bigram(shape, chain), tokenizerFolder);
    }
  }

  /** Returns the folder of the real Qwen3 tokenizer.json and tokenizer_config.json. */
  public Path tokenizerFolder() {
    return tokenizerFolder;
  }

  /** Writes a Hugging Face directory (config.json, model.safetensors and the tokenizer files). */
  public Path writeHuggingFaceDirectory(Path directory) {
    shape.writeTo(directory, tensors);
    copyTokenizer(directory);
    return directory;
  }

  /** Copies tokenizer.json and tokenizer_config.json (which holds the template) into a folder. */
  public void copyTokenizer(Path directory) {
    try {
      Files.createDirectories(directory);
      Files.copy(
          tokenizerFolder.resolve(BpeTokenizer.TOKENIZER_FILE),
          directory.resolve(BpeTokenizer.TOKENIZER_FILE));
      Files.copy(
          tokenizerFolder.resolve(BpeTokenizer.CONFIG_FILE),
          directory.resolve(BpeTokenizer.CONFIG_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes a GGUF file that needs nothing beside it: the tokenizer and the chat template are in its
   * metadata, as llama.cpp's converter writes them.
   */
  public Path writeGguf(Path file, GgmlType matrixType) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return GgufConversion.write(shape, tensors, file, matrixType, this::writeTokenizer);
  }

  /** Writes a GGUF file without tokenizer metadata (the tokenizer files go beside it). */
  public Path writeGgufWithoutTokenizer(Path file, GgmlType matrixType) {
    return GgufConversion.write(shape, tensors, file, matrixType, writer -> {});
  }

  /** Sets the weights so that token chain[i] is always followed by chain[i + 1]. */
  private static Map<String, Tensor> bigram(RandomDecoderCheckpoint shape, int[] chain) {
    Map<String, Tensor> tensors = new LinkedHashMap<>(shape.tensors());
    int width = shape.width();
    for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
      String name = entry.getKey();
      float[] values = entry.getValue().values();
      if (name.endsWith("o_proj.weight") || name.endsWith("down_proj.weight")) {
        Arrays.fill(values, 0); // each block adds nothing to the residual stream
      } else if (name.equals("model.norm.weight")) {
        Arrays.fill(values, 1);
      } else if (name.equals("lm_head.weight")) {
        Arrays.fill(values, 0);
      }
    }
    float[] embedding = tensors.get("model.embed_tokens.weight").values();
    float[] head = tensors.get("lm_head.weight").values();
    for (int i = 0; i < chain.length; i++) {
      Arrays.fill(embedding, chain[i] * width, (chain[i] + 1) * width, 0);
      embedding[chain[i] * width + i] = 1; // one basis vector per chain token
      if (i + 1 < chain.length) {
        head[chain[i + 1] * width + i] = 4; // the next token scores 4·√width, the others 0
      }
    }
    return tensors;
  }

  /** The real tokenizer as llama.cpp's converter writes it into tokenizer.ggml.* keys. */
  private void writeTokenizer(GgufWriter writer) {
    try {
      ObjectMapper json = new ObjectMapper();
      JsonNode tokenizer = json.readTree(tokenizerFolder.resolve("tokenizer.json").toFile());
      JsonNode config = json.readTree(tokenizerFolder.resolve("tokenizer_config.json").toFile());
      GgufVocabulary vocabulary =
          GgufTokenizerTest.metadata(tokenizer, "gpt2", "qwen2", true, null, EOS);
      long[] types = Arrays.stream(vocabulary.tokenTypes()).asLongStream().toArray();
      writer.putString("tokenizer.ggml.model", "gpt2");
      writer.putString("tokenizer.ggml.pre", "qwen2");
      writer.putArray("tokenizer.ggml.tokens", GgufValue.Array.ofStrings(vocabulary.tokens()));
      writer.putArray("tokenizer.ggml.token_type", new GgufValue.Array(GgufValueType.INT32, types));
      writer.putArray("tokenizer.ggml.merges", GgufValue.Array.ofStrings(vocabulary.merges()));
      writer.putUint32("tokenizer.ggml.eos_token_id", EOS);
      writer.putUint32("tokenizer.ggml.padding_token_id", 151643);
      writer.putBool("tokenizer.ggml.add_bos_token", false);
      writer.putString("tokenizer.chat_template", config.path("chat_template").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
