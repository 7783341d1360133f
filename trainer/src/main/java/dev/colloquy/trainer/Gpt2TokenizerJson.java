package dev.colloquy.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds GPT-2's real {@code tokenizer.json} from the BPE ranks jtokkit ships as {@code
 * r50k_base.tiktoken} (the same 50,256 byte sequences as GPT-2's vocabulary, plus {@code
 * <|endoftext|>} at 50256), for {@link RandomCheckpoint}. A copy of colloquy-model-local's test
 * fixture of the same name, which cannot depend on this module (it would close a cycle).
 *
 * <p>The vocabulary maps each token's bytes through GPT-2's byte-to-unicode table. The merges are
 * recovered from the ranks: a token of rank r is the merge of the two parts that byte-pair encoding
 * of its bytes with the ranks below r leaves, and merges are listed in rank order.
 */
final class Gpt2TokenizerJson {

  /** GPT-2's end-of-text token id. */
  static final int END_OF_TEXT = 50256;

  private static String cached;

  private Gpt2TokenizerJson() {}

  /** Returns the tokenizer.json text (built once per JVM, about a second). */
  static synchronized String text() {
    if (cached == null) {
      cached = build();
    }
    return cached;
  }

  private static String build() {
    List<byte[]> tokens = readRanks();
    char[] byteToChar = byteToUnicode();
    Map<String, Integer> ranks = new HashMap<>();
    for (int rank = 0; rank < tokens.size(); rank++) {
      ranks.put(latin1(tokens.get(rank)), rank);
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ObjectNode added = root.putArray("added_tokens").addObject();
    added
        .put("id", END_OF_TEXT)
        .put("content", "<|endoftext|>")
        .put("single_word", false)
        .put("lstrip", false)
        .put("rstrip", false)
        .put("normalized", true)
        .put("special", true);
    root.putNull("normalizer");
    root.set("pre_tokenizer", byteLevel(json, false, true));
    root.set("post_processor", byteLevel(json, true, false));
    root.set("decoder", byteLevel(json, true, true));
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE").putNull("dropout");
    model.putNull("unk_token");
    model
        .put("continuing_subword_prefix", "")
        .put("end_of_word_suffix", "")
        .put("fuse_unk", false)
        .put("byte_fallback", false);
    ObjectNode vocab = model.putObject("vocab");
    for (int rank = 0; rank < tokens.size(); rank++) {
      vocab.put(mapped(tokens.get(rank), byteToChar), rank);
    }
    vocab.put("<|endoftext|>", END_OF_TEXT);
    ArrayNode merges = model.putArray("merges");
    for (int rank = 0; rank < tokens.size(); rank++) {
      byte[] token = tokens.get(rank);
      if (token.length < 2) {
        continue;
      }
      List<String> parts = encodeBelow(latin1(token), ranks, rank);
      if (parts.size() != 2) {
        throw new IllegalStateException(
            "rank " + rank + " does not split into one merge: " + parts);
      }
      merges.add(
          mapped(parts.get(0).getBytes(StandardCharsets.ISO_8859_1), byteToChar)
              + " "
              + mapped(parts.get(1).getBytes(StandardCharsets.ISO_8859_1), byteToChar));
    }
    try {
      return json.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Byte-pair encodes {@code piece} (one char per byte) using only ranks below {@code limit}. */
  private static List<String> encodeBelow(String piece, Map<String, Integer> ranks, int limit) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < piece.length(); i++) {
      parts.add(piece.substring(i, i + 1));
    }
    while (parts.size() > 1) {
      int best = -1;
      int bestRank = Integer.MAX_VALUE;
      for (int i = 0; i + 1 < parts.size(); i++) {
        Integer rank = ranks.get(parts.get(i) + parts.get(i + 1));
        if (rank != null && rank < limit && rank < bestRank) {
          bestRank = rank;
          best = i;
        }
      }
      if (best < 0) {
        break;
      }
      parts.set(best, parts.get(best) + parts.remove(best + 1));
    }
    return parts;
  }

  private static ObjectNode byteLevel(
      ObjectMapper json, boolean addPrefixSpace, boolean trimOffsets) {
    ObjectNode node = json.createObjectNode();
    node.put("type", "ByteLevel")
        .put("add_prefix_space", addPrefixSpace)
        .put("trim_offsets", trimOffsets)
        .put("use_regex", true);
    return node;
  }

  private static List<byte[]> readRanks() {
    List<byte[]> tokens = new ArrayList<>();
    try (InputStream in =
        Gpt2TokenizerJson.class.getResourceAsStream("/com/knuddels/jtokkit/r50k_base.tiktoken")) {
      if (in == null) {
        throw new IllegalStateException(
            "r50k_base.tiktoken not on the class path: add com.knuddels:jtokkit");
      }
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        String[] fields = line.split(" ");
        int rank = Integer.parseInt(fields[1]);
        if (rank != tokens.size()) {
          throw new IllegalStateException("ranks are not dense at " + rank);
        }
        tokens.add(Base64.getDecoder().decode(fields[0]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tokens;
  }

  /** GPT-2's table from bytes to printable characters. */
  static char[] byteToUnicode() {
    char[] table = new char[256];
    boolean[] printable = new boolean[256];
    for (int b = '!'; b <= '~'; b++) {
      printable[b] = true;
    }
    for (int b = 0xA1; b <= 0xAC; b++) {
      printable[b] = true;
    }
    for (int b = 0xAE; b <= 0xFF; b++) {
      printable[b] = true;
    }
    int next = 0;
    for (int b = 0; b < 256; b++) {
      table[b] = printable[b] ? (char) b : (char) (256 + next++);
    }
    return table;
  }

  private static String mapped(byte[] bytes, char[] byteToChar) {
    StringBuilder s = new StringBuilder(bytes.length);
    for (byte b : bytes) {
      s.append(byteToChar[b & 0xff]);
    }
    return s.toString();
  }

  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
