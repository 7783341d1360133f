package dev.colloquy.model.local.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.colloquy.model.local.fixture.RandomDecoderCheckpoint;
import dev.colloquy.model.local.fixture.RandomGpt2Checkpoint;
import dev.colloquy.model.local.internal.checkpoint.CheckpointReader;
import dev.colloquy.model.local.internal.decoder.DecoderConfig;
import dev.colloquy.model.local.internal.decoder.DecoderWeights;
import dev.colloquy.model.local.internal.decoder.SafetensorsDecoderReader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every engine's {@link GptSequence#truncate} and {@link GptSequence#copy}: a rolled-back or moved
 * cache continues exactly as a fresh sequence given the same tokens in the same chunks
 * (bit-identical on the Java engines, 1e-4 on DJL's).
 */
class GptSequenceRollbackTest {

  private static final int[] A = {5, 17, 3, 42, 8, 61};
  private static final int[] B = {9, 9, 30, 2};
  private static final int[] C = {11, 47, 20};

  @TempDir static Path directory;

  static Stream<Arguments> engines() {
    Function<String, GptRuntime> gpt2Java = name -> new JavaGptRuntime(gpt2(name), 2);
    Function<String, GptRuntime> gpt2Djl = name -> new DjlGptRuntime(gpt2(name), Device.cpu());
    Function<String, GptRuntime> llamaJava =
        name -> new JavaDecoderRuntime(decoder("llama", name), 2);
    Function<String, GptRuntime> llamaDjl =
        name -> new DjlDecoderRuntime(decoder("llama", name), Device.cpu());
    return Stream.of(
        Arguments.of("java-gpt2", gpt2Java, 0.0),
        Arguments.of("djl-gpt2", gpt2Djl, 1e-4),
        Arguments.of("java-decoder", llamaJava, 0.0),
        Arguments.of("djl-decoder", llamaDjl, 1e-4));
  }

  private static dev.colloquy.model.local.internal.checkpoint.GptWeights gpt2(String name) {
    return CheckpointReader.read(RandomGpt2Checkpoint.tiny().writeTo(directory.resolve(name)));
  }

  private static DecoderWeights decoder(String family, String name) {
    Path written = RandomDecoderCheckpoint.tiny(family).writeTo(directory.resolve(name));
    return SafetensorsDecoderReader.read(
        written, DecoderConfig.read(written.resolve("config.json")));
  }

  private static int[] concat(int[]... parts) {
    return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
  }

  /** Fresh: A then C, in the chunks the rolled-back sequence saw them. */
  private static float[][] fresh(GptRuntime runtime) {
    try (GptSequence sequence = runtime.newSequence(A.length + C.length + 1)) {
      sequence.append(A);
      float[] afterC = sequence.append(C);
      float[] afterOne = sequence.append(new int[] {1});
      return new float[][] {afterC, afterOne};
    }
  }

  private static void assertSame(float[] actual, float[] expected, double tolerance) {
    if (tolerance == 0) {
      assertThat(actual).containsExactly(expected);
      return;
    }
    double worst = 0;
    for (int v = 0; v < expected.length; v++) {
      worst = Math.max(worst, Math.abs(actual[v] - expected[v]));
    }
    assertThat(worst).isLessThan(tolerance);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void truncatingToAPrefixContinuesAsAFreshSequenceOnThatPrefix(
      String engine, Function<String, GptRuntime> factory, double tolerance) {
    try (GptRuntime runtime = factory.apply(engine + "-truncate")) {
      float[][] expected = fresh(runtime);
      try (GptSequence sequence = runtime.newSequence(A.length + B.length + C.length)) {
        sequence.append(concat(A, B));
        sequence.truncate(A.length);
        assertThat(sequence.length()).isEqualTo(A.length);
        assertSame(sequence.append(C), expected[0], tolerance);
        assertSame(sequence.append(new int[] {1}), expected[1], tolerance);
        assertThat(sequence.length()).isEqualTo(A.length + C.length + 1);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void aCopyToABiggerSequenceContinuesAsAFreshOneAndLeavesTheOriginalUnchanged(
      String engine, Function<String, GptRuntime> factory, double tolerance) {
    try (GptRuntime runtime = factory.apply(engine + "-copy")) {
      float[][] expected = fresh(runtime);
      try (GptSequence original = runtime.newSequence(A.length + B.length)) {
        original.append(concat(A, B));
        try (GptSequence moved = original.copy(A.length, A.length + C.length + 2)) {
          assertThat(moved.length()).isEqualTo(A.length);
          assertThat(moved.capacity()).isEqualTo(A.length + C.length + 2);
          // Not strictly more: the Java engines hold whole blocks of 16 positions.
          assertThat(moved.cacheBytes()).isGreaterThanOrEqualTo(original.cacheBytes());
          assertSame(moved.append(C), expected[0], tolerance);
          assertSame(moved.append(new int[] {1}), expected[1], tolerance);
        }
        assertThat(original.length()).isEqualTo(A.length + B.length);
        original.truncate(A.length);
        try (GptSequence smaller = runtime.newSequence(A.length + C.length + 1)) {
          smaller.append(A);
          assertSame(original.append(new int[] {7}), smaller.append(new int[] {7}), tolerance);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void rejectsAPrefixLongerThanTheSequence(
      String engine, Function<String, GptRuntime> factory, double tolerance) {
    try (GptRuntime runtime = factory.apply(engine + "-bounds");
        GptSequence sequence = runtime.newSequence(8)) {
      sequence.append(A);
      assertThatThrownBy(() -> sequence.truncate(A.length + 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("must be 0 to " + A.length);
      assertThatThrownBy(() -> sequence.copy(A.length, A.length - 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("capacity must be " + A.length);
      assertThat(sequence.length()).isEqualTo(A.length);
    }
  }

  @Test
  void aLongropeCacheDoesNotMoveAcrossItsOriginalContext() {
    RandomDecoderCheckpoint checkpoint =
        RandomDecoderCheckpoint.tiny("phi3")
            .with("partial_rotary_factor", "0.5")
            .with("original_max_position_embeddings", "8")
            .withRopeScaling(
                "{\"type\": \"longrope\", \"short_factor\": [1.0, 1.5],"
                    + " \"long_factor\": [2.0, 6.0]}");
    Path written = checkpoint.writeTo(directory.resolve("longrope"));
    DecoderWeights weights =
        SafetensorsDecoderReader.read(written, DecoderConfig.read(written.resolve("config.json")));
    try (JavaDecoderRuntime runtime = new JavaDecoderRuntime(weights, 1);
        GptSequence sequence = runtime.newSequence(8)) {
      sequence.append(A);
      assertThat(sequence.matchesCapacity(7)).isTrue();
      assertThat(sequence.matchesCapacity(9)).isFalse();
      assertThatThrownBy(() -> sequence.copy(A.length, 9))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("rotary frequencies");
    }
  }
}
