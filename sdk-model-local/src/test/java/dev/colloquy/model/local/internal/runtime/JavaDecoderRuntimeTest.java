package dev.colloquy.model.local.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.model.local.fixture.RandomDecoderCheckpoint;
import dev.colloquy.model.local.fixture.ReferenceDecoder;
import dev.colloquy.model.local.internal.decoder.DecoderConfig;
import dev.colloquy.model.local.internal.decoder.DecoderWeights;
import dev.colloquy.model.local.internal.decoder.SafetensorsDecoderReader;
import dev.colloquy.model.local.internal.decoder.TensorNames;
import dev.colloquy.model.local.internal.decoder.WeightTensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java decoder engine against {@link ReferenceDecoder}, for every family, on random-weight
 * checkpoints it reads from disk. "Relative" is against the largest logit magnitude of the
 * position: max |engine - reference| ≤ 1e-4 × max |reference|.
 */
class JavaDecoderRuntimeTest {

  private static final double TOLERANCE = 1e-4;
  private static final int[] PROMPT = prompt(11, 96);

  @TempDir Path directory;

  private static int[] prompt(int length, int vocabulary) {
    SplittableRandom random = new SplittableRandom(3);
    int[] tokens = new int[length];
    for (int i = 0; i < length; i++) {
      tokens[i] = random.nextInt(vocabulary);
    }
    return tokens;
  }

  private JavaDecoderRuntime load(RandomDecoderCheckpoint checkpoint, String name, int threads) {
    Path written = checkpoint.writeTo(directory.resolve(name));
    DecoderConfig config = DecoderConfig.read(written.resolve("config.json"));
    DecoderWeights weights = SafetensorsDecoderReader.read(written, config);
    return new JavaDecoderRuntime(weights, threads);
  }

  /** Every position's logits, appending one token at a time (the cached path). */
  private static float[][] stepwise(JavaDecoderRuntime runtime, int[] tokens) {
    float[][] logits = new float[tokens.length][];
    try (GptSequence sequence = runtime.newSequence(tokens.length)) {
      for (int i = 0; i < tokens.length; i++) {
        logits[i] = sequence.append(new int[] {tokens[i]});
      }
    }
    return logits;
  }

  private static float[] whole(JavaDecoderRuntime runtime, int[] tokens) {
    try (GptSequence sequence = runtime.newSequence(tokens.length)) {
      return sequence.append(tokens);
    }
  }

  private static void assertClose(float[] actual, double[] expected, String where) {
    double scale = Arrays.stream(expected).map(Math::abs).max().orElseThrow();
    double worst = 0;
    for (int v = 0; v < expected.length; v++) {
      worst = Math.max(worst, Math.abs(actual[v] - expected[v]));
    }
    assertThat(worst / scale)
        .as(where + ": max error relative to max |logit| " + scale)
        .isLessThan(TOLERANCE);
  }

  private static void assertMatchesReference(
      JavaDecoderRuntime runtime, ReferenceDecoder reference, int[] tokens) {
    double[][] expected = reference.logits(tokens);
    float[][] actual = stepwise(runtime, tokens);
    for (int i = 0; i < tokens.length; i++) {
      assertClose(actual[i], expected[i], "position " + i);
    }
    assertClose(whole(runtime, tokens), expected[tokens.length - 1], "whole prompt");
  }

