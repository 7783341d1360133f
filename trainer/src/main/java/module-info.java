/**
 * Trains GPT-2 models on conversations for the local runtime ({@code dev.colloquy.model.local}),
 * and writes random-weight checkpoints for tests and benchmarks.
 */
module dev.colloquy.trainer {
  requires transitive dev.colloquy.core;
  requires dev.colloquy.model.local;
  requires ai.djl.api;
  requires com.fasterxml.jackson.databind;

  exports dev.colloquy.trainer;
}
