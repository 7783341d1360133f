package dev.colloquy.model.remote.internal.openai;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.core.model.TokenLogprob;
import dev.colloquy.core.model.TokenUsage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads one chat-completions chunk (or a whole completion) with Jackson's streaming parser, keeping
 * only what a response needs instead of building a tree per chunk (a third less garbage in the SSE
 * benchmark). Unknown fields are skipped; tool-call deltas, rare and irregular, are read as trees.
 * A choice's {@code logprobs.content[]} entries are read as they stream by; their fractional
 * numbers make {@link ChunkTokenizer} give up, so a chunk that carries logprobs is read by Jackson
 * and one without them (or with {@code "logprobs": null}) stays on the fast path. The only string
 * made for an ordinary chunk is its text: the model id is compared, not copied, when it repeats.
 * Stateless; {@link ChunkStreamReader} drives the same code over one reused {@link ChunkTokenizer}
 * per stream.
 */
final class ChunkReader {

  /** What one chunk holds for choice 0, plus the chunk-level fields. */
  static final class Chunk {
    String model;
    TokenUsage usage;
    int choices;
    String content;
    JsonNode toolCalls;
    String finishReason;
    List<TokenLogprob> logprobs;
    boolean error;

    void clear() {
      model = null;
      usage = null;
      choices = 0;
      content = null;
      toolCalls = null;
      finishReason = null;
      logprobs = null;
      error = false;
    }
  }

  private ChunkReader() {}

  /**
   * Reads a chunk.
   *
   * @param messageField {@code delta} for a streamed chunk, {@code message} for a whole completion
   * @throws IOException when the text is not a JSON object ({@link
   *     com.fasterxml.jackson.core.io.JsonEOFException} when it ends early)
   */
  static Chunk read(ObjectMapper mapper, String data, String messageField) throws IOException {
    Chunk chunk = new Chunk();
    try (JsonParser parser = mapper.createParser(data)) {
      read(parser, chunk, messageField, null);
    }
    return chunk;
  }

