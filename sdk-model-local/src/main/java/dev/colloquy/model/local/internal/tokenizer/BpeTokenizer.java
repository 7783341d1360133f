package dev.colloquy.model.local.internal.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colloquy.model.local.ModelLoadException;
import dev.colloquy.model.local.internal.checkpoint.CappedFile;
import dev.colloquy.model.local.internal.runtime.DjlEnvironment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A BPE tokenizer of today's model families, from their {@code tokenizer.json}: byte-level BPE
 * (GPT-2, Llama 3.x, Qwen 2.5/3, SmolLM2, each with its own pre-tokenizer) and SentencePiece BPE
 * with byte fallback (Llama 2, Mistral, TinyLlama). DJL's Hugging Face tokenizers (the Rust
 * library) encode; our own table decodes.
 *
 * <p>Encoding: a {@code vocab.json} + {@code merges.txt} pair is turned into tokenizer.json form
 * first, and {@link #fromGguf} builds it from a GGUF file's metadata. Ids are checked (0 to size -
 * 1, no gaps or duplicates) before anything is sized by them. {@link #encode} treats its text as
 * plain text: added tokens marked special are removed from the JSON before DJL sees it, so {@code
 * <|im_start|>} or {@code <s>} typed by a user is encoded as ordinary text, never as the special id
 * (what Hugging Face does with {@code split_special_tokens=True}); a non-special added token, such
 * as Qwen's {@code <tool_call>}, stays one token, as it does there. Truncation, padding and the
 * post-processor's bos/eos are off: a chat template writes those as special segments, whose ids
 * {@link #specialTokenId} gives; {@link #addsBosToken} tells whether a text without a template
 * should start with {@link #bos}.
 *
 * <p>Decoding maps each id to its exact bytes (GPT-2's byte-to-unicode table inverted;
 * SentencePiece {@code ▁} as a space and {@code <0xNN>} as the byte NN), so a streaming decoder can
 * hold back a character split across tokens. A SentencePiece tokenizer prepends a space to the text
 * it encodes and its decoder removes one at the start of what it decodes: {@link #decode} does the
 * same, and a streamed reply gets it through {@link #newReply}. The {@code
 * clean_up_tokenization_spaces} setting is ignored: decoding gives the bytes the model chose.
 * Thread-safe.
 */
public final class BpeTokenizer implements AutoCloseable {

  /** The tokenizer file looked for first in a model directory. */
  public static final String TOKENIZER_FILE = "tokenizer.json";

  /** The tokenizer config file read beside {@link #TOKENIZER_FILE} when present. */
  public static final String CONFIG_FILE = TokenizerConfig.FILE;

  /** A token of the vocabulary: its id and its text. */
  public record Token(int id, String text) {}

  /**
   * An added token as tokenizer.json describes it.
   *
   * @param special whether it is special: typed in a text, it stays text
   * @param leftStrip whether Hugging Face's encoder drops the whitespace just before it ({@code
   *     lstrip}); the text segment before it should lose its trailing whitespace
   * @param rightStrip whether it drops the whitespace just after it ({@code rstrip}); the text
   *     segment after it should lose its leading whitespace
   */
  public record AddedToken(
      int id, String text, boolean special, boolean leftStrip, boolean rightStrip) {}

  private final Path file;
  private final HuggingFaceTokenizer encoder;
  private final HuggingFaceTokenizer followingEncoder; // same as encoder unless prepending differs
  private final TokenTable table;
  private final TokenizerShape shape;
  private final Optional<Token> bos;
  private final Optional<Token> eos;
  private final Optional<Token> padding;
  private final boolean addsBosToken;

  private BpeTokenizer(
      Path file,
      HuggingFaceTokenizer encoder,
      HuggingFaceTokenizer followingEncoder,
      TokenTable table,
      TokenizerShape shape,
      Optional<Token> bos,
      Optional<Token> eos,
      Optional<Token> padding,
      boolean addsBosToken) {
    this.file = file;
    this.encoder = encoder;
    this.followingEncoder = followingEncoder;
    this.table = table;
    this.shape = shape;
    this.bos = bos;
    this.eos = eos;
    this.padding = padding;
    this.addsBosToken = addsBosToken;
  }

  /**
   * Loads the tokenizer of a model directory: its {@code tokenizer.json} (with {@code
   * tokenizer_config.json} when present), or else the {@code vocab.json} + {@code merges.txt} pair.
   *
   * @throws ModelLoadException naming the directory when it has neither, or the file at fault
   */
  public static BpeTokenizer fromModelDirectory(Path directory) {
    Path tokenizerFile = directory.resolve(TOKENIZER_FILE);
    Path vocabFile = directory.resolve(VocabAndMerges.VOCAB_FILE);
    Path mergesFile = directory.resolve(VocabAndMerges.MERGES_FILE);
    Path configFile = directory.resolve(CONFIG_FILE);
    TokenizerConfig config =
        Files.exists(configFile) ? TokenizerConfig.read(configFile) : TokenizerConfig.NONE;
    if (Files.exists(tokenizerFile)) {
      return fromJson(tokenizerFile, readJson(tokenizerFile), "model.vocab token", config);
    }
    if (!Files.exists(vocabFile) && !Files.exists(mergesFile)) {
      throw new ModelLoadException(
          "model directory "
              + directory
              + " has no tokenizer: it needs "
              + TOKENIZER_FILE
              + ", or vocab.json and merges.txt (save_pretrained writes them beside the weights)");
    }
    if (!Files.exists(vocabFile) || !Files.exists(mergesFile)) {
      throw new ModelLoadException(
          "model directory "
              + directory
              + " has "
              + (Files.exists(vocabFile)
                  ? VocabAndMerges.VOCAB_FILE + " but no " + VocabAndMerges.MERGES_FILE
                  : VocabAndMerges.MERGES_FILE + " but no " + VocabAndMerges.VOCAB_FILE)
              + " (and no "
              + TOKENIZER_FILE
              + "): the tokenizer needs both, or "
              + TOKENIZER_FILE);
    }
    return fromJson(vocabFile, VocabAndMerges.read(vocabFile, mergesFile), "token", config);
  }

  /**
   * Loads a {@code tokenizer.json} alone (no tokenizer_config.json: bos and eos are unknown unless
   * the post-processor names a bos).
   *
   * @throws ModelLoadException naming the file when it is missing, malformed or not a supported BPE
   */
  public static BpeTokenizer load(Path file) {
    return fromJson(file, readJson(file), "model.vocab token", TokenizerConfig.NONE);
  }

  /**
   * Loads a {@code tokenizer.json} with its {@code tokenizer_config.json}.
   *
   * @throws ModelLoadException naming the file at fault when either is missing or malformed, or a
   *     bos, eos or padding token the config names is not a token of the tokenizer
   */
  public static BpeTokenizer load(Path file, Path configFile) {
    return fromJson(file, readJson(file), "model.vocab token", TokenizerConfig.read(configFile));
  }

  /**
   * Builds the tokenizer a GGUF file describes in its {@code tokenizer.ggml.*} metadata, for a GGUF
   * file with no tokenizer.json beside it: the equivalent tokenizer.json is made in memory ({@link
   * GgufTokenizerJson}) and loaded as a file would be.
   *
   * @param ggufFile the GGUF file, named in messages and returned by {@link #file()}
   * @throws ModelLoadException naming the file and the metadata key when the values are unusable
   */
  public static BpeTokenizer fromGguf(Path ggufFile, GgufVocabulary vocabulary) {
    GgufTokenizerJson.Built built = GgufTokenizerJson.build(ggufFile, vocabulary);
    return fromJson(ggufFile, built.json(), "tokenizer.ggml.tokens entry", built.config());
  }

  private static ObjectNode readJson(Path file) {
    try {
      JsonNode node =
          new ObjectMapper()
              .readTree(CappedFile.read(file, CappedFile.TOKENIZER_CAP, "tokenizer file"));
      if (!(node instanceof ObjectNode object)) {
        throw new ModelLoadException("tokenizer file " + file + " is not a JSON object");
      }
      return object;
    } catch (IOException e) {
      throw new ModelLoadException(
          "cannot read tokenizer file "
              + file
              + ": "
              + e.getMessage()
              + " (a model directory needs tokenizer.json, or vocab.json and merges.txt)",
          e);
    }
  }

  /**
   * Checks a tokenizer.json tree read from {@code file} and hands it to DJL; {@code vocabLabel}
   * names its vocabulary in messages.
   */
  private static BpeTokenizer fromJson(
      Path file, ObjectNode json, String vocabLabel, TokenizerConfig config) {
    String source = "tokenizer file " + file;
    JsonNode vocab = json.path("model").path("vocab");
    if (!json.path("model").path("type").asText("").equals("BPE") || !vocab.isObject()) {
      throw new ModelLoadException(source + " is not a BPE tokenizer with a vocabulary");
    }
    TokenizerShape shape = TokenizerShape.of(source, json);
    TokenTable table =
        TokenTable.read(
            source,
            vocab,
            json.path("added_tokens"),
            vocabLabel,
            shape.kind(),
            shape.byteFallback());
    Optional<Token> bos =
        resolve(source, "bos_token", config.bosToken().or(shape::postProcessorBos), table);
    Optional<Token> eos = resolve(source, "eos_token", config.eosToken(), table);
    Optional<Token> padding = resolve(source, "pad_token", config.padToken(), table);
    boolean addsBos =
        config.addBosToken().orElse(shape.postProcessorBos().isPresent()) && bos.isPresent();
    ArrayNode kept = json.arrayNode();
    ObjectNode vocabulary = (ObjectNode) vocab;
    for (JsonNode token : json.path("added_tokens")) {
      if (!token.path("special").asBoolean(false)) {
        kept.add(token);
        // The Rust library numbers an added token missing from the vocabulary after the last id
        // it knows, whatever its "id" says: with the special ones gone, Qwen's <tool_call> would
        // take <|endoftext|>'s id. In the vocabulary, it keeps its own.
        vocabulary.put(token.path("content").asText(), token.path("id").asInt());
      }
    }
    json.set("added_tokens", kept);
    DjlEnvironment.preferOffline();
    HuggingFaceTokenizer encoder = djl(file, json);
    HuggingFaceTokenizer following = encoder;
    if (shape.prependsOnlyAtStart()) {
      try {
        following = djl(file, TokenizerShape.withoutPrepending(json));
      } catch (RuntimeException e) {
        encoder.close();
        throw e;
      }
    }
    return new BpeTokenizer(file, encoder, following, table, shape, bos, eos, padding, addsBos);
  }

  private static HuggingFaceTokenizer djl(Path file, ObjectNode json) {
    try {
      return HuggingFaceTokenizer.newInstance(
          new ByteArrayInputStream(json.toString().getBytes(StandardCharsets.UTF_8)),
          Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException(
          "DJL could not load tokenizer file " + file + ": " + e.getMessage(), e);
    }
  }

  private static Optional<Token> resolve(
      String source, String key, Optional<String> text, TokenTable table) {
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Integer id = table.idOf(text.get());
    if (id == null) {
      throw new ModelLoadException(
          source
              + ": its "
              + key
              + " "
              + TokenTable.quoted(text.get())
              + " (from "
              + CONFIG_FILE
              + " or the post-processor) is not a token of the tokenizer");
    }
    return Optional.of(new Token(id, text.get()));
  }

  /**
   * Encodes text as token ids, as a whole input or its start; special-token text is plain text. A
   * SentencePiece tokenizer prepends its {@code ▁} as its normalizer or pre-tokenizer says.
   */
  public int[] encode(String text) {
    return encode(encoder, text);
  }

  /**
   * Encodes text that follows other tokens in the same input, such as a chat template's text after
   * a special token. Differs from {@link #encode} only for a Metaspace pre-tokenizer with {@code
   * prepend_scheme: "first"}, which prepends {@code ▁} only at the start of the input (Hugging Face
   * splits special tokens out first, so text after one gets none); the legacy normalizer of Llama 2
   * and Mistral v0.1 prepends it to every piece of text, there and here.
   */
  public int[] encodeFollowing(String text) {
    return encode(followingEncoder, text);
  }

  private static int[] encode(HuggingFaceTokenizer encoder, String text) {
    if (text.isEmpty()) {
      return new int[0];
    }
    Encoding encoding = encoder.encode(text, false, false);
    long[] ids = encoding.getIds();
    int[] result = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      result[i] = Math.toIntExact(ids[i]);
    }
    return result;
  }

  /**
   * Returns the id of an added token by its exact text (special or not, such as {@code
   * <|im_start|>} or {@code <tool_call>}): what a chat template's {@code ChatFormat.Special}
   * segment is encoded as. Empty when the tokenizer has no such added token.
   */
  public OptionalInt specialTokenId(String text) {
    Integer id = table.addedByText.get(text);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  /**
   * Returns the text of every added token marked special (such as {@code <|im_start|>}): what a
   * chat template may write as markup and a user's text never becomes.
   */
  public List<String> specialTokens() {
    List<String> texts = new ArrayList<>();
    table.addedByText.forEach(
        (text, id) -> {
          if (table.special[id]) {
            texts.add(text);
          }
        });
    texts.sort(null);
    return texts;
  }

  /**
   * Returns an added token by its exact text, with what encoding a template's special segment needs
   * to know about it; empty when the tokenizer has no such added token.
   */
  public Optional<AddedToken> addedToken(String text) {
    Integer id = table.addedByText.get(text);
    return id == null
        ? Optional.empty()
        : Optional.of(
            new AddedToken(id, text, table.special[id], table.leftStrip[id], table.rightStrip[id]));
  }

  /** Whether an id is an added token marked special (bos, eos, a template's control token). */
  public boolean isSpecial(int id) {
    checkId(id);
    return table.special[id];
  }

  /** Returns the text of a token as the tokenizer file writes it (e.g. {@code Ġworld}). */
  public String tokenText(int id) {
    checkId(id);
    return table.texts[id];
  }

  /** The beginning-of-sequence token, from tokenizer_config.json, GGUF or the post-processor. */
  public Optional<Token> bos() {
    return bos;
  }

  /** The end-of-sequence token, from tokenizer_config.json or GGUF. */
  public Optional<Token> eos() {
    return eos;
  }

  /** The padding token, from tokenizer_config.json or GGUF. */
  public Optional<Token> padding() {
    return padding;
  }

  /**
   * Whether a text encoded without a chat template should start with {@link #bos} (the config's
   * {@code add_bos_token}, else whether the post-processor adds it); always false without a bos.
   * {@link #encode} never adds it: a chat template that writes its bos itself (Llama, Mistral)
   * needs none added, and one that does not needs it added by the caller only when this is true.
   */
  public boolean addsBosToken() {
    return addsBosToken;
  }

  /**
   * Whether decoding removes one space at the start of a text, as a SentencePiece tokenizer whose
   * encoding prepends one does.
   */
  public boolean stripsLeadingSpace() {
    return shape.stripsLeadingSpace();
  }

  /** Returns the raw bytes a token stands for (UTF-8 pieces, possibly part of a character). */
  public byte[] bytes(int id) {
    checkId(id);
    return table.bytes[id];
  }

  private void checkId(int id) {
    if (id < 0 || id >= table.size()) {
      throw new IllegalArgumentException(
          "token id " + id + " is outside the tokenizer's " + table.size() + " tokens");
    }
  }

  /** Returns the number of token ids. */
  public int size() {
    return table.size();
  }

  /**
   * Decodes ids to text, as Hugging Face's decoder does without skipping special tokens (a leading
   * space removed where {@link #stripsLeadingSpace}); invalid UTF-8 becomes U+FFFD.
   */
  public String decode(int[] ids) {
    ReplyBytes reply = newReply();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int id : ids) {
      out.writeBytes(reply.next(id));
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * Starts the bytes of a streamed reply: each generated id's exact bytes, except that where {@link
   * #stripsLeadingSpace} the reply's first byte is dropped when it is a space, as Hugging Face's
   * decoder drops it from a decoded reply ({@code ▁Hello} after {@code [/INST]} reads {@code
   * Hello}). One per reply; not thread-safe.
   */
  public ReplyBytes newReply() {
    return new ReplyBytes(this);
  }

  /** Returns the file this tokenizer came from (a GGUF file for {@link #fromGguf}). */
  public Path file() {
    return file;
  }

  @Override
  public void close() {
    if (followingEncoder != encoder) {
      followingEncoder.close();
    }
    encoder.close();
  }
}
