package dev.colloquy.bench.local;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import com.github.tjake.jlama.util.PhysicalCoreExecutor;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;
import dev.colloquy.model.local.fixture.Gpt2TokenizerJson;
import dev.colloquy.model.local.fixture.RandomDecoderCheckpoint;
import dev.colloquy.model.local.fixture.ReferenceDecoder;
import dev.colloquy.model.local.internal.checkpoint.SafetensorsWriter;
import dev.colloquy.model.local.internal.decoder.DecoderConfig;
import dev.colloquy.model.local.internal.decoder.SafetensorsDecoderReader;
import dev.colloquy.model.local.internal.runtime.GptSequence;
import dev.colloquy.model.local.internal.runtime.JavaDecoderRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cross-checks our Llama-family decoder (the Java engine, loaded as DecoderModelLoader loads it:
 * DecoderConfig, SafetensorsDecoderReader, JavaDecoderRuntime) against Jlama 0.8.4 on the same
 * random-weight Hugging Face directories: Llama (GQA), Qwen2 (q/k/v biases, tied embeddings) and
 * Mistral (explicit head_dim), F32, plus the Llama one saved as BF16.
 *
 * <p>Both engines get the same token ids (GPT-2's tokenizer, whose 50,257 tokens are the models'
 * vocabulary), never text, so tokenizers play no part. For each model it prints the last prompt
 * position's logits differences (ours vs Jlama, and each against the double-precision
 * ReferenceDecoder of the tests), the argmax of each, and 16 greedy tokens of each engine.
 * Usage: JlamaCrossCheck [WORK_DIR] [THREADS]
 */
public final class JlamaCrossCheck {

  private static final int NEW_TOKENS = 16;
  private static final String PROMPT = "The quick brown fox jumps over the lazy dog while the";