  /**
   * Reads one JSON object from the parser, which stands before it, into {@code chunk}.
   *
   * @param knownModel a model id already seen, returned instead of a copy when the chunk repeats it
   */
  static void read(JsonParser parser, Chunk chunk, String messageField, String knownModel)
      throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      throw new JsonParseException(parser, "expected a JSON object");
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "model" ->
            chunk.model =
                value == JsonToken.VALUE_STRING ? textOr(parser, knownModel) : chunk.model;
        case "usage" -> chunk.usage = value == JsonToken.START_OBJECT ? usage(parser) : chunk.usage;
        case "choices" -> {
          if (value == JsonToken.START_ARRAY) {
            choices(parser, chunk, messageField);
          }
        }
        case "error" -> chunk.error |= value != JsonToken.VALUE_NULL;
        case "object" ->
            chunk.error |= value == JsonToken.VALUE_STRING && textEquals(parser, "error");
        default -> {}
      }
      parser.skipChildren(); // a no-op for scalars and for containers read above
    }
  }

  /** Returns {@code known} when the current string value has its content, else the value. */
  private static String textOr(JsonParser parser, String known) throws IOException {
    return known != null && textEquals(parser, known) ? known : parser.getText();
  }

  /** Compares the current string value with {@code expected} without making a string of it. */
  private static boolean textEquals(JsonParser parser, String expected) throws IOException {
    int length = parser.getTextLength();
    if (length != expected.length()) {
      return false;
    }
    char[] chars = parser.getTextCharacters();
    int offset = parser.getTextOffset();
    for (int i = 0; i < length; i++) {
      if (chars[offset + i] != expected.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static TokenUsage usage(JsonParser parser) throws IOException {
    long prompt = 0;
    long completion = 0;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (value.isNumeric() && field.equals("prompt_tokens")) {
        prompt = parser.getValueAsLong();
      } else if (value.isNumeric() && field.equals("completion_tokens")) {
        completion = parser.getValueAsLong();
      }
      parser.skipChildren();
    }
    return new TokenUsage(Math.max(0, prompt), Math.max(0, completion));
  }

  private static void choices(JsonParser parser, Chunk chunk, String messageField)
      throws IOException {
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
      if (token != JsonToken.START_OBJECT) {
        parser.skipChildren();
        continue;
      }
      int index = 0;
      String content = null;
      JsonNode toolCalls = null;
      String finishReason = null;
      List<TokenLogprob> logprobs = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (field.equals("index") && value == JsonToken.VALUE_NUMBER_INT) {
          index = parser.getIntValue();
        } else if (field.equals("finish_reason") && value == JsonToken.VALUE_STRING) {
          finishReason = parser.getText();
        } else if (field.equals("logprobs") && value == JsonToken.START_OBJECT) {
          logprobs = logprobs(parser);
        } else if (field.equals(messageField) && value == JsonToken.START_OBJECT) {
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String messageKey = parser.currentName();
            JsonToken messageValue = parser.nextToken();
            if (messageKey.equals("content") && messageValue == JsonToken.VALUE_STRING) {
              content = parser.getText();
            } else if (messageKey.equals("tool_calls") && messageValue == JsonToken.START_ARRAY) {
              toolCalls = parser.readValueAsTree();
            } else {
              parser.skipChildren();
            }
          }
        } else {
          parser.skipChildren();
        }
      }
      chunk.choices++;
      if (index == 0) { // only one choice is ever requested
        chunk.content = content;
        chunk.toolCalls = toolCalls;
        chunk.finishReason = finishReason;
        chunk.logprobs = logprobs;
      }
    }
  }

  /** Reads a choice's {@code logprobs} object, which the parser has just opened. */
  private static List<TokenLogprob> logprobs(JsonParser parser) throws IOException {
    List<TokenLogprob> entries = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (field.equals("content") && value == JsonToken.START_ARRAY) {
        entries = new ArrayList<>();
        JsonToken item;
        while ((item = parser.nextToken()) != JsonToken.END_ARRAY && item != null) {
          if (item == JsonToken.START_OBJECT) {
            entries.add(entry(parser));
          } else {
            parser.skipChildren();
          }
        }
      } else {
        parser.skipChildren(); // "refusal": logprobs of a refusal, which has no text here
      }
    }
    return entries;
  }

  /**
   * Reads one {@code content[]} entry (or one of its {@code top_logprobs}), which the parser has
   * just opened: {@code token}, {@code logprob}, {@code bytes} (null or absent: not reported).
   */
  private static TokenLogprob entry(JsonParser parser) throws IOException {
    String token = "";
    Double logprob = null;
    byte[] bytes = new byte[0];
    List<TokenLogprob.Alternative> top = List.of();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (field.equals("token") && value == JsonToken.VALUE_STRING) {
        token = parser.getText();
      } else if (field.equals("logprob") && value.isNumeric()) {
        // A server's rounding can give a hair above 0 for a certain token.
        logprob = Math.min(0.0, parser.getDoubleValue());
      } else if (field.equals("bytes") && value == JsonToken.START_ARRAY) {
        bytes = bytes(parser);
      } else if (field.equals("top_logprobs") && value == JsonToken.START_ARRAY) {
        top = new ArrayList<>();
        JsonToken item;
        while ((item = parser.nextToken()) != JsonToken.END_ARRAY && item != null) {
          if (item != JsonToken.START_OBJECT) {
            parser.skipChildren();
            continue;
          }
          TokenLogprob alternative = entry(parser);
          if (top.size() < TokenLogprob.MAX_TOP_LOGPROBS) {
            top.add(
                new TokenLogprob.Alternative(
                    alternative.token(), alternative.logprob(), alternative.bytes()));
          }
        }
      } else {
        parser.skipChildren();
      }
    }
    if (logprob == null || logprob.isNaN()) {
      throw new JsonParseException(
          parser, "a logprobs entry for token '" + token + "' has no numeric logprob");
    }
    return new TokenLogprob(token, logprob, bytes, top);
  }

  private static byte[] bytes(JsonParser parser) throws IOException {
    byte[] bytes = new byte[16];
    int count = 0;
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
      int value = token == JsonToken.VALUE_NUMBER_INT ? parser.getIntValue() : -1;
      if (value < 0 || value > 255) {
        throw new JsonParseException(parser, "a logprobs token byte outside 0..255");
      }
      if (count == bytes.length) {
        bytes = Arrays.copyOf(bytes, count * 2);
      }
      bytes[count++] = (byte) value;
    }
    return Arrays.copyOf(bytes, count);
  }
}
