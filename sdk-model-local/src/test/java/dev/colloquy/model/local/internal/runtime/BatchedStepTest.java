package dev.colloquy.model.local.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.model.local.fixture.GgufConversion;
import dev.colloquy.model.local.fixture.RandomDecoderCheckpoint;
import dev.colloquy.model.local.fixture.RandomGpt2Checkpoint;
import dev.colloquy.model.local.internal.checkpoint.CheckpointReader;
import dev.colloquy.model.local.internal.decoder.DecoderConfig;
import dev.colloquy.model.local.internal.decoder.DecoderWeights;
import dev.colloquy.model.local.internal.decoder.SafetensorsDecoderReader;
import dev.colloquy.model.local.internal.gguf.GgmlType;
import dev.colloquy.model.local.internal.gguf.GgufCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link GptRuntime#appendAll} on the Java engines, one forward pass for every sequence of a step:
 * each sequence's logits are those of its own {@link GptSequence#append}, bit for bit (every
 * kernel, the compressed ones included, computes a row the same way whatever the other rows), on
 * one thread and on two; a step that cannot run changes no sequence.
 */
class BatchedStepTest {

  /** The tokens each sequence holds before the first step. */
  private static final int[] PREFILLED = {0, 7, 3, 1};

  /**
   * Capacities: sequence 0 and 3 end exactly full; 3's 8 positions keep longrope's short factors
   * while the others take the long ones.
   */
  private static final int[] CAPACITIES = {10, 64, 30, 8};

  /**
   * Steps of {sequence, new tokens}: prompt chunks (at position 0, inside and past a window of 4)
   * beside single-token decodes, sequences absent from some steps, in changing order.
   */
  private static final int[][][] PLAN = {
    {{0, 5}, {1, 1}, {2, 1}},
    {{3, 4}, {0, 1}, {2, 3}},
    {{1, 1}, {0, 1}, {2, 1}, {3, 1}},
    {{2, 6}, {3, 1}},
    {{0, 1}, {1, 1}, {2, 1}, {3, 1}},
    {{1, 9}, {0, 1}},
    {{0, 1}, {2, 1}, {1, 1}}
  };

  @TempDir static Path directory;

  private static final String LONGROPE =
      "{\"type\": \"longrope\", \"short_factor\": [1.0, 1.5], \"long_factor\": [2.0, 6.0]}";

  static Stream<Arguments> engines() {
    return Stream.of(
        Arguments.of("gpt2", (IntFunction<GptRuntime>) threads -> gpt2(threads)),
        decoder("llama", RandomDecoderCheckpoint.tiny("llama")),
        decoder("mistral, window 4", RandomDecoderCheckpoint.tiny("mistral").withSlidingWindow(4)),
        decoder(
            "qwen2, window 4 on its second layer",
            RandomDecoderCheckpoint.tiny("qwen2")
                .with("use_sliding_window", "true")
                .with("sliding_window", "4")
                .with("max_window_layers", "1")),
        decoder("qwen3", RandomDecoderCheckpoint.tiny("qwen3").with("attention_bias", "true")),
        decoder(
            "phi3, longrope by capacity",
            RandomDecoderCheckpoint.tiny("phi3")
                .with("partial_rotary_factor", "0.5")
                .with("original_max_position_embeddings", "8")
                .withRopeScaling(LONGROPE)),
        compressed("llama", GgmlType.Q8_0),
        compressed("qwen3", GgmlType.Q4_0),
        compressed("mistral", GgmlType.F16));
  }

  private static JavaGptRuntime gpt2(int threads) {
    Path written = directory.resolve("gpt2");
    if (!Files.exists(written.resolve("config.json"))) {
      RandomGpt2Checkpoint.tiny().writeTo(written);
    }
    return new JavaGptRuntime(CheckpointReader.read(written), threads);
  }

  private static Arguments decoder(String name, RandomDecoderCheckpoint checkpoint) {
    IntFunction<GptRuntime> factory = threads -> decoderRuntime(name, checkpoint, threads);
    return Arguments.of(name, factory);
  }

