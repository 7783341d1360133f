package dev.colloquy.test.cassette;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colloquy.core.Cancellation;
import dev.colloquy.core.ColloquyException;
import dev.colloquy.core.RetryableException;
import dev.colloquy.core.guard.SecretRedactor;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenCounter;
import dev.colloquy.test.internal.cassette.CassetteCodec;
import dev.colloquy.test.internal.cassette.CassetteFile;
import dev.colloquy.test.internal.cassette.Redactor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Passes every call to a live model and writes each request with its answer (its streamed chunks
 * too) or its {@link ColloquyException} to a cassette: readable, pretty-printed JSON, one file per
 * test. The file is rewritten after every call, so a test that dies midway still leaves what it
 * recorded. Credentials are removed before writing: fields named like keys or authorization
 * headers, bearer tokens and {@code sk-} keys by pattern, and by exact value the secrets the live
 * model was configured with ({@link ChatModel#secretRedactor()}, whatever their shape) plus any
 * given to {@link #recording(ChatModel, Path, SecretRedactor)}. Streamed chunks are redacted as one
 * text, so a secret split across chunks is removed whole.
 *
 * <p>The cassette starts empty: recording replaces an existing file. Thread-safe.
 */
public final class RecordingChatModel implements ChatModel {

  private final ChatModel live;
  private final Path file;
  private final SecretRedactor secrets;
  private final Redactor redactor;
  private final List<JsonNode> interactions = new ArrayList<>();

  private RecordingChatModel(ChatModel live, Path file, SecretRedactor secrets) {
    this.live = live;
    this.file = file;
    this.secrets = live.secretRedactor().orElse(SecretRedactor.none()).and(secrets);
    this.redactor = Redactor.with(this.secrets);
  }

  /**
   * Returns a model recording the live model's answers to the file, removing the secrets the live
   * model reports.
   *
   * @param live the model that really answers
   * @param file the cassette to write
   */
  public static RecordingChatModel recording(ChatModel live, Path file) {
    return recording(live, file, SecretRedactor.none());
  }

  /**
   * Returns a model recording the live model's answers to the file, removing the secrets the live
   * model reports and the given ones (for a backend that does not report its own).
   *
   * @param live the model that really answers
   * @param file the cassette to write
   * @param secrets further values to remove wherever they occur
   */
  public static RecordingChatModel recording(ChatModel live, Path file, SecretRedactor secrets) {
    return new RecordingChatModel(
        Objects.requireNonNull(live, "live"),
        Objects.requireNonNull(file, "file"),
        Objects.requireNonNull(secrets, "secrets"));
  }

  /** Returns the cassette this model writes. */
  public Path file() {
    return file;
  }

  @Override
  public ModelCapabilities capabilities() {
    return live.capabilities();
  }

  /** Returns the live model's secrets and the ones given when recording started. */
  @Override
  public Optional<SecretRedactor> secretRedactor() {
    return secrets.isEmpty() ? Optional.empty() : Optional.of(secrets);
  }

  @Override
  public Optional<TokenCounter> tokenCounter() {
    return live.tokenCounter();
  }

  @Override
  public ChatResponse generate(
      ChatRequest request, StreamListener listener, Cancellation cancellation) {
    List<String> chunks = new ArrayList<>();
    StreamListener recorder =
        new StreamListener() {
          @Override
          public void onText(String delta) {
            chunks.add(delta);
            listener.onText(delta);
          }

          @Override
          public void onToolCall(ToolCall call) {
            listener.onToolCall(call);
          }
        };
    ObjectNode interaction = JsonNodeFactory.instance.objectNode();
    interaction.set("request", CassetteCodec.request(request));
    try {
      ChatResponse response = live.generate(request, recorder, cancellation);
      interaction.set("response", CassetteCodec.response(response, chunks));
      return response;
    } catch (ColloquyException e) {
      interaction
          .putObject("error")
          .put("retryable", e instanceof RetryableException)
          .put("message", e.getMessage());
      throw e;
    } finally {
      if (interaction.has("response") || interaction.has("error")) {
        synchronized (interactions) {
          interactions.add(interaction);
          CassetteFile.write(file, interactions, redactor);
        }
      }
    }
  }
}
