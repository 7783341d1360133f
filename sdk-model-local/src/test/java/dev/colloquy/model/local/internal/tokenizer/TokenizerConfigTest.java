package dev.colloquy.model.local.internal.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colloquy.model.local.ModelLoadException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tokenizer_config.json beside tokenizer.json names the bos and eos tokens and add_bos_token. */
class TokenizerConfigTest {

  private static final String SMALL =
      BpeTrainer.train(List.of("hello world, hello tokenizer", "low lower lowest"), 280);

  @TempDir Path directory;

  private Path directoryWith(String config) throws Exception {
    Files.writeString(directory.resolve(BpeTokenizer.TOKENIZER_FILE), SMALL);
    Files.writeString(directory.resolve(BpeTokenizer.CONFIG_FILE), config);
    return directory;
  }

  @Test
  void readsBosAndEosWrittenAsStringsOrAsObjects() throws Exception {
    Path model =
        directoryWith(
            "{\"bos_token\": {\"content\": \"<|endoftext|>\", \"special\": true},"
                + " \"eos_token\": \"<|endoftext|>\", \"add_bos_token\": true}");
    try (BpeTokenizer tokenizer = BpeTokenizer.fromModelDirectory(model)) {
      int endOfText = tokenizer.specialTokenId("<|endoftext|>").orElseThrow();
      assertThat(tokenizer.bos()).contains(new BpeTokenizer.Token(endOfText, "<|endoftext|>"));
      assertThat(tokenizer.eos()).isEqualTo(tokenizer.bos());
      assertThat(tokenizer.addsBosToken()).isTrue();
      // encode never adds it: the caller does, or the template.
      assertThat(tokenizer.encode("hello")).doesNotContain(endOfText);
    }
  }

  @Test
  void withoutAConfigThereIsNoBosToAdd() throws Exception {
    Files.writeString(directory.resolve(BpeTokenizer.TOKENIZER_FILE), SMALL);
    try (BpeTokenizer tokenizer = BpeTokenizer.fromModelDirectory(directory)) {
      assertThat(tokenizer.bos()).isEmpty();
      assertThat(tokenizer.addsBosToken()).isFalse();
      assertThat(tokenizer.stripsLeadingSpace()).isFalse();
    }
  }

  @Test
  void aBosThatIsNotATokenIsAnErrorNamingIt() throws Exception {
    Path model = directoryWith("{\"bos_token\": \"<nope>\"}");
    assertThatThrownBy(() -> BpeTokenizer.fromModelDirectory(model))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("bos_token '<nope>'")
        .hasMessageContaining("is not a token of the tokenizer");
  }

  @Test
  void anAddBosTokenThatIsNotABooleanIsAnErrorNamingTheKey() throws Exception {
    Path model = directoryWith("{\"add_bos_token\": \"yes\"}");
    assertThatThrownBy(() -> BpeTokenizer.fromModelDirectory(model))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(BpeTokenizer.CONFIG_FILE)
        .hasMessageContaining("'add_bos_token' = \"yes\"");
  }

  @Test
  void aConfigThatIsNotJsonIsAnErrorNamingTheFile() throws Exception {
    Path model = directoryWith("[1, 2");
    assertThatThrownBy(() -> BpeTokenizer.fromModelDirectory(model))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(directory.resolve(BpeTokenizer.CONFIG_FILE).toString());
  }

  @Test
  void anAddedTokenThatMovesAVocabularyEntryIsAnError() throws Exception {
    ObjectNode json = (ObjectNode) new ObjectMapper().readTree(SMALL);
    int idOfH = json.path("model").path("vocab").path("h").asInt();
    json.withArray("added_tokens")
        .addObject()
        .put("id", json.path("added_tokens").get(0).path("id").asInt() + 1)
        .put("content", "h")
        .put("special", false);
    Path file = directory.resolve(BpeTokenizer.TOKENIZER_FILE);
    Files.write(file, json.toString().getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> BpeTokenizer.load(file))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("its vocabulary has it as id " + idOfH);
  }
}
