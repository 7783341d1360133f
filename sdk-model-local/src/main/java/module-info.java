/** A GPT-2-family runtime inside the JVM, on DJL or plain-Java kernels, offline first. */
// "module": the trainer is built after this module, so javac cannot see it yet.
@SuppressWarnings("module")
module dev.colloquy.model.local {
  requires transitive dev.colloquy.core;
  requires ai.djl.api;
  // Only for libtorch's thread count (DjlEnvironment); the engine itself is found by DJL.
  requires ai.djl.pytorch_engine;
  requires ai.djl.tokenizers;
  requires org.slf4j;
  requires com.fasterxml.jackson.databind;
  // Jinjava ships no module name; its jar name is the automatic one.
  requires jinjava;

  exports dev.colloquy.model.local;
  // The trainer (colloquy-trainer) runs the same layers, tokenizer and chat format as inference and
  // writes checkpoints this runtime reads: it alone sees these internals.
  exports dev.colloquy.model.local.internal.checkpoint to
      dev.colloquy.trainer;
  exports dev.colloquy.model.local.internal.format to
      dev.colloquy.trainer;
  exports dev.colloquy.model.local.internal.runtime to
      dev.colloquy.trainer;
  exports dev.colloquy.model.local.internal.tokenizer to
      dev.colloquy.trainer;
}
