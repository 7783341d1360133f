package dev.colloquy.model.local.internal.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.model.local.ModelLoadException;
import dev.colloquy.model.local.fixture.Gpt2TokenizerJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Directories with GPT-2's original vocab.json + merges.txt instead of tokenizer.json (issue 14).
 */
class VocabAndMergesTest {

  @TempDir Path directory;

  /**
   * Writes GPT-2's vocab.json and merges.txt (with the "#version" line) as save_pretrained does for
   * the slow tokenizer.
   */
  static void writeVocabAndMerges(Path directory) throws IOException {
    JsonNode model = new ObjectMapper().readTree(Gpt2TokenizerJson.text()).path("model");
    Files.writeString(directory.resolve("vocab.json"), model.path("vocab").toString());
    StringBuilder merges = new StringBuilder("#version: 0.2\n");
    model.path("merges").forEach(merge -> merges.append(merge.asText()).append('\n'));
    Files.writeString(directory.resolve("merges.txt"), merges);
  }

  @Test
  void encodesAndDecodesExactlyAsTokenizerJsonDoes() throws IOException {
    writeVocabAndMerges(directory);
    Path json =
        Files.writeString(directory.resolve("other-tokenizer.json"), Gpt2TokenizerJson.text());
    try (BpeTokenizer fromPair = BpeTokenizer.fromModelDirectory(directory);
        BpeTokenizer fromJson = BpeTokenizer.load(json)) {
      assertThat(fromPair.encode("hello world")).containsExactly(31373, 995);
      for (String text :
          new String[] {
            "Hello my name is", "naïve 日本語 😀", "a<|endoftext|>b", "  spaces\n\tand tabs"
          }) {
        assertThat(fromPair.encode(text)).as(text).containsExactly(fromJson.encode(text));
        assertThat(fromPair.decode(fromPair.encode(text))).isEqualTo(text);
      }
      assertThat(fromPair.size()).isEqualTo(fromJson.size()).isEqualTo(50257);
      assertThat(fromPair.file()).isEqualTo(directory.resolve("vocab.json"));
    }
  }

  @Test
  void aMergeOfTokensOutsideTheVocabularyNamesTheLine() throws IOException {
    writeVocabAndMerges(directory);
    Files.writeString(directory.resolve("merges.txt"), "#version: 0.2\nĠ t\nq ✗\n");
    assertThatThrownBy(() -> BpeTokenizer.fromModelDirectory(directory))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(
            directory.resolve("merges.txt")
                + " line 3 merges 'q' and '✗', but vocab.json has no token '✗'");
  }

  @Test
  void aMergeLineThatIsNotTwoTokensNamesTheLine() throws IOException {
    writeVocabAndMerges(directory);
    Files.writeString(directory.resolve("merges.txt"), "Ġ t\nĠt he re\n");
    assertThatThrownBy(() -> BpeTokenizer.fromModelDirectory(directory))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(
            "line 2 is 'Ġt he re'; each line must be two tokens separated by one space");
  }

  @Test
  void vocabJsonWithoutMergesTxtSaysWhichFileIsMissing() throws IOException {
    writeVocabAndMerges(directory);
    Files.delete(directory.resolve("merges.txt"));
    assertThatThrownBy(() -> BpeTokenizer.fromModelDirectory(directory))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("has vocab.json but no merges.txt (and no tokenizer.json)");
  }

  @Test
  void vocabJsonIdsAreCheckedLikeTokenizerJsonIds() throws IOException {
    Files.writeString(directory.resolve("vocab.json"), "{\"a\": 0, \"b\": 2000000000, \"ab\": 1}");
    Files.writeString(directory.resolve("merges.txt"), "a b\n");
    assertThatThrownBy(() -> BpeTokenizer.fromModelDirectory(directory))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(
            directory.resolve("vocab.json") + " gives token 'b' the id 2000000000");
  }

  @Test
  void anEmptyDirectoryAsksForEitherTokenizerForm() {
    assertThatThrownBy(() -> BpeTokenizer.fromModelDirectory(directory))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("tokenizer.json, or vocab.json and merges.txt");
  }
}
