package dev.colloquy.model.local.internal.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextStreamTest {

  private final List<String> deltas = new ArrayList<>();

  @Test
  void emitsACjkCharacterSplitAcrossTokensWhole() {
    TextStream stream = new TextStream(List.of(), deltas::add);
    byte[] bytes = "日本".getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      stream.append(new byte[] {b});
    }
    stream.finish();
    assertThat(deltas).containsExactly("日", "本");
    assertThat(String.join("", deltas)).doesNotContain("\uFFFD");
  }

  @Test
  void emitsAnEmojiSplitAcrossTokensAsOneSurrogatePair() {
    TextStream stream = new TextStream(List.of(), deltas::add);
    byte[] bytes = "a😀".getBytes(StandardCharsets.UTF_8);
    stream.append(Arrays.copyOfRange(bytes, 0, 3));
    stream.append(Arrays.copyOfRange(bytes, 3, 5));
    stream.finish();
    assertThat(deltas).containsExactly("a", "😀");
  }

  @Test
  void matchesAStopSequenceSplitAcrossTokensAndNeverEmitsIt() {
    TextStream stream = new TextStream(List.of("\nUser:"), deltas::add);
    assertThat(stream.append(utf8(" Hello"))).isFalse();
    assertThat(stream.append(utf8(" there\nUs"))).isFalse();
    assertThat(stream.append(utf8("er: next"))).isTrue();
    stream.finish();
    assertThat(String.join("", deltas)).isEqualTo("Hello there");
    assertThat(stream.emittedText()).isEqualTo("Hello there");
  }

  @Test
  void releasesHeldBackTextThatTurnsOutNotToBeAStop() {
    TextStream stream = new TextStream(List.of("STOP"), deltas::add);
    stream.append(utf8("go ST"));
    assertThat(String.join("", deltas)).isEqualTo("go ");
    stream.append(utf8("ART"));
    stream.finish();
    assertThat(stream.emittedText()).isEqualTo("go START");
  }

  @Test
  void replacesBytesThatCanNeverFormACharacterAtTheEnd() {
    TextStream stream = new TextStream(List.of(), deltas::add);
    stream.append(new byte[] {'o', 'k', (byte) 0xE6});
    stream.finish();
    assertThat(stream.emittedText()).isEqualTo("ok\uFFFD");
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
