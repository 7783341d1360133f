package dev.colloquy.model.local.internal.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trains a GPT-2-style byte-level BPE tokenizer on a corpus and writes it as a standard {@code
 * tokenizer.json} (byte-level pre-tokenizer and decoder, BPE model, {@code <|endoftext|>} as the
 * last id). Words are split with GPT-2's pattern; the most frequent adjacent pair is merged until
 * the vocabulary is full, ties broken by the pair's text, so the result depends only on the corpus.
 * Digits are never merged, so every digit stays its own token (a model can then copy numbers digit
 * by digit).
 */
public final class BpeTrainer {

  /** The end-of-text token's text. */
  public static final String END_OF_TEXT = ByteLevelBpeJson.END_OF_TEXT;

  private static final Pattern WORDS =
      Pattern.compile(
          "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

  private BpeTrainer() {}

  /**
   * Trains a tokenizer.
   *
   * @param texts the corpus
   * @param vocabularySize the number of ids including the 256 bytes and end-of-text; at least 257
   * @return the tokenizer.json text; end-of-text has id {@code vocabularySize - 1} unless the
   *     corpus ran out of pairs first (then the vocabulary is smaller)
   */
  public static String train(List<String> texts, int vocabularySize) {
    if (vocabularySize < 257) {
      throw new IllegalArgumentException(
          "vocabularySize must be at least 257 (bytes and end-of-text), was " + vocabularySize);
    }
    char[] byteToChar = ByteLevel.byteToChar();
    Map<String, Integer> wordCounts = new TreeMap<>();
    for (String text : texts) {
      Matcher matcher = WORDS.matcher(text);
      while (matcher.find()) {
        wordCounts.merge(
            mapped(matcher.group().getBytes(StandardCharsets.UTF_8), byteToChar), 1, Integer::sum);
      }
    }
    List<String[]> words = new ArrayList<>();
    int[] counts = new int[wordCounts.size()];
    for (Map.Entry<String, Integer> entry : wordCounts.entrySet()) {
      String word = entry.getKey();
      String[] symbols = new String[word.length()];
      for (int i = 0; i < word.length(); i++) {
        symbols[i] = word.substring(i, i + 1);
      }
      counts[words.size()] = entry.getValue();
      words.add(symbols);
    }
    List<String> merges = new ArrayList<>();
    java.util.Set<String> tokens = new java.util.HashSet<>();
    while (256 + tokens.size() + 1 < vocabularySize) {
      Map<String, Integer> pairs = new HashMap<>();
      for (int w = 0; w < words.size(); w++) {
        String[] symbols = words.get(w);
        for (int i = 0; i + 1 < symbols.length; i++) {
          if (!hasDigit(symbols[i]) && !hasDigit(symbols[i + 1])) {
            pairs.merge(symbols[i] + " " + symbols[i + 1], counts[w], Integer::sum);
          }
        }
      }
      String best = null;
      int bestCount = 1;
      for (Map.Entry<String, Integer> pair : pairs.entrySet()) {
        if (pair.getValue() > bestCount
            || (pair.getValue() == bestCount
                && best != null
                && pair.getKey().compareTo(best) < 0)) {
          best = pair.getKey();
          bestCount = pair.getValue();
        }
      }
      if (best == null) {
        break;
      }
      merges.add(best);
      tokens.add(best.replace(" ", ""));
      String left = best.substring(0, best.indexOf(' '));
      String right = best.substring(best.indexOf(' ') + 1);
      for (int w = 0; w < words.size(); w++) {
        words.set(w, merge(words.get(w), left, right));
      }
    }
    return json(byteToChar, merges);
  }

  private static String[] merge(String[] symbols, String left, String right) {
    List<String> out = null;
    for (int i = 0; i < symbols.length; i++) {
      if (i + 1 < symbols.length && symbols[i].equals(left) && symbols[i + 1].equals(right)) {
        if (out == null) {
          out = new ArrayList<>(Arrays.asList(symbols).subList(0, i));
        }
        out.add(left + right);
        i++;
      } else if (out != null) {
        out.add(symbols[i]);
      }
    }
    return out == null ? symbols : out.toArray(new String[0]);
  }

  private static boolean hasDigit(String symbol) {
    for (int i = 0; i < symbol.length(); i++) {
      if (symbol.charAt(i) >= '0' && symbol.charAt(i) <= '9') {
        return true;
      }
    }
    return false;
  }

  private static String mapped(byte[] bytes, char[] byteToChar) {
    char[] chars = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      chars[i] = byteToChar[bytes[i] & 0xFF];
    }
    return new String(chars);
  }

  private static String json(char[] byteToChar, List<String> merges) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode vocab = mapper.createObjectNode();
    for (int b = 0; b < 256; b++) {
      vocab.put(String.valueOf(byteToChar[b]), b);
    }
    LinkedHashSet<String> merged = new LinkedHashSet<>();
    for (String merge : merges) {
      merged.add(merge.replace(" ", ""));
    }
    int id = 256;
    for (String token : merged) {
      vocab.put(token, id++);
    }
    vocab.put(END_OF_TEXT, id);
    ArrayNode mergeArray = mapper.createArrayNode();
    merges.forEach(mergeArray::add);
    try {
      return mapper
          .writerWithDefaultPrettyPrinter()
          .writeValueAsString(ByteLevelBpeJson.document(mapper, vocab, mergeArray));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write tokenizer.json", e);
    }
  }
}
