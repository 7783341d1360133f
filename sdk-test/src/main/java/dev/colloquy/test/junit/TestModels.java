package dev.colloquy.test.junit;

import dev.colloquy.core.model.ChatModel;
import dev.colloquy.test.CapturingChatModel;
import dev.colloquy.test.Transcript;
import dev.colloquy.test.cassette.CassetteMode;
import dev.colloquy.test.cassette.Cassettes;
import dev.colloquy.test.cassette.RequestMatcher;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The models of one test, handed out by {@link ColloquyExtension}: each one is captured into the
 * test's single {@link Transcript}. Not shared between tests. Thread-safe.
 */
public final class TestModels {

  private final Path cassette;
  private final CassetteMode mode;
  private CapturingChatModel log;

  TestModels(Path cassette, CassetteMode mode) {
    this.cassette = cassette;
    this.mode = mode;
  }

  /**
   * Returns the model, captured under the given name: typically a {@code ScriptedChatModel} whose
   * own requests the test also inspects.
   */
  public synchronized ChatModel capture(ChatModel model, String name) {
    Objects.requireNonNull(model, "model");
    log = log == null ? CapturingChatModel.of(model, name) : log.sharingLogWith(model, name);
    return log;
  }

  /** Returns this test's cassette-backed model, matching requests exactly. */
  public ChatModel cassette(Supplier<? extends ChatModel> live) {
    return cassette(RequestMatcher.exact(), live);
  }

  /**
   * Returns this test's cassette-backed model: recording or replaying {@link #cassetteFile()} by
   * {@link CassetteMode#current()}.
   *
   * @param matcher how replayed requests are matched
   * @param live makes the live model; called only when recording
   */
  public ChatModel cassette(RequestMatcher matcher, Supplier<? extends ChatModel> live) {
    return capture(
        Cassettes.model(cassette, mode, matcher, live), "cassette " + cassette.getFileName());
  }

  /** Returns the cassette file of this test. */
  public Path cassetteFile() {
    return cassette;
  }

  /** Returns the calls captured so far, of every model this object handed out. */
  public synchronized Transcript transcript() {
    return log == null ? new Transcript(java.util.List.of()) : log.transcript();
  }
}
