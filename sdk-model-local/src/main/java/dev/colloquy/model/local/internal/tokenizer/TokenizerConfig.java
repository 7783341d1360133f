package dev.colloquy.model.local.internal.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.model.local.ModelLoadException;
import dev.colloquy.model.local.internal.checkpoint.CappedFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a {@code tokenizer_config.json} says about special tokens: the texts of its bos, eos and
 * padding tokens, and whether the tokenizer itself adds a bos or eos token to an encoded text
 * ({@code add_bos_token}, {@code add_eos_token}; empty when the file does not say). A token may be
 * written as a string or as an object with a {@code content} string, as transformers saves it.
 */
record TokenizerConfig(
    Optional<String> bosToken,
    Optional<String> eosToken,
    Optional<String> padToken,
    Optional<Boolean> addBosToken,
    Optional<Boolean> addEosToken) {

  /** The config file's name beside {@code tokenizer.json}. */
  static final String FILE = "tokenizer_config.json";

  static final TokenizerConfig NONE =
      new TokenizerConfig(
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  /**
   * Reads a tokenizer_config.json.
   *
   * @throws ModelLoadException naming the file and the key when it is unreadable or malformed
   */
  static TokenizerConfig read(Path file) {
    JsonNode json;
    try {
      json =
          new ObjectMapper()
              .readTree(CappedFile.read(file, CappedFile.TOKENIZER_CAP, "tokenizer config"));
    } catch (IOException e) {
      throw new ModelLoadException(
          "cannot read tokenizer config " + file + ": " + e.getMessage(), e);
    }
    if (json == null || !json.isObject()) {
      throw new ModelLoadException("tokenizer config " + file + " is not a JSON object");
    }
    return new TokenizerConfig(
        token(file, json, "bos_token"),
        token(file, json, "eos_token"),
        token(file, json, "pad_token"),
        flag(file, json, "add_bos_token"),
        flag(file, json, "add_eos_token"));
  }

  private static Optional<String> token(Path file, JsonNode json, String key) {
    JsonNode node = json.path(key);
    if (node.isMissingNode() || node.isNull()) {
      return Optional.empty();
    }
    if (node.isTextual()) {
      return Optional.of(node.asText());
    }
    if (node.isObject() && node.path("content").isTextual()) {
      return Optional.of(node.path("content").asText());
    }
    throw new ModelLoadException(
        "tokenizer config "
            + file
            + " has '"
            + key
            + "' = "
            + shortened(node.toString())
            + ": it must be a string, an object with a 'content' string, or null");
  }

  private static Optional<Boolean> flag(Path file, JsonNode json, String key) {
    JsonNode node = json.path(key);
    if (node.isMissingNode() || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isBoolean()) {
      throw new ModelLoadException(
          "tokenizer config "
              + file
              + " has '"
              + key
              + "' = "
              + shortened(node.toString())
              + ": it must be true or false");
    }
    return Optional.of(node.asBoolean());
  }

  private static String shortened(String text) {
    return text.length() > 60 ? text.substring(0, 60) + "…" : text;
  }
}
