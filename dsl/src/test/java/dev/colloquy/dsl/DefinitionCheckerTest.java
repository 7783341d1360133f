package dev.colloquy.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check command exits 0 on a valid folder and 1 with every error otherwise. */
class DefinitionCheckerTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int check(String... args) {
    return DefinitionChecker.run(
        List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void aValidFolderPassesWithTheApplicationsNames(@TempDir Path dir) throws Exception {
    Files.copy(
        Fixtures.GOLDEN.resolve("valid/shop-support.colloquy"), dir.resolve("shop.colloquy"));

    int status =
        check(
            dir.toString(),
            "--models",
            "shop-model",
            "--tools",
            "orderStatus,refund",
            "--functions",
            "openingHours,handOver",
            "--guards",
            "short_messages");

    assertThat(status).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("checked 1 file: no errors\n");
  }

  @Test
  void aFolderWithErrorsFailsWithEveryErrorOfEveryFile(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.colloquy"), "agent a {\n  modle \"m\"\n}\n");
    Files.writeString(dir.resolve("b.colloquy"), "flow f {\n  repeat until done {}\n}\n");

    int status = check(dir.toString());

    assertThat(status).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("a.colloquy:2:3: error: expected an agent setting, found `modle`")
        .contains("b.colloquy:2:3: error: this loop has no maximum")
        .contains("2 errors");
  }

  @Test
  void withoutNamesOnlyTheFilesThemselvesAreChecked(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("a.colloquy"), "agent a {\n  model \"anything\"\n  tools whatever\n}\n");

    assertThat(check(dir.toString())).isZero();
    assertThat(check(dir.toString(), "--tools", "orderStatus")).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown tool `whatever`");
  }

  @Test
  void aFolderWithoutDefinitionFilesFailsBecauseThereWasNothingToCheck(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("notes.txt"), "not a definition file");

    assertThat(check(dir.toString())).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "check: no .colloquy files in " + dir + " (sub-folders included): nothing to check\n");
  }

  @Test
  void aMissingFolderOrAFileIsBadUsageThatSaysWhichItIs(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("a.colloquy"), "agent a {\n  model \"m\"\n}\n");

    assertThat(check(dir.resolve("missing").toString())).isEqualTo(2);
    assertThat(check(file.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("check: no such folder: " + dir.resolve("missing"))
        .contains("check: " + file + " is a file, not a folder of .colloquy files");
  }

  @Test
  void badUsageExitsWithTwo() {
    assertThat(check()).isEqualTo(2);
    assertThat(check("/no/such/folder")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: check <folder>");
  }
}
