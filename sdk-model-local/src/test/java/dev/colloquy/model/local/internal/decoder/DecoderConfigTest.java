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
                        "llama",
                        "\"rope_scaling\": null",
                        "\"rope_scaling\": {\"type\": \"ntk\", \"factor\": 2.0}")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(
            "rope_scaling type 'ntk'; supported: default, linear, dynamic, yarn, llama3, longrope");
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

  private static DecoderConfig read(RandomDecoderCheckpoint checkpoint, Path directory)
      throws IOException {
    return DecoderConfig.read(
        Files.writeString(directory.resolve("config.json"), checkpoint.configJson()));
  }

  @Test
  void qwensSlidingWindowCoversTheLayersFromMaxWindowLayersOn() throws IOException {
    RandomDecoderCheckpoint qwen = RandomDecoderCheckpoint.tiny("qwen2");
    DecoderConfig off = read(qwen.with("max_window_layers", "1"), directory);
    assertThat(off.slidingWindow(0)).isZero();
    assertThat(off.slidingWindow(1)).isZero();
    RandomDecoderCheckpoint on =
        qwen.with("use_sliding_window", "true").with("sliding_window", "4");
    DecoderConfig second = read(on.with("max_window_layers", "1"), directory);
    assertThat(second.windowedLayers()).containsExactly(false, true);
    assertThat(second.slidingWindow(0)).isZero();
    assertThat(second.slidingWindow(1)).isEqualTo(4);
    // Qwen2Config's default of 28 leaves both layers of the tiny model unwindowed.
    assertThat(read(on, directory).windowedLayers()).containsExactly(false, false);
    DecoderConfig listed =
        read(on.with("layer_types", "[\"sliding_attention\", \"full_attention\"]"), directory);
    assertThat(listed.slidingWindow(0)).isEqualTo(4);
    assertThat(listed.slidingWindow(1)).isZero();
    assertThatThrownBy(() -> read(on.with("layer_types", "[\"full_attention\"]"), directory))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("layer_types names 1 layers but num_hidden_layers is 2");
  }

  @Test
  void mlpBiasIsReadForLlamaAndIgnoredWhereTheFamilyHasNone() throws IOException {
    assertThat(
            read(RandomDecoderCheckpoint.tiny("llama").with("mlp_bias", "true"), directory)
                .feedForwardBias())
        .isTrue();
    assertThat(
            read(RandomDecoderCheckpoint.tiny("qwen2").with("mlp_bias", "true"), directory)
                .feedForwardBias())
        .isFalse();
    DecoderConfig biased =
        read(RandomDecoderCheckpoint.tiny("llama").with("attention_bias", "true"), directory);
    assertThat(biased.queryKeyValueBias()).isTrue();
    assertThat(biased.outputBias()).isTrue();
    assertThatThrownBy(
            () ->
                read(RandomDecoderCheckpoint.tiny("llama").with("mlp_bias", "\"yes\""), directory))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("'mlp_bias' as true or false");
  }

  @Test
  void readsPhi3LongropeWithTheFactorAndAttentionFactorTransformersDerive() throws IOException {
    RandomDecoderCheckpoint phi =
        RandomDecoderCheckpoint.tiny("phi3")
            .with("partial_rotary_factor", "0.5")
            .with("original_max_position_embeddings", "16")
            .withRopeScaling(
                "{\"type\": \"su\", \"short_factor\": [1.0, 1.5], \"long_factor\": [2, 6.5],"
                    + " \"factor\": 100.0}");
    RopeScaling scaling = read(phi, directory).ropeScaling();
    assertThat(scaling.type()).isEqualTo(RopeScaling.Type.LONGROPE);
    assertThat(scaling.originalContextLength()).isEqualTo(16);
    // max_position_embeddings / original = 64 / 16 replaces rope_scaling.factor.
    assertThat(scaling.factor()).isEqualTo(4);
    assertThat(scaling.attentionFactor()).isEqualTo(Math.sqrt(1 + Math.log(4) / Math.log(16)));
    assertThat(scaling.shortFactor()).containsExactly(1f, 1.5f);
    assertThat(scaling.longFactor()).containsExactly(2f, 6.5f);
    // Phi3Config's default original context is 4096: a factor below 1, an attention factor of 1.
    RopeScaling defaulted =
        read(phi.with("original_max_position_embeddings", "null"), directory).ropeScaling();
    assertThat(defaulted.originalContextLength()).isEqualTo(4096);
    assertThat(defaulted.attentionFactor()).isEqualTo(1);
    RopeScaling given =
        read(
                phi.withRopeScaling(
                    "{\"type\": \"longrope\", \"short_factor\": [1, 1], \"long_factor\": [1, 1],"
                        + " \"attention_factor\": 1.25}"),
                directory)
            .ropeScaling();
    assertThat(given.attentionFactor()).isEqualTo(1.25);
    assertThatThrownBy(
            () ->
                read(
                    phi.withRopeScaling(
                        "{\"type\": \"longrope\", \"short_factor\": [1, 1, 1],"
                            + " \"long_factor\": [1, 1, 1]}"),
                    directory))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("one number per rotary dimension pair, 2, but have 3");
    assertThatThrownBy(
            () ->
                read(
                    phi.withRopeScaling(
                        "{\"type\": \"longrope\", \"short_factor\": [1, 0],"
                            + " \"long_factor\": [1, 1]}"),
                    directory))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("short_factor[1] must be a positive finite number");
  }

  @Test
  void yarnKeepsItsFactorAndDerivesTheAttentionFactorFromTheMscales() throws IOException {
    RandomDecoderCheckpoint llama = RandomDecoderCheckpoint.tiny("llama");
    RopeScaling scaling =
        read(
                llama.withRopeScaling(
                    "{\"rope_type\": \"yarn\", \"factor\": 4.0,"
                        + " \"original_max_position_embeddings\": 32, \"mscale\": 0.707,"
                        + " \"mscale_all_dim\": 1.0}"),
                directory)
            .ropeScaling();
    // Not max_position_embeddings / original = 2: transformers 4.56+ and 5 keep the set factor.
    assertThat(scaling.factor()).isEqualTo(4);
    assertThat(scaling.originalContextLength()).isEqualTo(32);
    assertThat(scaling.attentionFactor())
        .isEqualTo((0.1 * 0.707 * Math.log(4) + 1) / (0.1 * Math.log(4) + 1));
    RopeScaling oneMscale =
        read(
                llama.withRopeScaling(
                    "{\"rope_type\": \"yarn\", \"factor\": 4.0, \"mscale\": 0.707}"),
                directory)
            .ropeScaling();
    assertThat(oneMscale.attentionFactor()).isEqualTo(0.1 * Math.log(4) + 1);
    assertThat(oneMscale.originalContextLength()).isEqualTo(64);
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

  @Test
  void longropeFrequenciesDivideByTheShortOrLongFactorsBySequenceLength() {
    RopeScaling longrope =
        new RopeScaling(
            RopeScaling.Type.LONGROPE,
            4,
            16,
            0,
            0,
            0,
            0,
            1.2,
            true,
            java.util.List.of(1f, 2f, 4f, 5f),
            java.util.List.of(10f, 20f, 40f, 50f));
    DecoderConfig config =
        new DecoderConfig(
            DecoderFamily.PHI3,
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
            longrope,
            0,
            false,
            false,
            false,
            true,
            java.util.OptionalInt.empty(),
            java.util.List.of(),
            DecoderConfig.Activation.SILU);
    // 1 / (factor[i] * 10000^(2i/8)) = 1 / (factor[i] * 10^i).
    assertThat(RopeFrequencies.inverseFrequencies(config, 16))
        .containsExactly(1f, 0.05f, 0.0025f, 0.0002f);
    assertThat(RopeFrequencies.inverseFrequencies(config, 17))
        .containsExactly(0.1f, 0.005f, 0.00025f, 0.00002f);
    assertThat(RopeFrequencies.attentionFactor(config)).isEqualTo(1.2f);
  }
}
