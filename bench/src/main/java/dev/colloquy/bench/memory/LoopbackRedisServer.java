package dev.colloquy.bench.memory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@code redis-server} of the benchmark's own on a free loopback port and a temporary directory,
 * with the append-only file on (the memory-redis tests start theirs the same way).
 */
final class LoopbackRedisServer implements AutoCloseable {

  private final Path dir;
  private final int port;
  private final Process process;

  LoopbackRedisServer(String appendfsync) throws IOException, InterruptedException {
    dir = Files.createTempDirectory("colloquy-bench-redis-");
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> command = new ArrayList<>();
    command.add(System.getProperty("colloquy.redis.server", "redis-server"));
    command.addAll(
        List.of(
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "yes",
            "--appendfsync",
            appendfsync,
            "--dir",
            dir.toString()));
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("redis.log").toFile())
              .start();
    } catch (IOException e) {
      throw new IOException(
          "could not start redis-server (Debian: apt-get install redis-server; or set"
              + " -Dcolloquy.redis.server=/path/to/redis-server)",
          e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!accepts()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "redis-server did not start: " + Files.readString(dir.resolve("redis.log")));
      }
      Thread.sleep(20);
    }
  }

  String uri() {
    return "redis://127.0.0.1:" + port + "/0";
  }

  private boolean accepts() {
    try (Socket ignored = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
