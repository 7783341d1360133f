package dev.colloquy.mcp;

import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * The Streamable HTTP transport: the SDK's (JDK HttpClient; POSTs answered with JSON or an SSE
 * stream, the GET stream for server messages, resumption with {@code Last-Event-ID}), with our
 * headers on every request, and one addition: every failure the SDK reports to its exception
 * handler is also handed to {@code failures}, so the client can check whether the server is still
 * there (the SDK leaves a call whose response stream broke waiting for its timeout).
 */
final class HttpTransport implements McpClientTransport {

  private final McpClientTransport delegate;
  private final Consumer<Throwable> failures;

  HttpTransport(
      Endpoint.Http endpoint,
      McpJsonMapper mapper,
      Duration connectTimeout,
      Consumer<Throwable> failures) {
    HttpRequest.Builder request = HttpRequest.newBuilder();
    for (Map.Entry<String, String> header : endpoint.headers().entrySet()) {
      request.header(header.getKey(), header.getValue());
    }
    String uri = endpoint.uri().toString();
    int pathStart = uri.indexOf('/', uri.indexOf("//") + 2);
    this.delegate =
        HttpClientStreamableHttpTransport.builder(pathStart < 0 ? uri : uri.substring(0, pathStart))
            .endpoint(pathStart < 0 ? "/" : uri.substring(pathStart))
            .jsonMapper(mapper)
            .requestBuilder(request)
            .connectTimeout(connectTimeout)
            .build();
    this.failures = failures;
  }

  @Override
  public Mono<Void> connect(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
    return delegate.connect(handler);
  }

  @Override
  public void setExceptionHandler(Consumer<Throwable> handler) {
    delegate.setExceptionHandler(
        failure -> {
          try {
            handler.accept(failure);
          } finally {
            failures.accept(failure);
          }
        });
  }

  @Override
  public Mono<Void> sendMessage(JSONRPCMessage message) {
    return delegate.sendMessage(message);
  }

  @Override
  public Mono<Void> closeGracefully() {
    return delegate.closeGracefully();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public List<String> protocolVersions() {
    return delegate.protocolVersions();
  }

  @Override
  public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
    return delegate.unmarshalFrom(data, typeRef);
  }
}