  private static JavaDecoderRuntime decoderRuntime(
      String name, RandomDecoderCheckpoint checkpoint, int threads) {
    Path written = directory.resolve(name.replaceAll("[^a-z0-9]", "-"));
    if (!Files.exists(written.resolve("config.json"))) {
      checkpoint.writeTo(written);
    }
    DecoderConfig config = DecoderConfig.read(written.resolve("config.json"));
    return new JavaDecoderRuntime(SafetensorsDecoderReader.read(written, config), threads);
  }

  /** A GGUF file whose matrices are kept in {@code type} (widths are whole blocks of 32). */
  private static Arguments compressed(String family, GgmlType type) {
    IntFunction<GptRuntime> factory =
        threads -> {
          Path file = directory.resolve(family + "-" + type + ".gguf");
          if (!Files.exists(file)) {
            RandomDecoderCheckpoint tiny = RandomDecoderCheckpoint.tiny(family);
            RandomDecoderCheckpoint blockSized =
                new RandomDecoderCheckpoint(
                    family,
                    2,
                    64,
                    4,
                    2,
                    16,
                    96,
                    128,
                    64,
                    tiny.tied(),
                    0,
                    "null",
                    "F32",
                    1,
                    11,
                    Map.of());
            GgufConversion.write(blockSized, file, type);
          }
          DecoderWeights weights = GgufCheckpoint.read(file).weights();
          assertThat(weights.encodings()).containsKey(type.name());
          return new JavaDecoderRuntime(weights, threads);
        };
    return Arguments.of(family + " " + type, factory);
  }

  /** The tokens of every sequence, the prefill then each step's, from a fixed seed. */
  private static int[][][] tokens(int vocabulary) {
    SplittableRandom random = new SplittableRandom(18);
    int[][][] tokens = new int[PLAN.length + 1][PREFILLED.length][];
    for (int i = 0; i < PREFILLED.length; i++) {
      tokens[0][i] = random.ints(PREFILLED[i], 0, vocabulary).toArray();
    }
    for (int s = 0; s < PLAN.length; s++) {
      for (int[] entry : PLAN[s]) {
        tokens[s + 1][entry[0]] = random.ints(entry[1], 0, vocabulary).toArray();
      }
    }
    return tokens;
  }

  private static List<GptSequence> prefilled(GptRuntime runtime, int[][] prefill) {
    List<GptSequence> sequences = new ArrayList<>();
    for (int i = 0; i < CAPACITIES.length; i++) {
      GptSequence sequence = runtime.newSequence(CAPACITIES[i]);
      if (prefill[i].length > 0) {
        sequence.append(prefill[i]);
      }
      sequences.add(sequence);
    }
    return sequences;
  }

