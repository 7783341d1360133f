package dev.colloquy.bench.remote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A loopback chat-completions server for {@link StreamingOverHttpBenchmark}, run in its own JVM so
 * that its allocation and its garbage collections are not counted against either client.
 *
 * <p>Whatever it is asked, it answers with the same prebuilt event stream in chunked transfer
 * encoding, one HTTP chunk per server-sent event, on a socket with TCP_NODELAY. It writes either
 * each chunk with its own {@code write}, as a server streaming tokens does (the client then reads
 * about one event per read, and the server's system calls bound the pace), or the prebuilt bytes in
 * 64 KiB writes, so the client, not the server, sets the pace. Connections are kept alive, so the
 * clients reuse theirs. It prints {@code PORT <n>} once listening and exits when its standard input
 * closes (when the benchmark ends, or dies).
 *
 * <p>Arguments: the number of content chunks, the characters of text in each, and {@code event} (a
 * write per chunk) or {@code bulk} (64 KiB writes).
 */
public final class LoopbackSseServer {

  private LoopbackSseServer() {}

  /** Starts the server; see the class comment. */
  public static void main(String[] args) throws IOException {
    int chunks = Integer.parseInt(args[0]);
    int charsPerChunk = Integer.parseInt(args[1]);
    byte[][] events = frame(SseCorpus.openAiEvents(chunks, charsPerChunk));
    byte[][] writes =
        switch (args[2]) {
          case "event" -> events;
          case "bulk" -> bulk(events, 64 * 1024);
          default ->
              throw new IllegalArgumentException(
                  "the write mode must be event or bulk, was " + args[2]);
        };
    ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(() -> accept(server, writes), "sse-server-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    System.out.println("PORT " + server.getLocalPort());
    System.out.flush();
    while (System.in.read() >= 0) {
      // Wait for the parent to close our standard input.
    }
    System.exit(0);
  }

  /** Each event as one chunk of chunked transfer encoding, then the last, empty chunk. */
  private static byte[][] frame(String[] events) {
    byte[][] framed = new byte[events.length + 1][];
    for (int i = 0; i < events.length; i++) {
      byte[] data = events[i].getBytes(StandardCharsets.UTF_8);
      byte[] head = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      byte[] chunk = new byte[head.length + data.length + 2];
      System.arraycopy(head, 0, chunk, 0, head.length);
      System.arraycopy(data, 0, chunk, head.length, data.length);
      chunk[chunk.length - 2] = '\r';
      chunk[chunk.length - 1] = '\n';
      framed[i] = chunk;
    }
    framed[events.length] = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    return framed;
  }

  /**
   * The same bytes, joined and cut into writes of {@code size} bytes (the chunk framing unchanged).
   */
  private static byte[][] bulk(byte[][] framedChunks, int size) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] chunk : framedChunks) {
      all.writeBytes(chunk);
    }
    byte[] bytes = all.toByteArray();
    byte[][] writes = new byte[(bytes.length + size - 1) / size][];
    for (int i = 0; i < writes.length; i++) {
      writes[i] =
          java.util.Arrays.copyOfRange(bytes, i * size, Math.min(bytes.length, (i + 1) * size));
    }
    return writes;
  }

  private static void accept(ServerSocket server, byte[][] framedChunks) {
    while (true) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        return;
      }
      Thread connection = new Thread(() -> serve(socket, framedChunks), "sse-server-connection");
      connection.setDaemon(true);
      connection.start();
    }
  }

  private static void serve(Socket socket, byte[][] framedChunks) {
    byte[] headers =
        ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    try (socket;
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream()) {
      socket.setTcpNoDelay(true);
      while (readRequest(in)) {
        out.write(headers);
        for (byte[] chunk : framedChunks) {
          out.write(chunk); // unbuffered: one system call per element
        }
        out.flush();
      }
    } catch (IOException e) {
      // The client closed the connection; nothing to do.
    }
  }

  /** Reads one request, its body included; returns false at the end of the connection. */
  private static boolean readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return false;
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    long contentLength = 0;
    for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        contentLength = Long.parseLong(line.substring(15).strip());
      }
    }
    in.skipNBytes(contentLength);
    return true;
  }
}
