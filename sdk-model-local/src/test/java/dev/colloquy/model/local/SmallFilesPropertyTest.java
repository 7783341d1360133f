package dev.colloquy.model.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colloquy.model.local.fixture.RandomGpt2Checkpoint;
import dev.colloquy.model.local.internal.checkpoint.GptConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random values in config.json and generation_config.json never escape as anything but a {@link
 * ModelLoadException} (issue 14): no wrap, no NumberFormatException, no IllegalArgumentException
 * from a builder. The seed is printed on failure.
 */
class SmallFilesPropertyTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> VALUES =
      List.of(
          "-1",
          "0",
          "1",
          "2",
          "32",
          "1e-05",
          "0.5",
          "1.5",
          "2147483647",
          "2147483648",
          "4294967808",
          "18446744073709551648",
          "-2147483649",
          "1e999",
          "NaN",
          "Infinity",
          "-Infinity",
          "\"32\"",
          "\"transcript\"",
          "\"nope\"",
          "null",
          "true",
          "false",
          "[]",
          "[50256]",
          "{}");
  private static final List<String> CONFIG_FIELDS =
      List.of(
          "n_layer",
          "n_head",
          "n_embd",
          "n_inner",
          "n_positions",
          "n_ctx",
          "vocab_size",
          "layer_norm_epsilon",
          "eos_token_id",
          "tie_word_embeddings",
          "model_type",
          "activation_function");
  private static final List<String> GENERATION_FIELDS =
      List.of(
          "do_sample",
          "temperature",
          "top_k",
          "top_p",
          "repetition_penalty",
          "max_new_tokens",
          "chat_format");

  @TempDir Path directory;

  static List<Long> seeds() {
    return java.util.stream.LongStream.rangeClosed(1, 40).boxed().toList();
  }

  private static String mutated(ObjectNode json, List<String> fields, Random random)
      throws IOException {
    ObjectNode copy = json.deepCopy();
    for (int i = random.nextInt(3) + 1; i > 0; i--) {
      String value = VALUES.get(random.nextInt(VALUES.size()));
      // Jackson writes NaN and Infinity as strings; put them back as the bare tokens Python's json
      // writes.
      copy.set(
          fields.get(random.nextInt(fields.size())),
          JSON.readTree(value.matches("-?(NaN|Infinity)") ? "\"" + value + "\"" : value));
    }
    return copy.toString().replaceAll("\"(-?(NaN|Infinity))\"", "$1");
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void randomConfigValuesLoadOrFailAsModelLoadException(long seed) throws IOException {
    Random random = new Random(seed);
    ObjectNode config = (ObjectNode) JSON.readTree(RandomGpt2Checkpoint.tiny().configJson());
    Path file =
        Files.writeString(directory.resolve("config.json"), mutated(config, CONFIG_FIELDS, random));
    try {
      GptConfig read = GptConfig.read(file);
      assertThat(read.innerWidth()).as("seed %d: %s", seed, Files.readString(file)).isPositive();
      assertThat(read.layerNormEpsilon()).as("seed %d", seed).isPositive();
    } catch (RuntimeException e) {
      assertThat(e)
          .as("seed %d: %s", seed, Files.readString(file))
          .isInstanceOf(ModelLoadException.class);
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void randomGenerationConfigValuesLoadOrFailAsModelLoadException(long seed) throws IOException {
    Random random = new Random(seed);
    ObjectNode generation =
        (ObjectNode)
            JSON.readTree(
                "{\"do_sample\": true, \"temperature\": 0.7, \"top_k\": 50, \"max_new_tokens\": 64}");
    Path file =
        Files.writeString(
            directory.resolve("generation_config.json"),
            mutated(generation, GENERATION_FIELDS, random));
    try {
      ModelLoader.GenerationDefaults read = ModelLoader.readGenerationConfig(file);
      assertThat(read.maxNewTokens())
          .as("seed %d: %s", seed, Files.readString(file))
          .isNotNegative();
    } catch (RuntimeException e) {
      assertThat(e)
          .as("seed %d: %s", seed, Files.readString(file))
          .isInstanceOf(ModelLoadException.class);
    }
  }
}
