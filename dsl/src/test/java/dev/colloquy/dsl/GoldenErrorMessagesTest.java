package dev.colloquy.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each invalid golden file fails to load with exactly the reviewed message: every error of the file
 * at once, each with its position, source line, caret and notes.
 */
class GoldenErrorMessagesTest {

  static Stream<Path> invalidFiles() throws IOException {
    try (Stream<Path> files = Files.list(Fixtures.GOLDEN.resolve("errors"))) {
      List<Path> list = files.filter(p -> p.toString().endsWith(".colloquy")).sorted().toList();
      return list.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("invalidFiles")
  void reportsEveryErrorWithTheReviewedText(Path file) {
    DslException error =
        catchThrowableOfType(
            DslException.class,
            () ->
                Definitions.compile(
                    List.of(new Source(file.getFileName().toString(), Fixtures.read(file))),
                    Fixtures.bindings()));
    assertThat(error).as("loading %s must fail", file).isNotNull();
    Path expected = Path.of(file.toString().replace(".colloquy", ".errors"));
    assertThat(error.getMessage()).isEqualTo(Fixtures.golden(expected, error.getMessage()));
    assertThat(error.diagnostics())
        .allSatisfy(d -> assertThat(d.file()).isEqualTo(file.getFileName().toString()));
  }
}
