package dev.colloquy.model.local.internal.runtime;

import static dev.colloquy.model.local.internal.runtime.JavaGptRuntimeTest.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.colloquy.model.local.fixture.RandomGpt2Checkpoint;
import dev.colloquy.model.local.fixture.ReferenceGpt2;
import dev.colloquy.model.local.internal.checkpoint.CheckpointReader;
import dev.colloquy.model.local.internal.checkpoint.GptWeights;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DjlGptRuntimeTest {

  private static final int[] TOKENS = {31373, 995, 11, 314, 716, 257, 1332, 50256, 0, 50255};

  private static GptWeights weights;
  private static double[][] expected;
  private static DjlGptRuntime runtime;

  @BeforeAll
  static void loadTinyModel(@TempDir Path directory) {
    weights = CheckpointReader.read(RandomGpt2Checkpoint.tiny().writeTo(directory));
    expected = new ReferenceGpt2(weights).logits(TOKENS);
    runtime = new DjlGptRuntime(weights, Device.cpu());
  }

  @AfterAll
  static void close() {
    runtime.close();
  }

  @Test
  void logitsMatchTheReferenceForwardPassForAWholePrompt() {
    try (GptSequence sequence = runtime.newSequence(TOKENS.length)) {
      assertClose(sequence.append(TOKENS), expected[TOKENS.length - 1]);
    }
  }

  @Test
  void cachedDecodingMatchesUncachedDecodingAtEveryPosition() {
    try (GptSequence cached = runtime.newSequence(TOKENS.length)) {
      assertClose(cached.append(new int[] {TOKENS[0], TOKENS[1]}), expected[1]);
      for (int t = 2; t < TOKENS.length; t++) {
        float[] stepLogits = cached.append(new int[] {TOKENS[t]});
        assertClose(stepLogits, expected[t]);
        try (GptSequence uncached = runtime.newSequence(t + 1)) {
          int[] prefix = Arrays.copyOf(TOKENS, t + 1);
          assertClose(stepLogits, toDouble(uncached.append(prefix)));
        }
      }
      assertThat(cached.length()).isEqualTo(TOKENS.length);
    }
  }

  @Test
  void stepsComputeTheSameFunctionAsTheTrainersForwardPass() {
    try (NDManager manager = DjlEnvironment.pytorch().newBaseManager(Device.cpu());
        GptSequence sequence = runtime.newSequence(TOKENS.length)) {
      GptParameters parameters = GptParameters.create(weights, manager);
      float[] trainer =
          GptLayers.forward(parameters, manager.create(TOKENS).reshape(1, TOKENS.length))
              .get(new NDIndex("0, -1"))
              .toFloatArray();
      sequence.append(Arrays.copyOf(TOKENS, 4));
      float[] stepped = sequence.append(Arrays.copyOfRange(TOKENS, 4, TOKENS.length));
      assertClose(stepped, toDouble(trainer));
    }
  }

  @Test
  void appendingLeavesNoArraysBehindInTheWeightsManager() {
    BaseNDManager weightsManager = (BaseNDManager) runtime.manager();
    int before = weightsManager.getManagedArrays().size();
    try (GptSequence sequence = runtime.newSequence(TOKENS.length)) {
      sequence.append(Arrays.copyOf(TOKENS, 3));
      sequence.append(new int[] {TOKENS[3]});
      sequence.copy(4, TOKENS.length).close();
    }
    assertThat(weightsManager.getManagedArrays()).hasSize(before);
  }

  @Test
  void describesItsEngineAndDevice() {
    assertThat(runtime.description()).isEqualTo("djl-pytorch cpu()");
  }

  private static double[] toDouble(float[] values) {
    double[] result = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = values[i];
    }
    return result;
  }
}
