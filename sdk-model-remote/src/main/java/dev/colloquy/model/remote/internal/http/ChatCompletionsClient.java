package dev.colloquy.model.remote.internal.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.core.Cancellation;
import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.RetryableException;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.resilience.Sleeper;
import dev.colloquy.model.remote.internal.openai.ErrorMapper;
import dev.colloquy.model.remote.internal.openai.RequestMapper;
import dev.colloquy.model.remote.internal.openai.ResponseAssembler;
import dev.colloquy.model.remote.internal.openai.ServerText;
import io.github.resilience4j.retry.Retry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The chat-completions call with its retry loop: map the request, run {@link Exchange} attempts
 * under the {@link RetryPolicy}, and wait between them.
 *
 * <p>A blocking call (the {@link StreamListener#NONE} listener) asks for one JSON body, a streaming
 * call for an event stream; both are parsed by the same {@link ResponseAssembler}. An attempt that
 * has already received text or a tool call is never retried. Thread-safe.
 */
public final class ChatCompletionsClient implements AutoCloseable {

  private final ClientSettings settings;
  private final ObjectMapper mapper;
  private final RequestMapper requests;
  private final Exchange exchange;
  private final RetryPolicy retryPolicy;
  private final ServerText server;

  /**
   * @param settings the validated settings
   */
  public ChatCompletionsClient(ClientSettings settings) {
    this.settings = settings;
    this.mapper = new ObjectMapper();
    this.requests = new RequestMapper(mapper, settings.maxTokensField());
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            // Callbacks only enqueue buffers, so they run on the client's own selector thread: no
            // worker pool exists, hence no thread can outlive a call.
            .executor(Runnable::run)
            .build();
    this.server = new ServerText(settings.secrets());
    this.exchange =
        new Exchange(client, settings, new ErrorMapper(mapper, settings.clock(), server), server);
    this.retryPolicy =
        new RetryPolicy(settings.maxRetries(), settings.maxRetryWait(), settings.random());
  }

  private ChatCompletionsClient(ChatCompletionsClient shared, ClientSettings settings) {
    this.settings = settings;
    this.mapper = shared.mapper;
    this.requests = shared.requests;
    this.exchange = shared.exchange;
    this.server = shared.server;
    this.retryPolicy =
        new RetryPolicy(settings.maxRetries(), settings.maxRetryWait(), settings.random());
  }

  /**
   * Returns a client that makes one attempt per call over this one's connections (closing either
   * closes both).
   */
  public ChatCompletionsClient withoutRetries() {
    return new ChatCompletionsClient(this, settings.withMaxRetries(0));
  }

  /** Returns the settings this client runs with. */
  public ClientSettings settings() {
    return settings;
  }

  /**
   * Closes the connections this client shares with its {@link #withoutRetries()} forms; idempotent.
   */
  @Override
  public void close() {
    exchange.close();
  }

  /** Runs one call; see {@link dev.colloquy.core.model.ChatModel#generate}. */
  public ChatResponse generate(
      ChatRequest request, StreamListener listener, Cancellation cancellation) {
    exchange.checkOpen();
    cancellation.throwIfCancelled();
    int stops = request.options().stop().size();
    if (stops > settings.maxStopSequences()) {
      throw new NonRetryableException(
          "this request has "
              + stops
              + " stop sequences but the server at "
              + settings.where()
              + " accepts at most "
              + settings.maxStopSequences()
              + " (maxStopSequences; OpenAI's "
              + "limit is 4), so it was not sent. Send at most "
              + settings.maxStopSequences()
              + ", or raise "
              + "maxStopSequences on the OpenAiChatModel builder for a server that accepts more.");
    }
    boolean stream = listener != StreamListener.NONE;
    HttpRequest httpRequest =
        httpRequest(requests.toJson(request, settings.model(), stream), stream);
    Retry.AsyncContext<ChatResponse> retry = retryPolicy.start();
    List<RetryableException> earlier = new ArrayList<>();
    while (true) {
      ResponseAssembler assembler =
          new ResponseAssembler(mapper, listener, settings.model(), settings.where(), server);
      try {
        ChatResponse response = exchange.run(httpRequest, stream, assembler, cancellation);
        retry.onComplete();
        return response;
      } catch (RetryableException e) {
        if (assembler.started()) {
          throw e; // the caller has seen part of this reply: a retry would repeat it
        }
        long waitMillis = retry.onError(e);
        if (waitMillis < 0) {
          earlier.forEach(e::addSuppressed);
          throw e;
        }
        earlier.add(e);
        pause(Duration.ofMillis(waitMillis), cancellation);
      }
    }
  }

  private HttpRequest httpRequest(byte[] body, boolean stream) {
    // The request's timeout bounds the wait for the headers; the body is bounded by Exchange.
    Duration headerTimeout =
        stream && settings.streamIdleTimeout().compareTo(settings.requestTimeout()) < 0
            ? settings.streamIdleTimeout()
            : settings.requestTimeout();
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(settings.endpoint())
            .timeout(headerTimeout)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .header("Content-Type", "application/json")
            .header("Accept", stream ? "text/event-stream" : "application/json");
    if (settings.endpoint().getScheme().equals("http")) {
      // Plain-text HTTP/2 would cost an upgrade round trip that local servers refuse anyway.
      builder.version(HttpClient.Version.HTTP_1_1);
    }
    for (Map.Entry<String, String> header : settings.headers().entrySet()) {
      builder.header(header.getKey(), header.getValue());
    }
    return builder.build();
  }

  private void pause(Duration wait, Cancellation cancellation) {
    settings.sleeper().orElse(Sleeper.system()).sleep(wait, cancellation);
  }
}
