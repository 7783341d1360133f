package dev.colloquy.model.remote.internal.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast path answers only where the text path reads the very same chunk, over random streams of
 * real and damaged chunks fed to one reader; each case's name is its seed, to replay it.
 */
class ChunkStreamReaderPropertyTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<String> PIECES =
      List.of(
          "a",
          "b",
          " ",
          "\u00e9",
          "\u4e16",
          "\uD83D\uDE00",
          "\\\"",
          "\\\\",
          "\\n",
          "\\u00e9",
          "\\ud83d",
          "\\ude00",
          "}",
          "{",
          "[",
          "]",
          ",",
          ":",
          "\\/");

  private static final List<String> NUMBERS =
      List.of(
          "0",
          "-0",
          "7",
          "-12",
          "01",
          "1.",
          ".5",
          "1.5",
          "1e5",
          "1E+5",
          "-1.5e-3",
          "2147483647",
          "2147483648",
          "-2147483649",
          "123456789012345678",
          "1234567890123456789",
          "123456789012345678901234",
          "-",
          "1e",
          "00",
          "+1",
          "1.0",
          "0x1F");
  private static final List<String> LITERALS =
      List.of("true", "false", "null", "tru", "nul", "True", "NaN");
  private static final List<String> ESCAPES =
      List.of(
          "\\n",
          "\\t",
          "\\u0041",
          "\\u00e9",
          "\\ud83d\\ude00",
          "\\x",
          "\\u12",
          "\\uZZZZ",
          "\\'",
          "\\b\\f\\r",
          "\u0001",
          "\t");
  private static final List<String> WHITESPACE =
      List.of("", " ", "\n", "\t", "\r\n", "\u000b", "\f");

  static LongStream seeds() {
    return LongStream.range(0, 300);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void answersOnlyWhereTheTextPathReadsTheSameChunk(long seed) throws IOException {
    Random random = new Random(seed);
    ChunkStreamReader reader = new ChunkStreamReader();
    String knownModel = null;
    for (int event = 0; event < 25; event++) {
      boolean plain = random.nextBoolean();
      boolean damaged = random.nextInt(3) == 0;
      byte[] data = chunk(random, plain).getBytes(StandardCharsets.UTF_8);
      if (damaged) {
        data = damage(random, data);
      }
      ChunkReader.Chunk expected;
      try {
        expected = ChunkReader.read(MAPPER, new String(data, StandardCharsets.UTF_8), "delta");
      } catch (IOException e) {
        expected = null;
      }

      ChunkReader.Chunk fast = reader.read(data, data.length, knownModel);

      if (plain && !damaged && !expected.error && expected.toolCalls == null) {
        assertThat(fast)
            .as("an undamaged chunk without tool calls takes the fast path")
            .isNotNull();
      }
      if (fast != null) {
        assertThat(expected).as("the text path reads it too").isNotNull();
        assertThat(fast.error).isFalse();
        assertThat(fast.model).isEqualTo(expected.model);
        assertThat(fast.usage).isEqualTo(expected.usage);
        assertThat(fast.choices).isEqualTo(expected.choices);
        assertThat(fast.content).isEqualTo(expected.content);
        assertThat(fast.toolCalls).isEqualTo(expected.toolCalls);
        assertThat(fast.finishReason).isEqualTo(expected.finishReason);
        assertThat(fast.logprobs).isEqualTo(expected.logprobs);
        knownModel = fast.model == null ? knownModel : fast.model;
      }
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void takesTextExactlyWhenJavasDecoderDecodesItWithoutReplacement(long seed) {
    Random random = new Random(seed);
    byte[] text = new byte[random.nextInt(12)];
    for (int i = 0; i < text.length; i++) {
      // Mostly lead and continuation bytes, so that near-valid sequences are common.
      int kind = random.nextInt(4);
      text[i] =
          (byte)
              (kind == 0
                  ? 'a' + random.nextInt(26)
                  : kind == 1 ? 0x80 + random.nextInt(0x40) : 0xC0 + random.nextInt(0x40));
    }
    String decoded;
    try {
      decoded =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(text))
              .toString();
    } catch (CharacterCodingException e) {
      decoded = null;
    }
    byte[] head =
        "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"".getBytes(StandardCharsets.UTF_8);
    byte[] tail = "\"}}]}".getBytes(StandardCharsets.UTF_8);
    byte[] data = new byte[head.length + text.length + tail.length];
    System.arraycopy(head, 0, data, 0, head.length);
    System.arraycopy(text, 0, data, head.length, text.length);
    System.arraycopy(tail, 0, data, head.length + text.length, tail.length);

    ChunkReader.Chunk fast = new ChunkStreamReader().read(data, data.length, null);

    assertThat(fast == null ? null : fast.content).as(Arrays.toString(text)).isEqualTo(decoded);
  }

  /** A chunk; unless plain, with an extra field of any value and odd numbers, some not JSON. */
  private static String chunk(Random random, boolean plain) {
    String head =
        "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\""
            + (random.nextBoolean() ? "m-1" : "m-2")
            + "\","
            + (plain ? "" : extraField(random))
            + "\"choices\":[";
    String number =
        plain
            ? Integer.toString(random.nextInt(1000))
            : NUMBERS.get(random.nextInt(NUMBERS.size()));
    int kind = random.nextInt(7);
    return switch (plain && kind == 4 ? 5 : kind) {
      case 0 ->
          head
              + "],\"usage\":{\"prompt_tokens\":"
              + number
              + ",\"completion_tokens\":"
              + random.nextInt(100)
              + "}}";
      case 1 ->
          head
              + "{\"index\":0,\"delta\":{},\"finish_reason\":\""
              + (random.nextBoolean() ? "stop" : "length")
              + "\"}]}";
      case 2 ->
          head
              + "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
              + "\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":"
              + random.nextInt(9)
              + "}\"}}]}}]}";
      case 3 -> "{\"object\":\"error\",\"message\":\"overloaded\"}";
      case 4 ->
          head
              + "{\"index\":"
              + number
              + ",\"delta\":{\"content\":\""
              + text(random)
              + "\"}},{\"index\":0,\"delta\":{\"content\":\""
              + text(random)
              + "\"}}]}";
      default ->
          head
              + "{\"index\":0,\"delta\":{\"content\":\""
              + text(random)
              + "\"},\"logprobs\":null,\"finish_reason\":null}]}";
    };
  }

  /** A field of no interest with a random value, some of them not JSON, or nothing. */
  private static String extraField(Random random) {
    return random.nextBoolean()
        ? ""
        : WHITESPACE.get(random.nextInt(WHITESPACE.size()))
            + "\"x"
            + random.nextInt(3)
            + "\""
            + WHITESPACE.get(random.nextInt(WHITESPACE.size()))
            + ":"
            + value(random, 3)
            + ",";
  }

  private static String value(Random random, int depth) {
    return switch (random.nextInt(depth > 0 ? 6 : 4)) {
      case 0 -> NUMBERS.get(random.nextInt(NUMBERS.size()));
      case 1 -> "\"" + text(random) + "\"";
      case 2 -> LITERALS.get(random.nextInt(LITERALS.size()));
      case 3 -> "\"" + ESCAPES.get(random.nextInt(ESCAPES.size())) + "\"";
      case 4 ->
          "["
              + value(random, depth - 1)
              + (random.nextBoolean() ? "," + value(random, depth - 1) : "")
              + WHITESPACE.get(random.nextInt(WHITESPACE.size()))
              + "]";
      default ->
          "{\"k\":"
              + value(random, depth - 1)
              + WHITESPACE.get(random.nextInt(WHITESPACE.size()))
              + "}";
    };
  }

  private static String text(Random random) {
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(8); i > 0; i--) {
      text.append(PIECES.get(random.nextInt(PIECES.size())));
    }
    return text.toString();
  }

  /** Cuts, inserts a random byte, overwrites one, or appends something after the object. */
  private static byte[] damage(Random random, byte[] data) {
    int at = random.nextInt(data.length);
    return switch (random.nextInt(4)) {
      case 0 -> Arrays.copyOf(data, at);
      case 1 -> {
        byte[] longer = new byte[data.length + 1];
        System.arraycopy(data, 0, longer, 0, at);
        longer[at] = (byte) random.nextInt(256);
        System.arraycopy(data, at, longer, at + 1, data.length - at);
        yield longer;
      }
      case 2 -> {
        byte[] copy = data.clone();
        copy[at] = (byte) random.nextInt(256);
        yield copy;
      }
      default -> {
        String[] tails = {" {}", " \"x}", " 1", "x", " \n", "}", " [1]"};
        byte[] tail = tails[random.nextInt(tails.length)].getBytes(StandardCharsets.UTF_8);
        byte[] longer = Arrays.copyOf(data, data.length + tail.length);
        System.arraycopy(tail, 0, longer, data.length, tail.length);
        yield longer;
      }
    };
  }
}
