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
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checkpoint of a family with its real tokenizer and chat template, whose weights are set by hand
 * so that greedy decoding writes a chosen reply: every block adds nothing (zero output
 * projections), each reply token's embedding is its own basis vector, and the LM head maps each of
 * them to the next reply token. The model then answers any prompt ending in the template's
 * assistant header ({@code <|im_start|>assistant\n}, Llama 3.1's {@code
 * assistant<|end_header_id|>\n\n}) with that reply and the tokenizer's eos, through the real
 * loader, template renderer, tokenizer and engine. Shared through the test-jar with the command
 * line's and the Spring starter's tests.
 */
// "exports": a test fixture, read from the test-jar on the class path; GgmlType is internal.
@SuppressWarnings("exports")
public final class ScriptedCheckpoint {

  /**
   * A family with one of the real tokenizers (RealTokenizerFiles).
   *
   * @param tokenizer the real tokenizer's name
   * @param modelType the checkpoint's model_type
   * @param pre the GGUF pre-tokenizer name llama.cpp writes for it
   * @param template a chat template among the test resources' chat-templates to use instead of the
   *     tokenizer config's, or "" (the Llama 3.1 package ships Llama 3's template, which has no
   *     tools)
   */
  public record Family(String tokenizer, String modelType, String pre, String template) {
    @Override
    public String toString() {
      return modelType;
    }
  }

  /** Qwen3, its tokenizer config's template, Hermes tool calls. */
  public static final Family QWEN3 = new Family("qwen3", "qwen3", "qwen2", "");

  /** Llama 3.1, its own 3.1 template, JSON tool calls. */
  public static final Family LLAMA31 =
      new Family("llama3_1", "llama", "llama-bpe", "Llama-3.1-8B-Instruct.jinja");

  private final Family family;
  private final RandomDecoderCheckpoint shape;
  private final Map<String, Tensor> tensors;
  private final Path tokenizerFolder;
  private final String template;

  private ScriptedCheckpoint(
      Family family,
      RandomDecoderCheckpoint shape,
      Map<String, Tensor> tensors,
      Path tokenizerFolder,
      String template) {
    this.family = family;
    this.shape = shape;
    this.tensors = tensors;
    this.tokenizerFolder = tokenizerFolder;
    this.template = template;
  }

  /** A Qwen3 checkpoint that writes {@code reply}; see {@link #replying(Family, String)}. */
  public static ScriptedCheckpoint replying(String reply) {
    return replying(QWEN3, reply);
  }

  /**
   * Scripts the reply; its tokens (with the family's tokenizer) must be distinct, since one token
   * of context decides the next.
   *
   * @throws IllegalArgumentException when the reply repeats a token
   */
  public static ScriptedCheckpoint replying(Family family, String reply) {
    Path tokenizerFolder = RealTokenizerFiles.folder(family.tokenizer());
    try (BpeTokenizer tokenizer =
        BpeTokenizer.load(
            tokenizerFolder.resolve(BpeTokenizer.TOKENIZER_FILE),
            tokenizerFolder.resolve(BpeTokenizer.CONFIG_FILE))) {
      int eos = tokenizer.eos().orElseThrow().id();
      RandomDecoderCheckpoint shape =
          new RandomDecoderCheckpoint(
              family.modelType(),
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
              Map.of("eos_token_id", Integer.toString(eos)));
      String template = template(family, tokenizerFolder);
      ChatFormat format =
          ModelChatTemplates.format(new ModelChatTemplates.Source(template, "test"), tokenizer);
      int[] prompt =
          new PromptEncoder(tokenizer, format, eos, 1024)
              .encode(List.of(Message.user("Hello")), ContextOverflow.FAIL)
              .tokens();
      int[] replyTokens = tokenizer.encode(reply);
      int[] chain = new int[replyTokens.length + 2];
      chain[0] = prompt[prompt.length - 1];
      System.arraycopy(replyTokens, 0, chain, 1, replyTokens.length);
      chain[chain.length - 1] = eos;
      if (Arrays.stream(chain).distinct().count() != chain.length) {
        throw new IllegalArgumentException(
            "the scripted reply needs distinct tokens: " + reply + " is " + Arrays.toString(chain));
      }
      return new ScriptedCheckpoint(family, shape, bigram(shape, chain), tokenizerFolder, template);
    }
  }

  private static String template(Family family, Path tokenizerFolder) {
    if (family.template().isEmpty()) {
      return ModelChatTemplates.fromDirectory(tokenizerFolder).orElseThrow().text();
    }
    try (InputStream in =
        ScriptedCheckpoint.class.getResourceAsStream("/chat-templates/" + family.template())) {
      if (in == null) {
        throw new IllegalStateException("no test resource chat-templates/" + family.template());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the folder of the real tokenizer.json and tokenizer_config.json. */
  public Path tokenizerFolder() {
    return tokenizerFolder;
  }

  /** Writes a Hugging Face directory (config.json, model.safetensors and the tokenizer files). */
  public Path writeHuggingFaceDirectory(Path directory) {
    shape.writeTo(directory, tensors);
    copyTokenizer(directory);
    return directory;
  }

  /**
   * Copies tokenizer.json and tokenizer_config.json into a folder, and writes the family's own
   * template as chat_template.jinja (which comes first, as in newer Hugging Face releases).
   */
  public void copyTokenizer(Path directory) {
    try {
      Files.createDirectories(directory);
      Files.copy(
          tokenizerFolder.resolve(BpeTokenizer.TOKENIZER_FILE),
          directory.resolve(BpeTokenizer.TOKENIZER_FILE));
      Files.copy(
          tokenizerFolder.resolve(BpeTokenizer.CONFIG_FILE),
          directory.resolve(BpeTokenizer.CONFIG_FILE));
      if (!family.template().isEmpty()) {
        Files.writeString(directory.resolve(ModelChatTemplates.TEMPLATE_FILE), template);
      }
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
    try (BpeTokenizer loaded =
        BpeTokenizer.load(
            tokenizerFolder.resolve(BpeTokenizer.TOKENIZER_FILE),
            tokenizerFolder.resolve(BpeTokenizer.CONFIG_FILE))) {
      JsonNode tokenizer =
          new ObjectMapper().readTree(tokenizerFolder.resolve("tokenizer.json").toFile());
      Integer bos = loaded.bos().map(BpeTokenizer.Token::id).orElse(null);
      int eos = loaded.eos().orElseThrow().id();
      GgufVocabulary vocabulary =
          GgufTokenizerTest.metadata(tokenizer, "gpt2", family.pre(), true, bos, eos);
      long[] types = Arrays.stream(vocabulary.tokenTypes()).asLongStream().toArray();
      writer.putString("tokenizer.ggml.model", "gpt2");
      writer.putString("tokenizer.ggml.pre", family.pre());
      writer.putArray("tokenizer.ggml.tokens", GgufValue.Array.ofStrings(vocabulary.tokens()));
      writer.putArray("tokenizer.ggml.token_type", new GgufValue.Array(GgufValueType.INT32, types));
      writer.putArray("tokenizer.ggml.merges", GgufValue.Array.ofStrings(vocabulary.merges()));
      if (bos != null) {
        writer.putUint32("tokenizer.ggml.bos_token_id", bos);
      }
      writer.putUint32("tokenizer.ggml.eos_token_id", eos);
      loaded.padding().ifPresent(p -> writer.putUint32("tokenizer.ggml.padding_token_id", p.id()));
      writer.putBool("tokenizer.ggml.add_bos_token", loaded.addsBosToken());
      writer.putString("tokenizer.chat_template", template);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
