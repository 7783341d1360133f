package dev.colloquy.model.local.internal.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenSamplerTest {

  private static float[] logits() {
    return new float[] {1f, 3f, 2f, 0.5f, 2.9f};
  }

  @Test
  void greedyPicksTheLargestLogit() {
    assertThat(new TokenSampler(new SamplingSettings(0, 0, 1, 1, 7), 5).next(logits()))
        .isEqualTo(1);
  }

  @Test
  void theSameSeedGivesTheSameSamples() {
    SamplingSettings settings = new SamplingSettings(1.0, 0, 1.0, 1, 1234);
    TokenSampler first = new TokenSampler(settings, 5);
    TokenSampler second = new TokenSampler(settings, 5);
    for (int i = 0; i < 50; i++) {
      assertThat(first.next(logits())).isEqualTo(second.next(logits()));
    }
  }

  @Test
  void topKKeepsOnlyTheKMostLikelyTokens() {
    TokenSampler sampler = new TokenSampler(new SamplingSettings(2.0, 2, 1.0, 1, 5), 5);
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      seen.add(sampler.next(logits()));
    }
    assertThat(seen).containsExactlyInAnyOrder(1, 4);
  }

  @Test
  void topPKeepsTheSmallestSetReachingTheMass() {
    TokenSampler sampler = new TokenSampler(new SamplingSettings(1.0, 0, 0.3, 1, 5), 5);
    for (int i = 0; i < 100; i++) {
      assertThat(sampler.next(logits())).isEqualTo(1);
    }
  }

  @Test
  void repetitionPenaltyTurnsGreedyAwayFromASeenToken() {
    TokenSampler sampler = new TokenSampler(new SamplingSettings(0, 0, 1, 2.0, 1), 5);
    sampler.observe(1);
    assertThat(sampler.next(logits())).isEqualTo(4);
  }

  @Test
  void idsThatOnlyPadTheEmbeddingAreNeverChosenEvenWhenTheirLogitsAreHighest() {
    for (long seed = 0; seed < 200; seed++) {
      float[] logits = {0.1f, 0.3f, 0.2f, 9f, 8f}; // ids 3 and 4 pad the embedding
      assertThat(new TokenSampler(new SamplingSettings(1.5, 0, 1.0, 1, seed), 5, 3).next(logits))
          .isLessThan(3);
    }
    assertThat(
            new TokenSampler(new SamplingSettings(0, 0, 1, 1, 7), 5, 3)
                .next(new float[] {0.1f, 0.3f, 0.2f, 9f, 8f}))
        .isEqualTo(1);
  }
}
