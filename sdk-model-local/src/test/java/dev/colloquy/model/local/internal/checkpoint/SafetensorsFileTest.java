package dev.colloquy.model.local.internal.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.model.local.ModelLoadException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {

  @TempDir Path directory;

  private Path raw(String header, int dataBytes) throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buffer =
        ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(json.length).put(json);
    Path file = directory.resolve("model.safetensors");
    Files.write(file, buffer.array());
    return file;
  }

  @Test
  void readsF32F16AndBf16TensorsAsFloats() {
    float[] values = {1f, -2.5f, 0.125f, 3f};
    for (String dtype : new String[] {"F32", "F16", "BF16"}) {
      Path file = directory.resolve(dtype + ".safetensors");
      new SafetensorsWriter(dtype).add("w", values, 2, 2).write(file);
      try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
        TensorEntry entry = safetensors.tensor("w").orElseThrow();
        assertThat(entry.shape()).containsExactly(2, 2);
        assertThat(safetensors.readFloats(entry)).containsExactly(values);
      }
    }
  }

  @Test
  void readsRangesAcrossItsReadChunksAndHalfPrecisionTensorsAsTheirBits() {
    // 600,000 values: 2.4 MB in F32, so reads cross the 1 MiB chunk; small integers are exact in
    // F16 and BF16.
    float[] values = new float[600_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = (i % 251) - 125;
    }
    for (String dtype : new String[] {"F32", "F16", "BF16"}) {
      Path file = directory.resolve(dtype + ".safetensors");
      new SafetensorsWriter(dtype).add("w", values, 1000, 600).write(file);
      try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
        TensorEntry entry = safetensors.tensor("w").orElseThrow();
        float[] range = new float[300_003];
        safetensors.readFloats(entry, 262_140, range, 3, 300_000);
        // isEqualTo, not containsExactly: AssertJ diffs the elements in quadratic time.
        assertThat(Arrays.copyOfRange(range, 3, range.length))
            .as(dtype)
            .isEqualTo(Arrays.copyOfRange(values, 262_140, 562_140));
        if (!dtype.equals("F32")) {
          short[] bits = safetensors.readHalves(entry, 1, values.length - 1);
          float[] widened = new float[bits.length];
          for (int i = 0; i < bits.length; i++) {
            widened[i] =
                dtype.equals("BF16")
                    ? Float.intBitsToFloat((bits[i] & 0xffff) << 16)
                    : HalfFloats.toFloat(bits[i]);
          }
          assertThat(widened).as(dtype).isEqualTo(Arrays.copyOfRange(values, 1, values.length));
        }
      }
    }
  }

  @Test
  void readingHalvesOfAnF32TensorOrBeyondATensorIsRefused() {
    Path file = directory.resolve("w.safetensors");
    new SafetensorsWriter("F32").add("w", new float[] {1f, 2f}, 2).write(file);
    try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
      TensorEntry entry = safetensors.tensor("w").orElseThrow();
      assertThatThrownBy(() -> safetensors.readHalves(entry))
          .isInstanceOf(ModelLoadException.class)
          .hasMessageContaining("tensor 'w' has dtype F32, not F16 or BF16");
      assertThatThrownBy(() -> safetensors.readFloats(entry, 1, new float[2], 0, 2))
          .isInstanceOf(IndexOutOfBoundsException.class)
          .hasMessageContaining("values [1, 3) of tensor 'w'");
    }
  }

  @Test
  void rejectsAHeaderLengthBeyondTheCap() throws IOException {
    Path file = directory.resolve("huge.safetensors");
    Files.write(
        file, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("header of 1099511627776 bytes");
  }

  @Test
  void rejectsAHeaderThatIsNotJson() throws IOException {
    Path file = raw("{not json", 0);
    assertThatThrownBy(() -> SafetensorsFile.open(file)).hasMessageContaining("not valid JSON");
  }

  @Test
  void rejectsAnUnknownDtypeNamingTheTensor() throws IOException {
    Path file = raw("{\"w\":{\"dtype\":\"F8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1);
    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .hasMessageContaining("tensor 'w' has unknown dtype 'F8'");
  }

  @Test
  void rejectsAShapeWhoseSizeDiffersFromTheByteRange() throws IOException {
    Path file = raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8);
    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .hasMessageContaining(
            "tensor 'w' has shape [3] of F32 (12 bytes) but its data_offsets span 8 bytes");
  }

  @Test
  void rejectsOverlappingOrGappedRanges() throws IOException {
    Path file =
        raw(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}",
            12);
    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .hasMessageContaining("tensor 'b' starts at data byte 8");
  }

  @Test
  void rejectsATruncatedFile() throws IOException {
    Path file = raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8);
    assertThatThrownBy(() -> SafetensorsFile.open(file)).hasMessageContaining("truncated");
  }

  @Test
  void rejectsDuplicateTensorNames() throws IOException {
    Path file =
        raw(
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
            8);
    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .hasMessageContaining("Duplicate field 'w'");
  }

  @Test
  void refusesToReadIntegerTensorsAsWeights() throws IOException {
    Path file = raw("{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8);
    try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
      assertThatThrownBy(() -> safetensors.readFloats(safetensors.tensor("ids").orElseThrow()))
          .hasMessageContaining("tensor 'ids' has dtype I64");
    }
  }
}
