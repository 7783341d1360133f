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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * GPT-2's byte-level BPE tokenizer: DJL's Hugging Face tokenizers encode, our own table decodes.
 *
 * <p>Encoding goes through DJL from {@code tokenizer.json} (its vocab+merges path lacks the
 * byte-level pre-tokenizer). Special added tokens are removed from the JSON before DJL sees it, so
 * {@code <|endoftext|>} typed by a user is encoded as ordinary text, never as the special id;
 * truncation, padding and added special tokens are off. Decoding maps each id to its raw bytes
 * (inverting GPT-2's byte-to-unicode table), so a streaming decoder can hold back a character
 * split across tokens. Thread-safe.
 */
public final class GptTokenizer implements AutoCloseable {

  private final HuggingFaceTokenizer encoder;
  private final byte[][] tokenBytes; // [vocab][bytes of the token]
  private final Path file;

  private GptTokenizer(Path file, HuggingFaceTokenizer encoder, byte[][] tokenBytes) {
    this.file = file;
    this.encoder = encoder;
    this.tokenBytes = tokenBytes;
  }

  /**
   * Loads a {@code tokenizer.json}.
   *
   * @throws ModelLoadException naming the file when it is missing, malformed or not byte-level BPE
   */
  public static GptTokenizer load(Path file) {
    ObjectNode json;
    try {
      JsonNode node = new ObjectMapper().readTree(CappedFile.read(file, CappedFile.TOKENIZER_CAP, "tokenizer file"));
      if (!(node instanceof ObjectNode object)) {
        throw new ModelLoadException("tokenizer file " + file + " is not a JSON object");
      }
      json = object;
    } catch (IOException e) {
      throw new ModelLoadException("cannot read tokenizer file " + file + ": " + e.getMessage()
          + " (a GPT-2 directory needs tokenizer.json; vocab.json + merges.txt alone are not supported)", e);
    }
    JsonNode vocab = json.path("model").path("vocab");
    if (!json.path("model").path("type").asText("").equals("BPE") || !vocab.isObject()) {
      throw new ModelLoadException("tokenizer file " + file + " is not a BPE tokenizer with a vocabulary");
    }
    byte[][] tokenBytes = decodingTable(file, vocab, json.path("added_tokens"));
    JsonNode added = json.path("added_tokens");
    ArrayNode kept = json.arrayNode();
    for (JsonNode token : added) {
      if (!token.path("special").asBoolean(false)) {
        kept.add(token);
      }
    }
    json.set("added_tokens", kept);
    DjlEnvironment.preferOffline();
    try {
      HuggingFaceTokenizer encoder = HuggingFaceTokenizer.newInstance(
          new ByteArrayInputStream(json.toString().getBytes(StandardCharsets.UTF_8)),
          Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
      return new GptTokenizer(file, encoder, tokenBytes);
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException("DJL could not load tokenizer file " + file + ": " + e.getMessage(), e);
    }
  }

  private static byte[][] decodingTable(Path file, JsonNode vocab, JsonNode added) {
    int size = 0;
    for (Iterator<JsonNode> it = vocab.elements(); it.hasNext(); ) {
      size = Math.max(size, it.next().asInt() + 1);
    }
    for (JsonNode token : added) {
      size = Math.max(size, token.path("id").asInt() + 1);
    }
    int[] charToByte = ByteLevel.charToByte();
    byte[][] table = new byte[size][];
    for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String text = entry.getKey();
      byte[] bytes = new byte[text.length()];
      boolean byteLevel = true;
      for (int i = 0; i < text.length() && byteLevel; i++) {
        char c = text.charAt(i);
        byteLevel = c < charToByte.length && charToByte[c] >= 0;
        bytes[i] = byteLevel ? (byte) charToByte[c] : 0;
      }
      table[entry.getValue().asInt()] = byteLevel ? bytes : text.getBytes(StandardCharsets.UTF_8);
    }
    for (JsonNode token : added) {
      table[token.path("id").asInt()] = token.path("content").asText().getBytes(StandardCharsets.UTF_8);
    }
    for (int id = 0; id < size; id++) {
      if (table[id] == null) {
        throw new ModelLoadException("tokenizer file " + file + " has no token for id " + id
            + " although higher ids exist: the vocabulary is not dense");
      }
    }
    return table;
  }

  /** Encodes text as GPT-2 token ids; special-token text is encoded as plain text. */
  public int[] encode(String text) {
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

  /** Returns the raw bytes a token stands for (UTF-8 pieces, possibly part of a character). */
  public byte[] bytes(int id) {
    if (id < 0 || id >= tokenBytes.length) {
      throw new IllegalArgumentException("token id " + id + " is outside the tokenizer's " + tokenBytes.length + " tokens");
    }
    return tokenBytes[id];
  }

  /** Returns the number of token ids. */
  public int size() {
    return tokenBytes.length;
  }

  /** Decodes ids to text; invalid UTF-8 becomes U+FFFD. */
  public String decode(int[] ids) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int id : ids) {
      out.writeBytes(bytes(id));
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Returns the file this tokenizer came from. */
  public Path file() {
    return file;
  }

  @Override
  public void close() {
    encoder.close();
  }
}
