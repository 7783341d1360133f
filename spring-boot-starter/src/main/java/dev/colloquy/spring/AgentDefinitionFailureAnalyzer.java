package dev.colloquy.spring;

import dev.colloquy.dsl.DslException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a failed start caused by invalid agent definition files into Spring Boot's startup report:
 * the DSL's own errors (file, line, column, the source line with a caret, and hints) as the
 * description.
 */
final class AgentDefinitionFailureAnalyzer extends AbstractFailureAnalyzer<DslException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, DslException cause) {
    return new FailureAnalysis(
        "The agent definition files have errors:\n\n" + cause.getMessage(),
        "Fix the files listed above (they are read from colloquy.agents.location, default "
            + AgentFiles.DEFAULT_LOCATION
            + "), or bind the names they use with a ColloquyBindingsCustomizer bean.",
        cause);
  }
}
