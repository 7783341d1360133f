/** Colloquy's remote backend: OpenAI-compatible chat completions over the JDK HttpClient. */
module dev.colloquy.model.remote {
  requires transitive dev.colloquy.core;
  requires java.net.http;
  requires com.fasterxml.jackson.databind;
  requires io.github.resilience4j.retry;
  requires io.github.resilience4j.core;
  requires jtokkit;

  exports dev.colloquy.model.remote;
}
