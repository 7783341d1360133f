package dev.colloquy.bench.local;

import dev.colloquy.model.local.fixture.Gpt2TokenizerJson;
import dev.colloquy.model.local.fixture.GgufConversion;
import dev.colloquy.model.local.fixture.RandomDecoderCheckpoint;
import dev.colloquy.model.local.fixture.RandomGpt2Checkpoint;
import dev.colloquy.model.local.internal.gguf.GgmlType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One benchmarked model shape and its files: random weights (fixed seed, every value exact in
 * BF16, so the F32, BF16 and quantized files hold the same model), written once under the work
 * directory and reused by later runs.
 *
 * <p>Llama shapes are written tensor by tensor, never whole in memory: F32 and BF16 safetensors
 * (config.json with tied embeddings, GPT-2's tokenizer.json as the tokenizer, whose 50,257 tokens
 * are the ids generated), GGUF Q8_0 and Q4_0 files converted as llama.cpp does (each in its own
 * folder, the tokenizer.json beside it). The GPT-2 shape is the test fixture's GPT-2 small. Jlama's
 * own Q8 and Q4 files are made by {@link JlamaFormats} from the F32 folder.
 *
 * @param name the spec it was parsed from, used as the folder name
 * @param gpt2 GPT-2 small (the other fields then describe it) or a Llama shape
 */
