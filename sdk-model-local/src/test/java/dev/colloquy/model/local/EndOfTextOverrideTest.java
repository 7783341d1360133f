package dev.colloquy.model.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.model.local.fixture.RandomDecoderCheckpoint;
import dev.colloquy.model.local.internal.decoder.DecoderConfig;
import dev.colloquy.model.local.internal.decoder.SafetensorsDecoderReader;
import dev.colloquy.model.local.internal.runtime.GptRuntime;
import dev.colloquy.model.local.internal.runtime.GptSequence;
import dev.colloquy.model.local.internal.runtime.JavaDecoderRuntime;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime a decoder-family model is loaded with (its end-of-text ids widened by
 * generation_config.json) hands a step to the engine's own batched {@code appendAll}.
 */
class EndOfTextOverrideTest {

  @TempDir Path directory;

  private JavaDecoderRuntime engine(String name) {
    Path written = RandomDecoderCheckpoint.tiny("llama").writeTo(directory.resolve(name));
    return new JavaDecoderRuntime(
        SafetensorsDecoderReader.read(written, DecoderConfig.read(written.resolve("config.json"))),
        2);
  }

  @Test
  void appendAllReachesTheEnginesBatchedStep() {
    try (GptRuntime loaded =
            new DecoderModelLoader.EndOfTextOverride(engine("loaded"), List.of(2, 5));
        GptRuntime other = engine("other")) {
      GptSequence first = loaded.newSequence(8);
      GptSequence second = loaded.newSequence(8);
      float[][] logits =
          loaded.appendAll(List.of(first, second), List.of(new int[] {1, 2, 3}, new int[] {4}));
      try (GptSequence alone = other.newSequence(8)) {
        assertThat(logits[0]).containsExactly(alone.append(new int[] {1, 2, 3}));
      }
      // The engine's own check, which running the sequences one after another would not make.
      GptSequence foreign = other.newSequence(8);
      assertThatThrownBy(
              () ->
                  loaded.appendAll(List.of(first, foreign), List.of(new int[] {1}, new int[] {1})))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not created by this runtime");
      assertThat(foreign.length()).isZero();
      assertThat(first.length()).isEqualTo(3);
    }
  }
}
