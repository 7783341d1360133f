package dev.colloquy.model.local.internal.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colloquy.model.local.ModelLoadException;
import dev.colloquy.model.local.internal.checkpoint.CappedFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Turns the {@code vocab.json} + {@code merges.txt} pair of GPT-2's original tokenizer (which many
 * GPT-2-family checkpoints ship instead of {@code tokenizer.json}) into the {@code tokenizer.json}
 * structure that the Hugging Face tokenizers library reads, with GPT-2's byte-level pre-tokenizer
 * and decoder ({@link ByteLevelBpeJson}). Each merge line must name two tokens of the vocabulary
 * whose concatenation is in it too; the message names the line otherwise.
 */
final class VocabAndMerges {

  /** The vocabulary file's name. */
  static final String VOCAB_FILE = "vocab.json";

  /** The merges file's name. */
  static final String MERGES_FILE = "merges.txt";

  private VocabAndMerges() {}

  /**
   * Reads the two files into a tokenizer.json tree; ids are checked later, by the tokenizer.
   *
   * @throws ModelLoadException naming the file (and line) when either is unreadable or malformed
   */
  static ObjectNode read(Path vocabFile, Path mergesFile) {
    ObjectMapper mapper = new ObjectMapper();
    JsonNode vocab;
    String merges;
    try {
      vocab =
          mapper.readTree(
              CappedFile.read(vocabFile, CappedFile.TOKENIZER_CAP, "tokenizer vocabulary"));
    } catch (IOException e) {
      throw new ModelLoadException(
          "cannot read tokenizer vocabulary " + vocabFile + ": " + e.getMessage(), e);
    }
    if (vocab == null || !vocab.isObject()) {
      throw new ModelLoadException(
          "tokenizer vocabulary " + vocabFile + " is not a JSON object of token to id");
    }
    try {
      merges =
          new String(
              CappedFile.read(mergesFile, CappedFile.TOKENIZER_CAP, "tokenizer merges"),
              StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ModelLoadException(
          "cannot read tokenizer merges " + mergesFile + ": " + e.getMessage(), e);
    }
    return ByteLevelBpeJson.document(
        mapper,
        (ObjectNode) vocab,
        mergeRules(mergesFile, merges, vocab, mapper.createArrayNode()));
  }

  private static ArrayNode mergeRules(Path file, String text, JsonNode vocab, ArrayNode rules) {
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty() || (i == 0 && line.startsWith("#version"))) {
        continue;
      }
      String[] parts = line.split(" ", -1);
      if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
        throw new ModelLoadException(
            "tokenizer merges "
                + file
                + " line "
                + (i + 1)
                + " is '"
                + shortened(line)
                + "'; each line must be two tokens separated by one space");
      }
      for (String token : new String[] {parts[0], parts[1], parts[0] + parts[1]}) {
        if (!vocab.has(token)) {
          throw new ModelLoadException(
              "tokenizer merges "
                  + file
                  + " line "
                  + (i + 1)
                  + " merges '"
                  + shortened(parts[0])
                  + "' and '"
                  + shortened(parts[1])
                  + "', but "
                  + VOCAB_FILE
                  + " has no token '"
                  + shortened(token)
                  + "': the two files do not belong together");
        }
      }
      rules.add(line);
    }
    return rules;
  }

  private static String shortened(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }
}
