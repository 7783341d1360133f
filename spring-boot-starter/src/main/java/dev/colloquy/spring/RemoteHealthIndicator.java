package dev.colloquy.spring;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The remote backend's health: {@code GET {base-url}/models}, which OpenAI-compatible servers
 * answer without spending tokens. UP on 2xx; DOWN with the status otherwise, or, when the server
 * cannot be reached, with an {@code error} detail that says what failed and where, such as {@code
 * connection refused: GET http://localhost:11434/v1/models} (health details are for operators, so
 * the URL is there). Never shows the API key. Its HTTP client runs its callbacks on its own
 * selector thread (no worker pool) and is let go of by {@link #close()}, which the context calls.
 * Thread-safe.
 */
final class RemoteHealthIndicator extends AbstractHealthIndicator implements AutoCloseable {
  private final URI modelsUri;
  private final String baseUrl;
  private final String apiKey;
  private final Duration timeout;
  private volatile HttpClient client;

  RemoteHealthIndicator(ColloquyProperties.Remote remote) {
    super("Colloquy remote backend health check failed");
    this.baseUrl = remote.getBaseUrl();
    this.modelsUri = URI.create(baseUrl.replaceAll("/+$", "") + "/models");
    String key = remote.getApiKey() != null ? remote.getApiKey() : System.getenv("OPENAI_API_KEY");
    this.apiKey = key == null || key.isBlank() ? null : key;
    this.timeout = remote.getHealthTimeout();
    this.client = HttpClient.newBuilder().connectTimeout(timeout).executor(Runnable::run).build();
  }

  /**
   * Lets go of the HTTP client (closing it on Java 21 and later); later checks report DOWN.
   * Idempotent.
   */
  @Override
  public void close() {
    HttpClient closing = client;
    client = null;
    if (closing instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        throw new IllegalStateException(
            "closing the remote health check's HTTP client failed: " + e, e);
      }
    }
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) throws IOException, InterruptedException {
    HttpClient client = this.client;
    if (client == null) {
      builder
          .down()
          .withDetail("baseUrl", baseUrl)
          .withDetail("error", "closed with its application context");
      return;
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(modelsUri).timeout(timeout).GET();
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    builder.withDetail("baseUrl", baseUrl);
    HttpResponse<Void> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      builder.down().withDetail("error", describe(e));
      return;
    }
    int status = response.statusCode();
    builder.withDetail("status", status);
    if (status >= 200 && status < 300) {
      builder.up();
    } else {
      builder.down();
    }
  }

  /** Says what failed, in words, with the URL; the JDK's own messages are often null here. */
  String describe(IOException failure) {
    String where = ": GET " + modelsUri;
    if (failure instanceof HttpConnectTimeoutException) {
      return "no connection within " + timeout + where;
    }
    if (failure instanceof HttpTimeoutException) {
      return "no answer within " + timeout + where;
    }
    String message = firstMessage(failure);
    if (failure instanceof ConnectException) {
      return (message == null || message.toLowerCase(Locale.ROOT).contains("refused")
              ? "connection refused"
              : "cannot connect (" + message + ")")
          + where;
    }
    return failure.getClass().getSimpleName()
        + (message == null ? "" : " (" + message + ")")
        + where;
  }

  private static String firstMessage(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return null;
  }
}
