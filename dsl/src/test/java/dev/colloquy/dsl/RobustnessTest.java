package dev.colloquy.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile input ends in a DslException at a bounded cost: no stack overflow, no huge memory. */
class RobustnessTest {

  private static DslException parseError(String text) {
    DslException e =
        catchThrowableOfType(DslException.class, () -> Dsl.parse("bad.colloquy", text));
    assertThat(e).as("parsing must fail with a DslException").isNotNull();
    return e;
  }

  @Test
  void tenThousandNestedStepBlocksAreReportedOnceWithoutOverflowingTheStack() {
    String deep = "flow f {\n" + "if p {\n".repeat(10_000) + "}\n".repeat(10_000) + "}\n";

    DslException e = parseError(deep);

    assertThat(e.diagnostics()).hasSize(1);
    assertThat(e.diagnostics().get(0).message()).isEqualTo("blocks are nested more than 64 deep");
    assertThat(e.diagnostics().get(0).line()).isEqualTo(65);
  }

  @Test
  void tenThousandBareOpeningBracesEndInOneError() {
    DslException e = parseError("{".repeat(10_000));

    assertThat(e.diagnostics()).hasSize(1);
    assertThat(e.diagnostics().get(0).message()).isEqualTo("expected a declaration, found `{`");
  }

  @Test
  void aFiftyMegabyteFileIsRefusedBeforeItIsDecoded(@TempDir Path dir) throws Exception {
    Path big = dir.resolve("big.colloquy");
    byte[] chunk = new byte[1 << 20];
    Arrays.fill(chunk, (byte) 'a');
    try (var out = Files.newOutputStream(big)) {
      for (int i = 0; i < 50; i++) {
        out.write(chunk);
      }
    }

    DslException e = catchThrowableOfType(DslException.class, () -> Dsl.read(big));

    assertThat(e.getMessage())
        .startsWith("big.colloquy: error: the file is larger than 4194304 bytes");
  }

  @Test
  void invalidUtf8IsReportedAtItsLineAndColumn() {
    byte[] bytes = "agent a {\n  model \"m\u00ff\"\n}\n".getBytes(StandardCharsets.ISO_8859_1);

    DslException e =
        catchThrowableOfType(DslException.class, () -> Dsl.parse("bytes.colloquy", bytes, 1000));

    assertThat(e.diagnostics()).hasSize(1);
    assertThat(e.diagnostics().get(0).location()).isEqualTo("bytes.colloquy:2:11");
    assertThat(e.diagnostics().get(0).message())
        .isEqualTo("the file is not valid UTF-8 (byte 0xFF at offset 20)");
  }

  @Test
  void aSecretBeforeInvalidUtf8IsNotShown() {
    byte[] bytes = "secret key = \"sk-live-123\u00ff\"\n".getBytes(StandardCharsets.ISO_8859_1);

    DslException e =
        catchThrowableOfType(DslException.class, () -> Dsl.parse("s.colloquy", bytes, 1000));

    assertThat(e.getMessage()).doesNotContain("sk-live").contains("\"***\"");
  }

  @Test
  void anEmptyFileAndAFileOfCommentsDeclareNothing() {
    assertThat(parseError("").diagnostics().get(0).message())
        .isEqualTo("the file declares nothing");
    assertThat(parseError("# only a comment\n").diagnostics().get(0).message())
        .isEqualTo("the file declares nothing");
  }

  @Test
  void aFloodOfErrorsStopsAtTheReportingLimit() {
    DslException e = parseError("agent a {\n" + "  nonsense 1\n".repeat(5_000) + "}\n");

    assertThat(e.diagnostics()).hasSize(DslException.MAX_REPORTED);
    assertThat(e.getMessage()).endsWith("100 errors (stopped after 100)");
  }

  @Test
  void aVeryLongLineIsShownAsAWindowAroundTheCaret() {
    DslException e =
        parseError("agent a { " + "x".repeat(0) + "model \"m\" " + " ".repeat(10_000) + "@ }");

    Diagnostic d = e.diagnostics().get(0);
    assertThat(d.sourceLine().length()).isLessThanOrEqualTo(122);
    assertThat(d.sourceLine().charAt(d.caretOffset())).isEqualTo('@');
  }

  @Test
  void aSecretOnALineWithAnErrorIsReplacedByStars() {
    DslException e = parseError("secret key = \"sk-live-123\" oops\n");

    // What follows the value on its line may be the rest of it: it is masked too.
    assertThat(e.getMessage())
        .doesNotContain("sk-live-123")
        .doesNotContain("oops")
        .contains("secret key = \"***\" ***");
  }

  @Test
  void anUnterminatedSecretIsNotShownEither() {
    DslException e = parseError("secret key = \"sk-live-123\n");

    assertThat(e.getMessage()).doesNotContain("sk-live");
  }
}
