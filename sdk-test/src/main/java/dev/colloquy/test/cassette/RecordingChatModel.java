package dev.colloquy.test.cassette;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colloquy.core.Cancellation;
import dev.colloquy.core.ColloquyException;
import dev.colloquy.core.RetryableException;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.test.internal.cassette.CassetteCodec;
import dev.colloquy.test.internal.cassette.CassetteFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Passes every call to a live model and writes each request with its answer (its streamed
 * chunks too) or its {@link ColloquyException} to a cassette: readable, pretty-printed JSON, one
 * file per test. The file is rewritten after every call, so a test that dies midway still leaves
 * what it recorded. Credentials (API keys, authorization headers, bearer tokens) are removed
 * before writing.
 *
 * <p>The cassette starts empty: recording replaces an existing file. Thread-safe.
 */
public final class RecordingChatModel implements ChatModel {

  private final ChatModel live;
  private final Path file;
  private final List<JsonNode> interactions = new ArrayList<>();

  private RecordingChatModel(ChatModel live, Path file) {
    this.live = live;
    this.file = file;
  }

  /**
   * Returns a model recording the live model's answers to the file.
   *
   * @param live the model that really answers
   * @param file the cassette to write
   */
  public static RecordingChatModel recording(ChatModel live, Path file) {
    return new RecordingChatModel(Objects.requireNonNull(live, "live"), Objects.requireNonNull(file, "file"));
  }

  /** Returns the cassette this model writes. */
  public Path file() {
    return file;
  }

  @Override
  public ModelCapabilities capabilities() {
    return live.capabilities();
  }

  @Override
  public ChatResponse generate(ChatRequest request, StreamListener listener, Cancellation cancellation) {
    List<String> chunks = new ArrayList<>();
    StreamListener recorder = new StreamListener() {
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
      interaction.putObject("error").put("retryable", e instanceof RetryableException)
          .put("message", e.getMessage());
      throw e;
    } finally {
      if (interaction.has("response") || interaction.has("error")) {
        synchronized (interactions) {
          interactions.add(interaction);
          CassetteFile.write(file, interactions);
        }
      }
    }
  }
}
