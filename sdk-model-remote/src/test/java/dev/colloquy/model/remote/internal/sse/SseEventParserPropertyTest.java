package dev.colloquy.model.remote.internal.sse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.model.remote.RemoteProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class SseEventParserPropertyTest {

  @Provide
  Arbitrary<String> streams() {
    Arbitrary<String> line = Arbitraries.oneOf(
        Arbitraries.strings().withChars("ab \u00e9\u4e16\uD83D\uDE00:").ofMaxLength(12).map(s -> "data: " + s),
        Arbitraries.strings().alpha().ofMaxLength(6).map(s -> "event: " + s),
        Arbitraries.strings().numeric().ofMaxLength(4).map(s -> "retry: " + s),
        Arbitraries.of(": ping", "data", "id: 1", ""));
    Arbitrary<String> ending = Arbitraries.of("\n", "\r", "\r\n");
    return Arbitraries.lazy(() -> line).list().ofMaxSize(30)
        .flatMap(lines -> ending.list().ofSize(lines.size()).map(ends -> {
          StringBuilder s = new StringBuilder();
          for (int i = 0; i < lines.size(); i++) {
            s.append(lines.get(i)).append(ends.get(i));
          }
          return s.toString();
        }));
  }

  @Property(tries = 300)
  void givesTheSameEventsHoweverTheBytesAreSplit(@ForAll("streams") String stream,
      @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 400) Integer> cuts) {
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
    List<SseEvent> whole = new ArrayList<>();
    SseEventParser wholeParser = new SseEventParser(4096, whole::add);
    wholeParser.feed(bytes, 0, bytes.length);
    wholeParser.finish();

    List<SseEvent> pieces = new ArrayList<>();
    SseEventParser splitParser = new SseEventParser(4096, pieces::add);
    int from = 0;
    for (int cut : cuts.stream().map(c -> Math.min(c, bytes.length)).sorted().toList()) {
      splitParser.feed(bytes, from, cut - from);
      from = cut;
    }
    splitParser.feed(bytes, from, bytes.length - from);
    splitParser.finish();

    assertThat(pieces).isEqualTo(whole);
  }

  @Property(tries = 300)
  void randomBytesNeverEscapeAsAnythingButOurProtocolError(@ForAll @Size(max = 300) byte[] bytes,
      @ForAll @IntRange(min = 0, max = 300) int cut) {
    SseEventParser parser = new SseEventParser(64, event -> assertThat(event.data().length()).isLessThanOrEqualTo(64));
    int split = Math.min(cut, bytes.length);
    try {
      parser.feed(bytes, 0, split);
      parser.feed(bytes, split, bytes.length - split);
      parser.finish();
    } catch (RemoteProtocolException expected) {
      assertThat(expected).hasMessageContaining("limit of 64 bytes");
    }
  }
}