record BenchModel(String name, boolean gpt2, int layers, int width, int heads, int kvHeads, int inner,
    int vocabulary, int positions) {

  private static final long SEED = 18;

  /**
   * Parses {@code gpt2-small}, {@code llama-1b} (Llama-3.2-1B: 16 layers, width 2048, 32 heads, 8
   * key/value heads, inner 8192, vocabulary 128256, tied), {@code llama-small} (4 layers, width 512,
   * 8 heads, 2 key/value heads, inner 1536, vocabulary 50257) or {@code
   * llama:LAYERS:WIDTH:HEADS:KV_HEADS:INNER:VOCABULARY}.
   */
  static BenchModel parse(String spec) {
    return switch (spec) {
      case "gpt2-small" -> new BenchModel(spec, true, 12, 768, 12, 12, 3072, 50257, 1024);
      case "llama-1b" -> new BenchModel(spec, false, 16, 2048, 32, 8, 8192, 128256, 2048);
      case "llama-small" -> new BenchModel(spec, false, 4, 512, 8, 2, 1536, 50257, 2048);
      default -> {
        String[] parts = spec.split(":");
        if (parts.length != 7 || !parts[0].equals("llama")) {
          throw new IllegalArgumentException("model must be gpt2-small, llama-1b, llama-small or"
              + " llama:LAYERS:WIDTH:HEADS:KV_HEADS:INNER:VOCABULARY, was " + spec);
        }
        int[] n = new int[6];
        for (int i = 0; i < 6; i++) {
          n[i] = Integer.parseInt(parts[i + 1]);
        }
        if (n[1] % n[2] != 0 || n[2] % n[3] != 0 || n[1] % 32 != 0 || n[4] % 32 != 0
            || n[5] < Gpt2TokenizerJson.END_OF_TEXT + 1) {
          throw new IllegalArgumentException("llama shape " + spec + ": width must divide into heads,"
              + " heads into kv heads, width and inner into blocks of 32, vocabulary at least 50257");
        }
        yield new BenchModel(spec.replace(':', '-'), false, n[0], n[1], n[2], n[3], n[4], n[5], 2048);
      }
    };
  }

  /** The spec {@link #parse} reads back into this model. */
  String spec() {
    return name.matches("llama(-\\d+){6}") ? name.replace('-', ':') : name;
  }

  /** The shape in words, for the table's heading. */
  String describe() {
    return String.format("%s: %d layers, width %d, %d heads / %d kv, inner %d, vocabulary %d, %s; %.0fM"
        + " parameters", name, layers, width, heads, kvHeads, inner, vocabulary,
        gpt2 ? "GPT-2 blocks" : "Llama blocks, tied head", parameters() / 1e6);
  }

  /** The matrices' parameters (the tied embedding counted once: it is the head each token reads). */
  long parameters() {
    if (gpt2) {
      return 12L * layers * width * width + (long) vocabulary * width + (long) positions * width;
    }
    long headDim = width / heads;
    long attention = 2L * width * heads * headDim + 2L * width * kvHeads * headDim;
    return layers * (attention + 3L * width * inner) + (long) vocabulary * width;
  }

  /**
   * Bytes one decode step reads in a format: every matrix, the tied head included (norms and
   * biases are under 0.1%). Q8_0 is 34 bytes per 32 values and Q4_0 18, as in a GGUF file.
   */
  long bytesPerToken(String format) {
    return switch (format) {
      case "F32" -> parameters() * 4;
      case "BF16" -> parameters() * 2;
      case "Q8_0" -> parameters() * 34 / 32;
      case "Q4_0" -> parameters() * 18 / 32;
      default -> throw new IllegalArgumentException("format " + format);
    };
  }

  /** The folder of this model's files in one format (F32, BF16, Q8_0, Q4_0, jlama-I8, jlama-Q4). */
  Path folder(Path work, String format) {
    return work.resolve(name).resolve(format.toLowerCase());
  }

  /** What our engine loads for a format: the folder, or the GGUF file in it. */
  Path oursPath(Path work, String format) {
    Path folder = folder(work, format);
    return format.startsWith("Q") ? folder.resolve("model.gguf") : folder;
  }

  /** Writes the F32, BF16 (and for Llama, GGUF Q8_0 and Q4_0) files that are not there yet. */
  void write(Path work) {
    if (gpt2) {
      RandomGpt2Checkpoint shape = RandomGpt2Checkpoint.gpt2Small();
      writeOnce(folder(work, "F32"), "model.safetensors", dir -> shape.writeTo(dir));
      writeOnce(folder(work, "BF16"), "model.safetensors", dir -> shape.withDtype("BF16").writeTo(dir));
      return;
    }
    for (String dtype : List.of("F32", "BF16")) {
      writeOnce(folder(work, dtype), "model.safetensors", dir -> {
        writeSmallFiles(dir, checkpoint(dtype));
        writeSafetensors(dir.resolve("model.safetensors"), dtype);
      });
    }
    for (GgmlType type : List.of(GgmlType.Q8_0, GgmlType.Q4_0)) {
      writeOnce(folder(work, type.name()), "model.gguf", dir -> {
        Files.writeString(dir.resolve("tokenizer.json"), Gpt2TokenizerJson.text());
        GgufConversion.write(checkpoint("F32"), lazyTensors(), dir.resolve("model.gguf"), type,
            writer -> writer.putUint32("tokenizer.ggml.eos_token_id", 2));
      });
    }
  }

  interface Writer {
    void write(Path directory) throws IOException;
  }

  /** Writes into a fresh folder and marks it complete last, so an interrupted write is redone. */
  static void writeOnce(Path directory, String mainFile, Writer writer) {
    Path done = directory.resolve(".complete");
    if (Files.exists(done)) {
      return;
    }
    try {
      Files.createDirectories(directory);
      long start = System.nanoTime();
      writer.write(directory);
      Files.writeString(done, "");
      System.out.printf("wrote %s (%.0f MB) in %.0f s%n", directory.resolve(mainFile),
          Files.size(directory.resolve(mainFile)) / 1e6, (System.nanoTime() - start) / 1e9);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The checkpoint's config (the record's tensors() is never called: that would hold them all). */
  private RandomDecoderCheckpoint checkpoint(String dtype) {
    // Jlama's configs take one eos id; README.md because Jlama's quantizer copies it.
    return new RandomDecoderCheckpoint("llama", layers, width, heads, kvHeads, width / heads, inner,
        vocabulary, positions, true, 0, "null", dtype, 1, SEED, Map.of("eos_token_id", "2"));
  }

  private static void writeSmallFiles(Path dir, RandomDecoderCheckpoint checkpoint) throws IOException {
    Files.writeString(dir.resolve("config.json"), checkpoint.configJson());
    Files.writeString(dir.resolve("tokenizer.json"), Gpt2TokenizerJson.text());
    Files.writeString(dir.resolve("README.md"), "Random weights for the local-runtime benchmark.\n");
  }

  /** The tensors' names and shapes in the order transformers saves a tied Llama. */
  private Map<String, long[]> shapes() {
    int query = width;
    int keyValue = kvHeads * (width / heads);
    Map<String, long[]> shapes = new LinkedHashMap<>();
    shapes.put("model.embed_tokens.weight", new long[] {vocabulary, width});
    for (int i = 0; i < layers; i++) {
      String b = "model.layers." + i + ".";
      shapes.put(b + "input_layernorm.weight", new long[] {width});
      shapes.put(b + "self_attn.q_proj.weight", new long[] {query, width});
      shapes.put(b + "self_attn.k_proj.weight", new long[] {keyValue, width});
      shapes.put(b + "self_attn.v_proj.weight", new long[] {keyValue, width});
      shapes.put(b + "self_attn.o_proj.weight", new long[] {width, query});
      shapes.put(b + "post_attention_layernorm.weight", new long[] {width});
      shapes.put(b + "mlp.gate_proj.weight", new long[] {inner, width});
      shapes.put(b + "mlp.up_proj.weight", new long[] {inner, width});
      shapes.put(b + "mlp.down_proj.weight", new long[] {width, inner});
    }
    shapes.put("model.norm.weight", new long[] {width});
    return shapes;
  }

  /** One tensor's values from its own seed: norms near 1, matrices uniform in ±0.6/sqrt(in). */
  private static float[] tensorValues(int index, long[] shape) {
    SplittableRandom random = new SplittableRandom(SEED * 100_003 + index);
    float[] values = new float[Math.toIntExact(shape.length == 2 ? shape[0] * shape[1] : shape[0])];
    float mean = shape.length == 1 ? 1f : 0f;
    double range = shape.length == 1 ? 0.2 : 0.6 / Math.sqrt(shape[1]);
    for (int i = 0; i < values.length; i++) {
      float value = mean + (float) ((random.nextDouble() - 0.5) * 2 * range);
      values[i] = Float.intBitsToFloat(Float.floatToIntBits(value) & 0xffff0000); // exact in BF16
    }
    return values;
  }

  /** The tensors as a map whose values are made as it is iterated, one at a time. */
  private Map<String, RandomDecoderCheckpoint.Tensor> lazyTensors() {
    List<Map.Entry<String, long[]>> entries = List.copyOf(shapes().entrySet());
    return new AbstractMap<>() {
      @Override
      public Set<Entry<String, RandomDecoderCheckpoint.Tensor>> entrySet() {
        return new AbstractSet<>() {
          @Override
          public Iterator<Entry<String, RandomDecoderCheckpoint.Tensor>> iterator() {
            return new Iterator<>() {
              private int next;

              @Override
              public boolean hasNext() {
                return next < entries.size();
              }

              @Override
              public Entry<String, RandomDecoderCheckpoint.Tensor> next() {
                Map.Entry<String, long[]> entry = entries.get(next);
                float[] values = tensorValues(next++, entry.getValue());
                return Map.entry(entry.getKey(),
                    new RandomDecoderCheckpoint.Tensor(entry.getKey(), entry.getValue(), values));
              }
            };
          }

          @Override
          public int size() {
            return entries.size();
          }
        };
      }
    };
  }

  /** A safetensors file written tensor by tensor (the header first: every size is known). */
  private void writeSafetensors(Path file, String dtype) throws IOException {
    int elementBytes = dtype.equals("F32") ? 4 : 2;
    StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
    long offset = 0;
    for (Map.Entry<String, long[]> entry : shapes().entrySet()) {
      long[] shape = entry.getValue();
      long bytes = (shape.length == 2 ? shape[0] * shape[1] : shape[0]) * elementBytes;
      header.append(",\"").append(entry.getKey()).append("\":{\"dtype\":\"").append(dtype)
          .append("\",\"shape\":").append(java.util.Arrays.toString(shape).replace(" ", ""))
          .append(",\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
      offset += bytes;
    }
    header.append('}');
    while (header.length() % 8 != 0) {
      header.append(' ');
    }
    byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      writeFully(out, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length).flip());
      writeFully(out, ByteBuffer.wrap(headerBytes));
      ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
      int index = 0;
      for (long[] shape : shapes().values()) {
        for (float value : tensorValues(index++, shape)) {
          if (buffer.remaining() < 4) {
            writeFully(out, buffer.flip());
            buffer.clear();
          }
          if (elementBytes == 4) {
            buffer.putFloat(value);
          } else {
            buffer.putShort((short) (Float.floatToIntBits(value) >>> 16));
          }
        }
      }
      writeFully(out, buffer.flip());
    }
  }

  private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
  }
}
