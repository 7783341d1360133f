/** A GPT-2-family runtime inside the JVM, on DJL or plain-Java kernels, offline first. */
module dev.colloquy.model.local {
  requires transitive dev.colloquy.core;
  requires ai.djl.api;
  requires ai.djl.tokenizers;
  requires org.slf4j;
  requires com.fasterxml.jackson.databind;

  exports dev.colloquy.model.local;
  exports dev.colloquy.model.local.training;
}
