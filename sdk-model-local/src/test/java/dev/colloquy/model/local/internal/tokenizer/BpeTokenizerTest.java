package dev.colloquy.model.local.internal.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.model.local.ModelLoadException;
import dev.colloquy.model.local.fixture.Gpt2TokenizerJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTokenizerTest {

  private static BpeTokenizer tokenizer;

  @BeforeAll
  static void load(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("tokenizer.json");
    Files.writeString(file, Gpt2TokenizerJson.text());
    tokenizer = BpeTokenizer.load(file);
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void encodesHelloWorldAsGpt2Does() {
    assertThat(tokenizer.encode("hello world")).containsExactly(31373, 995);
    assertThat(tokenizer.encode("Hello my name is")).containsExactly(15496, 616, 1438, 318);
  }

  @Test
  void encodesEndOfTextTypedByAUserAsPlainText() {
    int[] ids = tokenizer.encode("a<|endoftext|>b");
    assertThat(ids).doesNotContain(Gpt2TokenizerJson.END_OF_TEXT);
    assertThat(tokenizer.decode(ids)).isEqualTo("a<|endoftext|>b");
  }

  @Test
  void doesNotTruncateLongTexts() {
    assertThat(tokenizer.encode(" word".repeat(2000))).hasSize(2000);
  }

  @Test
  void decodesTokensToTheirExactBytesIncludingPartsOfCharacters() {
    String text = "naïve 日本語 😀";
    int[] ids = tokenizer.encode(text);
    assertThat(tokenizer.decode(ids)).isEqualTo(text);
    assertThat(tokenizer.bytes(Gpt2TokenizerJson.END_OF_TEXT))
        .isEqualTo("<|endoftext|>".getBytes(StandardCharsets.UTF_8));
    assertThat(tokenizer.size()).isEqualTo(50257);
  }

  @Test
  void stopsReadingAnEndlessTokenizerFileAtItsCap(@TempDir Path directory) throws Exception {
    Path file = Files.createSymbolicLink(directory.resolve("tokenizer.json"), Path.of("/dev/zero"));
    assertThatThrownBy(() -> BpeTokenizer.load(file))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("larger than 64 MiB");
  }
}
