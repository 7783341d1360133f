package dev.colloquy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NoiseTest {

  @Test
  void keepsTheOrderNumberPlaceholderWholeAndOnce() {
    SplittableRandom random = new SplittableRandom(1);
    for (Language language : Language.values()) {
      List<String> asks = Phrases.asks(language, Intent.ORDER_STATUS);
      for (String ask : asks) {
        for (int i = 0; i < 200; i++) {
          String noisy = Noise.apply(random, language, Intent.ORDER_STATUS, ask, asks);
          assertThat(noisy.split("\\{id}", -1)).as(noisy).hasSize(2);
        }
      }
    }
  }

  @Test
  void roughensOftenButNeverTurnsATrainingPhrasingIntoAHeldOutOne() {
    SplittableRandom random = new SplittableRandom(2);
    int changed = 0;
    int total = 0;
    for (Language language : Language.values()) {
      for (Intent intent : Intent.values()) {
        List<String> asks = Phrases.asks(language, intent);
        Set<String> heldOut = new HashSet<>();
        for (int i = 4; i < asks.size(); i += 5) {
          heldOut.add(Noise.normal(asks.get(i)));
        }
        for (int i = 0; i < asks.size(); i++) {
          if (i % 5 == 4) {
            continue;
          }
          for (int n = 0; n < 50; n++) {
            String noisy = Noise.apply(random, language, intent, asks.get(i), asks);
            assertThat(heldOut)
                .as("%s %s: %s", language, intent, noisy)
                .doesNotContain(Noise.normal(noisy));
            changed += noisy.equals(asks.get(i)) ? 0 : 1;
            total++;
          }
        }
      }
    }
    assertThat((double) changed / total).isBetween(0.3, 0.8);
  }
}
