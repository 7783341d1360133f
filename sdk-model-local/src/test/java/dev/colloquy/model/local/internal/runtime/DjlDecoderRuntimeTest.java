package dev.colloquy.model.local.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.BaseNDManager;
import dev.colloquy.model.local.fixture.RandomDecoderCheckpoint;
import dev.colloquy.model.local.fixture.ReferenceDecoder;
import dev.colloquy.model.local.internal.decoder.DecoderConfig;
import dev.colloquy.model.local.internal.decoder.DecoderWeights;
import dev.colloquy.model.local.internal.decoder.SafetensorsDecoderReader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The DJL decoder engine (PyTorch, CPU) against {@link ReferenceDecoder} and against {@link
 * JavaDecoderRuntime}, for every family, on random-weight checkpoints read from disk. "Relative" is
 * against the largest logit magnitude of the position: max |engine - expected| ≤ 1e-4 × max
 * |expected|.
 */
class DjlDecoderRuntimeTest {

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

  private DecoderWeights weights(RandomDecoderCheckpoint checkpoint, String name) {
    Path written = checkpoint.writeTo(directory.resolve(name));
    DecoderConfig config = DecoderConfig.read(written.resolve("config.json"));
    return SafetensorsDecoderReader.read(written, config);
  }

  /** Every position's logits, appending one token at a time (the cached path). */
  private static float[][] stepwise(GptRuntime runtime, int[] tokens) {
    return stepwise(runtime, tokens, tokens.length);
  }

  private static float[][] stepwise(GptRuntime runtime, int[] tokens, int capacity) {
    float[][] logits = new float[tokens.length][];
    try (GptSequence sequence = runtime.newSequence(capacity)) {
      for (int i = 0; i < tokens.length; i++) {
        logits[i] = sequence.append(new int[] {tokens[i]});
      }
    }
    return logits;
  }

  private static float[] whole(GptRuntime runtime, int[] tokens) {
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

  private static double[] toDouble(float[] values) {
    double[] result = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = values[i];
    }
    return result;
  }

  /** Every position (cached) and the whole prompt at once against the reference and Java. */
  private void assertMatchesReferenceAndJava(RandomDecoderCheckpoint checkpoint, String name) {
    DecoderWeights weights = weights(checkpoint, name);
    double[][] expected = new ReferenceDecoder(checkpoint).logits(PROMPT);
    try (DjlDecoderRuntime djl = new DjlDecoderRuntime(weights, Device.cpu());
        JavaDecoderRuntime java = new JavaDecoderRuntime(weights, 2)) {
      float[][] actual = stepwise(djl, PROMPT);
      float[][] javaLogits = stepwise(java, PROMPT);
      for (int i = 0; i < PROMPT.length; i++) {
        assertClose(actual[i], expected[i], "reference, position " + i);
        assertClose(actual[i], toDouble(javaLogits[i]), "java engine, position " + i);
      }
      float[] last = whole(djl, PROMPT);
      assertClose(last, expected[PROMPT.length - 1], "reference, whole prompt");
      assertClose(last, toDouble(whole(java, PROMPT)), "java engine, whole prompt");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"llama", "mistral", "qwen2", "qwen3", "phi3"})
  void everyPositionMatchesTheReferenceAndTheJavaEngineForEachFamily(String family) {
    assertMatchesReferenceAndJava(RandomDecoderCheckpoint.tiny(family), family);
  }

