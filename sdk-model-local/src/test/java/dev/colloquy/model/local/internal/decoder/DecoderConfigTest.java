package dev.colloquy.model.local.internal.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.model.local.ModelLoadException;
import dev.colloquy.model.local.fixture.RandomDecoderCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecoderConfigTest {

  @TempDir Path directory;

  private Path config(String json) throws IOException {
    return Files.writeString(directory.resolve("config.json"), json);
  }

  private Path edited(String family, String from, String to) throws IOException {
    String json = RandomDecoderCheckpoint.tiny(family).configJson();
    assertThat(json).contains(from);
    return config(json.replace(from, to));
  }

  @ParameterizedTest
  @ValueSource(strings = {"llama", "mistral", "qwen2", "qwen3", "phi3"})
  void readsEachFamilysConfigWithItsParts(String family) throws IOException {
    DecoderConfig config =
        DecoderConfig.read(config(RandomDecoderCheckpoint.tiny(family).configJson()));
    assertThat(config.family().modelType()).isEqualTo(family);
    assertThat(config.headCount()).isEqualTo(4);
    assertThat(config.keyValueHeadCount()).isEqualTo(2);
    assertThat(config.groupSize()).isEqualTo(2);
    assertThat(config.headWidth()).isEqualTo(family.matches("llama|qwen3") ? 16 : 8);
    assertThat(config.queryKeyValueBias()).isEqualTo(family.equals("qwen2"));
    assertThat(config.queryKeyNorm()).isEqualTo(family.equals("qwen3"));
    assertThat(config.endOfTextIds()).containsExactly(2, 3);
    assertThat(config.beginOfTextId()).hasValue(1);
    assertThat(config.ropeScaling()).isEqualTo(RopeScaling.NONE);
    assertThat(config.slidingWindow()).isZero();
    assertThat(config.normEpsilon()).isEqualTo(family.equals("phi3") ? 1e-5f : 1e-6f);
  }

  @Test
  void decidesTheFamilyByArchitecturesWhenModelTypeIsAbsent() throws IOException {
    DecoderConfig config = DecoderConfig.read(edited("qwen2", "\"model_type\": \"qwen2\", ", ""));
    assertThat(config.family()).isEqualTo(DecoderFamily.QWEN2);
  }

  @Test
  void anUnknownFamilyListsTheSupportedOnesAndGpt2sPath() throws IOException {
    assertThatThrownBy(() -> DecoderConfig.read(edited("llama", "\"llama\"", "\"gemma2\"")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("model_type 'gemma2'")
        .hasMessageContaining(
            "llama (LlamaForCausalLM), mistral (MistralForCausalLM), qwen2 (Qwen2ForCausalLM),"
                + " qwen3 (Qwen3ForCausalLM), phi3 (Phi3ForCausalLM)")
        .hasMessageContaining("gpt2 (GPT2LMHeadModel) on the GPT-2 path");
  }

  @Test
  void integersOutOfIntRangeAreErrorsNamingTheField() throws IOException {
    assertThatThrownBy(
            () ->
                DecoderConfig.read(
                    edited("llama", "\"hidden_size\": 32", "\"hidden_size\": 4294967328")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("'hidden_size' as an integer from 1 to 2147483647, found 4294967328");
  }

  @Test
  void keyValueHeadsThatDoNotDivideTheHeadsAreNamed() throws IOException {
    assertThatThrownBy(
            () ->
                DecoderConfig.read(
                    edited("mistral", "\"num_key_value_heads\": 2", "\"num_key_value_heads\": 3")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("num_attention_heads 4 is not a multiple of num_key_value_heads 3");
  }

  @Test
  void aZeroOrNonFiniteEpsilonIsNamed() throws IOException {
    assertThatThrownBy(
            () ->
                DecoderConfig.read(
                    edited("qwen3", "\"rms_norm_eps\": 1.0E-6", "\"rms_norm_eps\": NaN")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("'rms_norm_eps' as a finite number, found")
        .hasMessageContaining("NaN");
    assertThatThrownBy(
            () ->
                DecoderConfig.read(
                    edited("qwen3", "\"rms_norm_eps\": 1.0E-6", "\"rms_norm_eps\": 1e-50")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("rms_norm_eps")
        .hasMessageContaining("0 as a float");
  }

  @Test
  void aMissingSizeIsNamed() throws IOException {
    assertThatThrownBy(() -> DecoderConfig.read(edited("phi3", "\"intermediate_size\": 48, ", "")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("'intermediate_size' as an integer from 1")
        .hasMessageContaining("found nothing");
  }

  @Test
  void readsLlama3AndYarnScalingAndRefusesUnknownTypes() throws IOException {
    DecoderConfig llama3 =
        DecoderConfig.read(
            edited(
                "llama",
                "\"rope_scaling\": null",
                "\"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8.0,"
                    + " \"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0,"
                    + " \"original_max_position_embeddings\": 8192}"));
    assertThat(llama3.ropeScaling())
        .isEqualTo(new RopeScaling(RopeScaling.Type.LLAMA3, 8, 8192, 1, 4, 0, 0, 1, true));
    DecoderConfig yarn =
        DecoderConfig.read(
            edited(
                "qwen3",
                "\"rope_scaling\": null",
                "\"rope_scaling\": {\"type\": \"yarn\", \"factor\": 4.0,"
                    + " \"original_max_position_embeddings\": 32768}"));
    assertThat(yarn.ropeScaling().attentionFactor()).isEqualTo(0.1 * Math.log(4) + 1);
    assertThat(yarn.ropeScaling().betaFast()).isEqualTo(32);
    assertThatThrownBy(
            () ->
                DecoderConfig.read(
                    edited(
                        "phi3",
                        "\"rope_scaling\": null",
                        "\"rope_scaling\": {\"type\": \"longrope\", \"short_factor\": [1]}")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(
            "rope_scaling type 'longrope'; supported: default, linear, dynamic, yarn, llama3");
    assertThatThrownBy(
            () ->
                DecoderConfig.read(
                    edited(
                        "llama",
                        "\"rope_scaling\": null",
                        "\"rope_scaling\": {\"type\": \"linear\"}")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("'rope_scaling.factor' as a number");
  }

  @Test
  void anEndOfTextIdOutsideTheVocabularyIsNamed() throws IOException {
    assertThatThrownBy(
            () ->
                DecoderConfig.read(
                    edited("llama", "\"eos_token_id\": [2, 3]", "\"eos_token_id\": [2, 96]")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("eos_token_id 96 is outside the vocabulary of 96");
  }

  @Test
  void qwensPerLayerSlidingWindowIsRefusedClearly() throws IOException {
    assertThatThrownBy(
            () ->
                DecoderConfig.read(
                    edited(
                        "qwen2", "\"use_sliding_window\": false", "\"use_sliding_window\": true")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("use_sliding_window");
  }

  @Test
  void ropeFrequenciesFollowTransformersFormulas() {
    DecoderConfig base =
        new DecoderConfig(
            DecoderFamily.LLAMA,
            1,
            8,
            1,
            1,
            8,
            8,
            4,
            64,
            1e-6f,
            10000,
            8,
            RopeScaling.NONE,
            0,
            false,
            false,
            false,
            true,
            java.util.OptionalInt.empty(),
            java.util.List.of(),
            DecoderConfig.Activation.SILU);
    assertThat(RopeFrequencies.inverseFrequencies(base, 64))
        .containsExactly(1f, 0.1f, 0.01f, 0.001f);
    DecoderConfig dynamic =
        new DecoderConfig(
            DecoderFamily.LLAMA,
            1,
            8,
            1,
            1,
            8,
            8,
            4,
            64,
            1e-6f,
            10000,
            8,
            new RopeScaling(RopeScaling.Type.DYNAMIC, 2, 0, 0, 0, 0, 0, 1, true),
            0,
            false,
            false,
            false,
            true,
            java.util.OptionalInt.empty(),
            java.util.List.of(),
            DecoderConfig.Activation.SILU);
    assertThat(RopeFrequencies.inverseFrequencies(dynamic, 64))
        .containsExactly(1f, 0.1f, 0.01f, 0.001f);
    // Past the context: base' = 10000 * (2 * 128 / 64 - 1)^(8 / 6) = 10000 * 3^(4/3).
    double grown = 10000 * Math.pow(3, 4.0 / 3);
    assertThat(RopeFrequencies.inverseFrequencies(dynamic, 128)[1])
        .isCloseTo((float) (1 / Math.pow(grown, 0.25)), org.assertj.core.data.Offset.offset(1e-7f));
  }
}