  /** Each step's logits, [step][entry][vocab]: one append per sequence, one after another. */
  private static float[][][] oneByOne(GptRuntime runtime, int[][][] tokens) {
    List<GptSequence> sequences = prefilled(runtime, tokens[0]);
    float[][][] logits = new float[PLAN.length][][];
    for (int s = 0; s < PLAN.length; s++) {
      logits[s] = new float[PLAN[s].length][];
      for (int e = 0; e < PLAN[s].length; e++) {
        int i = PLAN[s][e][0];
        logits[s][e] = sequences.get(i).append(tokens[s + 1][i]);
      }
    }
    return logits;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void eachSequencesLogitsInAStepEqualItsOwnAppendBitForBit(
      String engine, IntFunction<GptRuntime> factory) {
    float[][][] expected;
    int[][][] tokens;
    try (GptRuntime reference = factory.apply(1)) {
      tokens = tokens(reference.vocabularySize());
      expected = oneByOne(reference, tokens);
    }
    for (int threads = 1; threads <= 2; threads++) {
      try (GptRuntime runtime = factory.apply(threads)) {
        List<GptSequence> sequences = prefilled(runtime, tokens[0]);
        for (int s = 0; s < PLAN.length; s++) {
          List<GptSequence> step = new ArrayList<>();
          List<int[]> stepTokens = new ArrayList<>();
          for (int[] entry : PLAN[s]) {
            step.add(sequences.get(entry[0]));
            stepTokens.add(tokens[s + 1][entry[0]]);
          }
          float[][] logits = runtime.appendAll(step, stepTokens);
          assertThat(logits).hasNumberOfRows(PLAN[s].length);
          for (int e = 0; e < PLAN[s].length; e++) {
            assertThat(logits[e])
                .as("%s, %d threads, step %d, sequence %d", engine, threads, s, PLAN[s][e][0])
                .containsExactly(expected[s][e]);
          }
        }
        for (int i = 0; i < CAPACITIES.length; i++) {
          assertThat(sequences.get(i).length()).isEqualTo(totalTokens(tokens, i));
        }
        assertThat(sequences.get(0).length()).isEqualTo(sequences.get(0).capacity());
        assertThat(sequences.get(3).length()).isEqualTo(sequences.get(3).capacity());
      }
    }
  }

  private static int totalTokens(int[][][] tokens, int sequence) {
    int total = 0;
    for (int[][] step : tokens) {
      total += step[sequence] == null ? 0 : step[sequence].length;
    }
    return total;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void aStepThatCannotRunChangesNoSequence(String engine, IntFunction<GptRuntime> factory) {
    try (GptRuntime runtime = factory.apply(2);
        GptRuntime other = factory.apply(1)) {
      int vocabulary = runtime.vocabularySize();
      GptSequence roomy = runtime.newSequence(12);
      GptSequence tight = runtime.newSequence(5);
      roomy.append(new int[] {1, 2});
      tight.append(new int[] {3, 4, 5, 6});
      List<GptSequence> both = List.of(roomy, tight);

      assertThatThrownBy(() -> runtime.appendAll(both, List.of(new int[] {7}, new int[] {8, 9})))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot append 2 tokens to a sequence of 4 with capacity 5");
      assertThatThrownBy(() -> runtime.appendAll(both, List.of(new int[] {7}, new int[] {-1})))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("outside the vocabulary");
      assertThatThrownBy(
              () ->
                  runtime.appendAll(
                      List.of(roomy, tight, roomy),
                      List.of(new int[] {7}, new int[] {8}, new int[] {9})))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("sequence 2 appears twice in one step");
      assertThatThrownBy(() -> runtime.appendAll(both, List.of(new int[] {7})))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("2 sequences but 1 token arrays");
      GptSequence foreign = other.newSequence(12);
      assertThatThrownBy(
              () ->
                  runtime.appendAll(
                      List.of(roomy, tight, foreign),
                      List.of(new int[] {7}, new int[] {8}, new int[] {9})))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("sequence 2 was not created by this runtime");
      assertThat(foreign.length()).isZero();
      assertThat(runtime.appendAll(List.of(), List.of())).isEmpty();

      assertThat(roomy.length()).isEqualTo(2);
      assertThat(tight.length()).isEqualTo(4);
      // The caches too are as they were: the next step continues as if nothing had been tried.
      float[][] logits = runtime.appendAll(both, List.of(new int[] {7, 10}, new int[] {8}));
      try (GptSequence freshRoomy = other.newSequence(12);
          GptSequence freshTight = other.newSequence(5)) {
        freshRoomy.append(new int[] {1, 2});
        freshTight.append(new int[] {3, 4, 5, 6});
        assertThat(logits[0]).containsExactly(freshRoomy.append(new int[] {7, 10}));
        assertThat(logits[1]).containsExactly(freshTight.append(new int[] {8}));
      }
      assertThat(logits[0]).hasSize(vocabulary);
    }
  }

  @Test
  void aSequenceOfTheOtherJavaEngineIsForeignToo() {
    try (GptRuntime gpt2 = gpt2(1);
        GptRuntime llama = decoderRuntime("llama", RandomDecoderCheckpoint.tiny("llama"), 1)) {
      GptSequence own = llama.newSequence(4);
      GptSequence foreign = gpt2.newSequence(4);
      assertThatThrownBy(
              () -> llama.appendAll(List.of(own, foreign), List.of(new int[] {1}, new int[] {2})))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("sequence 1 was not created by this runtime");
      assertThatThrownBy(
              () -> gpt2.appendAll(List.of(foreign, own), List.of(new int[] {1}, new int[] {2})))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("sequence 1 was not created by this runtime");
      assertThat(own.length()).isZero();
      assertThat(foreign.length()).isZero();
    }
  }
}
