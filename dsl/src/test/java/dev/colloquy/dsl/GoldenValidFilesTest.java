package dev.colloquy.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.dsl.ast.DefinitionFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each valid golden file parses, prints as its reviewed canonical form, and reparses equal. */
class GoldenValidFilesTest {

  static Stream<Path> validFiles() throws IOException {
    try (Stream<Path> files = Files.list(Fixtures.GOLDEN.resolve("valid"))) {
      List<Path> list = files.filter(p -> p.toString().endsWith(".colloquy")).sorted().toList();
      return list.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("validFiles")
  void printsTheReviewedCanonicalForm(Path file) {
    DefinitionFile parsed = Dsl.parse(file.getFileName().toString(), Fixtures.read(file));
    String printed = Dsl.print(parsed);
    Path expected = Path.of(file.toString().replace(".colloquy", ".printed"));
    assertThat(printed).isEqualTo(Fixtures.golden(expected, printed));
  }

  @ParameterizedTest
  @MethodSource("validFiles")
  void parsingThePrintedFormGivesTheSameDefinition(Path file) {
    String name = file.getFileName().toString();
    DefinitionFile parsed = Dsl.parse(name, Fixtures.read(file));
    DefinitionFile reparsed = Dsl.parse(name, Dsl.print(parsed));
    assertThat(reparsed).isEqualTo(parsed);
    assertThat(Dsl.print(reparsed)).isEqualTo(Dsl.print(parsed));
  }

  @ParameterizedTest
  @MethodSource("validFiles")
  void compilesWithTheApplicationsBindings(Path file) {
    Definitions definitions =
        Definitions.compile(
            List.of(new Source(file.getFileName().toString(), Fixtures.read(file))),
            Fixtures.bindings());
    assertThat(definitions.files()).hasSize(1);
  }
}
