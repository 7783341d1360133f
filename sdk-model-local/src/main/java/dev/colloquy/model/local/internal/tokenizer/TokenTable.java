package dev.colloquy.model.local.internal.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colloquy.model.local.ModelLoadException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The tokens of a {@code tokenizer.json} by id: each token's text and raw bytes, and its added
 * tokens by text. Ids are checked (whole numbers, 0 to entries - 1, no duplicates, no gaps) before
 * anything is sized by them, so the table is sized by the file, never by an id it names.
 *
 * <p>Bytes follow the file's decoder: byte-level text (GPT-2, Llama 3, Qwen, SmolLM) maps each
 * character back to its byte; SentencePiece text (Llama 2, Mistral, TinyLlama) has {@code ▁} for a
 * space and, with byte fallback, {@code <0xNN>} for the byte NN. An added token stands for its
 * content as UTF-8.
 */
final class TokenTable {

  private static final char METASPACE = '\u2581';

  /** How vocabulary text becomes bytes. */
  enum Kind {
    BYTE_LEVEL,
    SENTENCE_PIECE
  }

  final String[] texts; // [vocab] token text as the file writes it
  final byte[][] bytes; // [vocab][bytes of the token]
  final boolean[] special; // [vocab] added tokens marked special
  final boolean[] leftStrip; // [vocab] added tokens that take the whitespace before them
  final boolean[] rightStrip; // [vocab] added tokens that take the whitespace after them
  final Map<String, Integer> addedByText;
  final Map<String, Integer> vocabularyByText;

  private TokenTable(
      String[] texts,
      byte[][] bytes,
      boolean[] special,
      boolean[] leftStrip,
      boolean[] rightStrip,
      Map<String, Integer> addedByText,
      Map<String, Integer> vocabularyByText) {
    this.texts = texts;
    this.bytes = bytes;
    this.special = special;
    this.leftStrip = leftStrip;
    this.rightStrip = rightStrip;
    this.addedByText = addedByText;
    this.vocabularyByText = vocabularyByText;
  }

  int size() {
    return bytes.length;
  }

  /** Returns the id of a token: an added token by its content, else a vocabulary entry. */
  Integer idOf(String text) {
    Integer added = addedByText.get(text);
    return added != null ? added : vocabularyByText.get(text);
  }

  /**
   * Reads and checks the vocabulary and added tokens of a tokenizer.json; {@code vocabLabel} names
   * the vocabulary in messages.
   *
   * @param byteFallback whether {@code <0xNN>} vocabulary entries stand for single bytes
   */
  static TokenTable read(
      String source,
      JsonNode vocab,
      JsonNode added,
      String vocabLabel,
      Kind kind,
      boolean byteFallback) {
    if (!added.isMissingNode() && !added.isNull() && !added.isArray()) {
      throw new ModelLoadException(source + " has 'added_tokens' that is not an array");
    }
    if (vocab.isEmpty()) {
      throw new ModelLoadException(source + " has an empty vocabulary (model.vocab)");
    }
    int entries = vocab.size() + added.size();
    int[] charToByte = ByteLevel.charToByte();
    byte[][] table = new byte[entries][];
    String[] texts = new String[entries];
    Map<String, Integer> vocabularyByText = new HashMap<>(vocab.size() * 2);
    int highest = -1;
    for (Iterator<Map.Entry<String, JsonNode>> it = vocab.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String text = entry.getKey();
      int id = id(source, vocabLabel + " " + quoted(text), entry.getValue(), entries);
      if (texts[id] != null) {
        throw duplicate(source, id, texts[id], text);
      }
      texts[id] = text;
      table[id] =
          kind == Kind.BYTE_LEVEL
              ? byteLevelBytes(text, charToByte)
              : sentencePieceBytes(text, byteFallback);
      vocabularyByText.put(text, id);
      highest = Math.max(highest, id);
    }
    boolean[] addedIds = new boolean[entries];
    boolean[] special = new boolean[entries];
    boolean[] leftStrip = new boolean[entries];
    boolean[] rightStrip = new boolean[entries];
    Map<String, Integer> addedByText = new HashMap<>();
    int index = 0;
    for (JsonNode token : added) {
      String where = "added_tokens[" + index++ + "]";
      if (!token.path("content").isTextual()) {
        throw new ModelLoadException(source + " has " + where + " without a 'content' string");
      }
      String content = token.path("content").asText();
      int id = id(source, where + " " + quoted(content), token.path("id"), entries);
      // An added token may restate a vocabulary entry (GPT-2 lists <|endoftext|> in both, Llama 2
      // <s>), never replace one.
      if (addedIds[id] || (texts[id] != null && !texts[id].equals(content))) {
        throw duplicate(source, id, texts[id], content);
      }
      Integer inVocabulary = vocabularyByText.get(content);
      if (inVocabulary != null && inVocabulary != id) {
        throw new ModelLoadException(
            source
                + " gives the added token "
                + quoted(content)
                + " the id "
                + id
                + ", but its vocabulary has it as id "
                + inVocabulary
                + ": an added token must keep its vocabulary id");
      }
      if (addedByText.containsKey(content)) {
        throw new ModelLoadException(
            source
                + " lists the added token "
                + quoted(content)
                + " twice, with ids "
                + addedByText.get(content)
                + " and "
                + id
                + ": each added token must have one id");
      }
      addedIds[id] = true;
      special[id] = token.path("special").asBoolean(false);
      leftStrip[id] = token.path("lstrip").asBoolean(false);
      rightStrip[id] = token.path("rstrip").asBoolean(false);
      texts[id] = content;
      table[id] = content.getBytes(StandardCharsets.UTF_8);
      addedByText.put(content, id);
      highest = Math.max(highest, id);
    }
    for (int id = 0; id <= highest; id++) {
      if (table[id] == null) {
        throw new ModelLoadException(
            source
                + " has no token for id "
                + id
                + " although id "
                + highest
                + " exists: token ids must run from 0 without gaps");
      }
    }
    return new TokenTable(
        Arrays.copyOf(texts, highest + 1),
        Arrays.copyOf(table, highest + 1),
        Arrays.copyOf(special, highest + 1),
        Arrays.copyOf(leftStrip, highest + 1),
        Arrays.copyOf(rightStrip, highest + 1),
        Map.copyOf(addedByText),
        vocabularyByText);
  }

  private static int id(String source, String where, JsonNode node, int entries) {
    if (!node.isIntegralNumber()
        || !node.canConvertToInt()
        || node.asInt() < 0
        || node.asInt() >= entries) {
      throw new ModelLoadException(
          source
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

  private static ModelLoadException duplicate(String source, int id, String first, String second) {
    return new ModelLoadException(
        source
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

  /** {@code ▁} is a space; with byte fallback, {@code <0xNN>} is the byte NN. */
  static byte[] sentencePieceBytes(String text, boolean byteFallback) {
    if (byteFallback && isByteToken(text)) {
      return new byte[] {(byte) Integer.parseInt(text.substring(3, 5), 16)};
    }
    return text.replace(METASPACE, ' ').getBytes(StandardCharsets.UTF_8);
  }

  /** Whether text is a SentencePiece byte token, {@code <0xNN>} with two upper-case hex digits. */
  static boolean isByteToken(String text) {
    return text.length() == 6
        && text.startsWith("<0x")
        && text.charAt(5) == '>'
        && isUpperHex(text.charAt(3))
        && isUpperHex(text.charAt(4));
  }

  private static boolean isUpperHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
  }

  static String quoted(String text) {
    if (text == null) {
      return "(none)";
    }
    return "'" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "'";
  }
}
