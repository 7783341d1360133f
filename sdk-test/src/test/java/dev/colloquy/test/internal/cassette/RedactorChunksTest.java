package dev.colloquy.test.internal.cassette;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.guard.SecretRedactor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Chunk redaction over random texts and random cuts; each case's name is its seed, to replay it.
 */
class RedactorChunksTest {

  private static final List<String> SECRETS =
      List.of("0f3a9c7d21b84e6fa5d09c1b7e2f4a68", "q7z", "gw-7Hh2LkPq");
  private static final Redactor REDACTOR = Redactor.with(SecretRedactor.of(SECRETS));

  static LongStream seeds() {
    return LongStream.range(0, 200);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void chunksJoinToTheRedactedWholeAndHoldNoSecretHoweverTheyWereCut(long seed) {
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder();
    for (int i = 0, parts = 1 + random.nextInt(6); i < parts; i++) {
      text.append(random.nextBoolean() ? " word " : " ")
          .append(
              switch (random.nextInt(4)) {
                case 0 -> SECRETS.get(random.nextInt(SECRETS.size()));
                case 1 -> "Bearer abcdEFGH12345678";
                case 2 -> "sk-0123456789abcdefXYZ";
                default -> "plain text";
              });
    }
    List<String> chunks = cut(text.toString(), random);

    List<String> redacted = REDACTOR.redactChunks(chunks);

    assertThat(String.join("", redacted))
        .as("seed %d, chunks %s", seed, chunks)
        .isEqualTo(REDACTOR.redactText(text.toString()))
        .doesNotContain(SECRETS.get(0))
        .doesNotContain(SECRETS.get(1))
        .doesNotContain(SECRETS.get(2))
        .doesNotContain("abcdEFGH12345678")
        .doesNotContain("sk-0123456789abcdefXYZ");
    assertThat(redacted)
        .as("seed %d", seed)
        .hasSizeLessThanOrEqualTo(chunks.size())
        .doesNotContain("");
    for (String chunk : redacted) {
      assertThat(REDACTOR.redactText(chunk))
          .as("seed %d: a chunk is already clean", seed)
          .isEqualTo(chunk);
    }
  }

  @Test
  void aCutInsideASecretMovesToTheStartOfItsPlaceholder() {
    assertThat(REDACTOR.redactChunks(List.of("a 0f3a9c7d21b8", "4e6fa5d09c1b7e2f4a68 b", " c")))
        .containsExactly("a ", "[REDACTED] b", " c");
    assertThat(REDACTOR.redactChunks(List.of("no", " secret"))).containsExactly("no", " secret");
  }

  private static List<String> cut(String text, Random random) {
    List<String> chunks = new ArrayList<>();
    int from = 0;
    while (from < text.length()) {
      int to = Math.min(text.length(), from + 1 + random.nextInt(12));
      chunks.add(text.substring(from, to));
      from = to;
    }
    return chunks;
  }
}
