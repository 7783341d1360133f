package dev.colloquy.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a start that chose a backend whose module is missing: which dependency to add. */
final class MissingBackendModuleFailureAnalyzer
    extends AbstractFailureAnalyzer<MissingBackendModuleException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, MissingBackendModuleException cause) {
    return new FailureAnalysis(
        "colloquy.backend is '"
            + cause.backend()
            + "', but "
            + cause.artifact()
            + " is not on the class path, so there is no "
            + cause.backend()
            + " model to configure.",
        "Add the dependency "
            + cause.artifact()
            + " (an optional dependency of colloquy-spring-boot-starter), "
            + "or set colloquy.backend to a backend whose module is there, or declare a ChatModel bean of your own.",
        cause);
  }
}
