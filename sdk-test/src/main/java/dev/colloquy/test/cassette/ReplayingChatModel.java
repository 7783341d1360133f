package dev.colloquy.test.cassette;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colloquy.core.Cancellation;
import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.RetryableException;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.test.internal.cassette.CassetteCodec;
import dev.colloquy.test.internal.cassette.CassetteFile;
import dev.colloquy.test.internal.cassette.JsonDiff;
import dev.colloquy.test.internal.cassette.Redactor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Serves a cassette written by {@link RecordingChatModel}, never calling a live model. Each call is
 * answered by the first recorded interaction not yet replayed whose request matches under the
 * {@link RequestMatcher}; its chunks stream again, and a recorded failure is thrown again.
 *
 * <p>A request that matches nothing fails the test with an {@link AssertionError} showing the
 * nearest recorded request (the one with fewest differing fields) field by field against the actual
 * one, and how to re-record.
 *
 * <p>Thread-safe.
 */
public final class ReplayingChatModel implements ChatModel {

  private static final ModelCapabilities CAPABILITIES =
      new ModelCapabilities(1 << 20, true, true, true, true);

  private final Path file;
  private final RequestMatcher matcher;
  private final List<JsonNode> interactions;
  private final boolean[] used;
  private int calls;

  private ReplayingChatModel(Path file, RequestMatcher matcher, List<JsonNode> interactions) {
    this.file = file;
    this.matcher = matcher;
    this.interactions = List.copyOf(interactions);
    this.used = new boolean[interactions.size()];
  }

  /**
   * Loads a cassette.
   *
   * @param file the cassette
   * @param matcher when a live request counts as a recorded one
   * @throws AssertionError when the file does not exist, saying how to record it
   * @throws IllegalArgumentException when the file is not a cassette
   */
  public static ReplayingChatModel replaying(Path file, RequestMatcher matcher) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(matcher, "matcher");
    if (!Files.exists(file)) {
      throw new AssertionError(
          "cassette "
              + file
              + " does not exist. Record it by running this test with -D"
              + CassetteMode.PROPERTY
              + "=record (or "
              + CassetteMode.ENVIRONMENT_VARIABLE
              + "=record-when-missing)");
    }
    return new ReplayingChatModel(file, matcher, CassetteFile.read(file));
  }

  /** Returns how many recorded interactions have not been replayed. */
  public synchronized int remainingInteractions() {
    int left = 0;
    for (boolean u : used) {
      left += u ? 0 : 1;
    }
    return left;
  }

  @Override
  public ModelCapabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  public ChatResponse generate(
      ChatRequest request, StreamListener listener, Cancellation cancellation) {
    Objects.requireNonNull(listener, "listener");
    cancellation.throwIfCancelled();
    JsonNode interaction = take(Redactor.patterns().redact(CassetteCodec.request(request)));
    String where = file + ", interaction #" + (interactions.indexOf(interaction) + 1);
    JsonNode error = interaction.get("error");
    if (error != null) {
      String message = error.path("message").asText("recorded failure");
      throw error.path("retryable").asBoolean()
          ? new RetryableException(message)
          : new NonRetryableException(message);
    }
    JsonNode recorded = interaction.path("response");
    ChatResponse response = CassetteCodec.readResponse(recorded, where);
    for (String chunk : CassetteCodec.readChunks(recorded)) {
      cancellation.throwIfCancelled();
      listener.onText(chunk);
    }
    for (ToolCall call : response.message().toolCalls()) {
      cancellation.throwIfCancelled();
      listener.onToolCall(call);
    }
    cancellation.throwIfCancelled();
    return response;
  }

  private synchronized JsonNode take(JsonNode actual) {
    calls++;
    JsonNode stripped = matcher.strip(actual);
    int nearest = -1;
    List<JsonDiff.Difference> nearestDiff = List.of();
    for (int i = 0; i < interactions.size(); i++) {
      if (used[i]) {
        continue;
      }
      List<JsonDiff.Difference> diff =
          JsonDiff.between(matcher.strip(interactions.get(i).path("request")), stripped);
      if (diff.isEmpty()) {
        used[i] = true;
        return interactions.get(i);
      }
      if (nearest < 0 || diff.size() < nearestDiff.size()) {
        nearest = i;
        nearestDiff = diff;
      }
    }
    StringBuilder s =
        new StringBuilder("No recorded interaction in ")
            .append(file)
            .append(" matches request #")
            .append(calls)
            .append(" (matching: ")
            .append(matcher)
            .append(").\n");
    if (nearest < 0) {
      s.append("All ")
          .append(interactions.size())
          .append(" recorded interactions were already replayed.\n");
    } else {
      s.append("Nearest recorded request is interaction #")
          .append(nearest + 1)
          .append("; they differ at:\n")
          .append(JsonDiff.render(nearestDiff, 12));
    }
    s.append("Re-record with -D")
        .append(CassetteMode.PROPERTY)
        .append("=record (or ")
        .append(CassetteMode.ENVIRONMENT_VARIABLE)
        .append("=record), or ignore the field with RequestMatcher.ignoring(...).");
    throw new AssertionError(s.toString());
  }
}