  @ParameterizedTest
  @ValueSource(strings = {"llama", "mistral", "qwen2", "qwen3", "phi3"})
  void cachedChunkedAndUncachedGiveTheSameLogits(String family) {
    try (DjlDecoderRuntime runtime =
        new DjlDecoderRuntime(
            weights(RandomDecoderCheckpoint.tiny(family), family), Device.cpu())) {
      float[] uncached = whole(runtime, PROMPT);
      float[] cached = stepwise(runtime, PROMPT)[PROMPT.length - 1];
      assertClose(cached, toDouble(uncached), "one token at a time");
      try (GptSequence sequence = runtime.newSequence(PROMPT.length)) {
        sequence.append(Arrays.copyOf(PROMPT, 4));
        float[] chunked = sequence.append(Arrays.copyOfRange(PROMPT, 4, PROMPT.length));
        assertClose(chunked, toDouble(uncached), "a prompt in two chunks");
        assertThat(sequence.length()).isEqualTo(PROMPT.length);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"llama", "mistral", "qwen2", "qwen3", "phi3"})
  void greedyContinuationsEqualTheJavaEngineAndTheReference(String family) {
    RandomDecoderCheckpoint checkpoint = RandomDecoderCheckpoint.tiny(family);
    DecoderWeights weights = weights(checkpoint, family);
    int[] reference = new ReferenceDecoder(checkpoint).greedy(Arrays.copyOf(PROMPT, 5), 12);
    try (DjlDecoderRuntime djl = new DjlDecoderRuntime(weights, Device.cpu());
        JavaDecoderRuntime java = new JavaDecoderRuntime(weights, 2)) {
      assertThat(greedy(djl, 12)).containsExactly(greedy(java, 12)).containsExactly(reference);
    }
  }

  private static int[] greedy(GptRuntime runtime, int count) {
    try (GptSequence sequence = runtime.newSequence(5 + count)) {
      float[] logits = sequence.append(Arrays.copyOf(PROMPT, 5));
      int[] tokens = new int[count];
      for (int k = 0; k < count; k++) {
        tokens[k] = argmax(logits);
        if (k < count - 1) {
          logits = sequence.append(new int[] {tokens[k]});
        }
      }
      return tokens;
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
  @ValueSource(strings = {"mistral", "phi3"})
  void slidingWindowMatchesTheReferenceCachedAndWhole(String family) {
    assertMatchesReferenceAndJava(
        RandomDecoderCheckpoint.tiny(family).withSlidingWindow(4), family + "-window");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"rope_type\": \"llama3\", \"factor\": 8.0, \"low_freq_factor\": 1.0,"
            + " \"high_freq_factor\": 4.0, \"original_max_position_embeddings\": 16}",
        "{\"rope_type\": \"yarn\", \"factor\": 4.0, \"original_max_position_embeddings\": 16}"
      })
  void scaledRopeMatchesTheReference(String scaling) {
    assertMatchesReferenceAndJava(
        RandomDecoderCheckpoint.tiny("llama").withRopeScaling(scaling), "scaled");
  }

  @ParameterizedTest
  @ValueSource(strings = {"mlp_bias", "attention_bias"})
  void llamasBiasFlagsMatchTheReferenceAndTheJavaEngine(String flag) {
    assertMatchesReferenceAndJava(RandomDecoderCheckpoint.tiny("llama").with(flag, "true"), flag);
  }

  @Test
  void qwen3sAttentionBiasMatchesTheReferenceAndTheJavaEngine() {
    assertMatchesReferenceAndJava(
        RandomDecoderCheckpoint.tiny("qwen3").with("attention_bias", "true"), "qwen3-bias");
  }

  @ParameterizedTest
  @ValueSource(strings = {"qwen2", "qwen3"})
  void qwensSlidingWindowFromMaxWindowLayersOnMatchesTheReference(String family) {
    assertMatchesReferenceAndJava(
        RandomDecoderCheckpoint.tiny(family)
            .with("use_sliding_window", "true")
            .with("sliding_window", "4")
            .with("max_window_layers", "1"),
        family + "-second-layer-window");
  }

  @Test
  void partialRotaryFactorMatchesTheReferenceAndTheJavaEngine() {
    assertMatchesReferenceAndJava(
        RandomDecoderCheckpoint.tiny("phi3").with("partial_rotary_factor", "0.5"), "partial");
  }

  @Test
  void longropeChoosesItsFactorsByTheSequencesCapacityAsTheJavaEngineDoes() {
    RandomDecoderCheckpoint checkpoint =
        RandomDecoderCheckpoint.tiny("phi3")
            .with("partial_rotary_factor", "0.5")
            .with("original_max_position_embeddings", "8")
            .withRopeScaling(
                "{\"type\": \"longrope\", \"short_factor\": [1.0, 1.5],"
                    + " \"long_factor\": [2.0, 6.0]}");
    DecoderWeights weights = weights(checkpoint, "longrope");
    ReferenceDecoder reference = new ReferenceDecoder(checkpoint);
    int[] within = Arrays.copyOf(PROMPT, 8);
    double[][] shortFactors = reference.logits(within);
    double[][] longFactors = reference.logits(within, PROMPT.length);
    try (DjlDecoderRuntime djl = new DjlDecoderRuntime(weights, Device.cpu());
        JavaDecoderRuntime java = new JavaDecoderRuntime(weights, 1)) {
      for (int capacity : new int[] {8, PROMPT.length}) {
        float[][] actual = stepwise(djl, within, capacity);
        float[][] javaLogits = stepwise(java, within, capacity);
        double[][] expected = capacity == 8 ? shortFactors : longFactors;
        for (int i = 0; i < within.length; i++) {
          assertClose(actual[i], expected[i], "capacity " + capacity + ", position " + i);
          assertClose(actual[i], toDouble(javaLogits[i]), "java, capacity " + capacity);
        }
      }
    }
  }

  @Test
  void untiedAndTiedHeadsBothMatchTheReference() {
    for (boolean tied : new boolean[] {true, false}) {
      assertMatchesReferenceAndJava(
          RandomDecoderCheckpoint.tiny("qwen3").withTied(tied), "tied-" + tied);
    }
  }

  @Test
  void appendingLeavesNoArraysBehindInTheWeightsManager() {
    try (DjlDecoderRuntime runtime =
        new DjlDecoderRuntime(weights(RandomDecoderCheckpoint.tiny("qwen2"), "q"), Device.cpu())) {
      BaseNDManager weightsManager = (BaseNDManager) runtime.manager();
      int before = weightsManager.getManagedArrays().size();
      stepwise(runtime, PROMPT);
      whole(runtime, PROMPT);
      assertThat(weightsManager.getManagedArrays()).hasSize(before);
    }
  }

  @Test
  void refusesTokensOutsideTheVocabularyAndAppendsPastCapacity() {
    try (DjlDecoderRuntime runtime =
            new DjlDecoderRuntime(
                weights(RandomDecoderCheckpoint.tiny("llama"), "l"), Device.cpu());
        GptSequence sequence = runtime.newSequence(2)) {
      assertThatThrownBy(() -> sequence.append(new int[] {96}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("token id 96");
      assertThatThrownBy(() -> sequence.append(new int[] {1, 2, 3}))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("capacity 2");
      assertThat(sequence.length()).isZero();
    }
  }

  @Test
  void exposesTheConfigsContextVocabularyAndEndOfTextIds() {
    try (DjlDecoderRuntime runtime =
        new DjlDecoderRuntime(weights(RandomDecoderCheckpoint.tiny("qwen2"), "q"), Device.cpu())) {
      assertThat(runtime.contextLength()).isEqualTo(64);
      assertThat(runtime.vocabularySize()).isEqualTo(96);
      assertThat(runtime.endOfTextIds()).containsExactly(2, 3);
      assertThat(runtime.description()).isEqualTo("djl-pytorch cpu(), qwen2");
    }
  }
}
