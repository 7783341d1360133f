package dev.colloquy.model.local.internal.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.colloquy.model.local.ModelLoadException;
import dev.colloquy.model.local.internal.checkpoint.HalfFloats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GgufFileTest {

  @TempDir Path directory;

  private static Map<String, GgufValue> everyValueType() {
    Map<String, GgufValue> values = new LinkedHashMap<>();
    values.put("u8", GgufValue.integer(GgufValueType.UINT8, 200));
    values.put("i8", GgufValue.integer(GgufValueType.INT8, -5));
    values.put("u16", GgufValue.integer(GgufValueType.UINT16, 60_000));
    values.put("i16", GgufValue.integer(GgufValueType.INT16, -300));
    values.put("u32", GgufValue.integer(GgufValueType.UINT32, 4_000_000_000L));
    values.put("i32", GgufValue.integer(GgufValueType.INT32, -7));
    values.put("u64", GgufValue.integer(GgufValueType.UINT64, -1L)); // 2^64 - 1
    values.put("i64", GgufValue.integer(GgufValueType.INT64, Long.MIN_VALUE));
    values.put("f32", new GgufValue(GgufValueType.FLOAT32, 1e-5f));
    values.put("f64", new GgufValue(GgufValueType.FLOAT64, Math.PI));
    values.put("bool", new GgufValue(GgufValueType.BOOL, true));
    values.put("string", GgufValue.string("héllo {{ messages }} ✓"));
    values.put("empty", GgufValue.string(""));
    values.put("tokens", GgufValue.array(GgufValue.Array.ofStrings(List.of("<s>", "Ġa", "é"))));
    values.put(
        "scores",
        GgufValue.array(new GgufValue.Array(GgufValueType.FLOAT32, new float[] {-1f, 2.5f})));
    values.put(
        "types", GgufValue.array(new GgufValue.Array(GgufValueType.INT32, new long[] {1, -3, 6})));
    values.put("u8s", GgufValue.array(new GgufValue.Array(GgufValueType.UINT8, new long[] {255})));
    values.put("i16s", GgufValue.array(new GgufValue.Array(GgufValueType.INT16, new long[] {-2})));
    values.put(
        "u64s", GgufValue.array(new GgufValue.Array(GgufValueType.UINT64, new long[] {-1L, 3})));
    values.put(
        "f64s", GgufValue.array(new GgufValue.Array(GgufValueType.FLOAT64, new double[] {0.5})));
    values.put(
        "bools",
        GgufValue.array(new GgufValue.Array(GgufValueType.BOOL, new boolean[] {true, false})));
    values.put(
        "nested",
        GgufValue.array(
            new GgufValue.Array(
                GgufValueType.ARRAY,
                new GgufValue.Array[] {
                  new GgufValue.Array(GgufValueType.UINT16, new long[] {1, 2}),
                  GgufValue.Array.ofStrings(List.of("x")),
                  new GgufValue.Array(GgufValueType.FLOAT32, new float[0])
                })));
    return values;
  }

  @Test
  void readsBackMetadataOfEveryValueType() {
    GgufWriter writer = new GgufWriter();
    everyValueType().forEach(writer::put);
    Path file = directory.resolve("metadata.gguf");
    writer.write(file);
    try (GgufFile gguf = GgufFile.open(file)) {
      assertThat(gguf.version()).isEqualTo(3);
      assertThat(gguf.metadata().asMap()).containsExactlyEntriesOf(everyValueType());
      assertThat(gguf.tensors()).isEmpty();
      assertThat(gguf.alignment()).isEqualTo(32);
      GgufMetadata metadata = gguf.metadata();
      assertThat(metadata.integer("u32")).hasValue(4_000_000_000L);
      assertThat(metadata.number("f32").orElseThrow()).isEqualTo(1e-5f);
      assertThat(metadata.number("i16").orElseThrow()).isEqualTo(-300);
      assertThat(metadata.strings("tokens")).hasValue(List.of("<s>", "Ġa", "é"));
      assertThat(metadata.floats("scores").orElseThrow()).containsExactly(-1f, 2.5f);
      assertThat(metadata.integers("types").orElseThrow()).containsExactly(1, -3, 6);
      assertThat(metadata.bool("bool")).hasValue(true);
      assertThat(metadata.string("absent")).isEmpty();
    }
  }

  @Test
  void namesTheKeyWhenAMetadataValueHasTheWrongType() {
    GgufWriter writer = new GgufWriter();
    everyValueType().forEach(writer::put);
    Path file = directory.resolve("metadata.gguf");
    writer.write(file);
    try (GgufFile gguf = GgufFile.open(file)) {
      assertThatThrownBy(() -> gguf.metadata().integer("string"))
          .isInstanceOf(ModelLoadException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("'string' is of type STRING, expected an integer");
      assertThatThrownBy(() -> gguf.metadata().integer("u64"))
          .hasMessageContaining("'u64' is 18446744073709551615, too large");
      assertThatThrownBy(() -> gguf.metadata().strings("scores"))
          .hasMessageContaining("'scores' is an array of FLOAT32, expected STRING");
    }
  }

  @Test
  void readsBackTensorsOfEveryTypeAlignedAsDeclared() {
    Random random = new Random(17);
    float[] values = new float[2 * 256];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    float[] halves = new float[64];
    for (int i = 0; i < halves.length; i++) {
      halves[i] = HalfFloats.toFloat(HalfFloats.fromFloat(values[i])); // exact in F16
    }
    byte[] q2k = randomBlocks(random, GgmlType.Q2_K, 1);
    byte[] q3k = randomBlocks(random, GgmlType.Q3_K, 1);
    byte[] q4k = randomBlocks(random, GgmlType.Q4_K, 2);
    byte[] q5k = randomBlocks(random, GgmlType.Q5_K, 2);
    byte[] q6k = randomBlocks(random, GgmlType.Q6_K, 1);
    Path file = directory.resolve("tensors.gguf");
    new GgufWriter()
        .putUint32("general.alignment", 64)
        .putString("general.architecture", "llama")
        .addTensor("f32", GgmlType.F32, Arrays.copyOf(values, 6), 3, 2)
        .addTensor("f16", GgmlType.F16, halves, 64)
        .addTensor("bf16", GgmlType.BF16, new float[] {1f, -2f, 0.15625f}, 3)
        .addTensor("q8_0", GgmlType.Q8_0, Arrays.copyOf(values, 64), 32, 2)
        .addTensor("q4_0", GgmlType.Q4_0, Arrays.copyOf(values, 32), 32)
        .addTensor("q4_1", GgmlType.Q4_1, Arrays.copyOf(values, 64), 64)
        .addTensor("q5_0", GgmlType.Q5_0, Arrays.copyOf(values, 96), 32, 3)
        .addTensor("q5_1", GgmlType.Q5_1, Arrays.copyOf(values, 32), 32)
        .addBlocks("q2_k", GgmlType.Q2_K, q2k, 256)
        .addBlocks("q3_k", GgmlType.Q3_K, q3k, 256)
        .addBlocks("q4_k", GgmlType.Q4_K, q4k, 256, 2)
        .addBlocks("q5_k", GgmlType.Q5_K, q5k, 512)
        .addBlocks("q6_k", GgmlType.Q6_K, q6k, 256, 1)
        .write(file);
    try (GgufFile gguf = GgufFile.open(file)) {
      assertThat(gguf.alignment()).isEqualTo(64);
      assertThat(gguf.dataStart() % 64).isZero();
      assertThat(gguf.tensors().keySet())
          .containsExactly(
              "f32", "f16", "bf16", "q8_0", "q4_0", "q4_1", "q5_0", "q5_1", "q2_k", "q3_k", "q4_k",
              "q5_k", "q6_k");
      gguf.tensors().values().forEach(info -> assertThat(info.offset() % 64).isZero());
      GgufTensorInfo f32 = gguf.tensor("f32").orElseThrow();
      assertThat(f32.dimensions()).containsExactly(3, 2);
      assertThat(f32.shape()).containsExactly(2, 3);
      assertThat(gguf.readFloats(f32)).containsExactly(Arrays.copyOf(values, 6));
      assertThat(gguf.readFloats(gguf.tensor("f16").orElseThrow())).containsExactly(halves);
      assertThat(gguf.readFloats(gguf.tensor("bf16").orElseThrow()))
          .containsExactly(1f, -2f, 0.15625f);
      float[] q80 = gguf.readFloats(gguf.tensor("q8_0").orElseThrow());
      for (int i = 0; i < 64; i++) {
        assertThat(q80[i]).isCloseTo(values[i], within(0.6f * 4.5f / 127)); // |x| < 4.5 here
      }
      assertThat(gguf.readFloats(gguf.tensor("q4_0").orElseThrow())).hasSize(32);
      for (String name : List.of("q4_1", "q5_0", "q5_1")) {
        GgufTensorInfo info = gguf.tensor(name).orElseThrow();
        assertThat(info.type().name()).isEqualToIgnoringCase(name);
        float[] read = gguf.readFloats(info);
        for (int i = 0; i < read.length; i++) {
          // |x| < 4.5: Q4_1's step is at most 9 / 15, Q5's 9 / 31 or 4.5 / 16; error <= a step.
          assertThat(read[i]).as("%s[%d]", name, i).isCloseTo(values[i], within(0.6f));
        }
      }
      assertThat(gguf.readFloats(gguf.tensor("q2_k").orElseThrow()))
          .containsExactly(dequantize(GgmlType.Q2_K, q2k));
      assertThat(gguf.readFloats(gguf.tensor("q3_k").orElseThrow()))
          .containsExactly(dequantize(GgmlType.Q3_K, q3k));
      assertThat(gguf.readFloats(gguf.tensor("q4_k").orElseThrow()))
          .containsExactly(dequantize(GgmlType.Q4_K, q4k));
      assertThat(gguf.readFloats(gguf.tensor("q5_k").orElseThrow()))
          .containsExactly(dequantize(GgmlType.Q5_K, q5k));
      assertThat(gguf.readFloats(gguf.tensor("q6_k").orElseThrow()))
          .containsExactly(dequantize(GgmlType.Q6_K, q6k));
      ByteBuffer raw = gguf.mapBytes(gguf.tensor("q6_k").orElseThrow());
      byte[] copy = new byte[raw.remaining()];
      raw.get(copy);
      assertThat(copy).containsExactly(q6k);
    }
  }

  private static byte[] randomBlocks(Random random, GgmlType type, int count) {
    byte[] bytes = new byte[type.blockBytes() * count];
    random.nextBytes(bytes);
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int block = 0; block < count; block++) {
      int at = block * type.blockBytes();
      // Keep the f16 scales finite: 0x3000 | random low bits is in [0.125, 0.25).
      int[] halves =
          switch (type) {
            case Q2_K -> new int[] {80, 82};
            case Q3_K -> new int[] {108};
            case Q4_K, Q5_K -> new int[] {0, 2};
            case Q6_K -> new int[] {208};
            default -> throw new IllegalArgumentException(type.name());
          };
      for (int half : halves) {
        buffer.putShort(at + half, (short) (0x3000 | random.nextInt(0x400)));
      }
    }
    return bytes;
  }

  private static float[] dequantize(GgmlType type, byte[] blocks) {
    float[] values = new float[blocks.length / type.blockBytes() * type.blockSize()];
    type.dequantize(
        ByteBuffer.wrap(blocks).order(java.nio.ByteOrder.LITTLE_ENDIAN),
        0,
        values,
        0,
        blocks.length / type.blockBytes());
    return values;
  }

  @Test
  void quantizesQ8_0AndQ4_0WithinHalfAStepOfTheirScale() {
    Random random = new Random(42);
    int blocks = 64;
    float[] values = new float[32 * blocks];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextGaussian() * Math.exp(random.nextGaussian()));
    }
    Path file = directory.resolve("quantized.gguf");
    new GgufWriter()
        .addTensor("q8", GgmlType.Q8_0, values, 32 * blocks)
        .addTensor("q4", GgmlType.Q4_0, values, 32, blocks)
        .write(file);
    try (GgufFile gguf = GgufFile.open(file)) {
      float[] q8 = gguf.readFloats(gguf.tensor("q8").orElseThrow());
      float[] q4 = gguf.readFloats(gguf.tensor("q4").orElseThrow());
      for (int block = 0; block < blocks; block++) {
        float absMax = 0f;
        float extreme = 0f;
        for (int i = 32 * block; i < 32 * block + 32; i++) {
          if (Math.abs(values[i]) > absMax) {
            absMax = Math.abs(values[i]);
            extreme = values[i];
          }
        }
        // The step stored in f16 is off by at most 2^-11 relative, times |q| <= 127 or 8.
        float step8 = absMax / 127;
        float step4 = absMax / 8;
        for (int i = 32 * block; i < 32 * block + 32; i++) {
          assertThat(q8[i]).isCloseTo(values[i], within(step8 * (0.5f + 127f / 2048)));
          // Q4_0's range is [-8, 7] steps toward the extreme's sign: the opposite end clamps.
          boolean clamped =
              Math.signum(values[i]) == -Math.signum(extreme) && Math.abs(values[i]) > 7.5f * step4;
          float bound = step4 * ((clamped ? 1f : 0.5f) + 8f / 2048);
          assertThat(q4[i])
              .as("value %d of block %d", i, block)
              .isCloseTo(values[i], within(bound));
        }
      }
    }
  }

  @Test
  void quantizesQ4_1Q5_0AndQ5_1RowsOfQwenWidthWithinHalfAStep() {
    Random random = new Random(896);
    int width = 896; // Qwen2.5-0.5B: 28 blocks of 32, not whole super-blocks of 256
    int rows = 3;
    float[] values = new float[width * rows];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextGaussian() * Math.exp(random.nextGaussian()) + 0.3);
    }
    Path file = directory.resolve("legacy.gguf");
    new GgufWriter()
        .addTensor("q4_1", GgmlType.Q4_1, values, width, rows)
        .addTensor("q5_0", GgmlType.Q5_0, values, width, rows)
        .addTensor("q5_1", GgmlType.Q5_1, values, width, rows)
        .write(file);
    try (GgufFile gguf = GgufFile.open(file)) {
      float[] q41 = gguf.readFloats(gguf.tensor("q4_1").orElseThrow());
      float[] q50 = gguf.readFloats(gguf.tensor("q5_0").orElseThrow());
      float[] q51 = gguf.readFloats(gguf.tensor("q5_1").orElseThrow());
      for (int block = 0; block < values.length / 32; block++) {
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        float extreme = 0f;
        for (int i = 32 * block; i < 32 * block + 32; i++) {
          min = Math.min(min, values[i]);
          max = Math.max(max, values[i]);
          extreme = Math.abs(values[i]) > Math.abs(extreme) ? values[i] : extreme;
        }
        // Half a step, plus the f16 rounding of d (2^-11 relative, times q) and of m.
        float slack = Math.abs(extreme) * 1e-6f + Math.abs(min) / 2048;
        float step41 = (max - min) / 15;
        float step51 = (max - min) / 31;
        float step50 = Math.abs(extreme) / 16;
        for (int i = 32 * block; i < 32 * block + 32; i++) {
          String where = "value " + i + " of block " + block;
          assertThat(q41[i])
              .as(where)
              .isCloseTo(values[i], within(step41 * (0.5f + 15f / 2048) + slack));
          assertThat(q51[i])
              .as(where)
              .isCloseTo(values[i], within(step51 * (0.5f + 31f / 2048) + slack));
          // Q5_0's range is [-16, 15] steps toward the extreme's sign: the opposite end clamps.
          boolean clamped =
              Math.signum(values[i]) == -Math.signum(extreme)
                  && Math.abs(values[i]) > 15.5f * step50;
          float bound = step50 * ((clamped ? 1f : 0.5f) + 16f / 2048);
          assertThat(q50[i]).as(where).isCloseTo(values[i], within(bound));
        }
      }
    }
  }

  // --- malformed files: each a ModelLoadException naming the file and what is wrong ---

  private AbstractThrowableAssert<?, ?> assertRejected(byte[] bytes, String... fragments) {
    Path file = directory.resolve("bad.gguf");
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    AbstractThrowableAssert<?, ?> thrown =
        assertThatThrownBy(() -> GgufFile.open(file).close())
            .isInstanceOf(ModelLoadException.class)
            .hasMessageContaining(file.toString());
    for (String fragment : fragments) {
      thrown.hasMessageContaining(fragment);
    }
    return thrown;
  }

  @Test
  void rejectsAWrongMagicNumber() {
    byte[] bytes = GgufBytes.header(0, 0).bytes();
    bytes[3] = 'L'; // "GGUL"
    assertRejected(bytes, "not the GGUF magic number");
  }

  @Test
  void rejectsVersion2WithAHintToConvertAgain() {
    byte[] bytes = new GgufBytes().u32(0x46554747).u32(2).u64(0).u64(0).bytes();
    assertRejected(bytes, "GGUF version 2", "version 3", "convert_hf_to_gguf.py");
  }

  @Test
  void rejectsEveryTruncationOfAValidHeader() {
    Path file = directory.resolve("whole.gguf");
    new GgufWriter()
        .putString("general.architecture", "llama")
        .putArray("tokenizer.ggml.tokens", GgufValue.Array.ofStrings(List.of("a", "b")))
        .addTensor("w", GgmlType.Q8_0, new float[32], 32)
        .write(file);
    byte[] whole;
    try {
      whole = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    long end;
    try (GgufFile gguf = GgufFile.open(file)) {
      end = gguf.dataStart() + gguf.tensor("w").orElseThrow().byteSize(); // padding follows
    }
    for (int length = 0; length < end; length++) {
      assertRejected(Arrays.copyOf(whole, length));
    }
  }

  @Test
  void rejectsAHugeStringLengthBeforeAllocating() {
    byte[] bytes = GgufBytes.header(0, 1).u64(1L << 62).zeros(16).bytes();
    assertRejected(bytes, "metadata key 0", "length of 4611686018427387904 bytes");
    byte[] value =
        GgufBytes.header(0, 1).string("general.name").u32(8).u64(1_000_000).zeros(10).bytes();
    assertRejected(value, "'general.name'", "truncated");
  }

  @Test
  void rejectsAHugeArrayBeforeAllocating() {
    byte[] huge =
        GgufBytes.header(0, 1).string("tokenizer.ggml.tokens").u32(9).u32(8).u64(1L << 40).bytes();
    assertRejected(huge, "'tokenizer.ggml.tokens'", "array of 1099511627776 elements");
    byte[] unbacked =
        GgufBytes.header(0, 1)
            .string("tokenizer.ggml.scores")
            .u32(9)
            .u32(6)
            .u64(10_000_000)
            .bytes();
    assertRejected(unbacked, "'tokenizer.ggml.scores'", "truncated");
  }

  @Test
  void rejectsArraysNestedTooDeep() {
    GgufBytes bytes = GgufBytes.header(0, 1).string("deep").u32(9);
    for (int depth = 0; depth < 20; depth++) {
      bytes.u32(9).u64(1);
    }
    assertRejected(bytes.zeros(64).bytes(), "'deep'", "nests arrays deeper");
  }

  @Test
  void rejectsHugeCounts() {
    assertRejected(GgufBytes.header(1L << 40, 0).bytes(), "tensor count");
    assertRejected(GgufBytes.header(0, 1000).bytes(), "metadata key count", "truncated");
  }

  private static byte[] oneTensor(int type, long offset, int dataBytes, long... dimensions) {
    return GgufBytes.header(1, 0)
        .tensor("blk.0.attn_q.weight", type, offset, dimensions)
        .align(32)
        .zeros(dataBytes)
        .bytes();
  }

  @Test
  void acceptsAHandWrittenTensor() throws IOException {
    Path file = directory.resolve("hand.gguf");
    Files.write(file, oneTensor(0, 0, 16, 2, 2));
    try (GgufFile gguf = GgufFile.open(file)) {
      assertThat(gguf.readFloats(gguf.tensor("blk.0.attn_q.weight").orElseThrow()))
          .containsExactly(0f, 0f, 0f, 0f);
    }
  }

  @Test
  void rejectsATensorOffsetPastTheEnd() {
    assertRejected(oneTensor(0, 64, 16, 2, 2), "'blk.0.attn_q.weight'", "data bytes 64 to 80");
    assertRejected(oneTensor(0, 0, 15, 2, 2), "'blk.0.attn_q.weight'", "truncated");
  }

  @Test
  void rejectsAMisalignedOffset() {
    assertRejected(
        oneTensor(0, 4, 32, 2, 2), "'blk.0.attn_q.weight'", "not a multiple of the alignment 32");
  }

  @Test
  void rejectsOverlappingTensors() {
    byte[] bytes =
        GgufBytes.header(2, 0)
            .tensor("a", 0, 0, 16)
            .tensor("b", 0, 32, 16)
            .align(32)
            .zeros(96)
            .bytes();
    assertRejected(bytes, "tensor 'b' starts at data byte 32, inside tensor 'a'", "overlap");
  }

  @Test
  void rejectsDimensionsWhoseProductOverflows() {
    assertRejected(oneTensor(0, 0, 0, 1L << 32, 1L << 32), "'blk.0.attn_q.weight'", "overflow");
    assertRejected(oneTensor(0, 0, 0, -1L), "'blk.0.attn_q.weight'", "18446744073709551615");
    assertRejected(oneTensor(0, 0, 0, 2, 2, 2, 2, 2), "'blk.0.attn_q.weight'", "5 dimensions");
  }

  @Test
  void rejectsUnknownAndUnsupportedTensorTypesByName() {
    assertRejected(oneTensor(16, 0, 0, 256), "'blk.0.attn_q.weight'", "IQ2_XXS (ggml type 16)");
    assertRejected(oneTensor(999, 0, 0, 256), "'blk.0.attn_q.weight'", "unknown ggml type 999");
  }

  @Test
  void rejectsRowsThatAreNotWholeBlocks() {
    assertRejected(oneTensor(8, 0, 64, 48), "'blk.0.attn_q.weight'", "blocks of 32");
    assertRejected(oneTensor(6, 0, 0, 48), "'blk.0.attn_q.weight'", "Q5_0 blocks of 32");
    // Qwen2.5-0.5B's width 896 is whole 32-value blocks but not whole 256-value super-blocks.
    assertRejected(oneTensor(13, 0, 0, 896), "'blk.0.attn_q.weight'", "Q5_K blocks of 256");
    assertRejected(oneTensor(10, 0, 0, 576), "'blk.0.attn_q.weight'", "Q2_K blocks of 256");
  }

  @Test
  void writerRejectsRowsThatAreNotWholeBlocks() {
    GgufWriter writer = new GgufWriter();
    assertThatThrownBy(() -> writer.addTensor("a", GgmlType.Q5_1, new float[48], 48))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tensor 'a': rows of 48 are not whole Q5_1 blocks");
    assertThatThrownBy(() -> writer.addTensor("b", GgmlType.Q4_1, new float[64], 16, 4))
        .hasMessageContaining("rows of 16 are not whole Q4_1 blocks");
    assertThatThrownBy(() -> writer.addBlocks("c", GgmlType.Q5_K, new byte[4 * 176], 896))
        .hasMessageContaining("rows of 896 are not whole Q5_K blocks");
    assertThatThrownBy(() -> writer.addBlocks("d", GgmlType.Q5_0, new byte[21], 32))
        .hasMessageContaining("21 bytes do not hold 32 Q5_0");
    assertThatThrownBy(() -> writer.addTensor("e", GgmlType.Q5_K, new float[256], 256))
        .hasMessageContaining("Q5_K has no quantizer here; use addBlocks");
  }

  @Test
  void rejectsABadAlignmentAndDuplicates() {
    byte[] alignment = GgufBytes.header(0, 1).string("general.alignment").u32(4).u32(48).bytes();
    assertRejected(alignment, "'general.alignment' is 48");
    byte[] keys = GgufBytes.header(0, 2).string("k").u32(7).u8(1).string("k").u32(7).u8(0).bytes();
    assertRejected(keys, "'k' appears twice");
    byte[] tensors =
        GgufBytes.header(2, 0)
            .tensor("t", 0, 0, 1)
            .tensor("t", 0, 32, 1)
            .align(32)
            .zeros(64)
            .bytes();
    assertRejected(tensors, "tensor 't' appears twice");
    byte[] type = GgufBytes.header(0, 1).string("k").u32(13).zeros(8).bytes();
    assertRejected(type, "'k' has unknown value type 13");
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void corruptedFilesFailOnlyWithModelLoadException(long seed) throws IOException {
    Path valid = directory.resolve("valid.gguf");
    GgufWriter writer = new GgufWriter();
    everyValueType().forEach(writer::put);
    writer
        .addTensor("a", GgmlType.Q4_0, new float[64], 32, 2)
        .addTensor("b", GgmlType.F16, new float[8], 8)
        .write(valid);
    byte[] original = Files.readAllBytes(valid);
    Random random = new Random(seed);
    for (int trial = 0; trial < 200; trial++) {
      byte[] bytes = original.clone();
      for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      Path file = directory.resolve("corrupt.gguf");
      Files.write(file, bytes);
      try (GgufFile gguf = GgufFile.open(file)) {
        gguf.tensors().values().forEach(gguf::readFloats);
      } catch (ModelLoadException expected) {
        assertThat(expected).hasMessageContaining(file.toString());
      } catch (RuntimeException | Error e) {
        throw new AssertionError("seed " + seed + ", trial " + trial + ": " + e, e);
      }
    }
  }
}
