package dev.colloquy.model.local.internal.runtime;

/** The logits the runtime tests compare: a prompt's, one token at a time, and their distance. */
final class PromptLogits {

  private PromptLogits() {}

  /** Each position's logits, the prompt appended one token at a time to a new sequence. */
  static float[][] oneAtATime(GptRuntime runtime, int[] prompt) {
    try (GptSequence sequence = runtime.newSequence(prompt.length)) {
      float[][] all = new float[prompt.length][];
      for (int i = 0; i < prompt.length; i++) {
        all[i] = sequence.append(new int[] {prompt[i]});
      }
      return all;
    }
  }

  /** The largest difference from the expected logits, relative to the largest expected one. */
  static double relativeError(float[] actual, float[] expected) {
    double scale = 0;
    double worst = 0;
    for (int v = 0; v < expected.length; v++) {
      scale = Math.max(scale, Math.abs(expected[v]));
      worst = Math.max(worst, Math.abs(actual[v] - expected[v]));
    }
    return worst / scale;
  }
}
