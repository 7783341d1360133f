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
 * and decoder. {@code <|endoftext|>}, when in the vocabulary, is listed as a special added token,
 * as GPT-2's tokenizer does. Each merge line must name two tokens of the vocabulary whose
 * concatenation is in it too; the message names the line otherwise.
 */
final class VocabAndMerges {

  /** The vocabulary file's name. */
  static final String VOCAB_FILE = "vocab.json";

  /** The merges file's name. */
  static final String MERGES_FILE = "merges.txt";

  private static final String END_OF_TEXT = "<|endoftext|>";

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
    ObjectNode root = mapper.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    if (vocab.has(END_OF_TEXT)) {
      ObjectNode endOfText = added.addObject();
      endOfText.set("id", vocab.get(END_OF_TEXT));
      endOfText
          .put("content", END_OF_TEXT)
          .put("single_word", false)
          .put("lstrip", false)
          .put("rstrip", false)
          .put("normalized", true)
          .put("special", true);
    }
    root.putNull("normalizer");
    root.set("pre_tokenizer", byteLevel(mapper, false, true));
    root.set("post_processor", byteLevel(mapper, true, false));
    root.set("decoder", byteLevel(mapper, true, true));
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE").putNull("dropout");
    model.putNull("unk_token");
    model
        .put("continuing_subword_prefix", "")
        .put("end_of_word_suffix", "")
        .put("fuse_unk", false)
        .put("byte_fallback", false);
    model.set("vocab", vocab);
    model.set("merges", mergeRules(mergesFile, merges, vocab, mapper.createArrayNode()));
    return root;
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

  private static ObjectNode byteLevel(
      ObjectMapper mapper, boolean addPrefixSpace, boolean trimOffsets) {
    ObjectNode node = mapper.createObjectNode();
    node.put("type", "ByteLevel")
        .put("add_prefix_space", addPrefixSpace)
        .put("trim_offsets", trimOffsets)
        .put("use_regex", true);
    return node;
  }

  private static String shortened(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }
}
