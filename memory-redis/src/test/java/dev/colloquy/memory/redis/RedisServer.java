package dev.colloquy.memory.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} process for one test class: a free loopback port, a temporary
 * directory, no RDB snapshots, the append-only file on. Tests fail (they never skip) when the
 * binary is missing, saying how to install it.
 */
public final class RedisServer implements AutoCloseable {

  private static final long START_TIMEOUT_MILLIS = 20_000;

  private final Path dir;
  private final int port;
  private final List<String> extraArguments;
  private Process process;

  private RedisServer(Path dir, int port, List<String> extraArguments) {
    this.dir = dir;
    this.port = port;
    this.extraArguments = extraArguments;
  }

  /** Starts a server; extra arguments are redis-server options such as {@code --requirepass pw}. */
  public static RedisServer start(String... extraArguments) {
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      RedisServer server;
      try {
        server =
            new RedisServer(
                Files.createTempDirectory("colloquy-redis-"), freePort(), List.of(extraArguments));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      try {
        server.launch();
        return server;
      } catch (IllegalStateException e) {
        // Another process may have taken the free port first.
        last = e;
        server.close();
      }
    }
    throw last;
  }

  int port() {
    return port;
  }

  Path dir() {
    return dir;
  }

  /** Returns {@code redis://127.0.0.1:port/0}, or with {@code :password@} when given. */
  String uri(String password) {
    return "redis://"
        + (password.isEmpty() ? "" : ":" + password + "@")
        + "127.0.0.1:"
        + port
        + "/0";
  }

  /** Returns the server's URI, {@code redis://127.0.0.1:PORT/0}. */
  public String uri() {
    return uri("");
  }

  /** Kills the server at once (SIGKILL): nothing is flushed that was not flushed already. */
  void kill() {
    if (process != null) {
      process.destroyForcibly();
      waitFor(process);
      process = null;
    }
  }

  /** Starts the server again on the same port and directory (after {@link #kill}). */
  void restart() {
    launch();
  }

  /** Stops the server (SIGTERM: it writes and syncs the append-only file) and deletes its files. */
  @Override
  public void close() {
    if (process != null) {
      process.destroy();
      waitFor(process);
      process = null;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // The directory is in the system's temporary folder; a leftover costs nothing.
    }
  }

  private void launch() {
    List<String> command = new ArrayList<>();
    command.add(binary());
    command.addAll(
        List.of(
            "--port", Integer.toString(port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "yes",
            "--dir", dir.toString(),
            "--daemonize", "no"));
    command.addAll(extraArguments);
    Path log = dir.resolve("redis.log");
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + command, e);
    }
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive() || answersPing()) {
        break;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while redis-server started", e);
      }
    }
    if (!process.isAlive() || !answersPing()) {
      process.destroyForcibly();
      waitFor(process);
      process = null;
      throw new IllegalStateException(
          "redis-server did not start on port " + port + "; its log:\n" + readLog(log));
    }
  }

  private boolean answersPing() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer =
          new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      // +PONG, or -NOAUTH on a server with a password: either way it serves.
      return answer != null && (answer.startsWith("+PONG") || answer.startsWith("-NOAUTH"));
    } catch (IOException e) {
      return false;
    }
  }

  private static String binary() {
    String configured = System.getProperty("colloquy.redis.server", System.getenv("REDIS_SERVER"));
    if (configured != null && !configured.isBlank()) {
      if (!Files.isExecutable(Path.of(configured))) {
        throw new IllegalStateException(
            "colloquy.redis.server (or REDIS_SERVER) names " + configured + ", not an executable");
      }
      return configured;
    }
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(java.io.File.pathSeparator)));
    }
    dirs.addAll(List.of("/usr/bin", "/usr/sbin", "/usr/local/bin", "/opt/homebrew/bin"));
    for (String d : dirs) {
      Path candidate = Path.of(d, "redis-server");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException(
        "redis-server was not found on PATH: the Redis store's tests start a real server of their"
            + " own. Install it (Debian/Ubuntu: sudo apt-get install redis-server; Fedora: sudo dnf"
            + " install redis; macOS: brew install redis), or run ./verify, which installs it on"
            + " Debian; or point -Dcolloquy.redis.server=/path/to/redis-server at one.");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  private static void waitFor(Process process) {
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String readLog(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
