package dev.colloquy.spring;

/**
 * {@code colloquy.backend} names a backend whose module is not on the class path, and the
 * application declares no {@code ChatModel} of its own; {@link MissingBackendModuleFailureAnalyzer}
 * turns it into Spring Boot's startup report.
 */
final class MissingBackendModuleException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final String backend;
  private final String artifact;

  MissingBackendModuleException(String backend, String artifact) {
    super(
        "colloquy.backend="
            + backend
            + " needs "
            + artifact
            + " on the class path, and it is not there "
            + "(the starter declares it optional): add the dependency "
            + artifact
            + ", choose another colloquy.backend, or declare a ChatModel bean of your own");
    this.backend = backend;
    this.artifact = artifact;
  }

  /** Returns the backend that was chosen, {@code local} or {@code remote}. */
  String backend() {
    return backend;
  }

  /** Returns the missing module as {@code groupId:artifactId}. */
  String artifact() {
    return artifact;
  }
}
