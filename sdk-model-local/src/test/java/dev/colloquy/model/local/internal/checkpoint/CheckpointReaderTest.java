package dev.colloquy.model.local.internal.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colloquy.model.local.ModelLoadException;
import dev.colloquy.model.local.fixture.RandomGpt2Checkpoint;
import dev.colloquy.model.local.internal.decoder.WeightTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointReaderTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path directory;

  @Test
  void loadsTensorNamesWithAndWithoutTheTransformerPrefixAlike() {
    GptWeights plain =
        CheckpointReader.read(RandomGpt2Checkpoint.tiny().writeTo(directory.resolve("plain")));
    GptWeights prefixed =
        CheckpointReader.read(
            RandomGpt2Checkpoint.tiny().withPrefix(true).writeTo(directory.resolve("prefixed")));
    assertThat(prefixed.layers().get(1).mlpOutWeight())
        .containsExactly(plain.layers().get(1).mlpOutWeight());
    assertThat(plain.lmHead()).isSameAs(plain.tokenEmbedding());
    assertThat(plain.config().layerCount()).isEqualTo(2);
  }

  @Test
  void widensBf16CheckpointsToTheSameValuesRoundedToBf16() {
    GptWeights f32 =
        CheckpointReader.read(RandomGpt2Checkpoint.tiny().writeTo(directory.resolve("f32")));
    GptWeights bf16 =
        CheckpointReader.read(
            RandomGpt2Checkpoint.tiny().withDtype("BF16").writeTo(directory.resolve("bf16")));
    float original = f32.positionEmbedding()[5];
    float truncated = Float.intBitsToFloat(Float.floatToIntBits(original) & 0xffff0000);
    assertThat(bf16.positionEmbedding()[5]).isEqualTo(truncated);
  }

  @Test
  void refusesPickleCheckpointsWithAConversionHint() throws IOException {
    Files.write(directory.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2});
    assertThatThrownBy(() -> CheckpointReader.read(directory))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("pytorch_model.bin")
        .hasMessageContaining("safe_serialization=True");
  }

  @Test
  void rejectsAConfigThatDoesNotFitTheWeightsNamingTheTensor() throws IOException {
    Path model = RandomGpt2Checkpoint.tiny().writeTo(directory.resolve("m"));
    Files.writeString(
        model.resolve("config.json"), RandomGpt2Checkpoint.tiny().withPositions(128).configJson());
    assertThatThrownBy(() -> CheckpointReader.read(model))
        .hasMessageContaining(
            "tensor 'wpe.weight' of shape [64, 32] but config.json implies [128, 32]");
  }

  @Test
  void rejectsACheckpointWithMissingLayersNamingTheTensor() throws IOException {
    Path model = RandomGpt2Checkpoint.tiny().writeTo(directory.resolve("m"));
    Files.writeString(
        model.resolve("config.json"),
        RandomGpt2Checkpoint.tiny().configJson().replace("\"n_layer\": 2", "\"n_layer\": 3"));
    assertThatThrownBy(() -> CheckpointReader.read(model))
        .hasMessageContaining("has no tensor 'h.2.ln_1.weight'");
  }

  @Test
  void rejectsAConfigWithoutTheWidth() throws IOException {
    Path model = RandomGpt2Checkpoint.tiny().writeTo(directory.resolve("m"));
    Files.writeString(model.resolve("config.json"), "{\"model_type\": \"gpt2\"}");
    assertThatThrownBy(() -> CheckpointReader.read(model)).hasMessageContaining("needs 'n_embd'");
  }

  @Test
  void stopsReadingAnEndlessConfigFileAtItsCap() throws IOException {
    Path model = RandomGpt2Checkpoint.tiny().writeTo(directory.resolve("m"));
    Files.delete(model.resolve("config.json"));
    Files.createSymbolicLink(model.resolve("config.json"), Path.of("/dev/zero"));
    assertThatThrownBy(() -> CheckpointReader.read(model))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(model.resolve("config.json").toString())
        .hasMessageContaining("larger than 1 MiB");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "h.2147483648.ln_1.weight",
        "h.99999999999999999999.ln_1.weight",
        "h.2.ln_1.weight"
      })
  void aLayerIndexBeyondTheConfigIsAnUnknownTensorNotANumberFormatException(String name) {
    Path model = RandomGpt2Checkpoint.tiny().writeTo(directory.resolve("m"));
    RandomGpt2Checkpoint.tiny()
        .weights()
        .add(name, new float[32], 32)
        .write(model.resolve("model.safetensors"));
    assertThatThrownBy(() -> CheckpointReader.read(model))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(
            "has tensor '" + name + "', which is not part of a GPT-2 checkpoint with 2 layers");
  }

  private Path tinyWithConfig(String field, String rawJsonValue) throws IOException {
    Path model = RandomGpt2Checkpoint.tiny().writeTo(directory.resolve("m"));
    ObjectNode config = (ObjectNode) JSON.readTree(RandomGpt2Checkpoint.tiny().configJson());
    config.set(field, JSON.readTree(rawJsonValue));
    Files.writeString(
        model.resolve("config.json"),
        config.toString().replace("\"NaN\"", "NaN").replace("\"Infinity\"", "Infinity"));
    return model;
  }

  @ParameterizedTest
  @CsvSource({
    "n_inner, 4294967808",
    "eos_token_id, 4295017552",
    "eos_token_id, -1",
    "n_embd, 18446744073709551648",
    "n_head, 0",
    "vocab_size, 2147483648",
    "n_positions, 1.5"
  })
  void configIntegersOutOfRangeAreErrorsNamingTheFieldNotWraps(String field, String value)
      throws IOException {
    Path model = tinyWithConfig(field, value);
    assertThatThrownBy(() -> CheckpointReader.read(model))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(model.resolve("config.json").toString())
        .hasMessageContaining("needs '" + field + "' as an integer")
        .hasMessageContaining("found " + value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1e-05", "1e-50", "NaN", "Infinity", "\"1e-05\"", "true"})
  void aLayerNormEpsilonThatIsNotPositiveAndFiniteIsRefusedNamingTheField(String value)
      throws IOException {
    Path model =
        tinyWithConfig(
            "layer_norm_epsilon",
            value.equals("NaN") || value.equals("Infinity") ? "\"" + value + "\"" : value);
    assertThatThrownBy(() -> CheckpointReader.read(model))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(model.resolve("config.json").toString())
        .hasMessageContaining("needs 'layer_norm_epsilon' as a positive finite number");
  }

  @ParameterizedTest
  @CsvSource({
    "h.1.mlp.c_fc.weight, 130, NaN, '[1, 2]'",
    "ln_f.bias, 7, Infinity, '[7]'",
    "wte.weight, 32, -Infinity, '[1, 0]'"
  })
  void nonFiniteWeightsAreRefusedNamingTheTensorAndPosition(
      String tensor, int element, float value, String position) throws IOException {
    Path model = RandomGpt2Checkpoint.tiny().writeTo(directory.resolve("m"));
    overwriteF32(model.resolve("model.safetensors"), tensor, element, value);
    assertThatThrownBy(() -> CheckpointReader.read(model))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("tensor '" + tensor + "' with " + value + " at " + position);
    GptConfig config = GptConfig.read(model.resolve("config.json"));
    assertThatThrownBy(
            () -> CheckpointReader.readPacked(model.resolve("model.safetensors"), config))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("tensor '" + tensor + "' with " + value + " at " + position);
  }

  @ParameterizedTest
  @CsvSource({
    "F16, h.1.mlp.c_fc.weight, 33, 31744, Infinity, '[0, 33]'",
    "BF16, h.0.attn.c_attn.weight, 100, 32704, NaN, '[1, 4]'",
    "F16, wte.weight, 32, 64512, -Infinity, '[1, 0]'"
  })
  void nonFiniteSixteenBitWeightsAreRefusedWhenKeptSixteenBit(
      String dtype, String tensor, int element, int bits, String value, String position)
      throws IOException {
    Path model =
        RandomGpt2Checkpoint.tiny().withDtype(dtype).writeTo(directory.resolve("m" + dtype));
    overwriteHalf(model.resolve("model.safetensors"), tensor, element, (short) bits);
    GptConfig config = GptConfig.read(model.resolve("config.json"));
    assertThatThrownBy(
            () -> CheckpointReader.readPacked(model.resolve("model.safetensors"), config))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("tensor '" + tensor + "' with " + value + " at " + position);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void readingPackedGivesWhatPackingTheReadWeightsGives(boolean untiedHead) {
    RandomGpt2Checkpoint shape = RandomGpt2Checkpoint.tiny().withPrefix(untiedHead);
    Path model = shape.writeTo(directory.resolve("m"));
    if (untiedHead) {
      float[] head = new float[RandomGpt2Checkpoint.VOCABULARY * 32];
      for (int i = 0; i < head.length; i++) {
        head[i] = (i % 97) / 97f;
      }
      shape
          .weights()
          .add("lm_head.weight", head, RandomGpt2Checkpoint.VOCABULARY, 32)
          .write(model.resolve("model.safetensors"));
    }
    GptConfig config = GptConfig.read(model.resolve("config.json"));
    PackedGptWeights expected = PackedGptWeights.of(CheckpointReader.read(model));
    PackedGptWeights packed =
        CheckpointReader.readPacked(model.resolve("model.safetensors"), config);
    assertSame(panels(packed.lmHead()), panels(expected.lmHead()));
    assertSame(
        packed.untiedTokenEmbedding().toFloats(), expected.untiedTokenEmbedding().toFloats());
    assertThat(packed.untiedTokenEmbedding().size())
        .isEqualTo(untiedHead ? RandomGpt2Checkpoint.VOCABULARY * 32 : 0);
    assertSame(packed.positionEmbedding(), expected.positionEmbedding());
    for (int l = 0; l < config.layerCount(); l++) {
      PackedGptWeights.Layer actual = packed.layers().get(l);
      PackedGptWeights.Layer wanted = expected.layers().get(l);
      assertSame(panels(actual.qkv()), panels(wanted.qkv()));
      assertSame(actual.qkvBias(), wanted.qkvBias());
      assertSame(panels(actual.attentionOut()), panels(wanted.attentionOut()));
      assertSame(panels(actual.mlpIn()), panels(wanted.mlpIn()));
      assertSame(panels(actual.mlpOut()), panels(wanted.mlpOut()));
      assertSame(actual.norm2Bias(), wanted.norm2Bias());
    }
  }

  /** The panels of an F32 matrix as the reader packs it. */
  private static float[] panels(WeightTensor matrix) {
    return ((WeightTensor.PackedF32) matrix).transposed().data();
  }

  /** Equal floats; the first index that differs if not (AssertJ's diff of a million is slow). */
  private static void assertSame(float[] actual, float[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    assertThat(Arrays.mismatch(actual, expected)).as("first index that differs").isEqualTo(-1);
  }

  @Test
  void theQkvColumnsArePackedInHeadOrder() {
    GptWeights weights =
        CheckpointReader.read(RandomGpt2Checkpoint.tiny().writeTo(directory.resolve("m")));
    PackedGptWeights packed = PackedGptWeights.of(weights);
    // 4 heads of 8 columns in a width of 32: head 2's k is column 32 + 16 + 3 of the checkpoint.
    int column = (3 * 2 + 1) * 8 + 3;
    float[] qkv = weights.layers().get(0).qkvWeight(); // [32, 96]
    // The projection [out, in]: output column, input 5.
    assertThat(packed.layers().get(0).qkv().get(column * 32 + 5))
        .isEqualTo(qkv[5 * 96 + 32 + 16 + 3]);
    assertThat(packed.layers().get(0).qkvBias()[column])
        .isEqualTo(weights.layers().get(0).qkvBias()[32 + 16 + 3]);
  }

  /** Overwrites one element of an F16 or BF16 tensor in place. */
  private static void overwriteHalf(Path safetensors, String tensor, int element, short bits)
      throws IOException {
    overwrite(
        safetensors,
        tensor,
        2L * element,
        ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(bits).flip());
  }

  /** Overwrites one element of an F32 tensor in place. */
  static void overwriteF32(Path safetensors, String tensor, int element, float value)
      throws IOException {
    overwrite(
        safetensors,
        tensor,
        4L * element,
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).flip());
  }

  /** Writes bytes at an offset into a tensor's data. */
  private static void overwrite(Path safetensors, String tensor, long offset, ByteBuffer bytes)
      throws IOException {
    long begin;
    try (SafetensorsFile file = SafetensorsFile.open(safetensors)) {
      begin = file.tensor(tensor).orElseThrow().begin();
    }
    try (FileChannel channel =
        FileChannel.open(safetensors, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      channel.read(length, 0);
      long dataStart = 8 + length.flip().getLong();
      channel.write(bytes, dataStart + begin + offset);
    }
  }

  private Path tinyWithTensors(boolean prefixed, UnaryOperator<String> rename) {
    RandomGpt2Checkpoint shape = RandomGpt2Checkpoint.tiny().withPrefix(prefixed);
    Path model = shape.writeTo(directory.resolve("m"));
    shape.weights(rename).write(model.resolve("model.safetensors"));
    return model;
  }

  @Test
  void aCheckpointWithoutTheTokenEmbeddingIsReportedMissingItNotAsHavingAnUnknownWpe() {
    Path model = tinyWithTensors(true, name -> name.equals("transformer.wte.weight") ? null : name);
    assertThatThrownBy(() -> CheckpointReader.read(model))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(
            "has no tensor 'transformer.wte.weight', which a GPT-2 checkpoint with 2 layers needs");
  }

  @Test
  void missingTensorsAreReportedBeforeUnknownOnes() {
    Path model =
        tinyWithTensors(
            false,
            name ->
                name.startsWith("h.1.") ? null : name.equals("ln_f.bias") ? "score.weight" : name);
    assertThatThrownBy(() -> CheckpointReader.read(model))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(
            "has no tensor 'h.1.ln_1.weight' (nor 'h.1.ln_1.bias', 'h.1.attn.c_attn.weight', "
                + "'h.1.attn.c_attn.bias', 'h.1.attn.c_proj.weight', …)");
  }

  @ParameterizedTest
  @CsvSource({
    "false, wpe.weight, transformer.wpe.weight",
    "true, transformer.wte.weight, wte.weight"
  })
  void aFileMixingNamesWithAndWithoutTheTransformerPrefixIsRefused(
      boolean prefixed, String from, String to) {
    Path model = tinyWithTensors(prefixed, name -> name.equals(from) ? to : name);
    assertThatThrownBy(() -> CheckpointReader.read(model))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("mixes tensor names with and without the 'transformer.' prefix");
  }

  @Test
  void aPrefixedCheckpointMayKeepItsLmHeadUnprefixed() {
    RandomGpt2Checkpoint shape = RandomGpt2Checkpoint.tiny().withPrefix(true);
    Path model = shape.writeTo(directory.resolve("m"));
    shape
        .weights()
        .add(
            "lm_head.weight",
            new float[RandomGpt2Checkpoint.VOCABULARY * 32],
            RandomGpt2Checkpoint.VOCABULARY,
            32)
        .write(model.resolve("model.safetensors"));
    GptWeights weights = CheckpointReader.read(model);
    assertThat(weights.lmHead()).isNotSameAs(weights.tokenEmbedding()).containsOnly(0f);
  }
}
