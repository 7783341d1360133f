package dev.colloquy.model.local.internal.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTrainerTest {

  @TempDir Path directory;

  private static List<String> corpus() {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      texts.add(
          "User: Where is my order "
              + (10000 + i * 37)
              + "?\nAssistant: Order shipped on 2026-03-0"
              + (i % 9)
              + ".");
      texts.add("User: 我的订单" + (20000 + i) + "到哪了？\nAssistant: 订单已发货，预计送达。");
    }
    return texts;
  }

  @Test
  void theTrainedTokenizerRoundTripsEnglishAndChineseThroughTheNormalLoader() throws Exception {
    Path file = directory.resolve("tokenizer.json");
    Files.writeString(file, BpeTrainer.train(corpus(), 400));

    try (BpeTokenizer tokenizer = BpeTokenizer.load(file)) {
      for (String text :
          List.of("Where is my order 10234?", "我的订单10234到哪了？", "unseen words: zebra ☃ 😀")) {
        int[] ids = tokenizer.encode(text);
        assertThat(tokenizer.decode(ids)).isEqualTo(text);
      }
      assertThat(tokenizer.size()).isLessThanOrEqualTo(400);
      assertThat(tokenizer.encode(" order").length).isEqualTo(1);
      assertThat(tokenizer.encode("订单").length).isEqualTo(1);
    }
  }

  @Test
  void keepsEveryDigitItsOwnToken() throws Exception {
    Path file = directory.resolve("tokenizer.json");
    Files.writeString(file, BpeTrainer.train(corpus(), 400));

    try (BpeTokenizer tokenizer = BpeTokenizer.load(file)) {
      assertThat(tokenizer.encode("10234")).hasSize(5);
      assertThat(tokenizer.encode(" 10234")).hasSize(6);
    }
  }

  @Test
  void theSameCorpusGivesTheSameTokenizer() {
    assertThat(BpeTrainer.train(corpus(), 350)).isEqualTo(BpeTrainer.train(corpus(), 350));
  }
}
