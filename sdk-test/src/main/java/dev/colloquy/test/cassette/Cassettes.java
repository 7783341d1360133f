package dev.colloquy.test.cassette;

import dev.colloquy.core.guard.SecretRedactor;
import dev.colloquy.core.model.ChatModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Chooses between recording and replaying a cassette by {@link CassetteMode}.
 *
 * <pre>{@code
 * ChatModel model = Cassettes.model(Path.of("src/test/resources/cassettes/refund.json"),
 *     CassetteMode.current(), RequestMatcher.exact().ignoring("options.seed"), () -> liveModel());
 * }</pre>
 */
public final class Cassettes {

  private Cassettes() {}

  /**
   * Returns a recording or replaying model for the cassette.
   *
   * @param file the cassette, one per test
   * @param mode record, replay, or record when the file is missing
   * @param matcher how replayed requests are matched
   * @param live makes the live model; called only when recording
   */
  public static ChatModel model(
      Path file, CassetteMode mode, RequestMatcher matcher, Supplier<? extends ChatModel> live) {
    return model(file, mode, matcher, live, SecretRedactor.none());
  }

  /**
   * Returns a recording or replaying model for the cassette; a recording removes the given secrets
   * by value, besides those the live model reports ({@link ChatModel#secretRedactor()}).
   *
   * @param file the cassette, one per test
   * @param mode record, replay, or record when the file is missing
   * @param matcher how replayed requests are matched
   * @param live makes the live model; called only when recording
   * @param secrets further values a recording removes wherever they occur
   */
  public static ChatModel model(
      Path file,
      CassetteMode mode,
      RequestMatcher matcher,
      Supplier<? extends ChatModel> live,
      SecretRedactor secrets) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(matcher, "matcher");
    Objects.requireNonNull(live, "live");
    Objects.requireNonNull(secrets, "secrets");
    boolean record =
        mode == CassetteMode.RECORD
            || (mode == CassetteMode.RECORD_WHEN_MISSING && !Files.exists(file));
    return record
        ? RecordingChatModel.recording(
            Objects.requireNonNull(live.get(), "the live model supplier returned null"),
            file,
            secrets)
        : ReplayingChatModel.replaying(file, matcher);
  }
}
