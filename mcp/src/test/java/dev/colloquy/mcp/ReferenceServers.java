package dev.colloquy.mcp;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The third-party MCP servers the tests run: {@code @modelcontextprotocol/server-everything}, the
 * protocol's reference server, pinned in {@code src/test/npm/package-lock.json} (integrity-checked)
 * and installed there by {@code ./verify} with {@code npm ci}. Missing node or a missing install
 * fails the test with what to do; nothing is skipped.
 */
final class ReferenceServers {
  /** The pinned version, as in src/test/npm/package.json. */
  static final String EVERYTHING_VERSION = "2026.8.31";

  private static final Path EVERYTHING =
      Path.of("src/test/npm/node_modules/@modelcontextprotocol/server-everything/dist/index.js");

  private ReferenceServers() {}

  /** Returns {@code node} and the server-everything script, checked to exist. */
  static List<String> everything(String transport) {
    if (!Files.isRegularFile(EVERYTHING)) {
      throw new IllegalStateException(
          "server-everything is not installed at "
              + EVERYTHING.toAbsolutePath()
              + ": run ./verify, or `npm ci` in mcp/src/test/npm (node 20 or later)");
    }
    return List.of(node(), EVERYTHING.toAbsolutePath().toString(), transport);
  }

  private static String node() {
    for (String folder : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(folder, "node"))) {
        return Path.of(folder, "node").toString();
      }
    }
    throw new IllegalStateException(
        "node is not on the PATH: install Node.js 20 or later (./verify does it with apt-get)");
  }

  /** Returns a TCP port free at the time of the call. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Starts server-everything over Streamable HTTP on a port and waits until it listens. */
  static Process everythingOverHttp(int port) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(everything("streamableHttp"));
    builder.environment().putAll(Map.of("PORT", String.valueOf(port)));
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process process = builder.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "server-everything exited with status " + process.exitValue() + " on port " + port);
      }
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return process;
      } catch (IOException notYet) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
    stop(process);
    throw new IllegalStateException(
        "server-everything did not listen on port " + port + " in 30 s");
  }

  /** Ends a server process and its children at once. */
  static void stop(Process process) throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