  @ParameterizedTest
  @ValueSource(strings = {"llama", "mistral", "qwen2", "qwen3", "phi3"})
  void everyPositionMatchesTheReferenceForEachFamily(String family) {
    RandomDecoderCheckpoint checkpoint = RandomDecoderCheckpoint.tiny(family);
    try (JavaDecoderRuntime runtime = load(checkpoint, family, 2)) {
      assertMatchesReference(runtime, new ReferenceDecoder(checkpoint), PROMPT);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"llama", "mistral", "qwen2", "qwen3", "phi3"})
  void cachedEqualsUncachedAndThreadCountChangesNothing(String family) {
    RandomDecoderCheckpoint checkpoint = RandomDecoderCheckpoint.tiny(family);
    try (JavaDecoderRuntime one = load(checkpoint, family + "-1", 1);
        JavaDecoderRuntime two = load(checkpoint, family + "-2", 2)) {
      float[][] cachedOne = stepwise(one, PROMPT);
      float[][] cachedTwo = stepwise(two, PROMPT);
      for (int i = 0; i < PROMPT.length; i++) {
        assertThat(cachedTwo[i]).as("position " + i).containsExactly(cachedOne[i]);
      }
      float[] uncached = whole(one, PROMPT);
      assertThat(whole(two, PROMPT)).containsExactly(uncached);
      float[] last = cachedOne[PROMPT.length - 1];
      double scale = 0;
      double worst = 0;
      for (int v = 0; v < last.length; v++) {
        scale = Math.max(scale, Math.abs(uncached[v]));
        worst = Math.max(worst, Math.abs(last[v] - uncached[v]));
      }
      assertThat(worst / scale).isLessThan(1e-5);
      // A prompt in two chunks continues the same cache.
      try (GptSequence sequence = one.newSequence(PROMPT.length)) {
        sequence.append(Arrays.copyOf(PROMPT, 4));
        float[] chunked = sequence.append(Arrays.copyOfRange(PROMPT, 4, PROMPT.length));
        for (int v = 0; v < last.length; v++) {
          assertThat((double) Math.abs(chunked[v] - uncached[v])).isLessThan(1e-5 * scale);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"llama", "mistral", "qwen2", "qwen3", "phi3"})
  void greedyContinuationsEqualTheReference(String family) {
    RandomDecoderCheckpoint checkpoint = RandomDecoderCheckpoint.tiny(family);
    int[] expected = new ReferenceDecoder(checkpoint).greedy(Arrays.copyOf(PROMPT, 5), 12);
    try (JavaDecoderRuntime runtime = load(checkpoint, family, 2);
        GptSequence sequence = runtime.newSequence(5 + 12)) {
      float[] logits = sequence.append(Arrays.copyOf(PROMPT, 5));
      int[] actual = new int[12];
      for (int k = 0; k < 12; k++) {
        actual[k] = argmax(logits);
        if (k < 11) {
          logits = sequence.append(new int[] {actual[k]});
        }
      }
      assertThat(actual).containsExactly(expected);
    }
  }

  private static int argmax(float[] logits) {
    int best = 0;
    for (int v = 1; v < logits.length; v++) {
      if (logits[v] > logits[best]) {
        best = v;
      }
    }
    return best;
  }

  @ParameterizedTest
  @ValueSource(strings = {"llama", "qwen2", "phi3"})
  void shardedFilesGiveTheSameLogitsAsOneFile(String family) {
    RandomDecoderCheckpoint checkpoint = RandomDecoderCheckpoint.tiny(family);
    try (JavaDecoderRuntime single = load(checkpoint, "single", 1);
        JavaDecoderRuntime sharded = load(checkpoint.withShards(3), "sharded", 1)) {
      assertThat(whole(sharded, PROMPT)).containsExactly(whole(single, PROMPT));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"llama", "qwen2", "phi3"})
  void halfPrecisionFilesAreComputedOnTheir16BitWeightsCloseToTheF32Logits(String family) {
    // The weights are exact in BF16 and F16, so only the summation order differs from F32.
    RandomDecoderCheckpoint checkpoint = RandomDecoderCheckpoint.tiny(family);
    float[][] f32;
    try (JavaDecoderRuntime runtime = load(checkpoint, "f32", 1)) {
      f32 = stepwise(runtime, PROMPT);
    }
    for (RandomDecoderCheckpoint variant :
        List.of(checkpoint.withDtype("BF16"), checkpoint.withDtype("F16").withShards(2))) {
      try (JavaDecoderRuntime one = load(variant, variant.dtype() + "-1", 1);
          JavaDecoderRuntime two = load(variant, variant.dtype() + "-2", 2)) {
        assertThat(one.description()).contains(variant.dtype() + " head");
        float[][] actual = stepwise(one, PROMPT);
        for (int i = 0; i < PROMPT.length; i++) {
          double[] expected = new double[f32[i].length];
          for (int v = 0; v < expected.length; v++) {
            expected[v] = f32[i][v];
          }
          assertClose(actual[i], expected, variant.dtype() + " position " + i);
        }
        assertThat(stepwise(two, PROMPT)).isDeepEqualTo(actual);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"llama", "qwen2", "phi3"})
  void matricesPackedAsTheyAreReadGiveTheLogitsOfMatricesPackedInMemory(String family) {
    RandomDecoderCheckpoint checkpoint = RandomDecoderCheckpoint.tiny(family);
    Path written = checkpoint.writeTo(directory.resolve(family));
    DecoderWeights read =
        SafetensorsDecoderReader.read(written, DecoderConfig.read(written.resolve("config.json")));
    Map<String, float[]> unpacked = new LinkedHashMap<>();
    for (String name : TensorNames.expected(read.config()).keySet()) {
      unpacked.put(name, read.floats(name));
    }
    assertThat(read.tensor(TensorNames.up(1))).isInstanceOf(WeightTensor.PackedF32.class);
    try (JavaDecoderRuntime packedAtRead = new JavaDecoderRuntime(read, 1);
        JavaDecoderRuntime packedInMemory =
            new JavaDecoderRuntime(DecoderWeights.ofFloats(read.config(), unpacked), 1)) {
      assertThat(stepwise(packedAtRead, PROMPT)).isDeepEqualTo(stepwise(packedInMemory, PROMPT));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"type\": \"linear\", \"factor\": 4.0}",
        "{\"rope_type\": \"llama3\", \"factor\": 8.0, \"low_freq_factor\": 1.0,"
            + " \"high_freq_factor\": 4.0, \"original_max_position_embeddings\": 16}",
        "{\"rope_type\": \"yarn\", \"factor\": 4.0, \"original_max_position_embeddings\": 16}",
        "{\"rope_type\": \"yarn\", \"factor\": 2.0, \"beta_fast\": 8, \"beta_slow\": 2}",
        // The factor is kept even where max_position_embeddings / original (64 / 32) disagrees.
        "{\"rope_type\": \"yarn\", \"factor\": 4.0, \"original_max_position_embeddings\": 32,"
            + " \"mscale\": 0.707, \"mscale_all_dim\": 1.0}",
        "{\"rope_type\": \"yarn\", \"factor\": 8.0, \"attention_factor\": 0.8}"
      })
  void ropeScalingChangesTheLogitsAsTheReferenceSays(String scaling) {
    RandomDecoderCheckpoint plain = RandomDecoderCheckpoint.tiny("llama");
    RandomDecoderCheckpoint scaled = plain.withRopeScaling(scaling);
    float[] unscaled;
    try (JavaDecoderRuntime runtime = load(plain, "plain", 1)) {
      unscaled = whole(runtime, PROMPT);
    }
    try (JavaDecoderRuntime runtime = load(scaled, "scaled", 2)) {
      assertMatchesReference(runtime, new ReferenceDecoder(scaled), PROMPT);
      float[] logits = whole(runtime, PROMPT);
      double difference = 0;
      for (int v = 0; v < logits.length; v++) {
        difference = Math.max(difference, Math.abs(logits[v] - unscaled[v]));
      }
      assertThat(difference).as("the scaling must matter at these positions").isGreaterThan(1e-3);
    }
  }

  @Test
  void dynamicNtkScalingIsPlainRopeWithinTheContext() {
    // transformers grows the base only once a sequence passes max_position_embeddings.
    RandomDecoderCheckpoint plain = RandomDecoderCheckpoint.tiny("llama");
    RandomDecoderCheckpoint dynamic =
        plain.withRopeScaling("{\"type\": \"dynamic\", \"factor\": 2.0}");
    try (JavaDecoderRuntime a = load(plain, "plain", 1);
        JavaDecoderRuntime b = load(dynamic, "dynamic", 1)) {
      assertThat(whole(b, PROMPT)).containsExactly(whole(a, PROMPT));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mistral", "phi3"})
  void slidingWindowLimitsWhatEachPositionSees(String family) {
    RandomDecoderCheckpoint full = RandomDecoderCheckpoint.tiny(family);
    RandomDecoderCheckpoint windowed = full.withSlidingWindow(4);
    float[] unwindowed;
    try (JavaDecoderRuntime runtime = load(full, "full", 1)) {
      unwindowed = whole(runtime, PROMPT);
    }
    try (JavaDecoderRuntime runtime = load(windowed, "windowed", 2)) {
      assertMatchesReference(runtime, new ReferenceDecoder(windowed), PROMPT);
      float[] logits = whole(runtime, PROMPT);
      assertThat(logits).isNotEqualTo(unwindowed);
    }
  }

  @Test
  void untiedAndTiedHeadsBothMatchTheReference() {
    for (boolean tied : new boolean[] {true, false}) {
      RandomDecoderCheckpoint checkpoint = RandomDecoderCheckpoint.tiny("qwen3").withTied(tied);
      try (JavaDecoderRuntime runtime = load(checkpoint, "tied-" + tied, 2)) {
        assertMatchesReference(runtime, new ReferenceDecoder(checkpoint), PROMPT);
      }
    }
  }

  @Test
  void exposesTheConfigsContextVocabularyAndEndOfTextIds() {
    try (JavaDecoderRuntime runtime = load(RandomDecoderCheckpoint.tiny("qwen2"), "q", 1)) {
      assertThat(runtime.contextLength()).isEqualTo(64);
      assertThat(runtime.vocabularySize()).isEqualTo(96);
      assertThat(runtime.endOfTextIds()).containsExactly(2, 3);
      assertThat(runtime.description()).contains("qwen2");
    }
  }

  private static final String LONGROPE =
      "{\"type\": \"longrope\", \"short_factor\": [1.0, 1.5], \"long_factor\": [2.0, 6.0]}";

  /** Phi-3 with 4 of its 8 head dimensions rotated and a longrope trained on 8 positions. */
  private static RandomDecoderCheckpoint longrope() {
    return RandomDecoderCheckpoint.tiny("phi3")
        .with("partial_rotary_factor", "0.5")
        .with("original_max_position_embeddings", "8")
        .withRopeScaling(LONGROPE);
  }

  private static float[][] stepwise(JavaDecoderRuntime runtime, int[] tokens, int capacity) {
    float[][] logits = new float[tokens.length][];
    try (GptSequence sequence = runtime.newSequence(capacity)) {
      for (int i = 0; i < tokens.length; i++) {
        logits[i] = sequence.append(new int[] {tokens[i]});
      }
    }
    return logits;
  }

  @Test
  void longropeTakesTheShortFactorsWithinTheOriginalContextAndTheLongOnesBeyondIt() {
    RandomDecoderCheckpoint checkpoint = longrope();
    ReferenceDecoder reference = new ReferenceDecoder(checkpoint);
    int[] within = Arrays.copyOf(PROMPT, 8);
    try (JavaDecoderRuntime runtime = load(checkpoint, "longrope", 2)) {
      // 8 positions, not past original_max_position_embeddings: short factors.
      assertMatchesReference(runtime, reference, within);
      // 11 positions: transformers' uncached forward takes the long factors for every position.
      assertMatchesReference(runtime, reference, PROMPT);
    }
  }

  @Test
  void longropeChoosesItsFactorsByTheSequencesCapacityForEveryPosition() {
    // transformers switches to the long factors at the first forward call past the original
    // context, leaving the keys already cached rotated with the short ones; this engine decides
    // once, by the capacity the sequence reserves, so cached and uncached runs agree.
    RandomDecoderCheckpoint checkpoint = longrope();
    ReferenceDecoder reference = new ReferenceDecoder(checkpoint);
    int[] within = Arrays.copyOf(PROMPT, 8);
    double[][] shortFactors = reference.logits(within);
    double[][] longFactors = reference.logits(within, PROMPT.length);
    try (JavaDecoderRuntime runtime = load(checkpoint, "longrope", 1)) {
      float[][] small = stepwise(runtime, within, 8);
      float[][] large = stepwise(runtime, within, PROMPT.length);
      for (int i = 0; i < within.length; i++) {
        assertClose(small[i], shortFactors[i], "capacity 8, position " + i);
        assertClose(large[i], longFactors[i], "capacity 11, position " + i);
      }
      assertThat(large[7]).isNotEqualTo(small[7]);
    }
  }

  @Test
  void longropeScalesCosAndSinByTheFactorTransformersDerives() {
    // sqrt(1 + ln(64 / 8) / ln 8) = sqrt(2), from max_position_embeddings over the original.
    try (JavaDecoderRuntime runtime = load(longrope(), "longrope", 1)) {
      assertThat(runtime.config().ropeScaling().attentionFactor())
          .isCloseTo(Math.sqrt(2), org.assertj.core.data.Offset.offset(1e-12));
    }
  }

  @Test
  void partialRotaryFactorRotatesOnlyTheLeadingDimensionsOfEachHead() {
    RandomDecoderCheckpoint full = RandomDecoderCheckpoint.tiny("phi3");
    RandomDecoderCheckpoint partial = full.with("partial_rotary_factor", "0.5");
    float[] unchanged;
    try (JavaDecoderRuntime runtime = load(full, "full", 1)) {
      unchanged = whole(runtime, PROMPT);
    }
    try (JavaDecoderRuntime runtime = load(partial, "partial", 2)) {
      assertThat(runtime.config().rotaryWidth()).isEqualTo(4);
      assertMatchesReference(runtime, new ReferenceDecoder(partial), PROMPT);
      assertThat(whole(runtime, PROMPT)).isNotEqualTo(unchanged);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mlp_bias", "attention_bias"})
  void llamasBiasFlagsAddTheirBiasesAsTheReferenceSays(String flag) {
    RandomDecoderCheckpoint checkpoint = RandomDecoderCheckpoint.tiny("llama").with(flag, "true");
    assertThat(checkpoint.tensors())
        .containsKey(
            "model.layers.1."
                + (flag.equals("mlp_bias") ? "mlp.down_proj.bias" : "self_attn.o_proj.bias"));
    try (JavaDecoderRuntime runtime = load(checkpoint, flag, 2)) {
      assertMatchesReference(runtime, new ReferenceDecoder(checkpoint), PROMPT);
    }
  }

  @Test
  void qwen3sAttentionBiasAddsQueryKeyValueAndOutputBiases() {
    RandomDecoderCheckpoint checkpoint =
        RandomDecoderCheckpoint.tiny("qwen3").with("attention_bias", "true");
    try (JavaDecoderRuntime runtime = load(checkpoint, "qwen3-bias", 2)) {
      assertMatchesReference(runtime, new ReferenceDecoder(checkpoint), PROMPT);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"qwen2", "qwen3"})
  void qwensSlidingWindowAppliesOnlyFromMaxWindowLayersOn(String family) {
    RandomDecoderCheckpoint full = RandomDecoderCheckpoint.tiny(family);
    RandomDecoderCheckpoint secondLayer =
        full.with("use_sliding_window", "true")
            .with("sliding_window", "4")
            .with("max_window_layers", "1");
    RandomDecoderCheckpoint noLayer = secondLayer.with("max_window_layers", "2");
    float[] unwindowed;
    try (JavaDecoderRuntime runtime = load(full, "full", 1)) {
      unwindowed = whole(runtime, PROMPT);
    }
    try (JavaDecoderRuntime runtime = load(noLayer, "none", 1)) {
      assertThat(whole(runtime, PROMPT)).containsExactly(unwindowed);
    }
    try (JavaDecoderRuntime runtime = load(secondLayer, "second", 2)) {
      assertMatchesReference(runtime, new ReferenceDecoder(secondLayer), PROMPT);
      assertThat(whole(runtime, PROMPT)).isNotEqualTo(unwindowed);
    }
  }
}
