package dev.colloquy.memory.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KeyLayoutTest {

  @Test
  void keepsUnreservedCharactersAndPercentEncodesTheRestAsUtf8() {
    assertThat(KeyLayout.encode("customer-42_a.b~C", "id")).isEqualTo("customer-42_a.b~C");
    assertThat(KeyLayout.encode("a:b c*%", "id")).isEqualTo("a%3Ab%20c%2A%25");
    assertThat(KeyLayout.encode("会话😀", "id")).isEqualTo("%E4%BC%9A%E8%AF%9D%F0%9F%98%80");
    assertThat(KeyLayout.encode("", "id")).isEmpty();
  }

  @Test
  void anUnpairedSurrogateHasNoKey() {
    assertThatThrownBy(() -> KeyLayout.encode("ab\uD800c", "conversationId"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "conversationId holds an unpaired surrogate at index 2, which has no UTF-8 form");
  }

  @Test
  void namesTheKeysUnderThePrefix() {
    KeyLayout keys = new KeyLayout("app:");
    assertThat(keys.conversation("a:b")).isEqualTo("app:conversation:a%3Ab");
    assertThat(keys.tenant("t 1")).isEqualTo("app:tenant:t%201");
    assertThat(keys.updatedIndex()).isEqualTo("app:updated");
  }

  static LongStream seeds() {
    return new Random(16).longs(20);
  }

  /** Decoding gives the text back, so no two texts share a code; and no code holds ':'. */
  @ParameterizedTest
  @MethodSource("seeds")
  void randomTextsDecodeBackFromTheirCodes(long seed) {
    Random random = new Random(seed);
    for (int n = 0; n < 500; n++) {
      String text = randomText(random);
      String code = KeyLayout.encode(text, "id");
      assertThat(code).as("seed %d", seed).doesNotContain(":").matches("[A-Za-z0-9._~%-]*");
      assertThat(decode(code)).as("seed %d", seed).isEqualTo(text);
    }
  }

  private static String randomText(Random random) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(12);
    while (text.length() < length) {
      int kind = random.nextInt(4);
      int codePoint =
          switch (kind) {
            case 0 -> 0x20 + random.nextInt(0x5F); // printable ASCII, ':' '%' '*' among them
            case 1 -> random.nextInt(0x20); // control characters, NUL included
            case 2 -> 0x80 + random.nextInt(0xD800 - 0x80); // the rest of the BMP below surrogates
            default -> 0x10000 + random.nextInt(0x10FFFF - 0x10000); // supplementary planes
          };
      text.appendCodePoint(codePoint);
    }
    return text.toString();
  }

  private static String decode(String code) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < code.length(); i++) {
      char c = code.charAt(i);
      if (c == '%') {
        bytes.write(Integer.parseInt(code.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
