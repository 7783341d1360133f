package dev.colloquy.core.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretRedactorTest {

  @Test
  void removesEveryOccurrenceOfEachValueWhateverItsShape() {
    SecretRedactor redactor = SecretRedactor.of("0f3a9c7d21b84e6fa5d09c1b7e2f4a68", "abc");

    assertThat(redactor.redact("key 0f3a9c7d21b84e6fa5d09c1b7e2f4a68 and abc, abc again"))
        .isEqualTo("key [redacted] and [redacted], [redacted] again");
  }

  @Test
  void removesTheJsonEscapedFormOfAValue() {
    SecretRedactor redactor = SecretRedactor.of("a/b\"c");

    assertThat(redactor.redact("{\"message\":\"key a\\/b\\\"c\"}"))
        .isEqualTo("{\"message\":\"key [redacted]\"}");
  }

  @Test
  void mergesOverlappingSecretsIntoOneSpan() {
    SecretRedactor redactor = SecretRedactor.of("Bearer tok123", "tok123456");

    assertThat(redactor.find("x Bearer tok123456 y"))
        .containsExactly(new SecretRedactor.Span(2, 18));
    assertThat(redactor.redact("x Bearer tok123456 y")).isEqualTo("x [redacted] y");
  }

  @Test
  void ignoresEmptyValuesAndNeverPrintsItsValues() {
    SecretRedactor redactor = SecretRedactor.of(List.of("", "s3cr3t"));

    assertThat(redactor.toString()).isEqualTo("SecretRedactor[1 secret]").doesNotContain("s3cr3t");
    assertThat(SecretRedactor.of("").isEmpty()).isTrue();
    assertThat(SecretRedactor.none().redact("s3cr3t")).isEqualTo("s3cr3t");
  }

  @Test
  void combinesTwoRedactors() {
    SecretRedactor both = SecretRedactor.of("one1").and(SecretRedactor.of("two2"));

    assertThat(both.redact("one1 two2", "[X]")).isEqualTo("[X] [X]");
    assertThat(both.isIn("a two2 b")).isTrue();
    assertThat(both).hasToString("SecretRedactor[2 secrets]");
  }
}
