package dev.colloquy.bench.remote;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The baseline of {@link StreamingOverHttpBenchmark}: the least a hand-written client does to
 * stream a chat completion's text, on the same JDK HttpClient and the same JSON library (Jackson)
 * as Colloquy. It posts the request, reads the body as an {@code InputStream} into one reused byte
 * buffer, splits it at LF, takes the lines that start with {@code data: }, stops at {@code [DONE]},
 * and pulls the first {@code content} string out of each chunk with Jackson's streaming parser,
 * straight from the bytes.
 *
 * <p>What it leaves out, and Colloquy does not: CR line ends, multi-line data, comments, event
 * types and ids, line limits, errors inside the stream, tool calls, finish reasons, usage,
 * surrogate pairs split across chunks, timeouts, retries and the final response. Not thread-safe.
 */
final class MinimalSseReader {

  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final JsonFactory json = new JsonFactory();
  private final HttpRequest request;

  MinimalSseReader(URI endpoint, String body) {
    request =
        HttpRequest.newBuilder(endpoint)
            .header("Content-Type", "application/json")
            .header("Accept", "text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
  }

  /** Streams one reply, handing each chunk's text to {@code onText}. */
  void stream(Consumer<String> onText) throws IOException, InterruptedException {
    HttpResponse<InputStream> response =
        client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      throw new IOException("status " + response.statusCode());
    }
    byte[] buffer = new byte[16 * 1024];
    int start = 0;
    int end = 0;
    boolean done = false;
    try (InputStream in = response.body()) {
      while (true) {
        if (end == buffer.length) {
          if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
          } else {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
          }
        }
        int read = in.read(buffer, end, buffer.length - end);
        if (read < 0) {
          return;
        }
        if (done) {
          continue; // read to the end of the body, so the connection is kept for the next call
        }
        end += read;
        for (int newline = indexOf(buffer, start, end);
            newline >= 0;
            newline = indexOf(buffer, start, end)) {
          if (startsWith(buffer, start, newline, DATA)) {
            int from = start + DATA.length;
            if (startsWith(buffer, from, newline, DONE)) {
              done = true;
              break;
            }
            String text = content(buffer, from, newline - from);
            if (text != null && !text.isEmpty()) {
              onText.accept(text);
            }
          }
          start = newline + 1;
        }
      }
    }
  }

  private String content(byte[] bytes, int offset, int length) throws IOException {
    try (JsonParser parser = json.createParser(bytes, offset, length)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.FIELD_NAME
            && parser.currentName().equals("content")
            && parser.nextToken() == JsonToken.VALUE_STRING) {
          return parser.getText();
        }
      }
      return null;
    }
  }

  private static int indexOf(byte[] bytes, int from, int end) {
    for (int i = from; i < end; i++) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static boolean startsWith(byte[] bytes, int from, int end, byte[] prefix) {
    if (end - from < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[from + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
