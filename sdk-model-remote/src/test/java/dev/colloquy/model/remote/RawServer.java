package dev.colloquy.model.remote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server on a raw socket, for what {@code HttpServer} cannot do: answer with exact
 * bytes, reset a connection, or notice at once when the client closes one. Each accepted connection
 * reads one request and is handed to the next scripted {@link Connection}.
 */
final class RawServer implements AutoCloseable {

  /** Serves one accepted connection whose request has been read. */
  @FunctionalInterface
  interface Connection {
    void serve(Socket socket) throws IOException;
  }

  private final ServerSocket serverSocket;
  private final Queue<Connection> script = new ConcurrentLinkedQueue<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final Thread acceptor;

  RawServer(Connection... connections) throws IOException {
    script.addAll(java.util.List.of(connections));
    serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, "raw-test-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + serverSocket.getLocalPort() + "/v1";
  }

  int accepted() {
    return accepted.get();
  }

  private void acceptLoop() {
    while (!serverSocket.isClosed()) {
      try {
        Socket socket = serverSocket.accept();
        accepted.incrementAndGet();
        Connection connection = script.poll();
        Thread handler =
            new Thread(
                () -> {
                  try (socket) {
                    readRequest(socket.getInputStream());
                    if (connection != null) {
                      connection.serve(socket);
                    }
                  } catch (IOException e) {
                    // the client went away; the scripted connection saw what it needed
                  }
                },
                "raw-test-connection");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private static void readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      if (head.size() >= 4 && head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        break;
      }
    }
    int length = 0;
    for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).strip());
      }
    }
    in.readNBytes(length);
  }

  static void write(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
  }

  /** Response head of a chunked event stream. */
  static final String STREAM_HEAD =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

  /** One HTTP chunk holding {@code text}. */
  static String chunk(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return Integer.toHexString(bytes.length) + "\r\n" + text + "\r\n";
  }

  /** Resets the connection (RST) instead of closing it cleanly. */
  static void reset(Socket socket) throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    serverSocket.close();
  }
}
