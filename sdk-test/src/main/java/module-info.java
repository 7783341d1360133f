/**
 * Colloquy's test kit: scripted backends, record and replay, AssertJ assertions, a JUnit 5
 * extension, conversation scripts, evaluations and the ChatModel contract suite.
 */
module dev.colloquy.test {
  requires transitive dev.colloquy.core;
  requires transitive org.assertj.core;
  requires transitive org.junit.jupiter.api;
  // RequestMatcher.strip takes and returns a Jackson JsonNode.
  requires transitive com.fasterxml.jackson.databind;
  requires com.networknt.schema;

  exports dev.colloquy.test;
  exports dev.colloquy.test.cassette;
  exports dev.colloquy.test.contract;
  exports dev.colloquy.test.eval;
  exports dev.colloquy.test.junit;
  exports dev.colloquy.test.script;
}
