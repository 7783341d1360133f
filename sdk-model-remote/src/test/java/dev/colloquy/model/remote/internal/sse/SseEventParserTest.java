package dev.colloquy.model.remote.internal.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.model.remote.RemoteProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseEventParserTest {

  private final List<SseEvent> events = new ArrayList<>();
  private final SseEventParser parser = new SseEventParser(1024, events::add);

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private void feed(String text) {
    byte[] bytes = utf8(text);
    parser.feed(bytes, 0, bytes.length);
  }

  private List<String> data() {
    return events.stream().map(SseEvent::data).toList();
  }

  @Test
  void endsLinesOnLfCrAndCrlfAlike() {
    feed("data: a\n\ndata: b\r\rdata: c\r\n\r\n");

    assertThat(data()).containsExactly("a", "b", "c");
  }

  @Test
  void treatsACrAndItsLfInDifferentReadsAsOneLineEnd() {
    feed("data: a\r");
    feed("\ndata: b\r");
    feed("\n\r");
    feed("\n");

    assertThat(data()).containsExactly("a\nb");
  }

  @Test
  void ignoresCommentLinesSuchAsKeepAlivePings() {
    feed(": ping\n\n: another\ndata: x\n: inside\n\n");

    assertThat(data()).containsExactly("x");
  }

  @Test
  void readsAFieldWithoutAColonAsAnEmptyValue() {
    feed("data\n\ndata\ndata\n\n");

    assertThat(data()).containsExactly("", "\n");
  }

  @Test
  void stripsOnlyOneLeadingSpaceFromAValue() {
    feed("data:no space\n\ndata:  two spaces\n\n");

    assertThat(data()).containsExactly("no space", " two spaces");
  }

  @Test
  void joinsSeveralDataLinesWithNewlines() {
    feed("data: {\"a\":\ndata: 1}\ndata:\n\n");

    assertThat(data()).containsExactly("{\"a\":\n1}\n");
  }

  @Test
  void dropsALeadingByteOrderMarkEvenWhenItIsSplit() {
    byte[] bytes = utf8("\uFEFFdata: x\n\n");
    parser.feed(bytes, 0, 1);
    parser.feed(bytes, 1, 1);
    parser.feed(bytes, 2, bytes.length - 2);

    assertThat(data()).containsExactly("x");
  }

  @Test
  void keepsAByteOrderMarkThatIsNotAtTheStart() {
    feed("data: a\n\n\uFEFFdata: b\n\n");

    assertThat(data()).containsExactly("a");
  }

  @Test
  void readsEventTypeIdAndRetry() {
    feed("event: error\nid: 7\nretry: 1500\ndata: x\n\ndata: y\n\n");

    assertThat(events)
        .containsExactly(new SseEvent("error", "x", "7"), new SseEvent("message", "y", "7"));
    assertThat(parser.retryMillis()).hasValue(1500);
  }

  @Test
  void ignoresARetryThatIsNotDigitsAndAnIdWithNul() {
    feed("retry: 1s\nid: a\0b\ndata: x\n\n");

    assertThat(parser.retryMillis()).isEmpty();
    assertThat(events).containsExactly(new SseEvent("message", "x", ""));
  }

  @Test
  void dispatchesNothingForAnEventWithoutData() {
    feed("event: ping\n\ndata: x\n\n");

    assertThat(events).containsExactly(new SseEvent("message", "x", ""));
  }

  @Test
  void ignoresUnknownFields() {
    feed("foo: bar\ndata: x\n\n");

    assertThat(data()).containsExactly("x");
  }

  @Test
  void parsesTheSameEventsWhenSplitAtEveryByteIncludingInsideMultiByteCharacters() {
    String stream =
        "\uFEFFdata: h\u00e9llo \u4e16\u754c \uD83D\uDE00\r\n: c\r\nevent: e\rdata: \u00e9\n\n\r\n";
    byte[] bytes = utf8(stream);
    for (int split = 0; split <= bytes.length; split++) {
      List<SseEvent> got = new ArrayList<>();
      SseEventParser splitParser = new SseEventParser(1024, got::add);
      splitParser.feed(bytes, 0, split);
      splitParser.feed(bytes, split, bytes.length - split);

      assertThat(got)
          .as("split at byte %d", split)
          .containsExactly(new SseEvent("e", "h\u00e9llo \u4e16\u754c \uD83D\uDE00\n\u00e9", ""));
    }
  }

  @Test
  void parsesTheSameEventsWhenFedOneByteAtATime() {
    byte[] bytes = utf8("data: \u00e9\u4e16\r\n\r\ndata: b\n\n");
    for (int i = 0; i < bytes.length; i++) {
      parser.feed(bytes, i, 1);
    }

    assertThat(data()).containsExactly("\u00e9\u4e16", "b");
  }

  @Test
  void discardsAnEventNotEndedByABlankLineWhenTheStreamEnds() {
    feed("data: complete\n\ndata: partial\n");
    parser.finish();

    assertThat(data()).containsExactly("complete");
  }

  @Test
  void endsTheStreamWithAClearErrorOnALineOverTheLimit() {
    byte[] chunk = utf8("data: " + "x".repeat(600));

    parser.feed(chunk, 0, chunk.length);
    assertThatThrownBy(() -> parser.feed(chunk, 0, chunk.length))
        .isInstanceOf(RemoteProtocolException.class)
        .hasMessageContaining("longer than the limit of 1024 bytes")
        .hasMessageContaining("maxLineLength");
  }

  @Test
  void refusesALineOverTheLimitThatArrivesInOneRead() {
    assertThatThrownBy(() -> feed("data: " + "x".repeat(2000) + "\n"))
        .isInstanceOf(RemoteProtocolException.class);
  }

  @Test
  void refusesAnEventWhoseDataLinesTogetherExceedTheLimit() {
    assertThatThrownBy(() -> feed(("data: " + "x".repeat(100) + "\n").repeat(20)))
        .isInstanceOf(RemoteProtocolException.class)
        .hasMessageContaining("data of one server-sent event");
  }

  @Test
  void acceptsALongStreamOfShortLinesWithoutGrowing() {
    for (int i = 0; i < 10_000; i++) {
      feed("data: " + i + "\n\n");
    }

    assertThat(events).hasSize(10_000);
    assertThat(events.get(9_999).data()).isEqualTo("9999");
  }
}
