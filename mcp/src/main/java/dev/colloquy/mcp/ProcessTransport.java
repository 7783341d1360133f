package dev.colloquy.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * The stdio transport: starts the server's process and speaks newline-delimited JSON-RPC over its
 * standard input and output.
 *
 * <p>Ours rather than the SDK's {@code StdioClientTransport} because a client must know when its
 * server dies: the SDK's transport stops reading at the end of the output and leaves a pending call
 * waiting for its timeout. Here {@link #lost()} completes, with the reason, when the process exits,
 * closes its output, or writes a line that is not JSON-RPC, and the client fails the calls in
 * flight at once. The last {@value #TAIL_LINES} lines of the error output, redacted, go into those
 * messages. Two daemon threads per process read its output and its error output; {@link #close()}
 * ends the process (and its children: {@code npx} starts {@code node}) and thereby both threads.
 */
final class ProcessTransport implements McpClientTransport {

  static final int TAIL_LINES = 20;
  private static final int MAX_TAIL_LINE_CHARS = 500;
  // A message longer than this is a broken server, not a message: 16 Mi characters.
  private static final int MAX_LINE_CHARS = 16 * 1024 * 1024;

  private final String server;
  private final Endpoint.Stdio endpoint;
  private final McpJsonMapper mapper;
  private final Redaction redaction;
  private final CompletableFuture<String> lost = new CompletableFuture<>();
  private final Deque<String> errorTail = new ArrayDeque<>();
  private final Object writeLock = new Object();
  private volatile Process process;
  private volatile Thread errorReader;
  private volatile boolean closing;

  ProcessTransport(String server, Endpoint.Stdio endpoint, McpJsonMapper mapper) {
    this.server = server;
    this.endpoint = endpoint;
    this.mapper = mapper;
    this.redaction = endpoint.redaction();
  }

  /** Completes with the reason (for a message) once the server is gone. */
  CompletableFuture<String> lost() {
    return lost;
  }

  /** Returns the last lines of the server's error output, redacted, oldest first. */
  String errorTail() {
    synchronized (errorTail) {
      return String.join("\n", errorTail);
    }
  }

  @Override
  public Mono<Void> connect(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
    return Mono.fromRunnable(() -> start(handler));
  }

  private void start(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
    ProcessBuilder builder = new ProcessBuilder(endpoint.command());
    builder.environment().putAll(endpoint.environment());
    endpoint.directory().ifPresent(directory -> builder.directory(directory.toFile()));
    try {
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      String reason =
          "cannot start " + endpoint.describe() + ": " + redaction.apply(e.getMessage());
      lost.complete(reason);
      throw new McpServerUnavailableException(
          "MCP server '" + server + "': " + reason, ForeignCause.of(e, redaction));
    }
    daemon("stdout", () -> readMessages(handler)).start();
    Thread errors = daemon("stderr", this::readErrors);
    errorReader = errors;
    errors.start();
  }

  private Thread daemon(String stream, Runnable task) {
    Thread thread = new Thread(task, "colloquy-mcp-" + server + "-" + stream);
    thread.setDaemon(true);
    return thread;
  }

  private void readMessages(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = readLine(reader)) != null) {
        if (line.isBlank()) {
          continue;
        }
        JSONRPCMessage message;
        try {
          message = McpSchema.deserializeJsonRpcMessage(mapper, line);
        } catch (IOException | RuntimeException e) {
          lose(
              "wrote a line to its standard output that is not a JSON-RPC message: "
                  + preview(line));
          return;
        }
        handler.apply(Mono.just(message)).subscribe(ignored -> {}, error -> {});
      }
    } catch (IOException e) {
      if (!closing) {
        lose("its standard output failed: " + redaction.apply(e.getMessage()));
        return;
      }
    }
    if (!closing) {
      lose(exitReason());
    }
  }

  private String exitReason() {
    try {
      if (process.waitFor(2, TimeUnit.SECONDS)) {
        return "exited with status " + process.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "closed its standard output";
  }

  private void readErrors() {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = readLine(reader)) != null) {
        String shown = redaction.apply(line);
        if (shown.length() > MAX_TAIL_LINE_CHARS) {
          shown = shown.substring(0, MAX_TAIL_LINE_CHARS) + "…";
        }
        synchronized (errorTail) {
          if (errorTail.size() == TAIL_LINES) {
            errorTail.removeFirst();
          }
          errorTail.addLast(shown);
        }
      }
    } catch (IOException e) {
      // The process is gone or closing: its error output ends here, and what it wrote is kept.
    }
  }

  // The server is gone: wait briefly for its last error output, then tell the client why.
  private void lose(String reason) {
    if (lost.isDone()) {
      return;
    }
    destroy();
    Thread errors = errorReader;
    if (errors != null) {
      try {
        errors.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    lost.complete(reason);
  }

  private String preview(String line) {
    String shown = redaction.apply(line.strip());
    return shown.length() > 200 ? shown.substring(0, 200) + "…" : shown;
  }

  // BufferedReader.readLine, bounded: a line without end must not fill the heap.
  private static String readLine(BufferedReader reader) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = reader.read()) != -1) {
      if (c == '\n') {
        return line.toString();
      }
      if (c != '\r') {
        if (line.length() == MAX_LINE_CHARS) {
          throw new IOException("a line longer than " + MAX_LINE_CHARS + " characters");
        }
        line.append((char) c);
      }
    }
    return line.length() == 0 ? null : line.toString();
  }

  @Override
  public Mono<Void> sendMessage(JSONRPCMessage message) {
    return Mono.fromRunnable(
        () -> {
          Process running = process;
          if (running == null || lost.isDone()) {
            throw new McpServerUnavailableException(
                "MCP server '" + server + "' " + lost.getNow("is not running"), null);
          }
          try {
            // Jackson writes no raw line break, so one message is one line.
            byte[] json = mapper.writeValueAsBytes(message);
            synchronized (writeLock) {
              OutputStream input = running.getOutputStream();
              input.write(json);
              input.write('\n');
              input.flush();
            }
          } catch (IOException e) {
            throw new McpServerUnavailableException(
                "MCP server '"
                    + server
                    + "': cannot write to its standard input: "
                    + redaction.apply(e.getMessage()),
                ForeignCause.of(e, redaction));
          }
        });
  }

  @Override
  public Mono<Void> closeGracefully() {
    return Mono.fromRunnable(this::close);
  }

  @Override
  public void close() {
    closing = true;
    destroy();
    lost.complete("was closed");
  }

  private void destroy() {
    Process running = process;
    if (running == null) {
      return;
    }
    running.descendants().forEach(ProcessHandle::destroy);
    running.destroy();
    try {
      if (!running.waitFor(2, TimeUnit.SECONDS)) {
        running.descendants().forEach(ProcessHandle::destroyForcibly);
        running.destroyForcibly();
      }
    } catch (InterruptedException e) {
      running.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
    return mapper.convertValue(data, typeRef);
  }
}
