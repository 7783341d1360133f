/** Colloquy's core: messages, the backend SPI, prompts, memory and agents. */
module dev.colloquy.core {
  requires transitive com.fasterxml.jackson.databind;
  requires com.github.benmanes.caffeine;
  requires org.slf4j;
  requires com.fasterxml.jackson.datatype.jdk8;
  requires com.github.victools.jsonschema.generator;
  requires com.fasterxml.classmate;
  requires com.networknt.schema;

  exports dev.colloquy.core;
  exports dev.colloquy.core.agent;
  exports dev.colloquy.core.memory;
  exports dev.colloquy.core.message;
  exports dev.colloquy.core.model;
  exports dev.colloquy.core.prompt;
  exports dev.colloquy.core.tool;
  exports dev.colloquy.core.chain;
}
