/** Colloquy's core: messages, the backend SPI, prompts, memory and agents. */
module dev.colloquy.core {
  requires transitive com.fasterxml.jackson.databind;
  requires com.github.benmanes.caffeine;
  requires org.slf4j;

  exports dev.colloquy.core;
  exports dev.colloquy.core.agent;
  exports dev.colloquy.core.memory;
  exports dev.colloquy.core.message;
  exports dev.colloquy.core.model;
  exports dev.colloquy.core.prompt;
}
