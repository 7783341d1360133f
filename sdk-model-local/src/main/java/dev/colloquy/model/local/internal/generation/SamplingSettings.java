package dev.colloquy.model.local.internal.generation;

/**
 * How the next token is chosen.
 *
 * @param temperature 0 for greedy decoding, otherwise the softmax temperature
 * @param topK keep this many most likely tokens; 0 for no cut
 * @param topP keep the most likely tokens whose probabilities add up to this; 1 for no cut
 * @param repetitionPenalty divide positive (multiply negative) logits of tokens already in the
 *     context by this, as in the CTRL paper; 1 for none
 * @param seed the sampler's seed
 */
public record SamplingSettings(
    double temperature, int topK, double topP, double repetitionPenalty, long seed) {

  /** Returns whether the choice is the arg-max. */
  public boolean greedy() {
    return temperature == 0 || topK == 1;
  }
}
