package dev.colloquy.model.local.internal.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colloquy.model.local.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ids of a tokenizer.json are checked before anything is sized by them (issue 14). */
class BpeTokenizerIdsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SMALL =
      BpeTrainer.train(List.of("hello world, hello tokenizer", "low lower lowest"), 280);

  @TempDir Path directory;

  private static ObjectNode small() throws IOException {
    return (ObjectNode) JSON.readTree(SMALL);
  }

  private static ObjectNode vocab(ObjectNode tokenizer) {
    return (ObjectNode) tokenizer.path("model").path("vocab");
  }

  private static int endOfText(ObjectNode tokenizer) {
    return tokenizer.path("added_tokens").get(0).path("id").asInt();
  }

  private Path write(ObjectNode tokenizer) throws IOException {
    Path file = directory.resolve("tokenizer.json");
    Files.writeString(file, tokenizer.toString());
    return file;
  }

  @Test
  void aVocabularyIdOfTwoBillionIsAnErrorNotAnOutOfMemoryError() throws IOException {
    ObjectNode tokenizer = small();
    vocab(tokenizer).put("h", 2_000_000_000);
    Path file = write(tokenizer);
    assertThatThrownBy(() -> BpeTokenizer.load(file))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("model.vocab token 'h'")
        .hasMessageContaining("the id 2000000000");
  }

  @Test
  void anAddedTokenIdOfTwoBillionIsAnErrorNotAnOutOfMemoryError() throws IOException {
    ObjectNode tokenizer = small();
    ((ObjectNode) tokenizer.path("added_tokens").get(0)).put("id", 2_000_000_000);
    Path file = write(tokenizer);
    assertThatThrownBy(() -> BpeTokenizer.load(file))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("added_tokens[0] '<|endoftext|>'")
        .hasMessageContaining("the id 2000000000");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "2147483648", "-2147483649", "4294967296", "1.5", "\"7\"", "null"})
  void idsThatAreNotWholeNumbersInRangeAreErrorsNamingTheToken(String id) throws IOException {
    ObjectNode tokenizer = small();
    vocab(tokenizer).set("h", JSON.readTree(id));
    Path file = write(tokenizer);
    assertThatThrownBy(() -> BpeTokenizer.load(file))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("model.vocab token 'h'")
        .hasMessageContaining("whole numbers from 0 to");
  }

  @Test
  void twoTokensWithOneIdAreAnError() throws IOException {
    ObjectNode tokenizer = small();
    int idOfH = vocab(tokenizer).path("h").asInt();
    vocab(tokenizer).put("e", idOfH);
    Path file = write(tokenizer);
    assertThatThrownBy(() -> BpeTokenizer.load(file))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("gives id " + idOfH + " to both");
  }

  @Test
  void anAddedTokenThatTakesAnotherTokensIdIsAnError() throws IOException {
    ObjectNode tokenizer = small();
    ((ObjectNode) tokenizer.path("added_tokens").get(0)).put("id", 0);
    Path file = write(tokenizer);
    assertThatThrownBy(() -> BpeTokenizer.load(file))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("gives id 0 to both")
        .hasMessageContaining("'<|endoftext|>'");
  }

  @Test
  void aGapInTheIdsIsAnError() throws IOException {
    ObjectNode tokenizer = small();
    int last = endOfText(tokenizer);
    vocab(tokenizer).put("<|endoftext|>", last + 1);
    ((ObjectNode) tokenizer.path("added_tokens").get(0)).put("id", last + 1);
    Path file = write(tokenizer);
    assertThatThrownBy(() -> BpeTokenizer.load(file))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("no token for id " + last);
  }

  @Test
  void anAddedTokenMayRestateItsVocabularyEntry() throws IOException {
    ObjectNode tokenizer = small();
    try (BpeTokenizer loaded = BpeTokenizer.load(write(tokenizer))) {
      assertThat(loaded.size()).isEqualTo(endOfText(tokenizer) + 1);
    }
  }

  /** Random ids never escape as anything but a ModelLoadException (seed printed on failure). */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
  void randomIdsLoadOrFailAsModelLoadException(long seed) throws IOException {
    Random random = new Random(seed);
    ObjectNode tokenizer = small();
    List<String> names = new ArrayList<>();
    vocab(tokenizer).fieldNames().forEachRemaining(names::add);
    long[] interesting = {
      -1,
      0,
      1,
      Integer.MAX_VALUE,
      Integer.MAX_VALUE + 1L,
      2_000_000_000,
      Long.MAX_VALUE,
      names.size(),
      names.size() - 1
    };
    for (int i = random.nextInt(3) + 1; i > 0; i--) {
      String name = names.get(random.nextInt(names.size()));
      long id =
          random.nextBoolean()
              ? interesting[random.nextInt(interesting.length)]
              : random.nextInt(names.size() + 2);
      vocab(tokenizer).put(name, id);
    }
    Path file = write(tokenizer);
    try (BpeTokenizer loaded = BpeTokenizer.load(file)) {
      assertThat(loaded.size()).as("seed %d", seed).isPositive();
    } catch (RuntimeException e) {
      assertThat(e).as("seed %d", seed).isInstanceOf(ModelLoadException.class);
    }
  }
}
