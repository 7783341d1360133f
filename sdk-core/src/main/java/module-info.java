/** Colloquy's core: messages, the backend SPI, prompts, memory and agents. */
module dev.colloquy.core {
  requires com.fasterxml.jackson.databind;
  requires com.github.benmanes.caffeine;
  // LoggingChatListener.of takes an SLF4J Logger.
  requires transitive org.slf4j;
  requires com.fasterxml.jackson.datatype.jdk8;
  requires com.github.victools.jsonschema.generator;
  requires com.fasterxml.classmate;
  requires io.github.resilience4j.core;
  requires io.github.resilience4j.retry;
  requires io.github.resilience4j.circuitbreaker;
  requires io.github.resilience4j.ratelimiter;
  requires io.github.resilience4j.bulkhead;
  requires com.networknt.schema;
  requires static micrometer.core;
  // Tracing.of takes an ObservationRegistry; only the classes behind it touch Micrometer.
  requires static micrometer.observation;
  requires static micrometer.commons;

  exports dev.colloquy.core;
  exports dev.colloquy.core.agent;
  exports dev.colloquy.core.cache;
  exports dev.colloquy.core.cost;
  exports dev.colloquy.core.guard;
  exports dev.colloquy.core.memory;
  exports dev.colloquy.core.message;
  exports dev.colloquy.core.model;
  exports dev.colloquy.core.observe;
  exports dev.colloquy.core.prompt;
  exports dev.colloquy.core.tool;
  exports dev.colloquy.core.chain;
  exports dev.colloquy.core.resilience;
}
