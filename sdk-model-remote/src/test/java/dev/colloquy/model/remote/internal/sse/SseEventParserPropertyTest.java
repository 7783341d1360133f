package dev.colloquy.model.remote.internal.sse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.model.remote.RemoteProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties of the parser over random streams; each case's name is its seed, to replay it. */
class SseEventParserPropertyTest {

  private static final String LINE_CHARACTERS = "ab \u00e9\u4e16\uD83D\uDE00:";
  private static final List<String> FIXED_LINES = List.of(": ping", "data", "id: 1", "");
  private static final List<String> ENDINGS = List.of("\n", "\r", "\r\n");

  static LongStream seeds() {
    return LongStream.range(0, 300);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void givesTheSameEventsHoweverTheBytesAreSplit(long seed) {
    Random random = new Random(seed);
    byte[] bytes = stream(random).getBytes(StandardCharsets.UTF_8);
    List<Integer> cuts = new ArrayList<>();
    for (int i = random.nextInt(9); i > 0; i--) {
      cuts.add(Math.min(random.nextInt(401), bytes.length));
    }
    List<SseEvent> whole = new ArrayList<>();
    SseEventParser wholeParser = new SseEventParser(4096, whole::add);
    wholeParser.feed(bytes, 0, bytes.length);
    wholeParser.finish();

    List<SseEvent> pieces = new ArrayList<>();
    SseEventParser splitParser = new SseEventParser(4096, pieces::add);
    int from = 0;
    for (int cut : cuts.stream().sorted().toList()) {
      splitParser.feed(bytes, from, cut - from);
      from = cut;
    }
    splitParser.feed(bytes, from, bytes.length - from);
    splitParser.finish();

    assertThat(pieces).isEqualTo(whole);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomBytesNeverEscapeAsAnythingButOurProtocolError(long seed) {
    Random random = new Random(seed);
    byte[] bytes = new byte[random.nextInt(301)];
    random.nextBytes(bytes);
    int split = Math.min(random.nextInt(301), bytes.length);
    SseEventParser parser =
        new SseEventParser(64, event -> assertThat(event.data().length()).isLessThanOrEqualTo(64));
    try {
      parser.feed(bytes, 0, split);
      parser.feed(bytes, split, bytes.length - split);
      parser.finish();
    } catch (RemoteProtocolException expected) {
      assertThat(expected).hasMessageContaining("limit of 64 bytes");
    }
  }

  private static String stream(Random random) {
    StringBuilder stream = new StringBuilder();
    for (int i = random.nextInt(31); i > 0; i--) {
      stream.append(line(random)).append(ENDINGS.get(random.nextInt(ENDINGS.size())));
    }
    return stream.toString();
  }

  private static String line(Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> "data: " + randomText(random, LINE_CHARACTERS, 12);
      case 1 ->
          "event: " + randomText(random, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 6);
      case 2 -> "retry: " + randomText(random, "0123456789", 4);
      default -> FIXED_LINES.get(random.nextInt(FIXED_LINES.size()));
    };
  }

  /**
   * Up to {@code maxLength} code points drawn from {@code characters} (surrogate pairs kept whole).
   */
  private static String randomText(Random random, String characters, int maxLength) {
    int[] codePoints = characters.codePoints().toArray();
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(maxLength + 1); i > 0; i--) {
      text.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
    }
    return text.toString();
  }
}