  /**
   * One row of the table: a family checkpoint and the name it is shown under; {@code zeroLateHeads}
   * zeroes the o_proj columns of the heads at and past hidden_size / head_dim (a diagnostic: the heads
   * Jlama 0.8.4 never computes when heads x head_dim > hidden_size), and then there is no reference.
   */
  private record Case(String label, RandomDecoderCheckpoint checkpoint, boolean zeroLateHeads) {
    Case(String label, RandomDecoderCheckpoint checkpoint) {
      this(label, checkpoint, false);
    }
  }

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args.length > 0 ? args[0] : "target/cross-check");
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
    int vocabulary = Gpt2TokenizerJson.END_OF_TEXT + 1;
    // Jlama's Llama and Qwen2 configs ignore head_dim (they take width / heads); its Mistral config reads it.
    List<Case> cases = List.of(
        new Case("llama   4 heads/2 kv", family("llama", 4, 2, 64, false, "F32", vocabulary)),
        new Case("qwen2   8 heads/2 kv", family("qwen2", 8, 2, 32, true, "F32", vocabulary)),
        new Case("mistral 8 heads/2 kv", family("mistral", 8, 2, 32, false, "F32", vocabulary)),
        new Case("mistral head_dim 64", family("mistral", 8, 2, 64, false, "F32", vocabulary)),
        new Case("mistral hd64 4-7 cut", family("mistral", 8, 2, 64, false, "F32", vocabulary), true),
        new Case("llama   4 heads/2 kv", family("llama", 4, 2, 64, false, "BF16", vocabulary)));
    int[] prompt = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.R50K_BASE)
        .encode(PROMPT).toArray();
    System.out.printf("prompt: %d GPT-2 token ids %s; %d greedy tokens; %d threads; Java %s%n", prompt.length,
        Arrays.toString(prompt), NEW_TOKENS, threads, System.getProperty("java.version"));

    PhysicalCoreExecutor.overrideThreadCount(threads); // Jlama's thread count, settable once per JVM
    List<String> rows = new ArrayList<>();
    for (Case c : cases) {
      RandomDecoderCheckpoint checkpoint = c.checkpoint();
      Path directory = write(checkpoint, work.resolve(checkpoint.modelType() + "-" + checkpoint.headDim() + "-"
          + checkpoint.dtype().toLowerCase() + (c.zeroLateHeads() ? "-cut" : "")), c.zeroLateHeads());

      float[] oursLast;
      int[] oursGreedy = new int[NEW_TOKENS];
      double oursPathError; // ours vs reference along our own greedy path
      DecoderConfig config = DecoderConfig.read(directory.resolve("config.json"));
      double[][] oursReference;
      try (JavaDecoderRuntime ours = new JavaDecoderRuntime(SafetensorsDecoderReader.read(directory, config), threads);
          GptSequence sequence = ours.newSequence(prompt.length + NEW_TOKENS)) {
        System.out.printf("%s (%s): ours = %s%n", c.label(), checkpoint.dtype(), ours.description());
        float[] logits = sequence.append(prompt);
        oursLast = logits;
        List<float[]> path = new ArrayList<>();
        for (int k = 0; k < NEW_TOKENS; k++) {
          path.add(logits);
          oursGreedy[k] = argmax(logits);
          if (k + 1 < NEW_TOKENS) {
            logits = sequence.append(new int[] {oursGreedy[k]});
          }
        }
        // the reference reads the checkpoint's own tensors: with heads cut, ours stands in for it
        oursReference = c.zeroLateHeads() ? toDouble(path) : new ReferenceDecoder(checkpoint).logits(concat(prompt, oursGreedy));
        oursPathError = c.zeroLateHeads() ? Double.NaN : pathError(path, oursReference, prompt.length);
      }

      float[] jlamaLast;
      int[] jlamaGreedy = new int[NEW_TOKENS];
      List<float[]> jlamaPath = new ArrayList<>();
      AbstractModel jlama = ModelSupport.loadModel(directory.toFile(), null, DType.F32, DType.F32, Optional.empty(),
          Optional.empty());
      try (KvBufferCache.KvBuffer cache = new KvBufferCache(jlama).getEphemeralKvBuffer();
          AbstractTensor logitsBuffer = jlama.makeDenseTensor(vocabulary)) {
        AbstractTensor hidden = jlama.batchForward(prompt, 0, cache); // [prompt, width]
        AbstractTensor last = hidden.slice(hidden.shape().first() - 1); // [1, width]
        for (int k = 0; k < NEW_TOKENS; k++) {
          // temperature 0: Jlama fills the buffer with the raw logits and returns their argmax
          jlamaGreedy[k] = jlama.sample(last, 0f, 0f, logitsBuffer);
          float[] logits = new float[vocabulary];
          for (int v = 0; v < vocabulary; v++) {
            logits[v] = logitsBuffer.get(0, v);
          }
          jlamaPath.add(logits);
          if (k > 0) {
            last.close(); // a forward's output; the first is a view of the prompt's batch, closed with it
          }
          if (k + 1 < NEW_TOKENS) {
            last = jlama.forward(jlamaGreedy[k], prompt.length + k, cache, Optional.empty());
          }
        }
        hidden.close();
      } finally {
        jlama.close();
      }
      jlamaLast = jlamaPath.get(0);
      double[][] jlamaReference = Arrays.equals(jlamaGreedy, oursGreedy) || c.zeroLateHeads() ? oursReference
          : new ReferenceDecoder(checkpoint).logits(concat(prompt, jlamaGreedy));
      double jlamaPathError = c.zeroLateHeads() ? Double.NaN : pathError(jlamaPath, jlamaReference, prompt.length);

      double[] reference = oursReference[c.zeroLateHeads() ? 0 : prompt.length - 1];
      double scale = 0;
      for (double r : reference) {
        scale = Math.max(scale, Math.abs(r));
      }
      double oursVsJlama = 0;
      double oursVsReference = 0;
      double jlamaVsReference = 0;
      for (int v = 0; v < vocabulary; v++) {
        oursVsJlama = Math.max(oursVsJlama, Math.abs(oursLast[v] - jlamaLast[v]));
        oursVsReference = Math.max(oursVsReference, Math.abs(oursLast[v] - reference[v]));
        jlamaVsReference = Math.max(jlamaVsReference, Math.abs(jlamaLast[v] - reference[v]));
      }
      if (c.zeroLateHeads()) {
        oursVsReference = Double.NaN;
        jlamaVsReference = Double.NaN;
      }
      int sharedPrefix = 0;
      while (sharedPrefix < NEW_TOKENS && oursGreedy[sharedPrefix] == jlamaGreedy[sharedPrefix]) {
        sharedPrefix++;
      }
      System.out.printf("  greedy ours : %s%n  greedy jlama: %s%n", Arrays.toString(oursGreedy),
          Arrays.toString(jlamaGreedy));
      rows.add(String.format("%-20s %-4s %9.2e %9.2e %9.2e %9.2e %7.2f   %6d/%d/%d   %2d/%d %s  %9.2e %9.2e",
          c.label(), checkpoint.dtype(), oursVsJlama, oursVsJlama / scale, oursVsReference, jlamaVsReference, scale,
          argmax(oursLast), argmax(jlamaLast), argmaxOf(reference), sharedPrefix, NEW_TOKENS,
          c.zeroLateHeads() ? "no ref  "
              : Arrays.equals(oursGreedy, referenceGreedy(oursReference, prompt.length)) ? "ref=ours" : "ref!=ours",
          oursPathError, jlamaPathError));
    }
    System.out.println();
    System.out.println("last prompt position logits (vocab " + vocabulary + "); rel = max|ours - jlama| / max|reference|;"
        + " path = max |engine - reference| over the 16 greedy steps of that engine's own path");
    System.out.printf("%-20s %-4s %9s %9s %9s %9s %7s   %-16s %-14s %9s %9s%n", "model", "file", "ours-jl", "rel",
        "ours-ref", "jl-ref", "max|ref|", "argmax o/j/ref", "greedy 16", "ours path", "jl path");
    rows.forEach(System.out::println);
  }

  private static RandomDecoderCheckpoint family(String type, int heads, int kvHeads, int headDim, boolean tied,
      String dtype, int vocabulary) {
    // width 256, 4 layers, SwiGLU inner 768 (8/3 x 256 rounded up to 256, as Llama does), 256 positions, seed 11
    return new RandomDecoderCheckpoint(type, 4, 256, heads, kvHeads, headDim, 768, vocabulary, 256, tied, 0, "null",
        dtype, 1, 11, Map.of());
  }

  /** Writes the checkpoint, GPT-2's tokenizer.json, and an eos_token_id Jlama accepts (its Qwen2 and Mistral configs take one int). */
  private static Path write(RandomDecoderCheckpoint checkpoint, Path directory, boolean zeroLateHeads)
      throws Exception {
    if (!Files.exists(directory.resolve("model.safetensors"))) {
      checkpoint.writeTo(directory);
      if (zeroLateHeads) {
        SafetensorsWriter writer = new SafetensorsWriter(checkpoint.dtype());
        int queryWidth = checkpoint.heads() * checkpoint.headDim();
        for (RandomDecoderCheckpoint.Tensor tensor : checkpoint.tensors().values()) {
          float[] values = tensor.values();
          if (tensor.name().endsWith("self_attn.o_proj.weight")) { // [width, heads * headDim]
            for (int row = 0; row < checkpoint.width(); row++) {
              Arrays.fill(values, row * queryWidth + checkpoint.width(), (row + 1) * queryWidth, 0f);
            }
          }
          writer.add(tensor.name(), values, tensor.shape());
        }
        writer.write(directory.resolve("model.safetensors"));
      }
      Files.writeString(directory.resolve("tokenizer.json"), Gpt2TokenizerJson.text());
      Path config = directory.resolve("config.json");
      Files.writeString(config, Files.readString(config).replace("\"eos_token_id\": [2, 3]", "\"eos_token_id\": 2"));
    }
    return directory;
  }

  /** The reference's greedy tokens when fed this path (teacher-forced): equal to the path iff the path is the reference's own greedy path. */
  private static int[] referenceGreedy(double[][] reference, int promptLength) {
    int[] tokens = new int[NEW_TOKENS];
    for (int k = 0; k < NEW_TOKENS; k++) {
      tokens[k] = argmaxOf(reference[promptLength - 1 + k]);
    }
    return tokens;
  }

  private static double pathError(List<float[]> path, double[][] reference, int promptLength) {
    double largest = 0;
    for (int k = 0; k < path.size(); k++) {
      float[] logits = path.get(k);
      double[] expected = reference[promptLength - 1 + k];
      for (int v = 0; v < logits.length; v++) {
        largest = Math.max(largest, Math.abs(logits[v] - expected[v]));
      }
    }
    return largest;
  }

  private static double[][] toDouble(List<float[]> rows) {
    double[][] result = new double[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      float[] row = rows.get(i);
      result[i] = new double[row.length];
      for (int v = 0; v < row.length; v++) {
        result[i][v] = row[v];
      }
    }
    return result;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static int argmax(float[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }

  private static int argmaxOf(double[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }
}
