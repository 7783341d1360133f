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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * GPT-2's byte-level BPE tokenizer: DJL's Hugging Face tokenizers encode, our own table decodes.
 *
 * <p>Encoding goes through DJL from {@code tokenizer.json}; a {@code vocab.json} + {@code
 * merges.txt} pair is turned into that form first (DJL's own vocab+merges path lacks the byte-level
 * pre-tokenizer). Ids are checked (0 to size - 1, no gaps or duplicates) before anything is sized
 * by them. Special added tokens are removed from the JSON before DJL sees it, so {@code
 * <|endoftext|>} typed by a user is encoded as ordinary text, never as the special id; truncation,
 * padding and added special tokens are off. Decoding maps each id to its raw bytes (inverting
 * GPT-2's byte-to-unicode table), so a streaming decoder can hold back a character split across
 * tokens. Thread-safe.
 */
public final class GptTokenizer implements AutoCloseable {

  /** The tokenizer file looked for first in a model directory. */
  public static final String TOKENIZER_FILE = "tokenizer.json";

  private final HuggingFaceTokenizer encoder;
  private final byte[][] tokenBytes; // [vocab][bytes of the token]
  private final Path file;

  private GptTokenizer(Path file, HuggingFaceTokenizer encoder, byte[][] tokenBytes) {
    this.file = file;
    this.encoder = encoder;
    this.tokenBytes = tokenBytes;
  }

  /**
   * Loads the tokenizer of a model directory: its {@code tokenizer.json}, or else the {@code
   * vocab.json} + {@code merges.txt} pair.
   *
   * @throws ModelLoadException naming the directory when it has neither, or the file at fault
   */
  public static GptTokenizer fromModelDirectory(Path directory) {
    Path tokenizerFile = directory.resolve(TOKENIZER_FILE);
    Path vocabFile = directory.resolve(VocabAndMerges.VOCAB_FILE);
    Path mergesFile = directory.resolve(VocabAndMerges.MERGES_FILE);
    if (Files.exists(tokenizerFile)) {
      return load(tokenizerFile);
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
    return fromJson(vocabFile, VocabAndMerges.read(vocabFile, mergesFile), "token");
  }

  /**
   * Loads a {@code tokenizer.json}.
   *
   * @throws ModelLoadException naming the file when it is missing, malformed or not byte-level BPE
   */
  public static GptTokenizer load(Path file) {
    ObjectNode json;
    try {
      JsonNode node =
          new ObjectMapper()
              .readTree(CappedFile.read(file, CappedFile.TOKENIZER_CAP, "tokenizer file"));
      if (!(node instanceof ObjectNode object)) {
        throw new ModelLoadException("tokenizer file " + file + " is not a JSON object");
      }
      json = object;
    } catch (IOException e) {
      throw new ModelLoadException(
          "cannot read tokenizer file "
              + file
              + ": "
              + e.getMessage()
              + " (a GPT-2 "
              + "directory needs tokenizer.json, or vocab.json and merges.txt)",
          e);
    }
    return fromJson(file, json, "model.vocab token");
  }

  /**
   * Checks a tokenizer.json tree read from {@code file} and hands it to DJL; {@code vocabLabel}
   * names its vocabulary in messages.
   */
  private static GptTokenizer fromJson(Path file, ObjectNode json, String vocabLabel) {
    JsonNode vocab = json.path("model").path("vocab");
    if (!json.path("model").path("type").asText("").equals("BPE") || !vocab.isObject()) {
      throw new ModelLoadException(
          "tokenizer file " + file + " is not a BPE tokenizer with a vocabulary");
    }
    byte[][] tokenBytes = decodingTable(file, vocab, json.path("added_tokens"), vocabLabel);
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
      HuggingFaceTokenizer encoder =
          HuggingFaceTokenizer.newInstance(
              new ByteArrayInputStream(json.toString().getBytes(StandardCharsets.UTF_8)),
              Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
      return new GptTokenizer(file, encoder, tokenBytes);
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException(
          "DJL could not load tokenizer file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Maps each id to its bytes, after checking that the ids number the tokens from 0 without gaps or
   * duplicates. No id can exceed the number of entries, so the table is sized by the file, not by
   * an id it names.
   */
  private static byte[][] decodingTable(
      Path file, JsonNode vocab, JsonNode added, String vocabLabel) {
    if (!added.isMissingNode() && !added.isNull() && !added.isArray()) {
      throw new ModelLoadException(
          "tokenizer file " + file + " has 'added_tokens' that is not an array");
    }
    if (vocab.isEmpty()) {
      throw new ModelLoadException(
          "tokenizer file " + file + " has an empty vocabulary (model.vocab)");
    }
    int entries = vocab.size() + added.size();
    int[] charToByte = ByteLevel.charToByte();
    byte[][] table = new byte[entries][];
    String[] texts = new String[entries];
    int highest = -1;
    for (Iterator<Map.Entry<String, JsonNode>> it = vocab.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String text = entry.getKey();
      int id = id(file, vocabLabel + " " + quoted(text), entry.getValue(), entries);
      if (texts[id] != null) {
        throw duplicate(file, id, texts[id], text);
      }
      texts[id] = text;
      table[id] = byteLevelBytes(text, charToByte);
      highest = Math.max(highest, id);
    }
    boolean[] addedIds = new boolean[entries];
    int index = 0;
    for (JsonNode token : added) {
      String where = "added_tokens[" + index++ + "]";
      if (!token.path("content").isTextual()) {
        throw new ModelLoadException(
            "tokenizer file " + file + " has " + where + " without a 'content' string");
      }
      String content = token.path("content").asText();
      int id = id(file, where + " " + quoted(content), token.path("id"), entries);
      // An added token may restate a vocabulary entry (GPT-2 lists <|endoftext|> in both), never
      // replace one.
      if (addedIds[id] || (texts[id] != null && !texts[id].equals(content))) {
        throw duplicate(file, id, texts[id], content);
      }
      addedIds[id] = true;
      texts[id] = content;
      table[id] = content.getBytes(StandardCharsets.UTF_8);
      highest = Math.max(highest, id);
    }
    for (int id = 0; id <= highest; id++) {
      if (table[id] == null) {
        throw new ModelLoadException(
            "tokenizer file "
                + file
                + " has no token for id "
                + id
                + " although id "
                + highest
                + " exists: token ids must run from 0 without gaps");
      }
    }
    return Arrays.copyOf(table, highest + 1);
  }

  private static int id(Path file, String where, JsonNode node, int entries) {
    if (!node.isIntegralNumber()
        || !node.canConvertToInt()
        || node.asInt() < 0
        || node.asInt() >= entries) {
      throw new ModelLoadException(
          "tokenizer file "
              + file
              + " gives "
              + where
              + " the id "
              + (node.isMissingNode() ? "(none)" : node.toString())
              + ", but ids must be whole numbers from 0 to "
              + (entries - 1)
              + " (the file lists "
              + entries
              + " tokens, numbered from 0 without gaps)");
    }
    return node.asInt();
  }

  private static ModelLoadException duplicate(Path file, int id, String first, String second) {
    return new ModelLoadException(
        "tokenizer file "
            + file
            + " gives id "
            + id
            + " to both "
            + quoted(first)
            + " and "
            + quoted(second)
            + ": each id must name one token");
  }

  private static byte[] byteLevelBytes(String text, int[] charToByte) {
    byte[] bytes = new byte[text.length()];
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= charToByte.length || charToByte[c] < 0) {
        return text.getBytes(StandardCharsets.UTF_8); // not byte-level text, e.g. a special token
      }
      bytes[i] = (byte) charToByte[c];
    }
    return bytes;
  }

  private static String quoted(String text) {
    return "'" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "'";
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
      throw new IllegalArgumentException(
          "token id " + id + " is outside the tokenizer's " + tokenBytes.length + " tokens");
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
