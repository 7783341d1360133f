package dev.colloquy.model.local.internal.runtime;

import dev.colloquy.model.local.internal.checkpoint.GptConfig;
import dev.colloquy.model.local.internal.checkpoint.GptWeights;
import dev.colloquy.model.local.internal.checkpoint.PackedGptWeights;
import java.util.ArrayList;
import java.util.List;

/**
 * The GPT-2 forward pass in plain Java on the CPU.
 *
 * <p>Why it exists: decoding one token is a matrix-vector product per weight, bound by memory
 * bandwidth. DJL's graph pays about 5 ms of per-operator overhead per token on top of that (see
 * docs/benchmarks.md); these loops stream each weight once per token with no framework in between.
 * DJL stays the engine for GPUs and the cross-check in the tests.
 *
 * <p>Design note. One {@link GptSequence#append} is one job on the {@link WorkerPool}, in two
 * phases per layer whose tasks the threads take from a shared counter:
 *
 * <ol>
 *   <li>attention, one task per head: that head's q/k/v columns, its KV-cache rows, its attention,
 *       and its partial product with the attention output weight (the rows of that head); the
 *       thread that finishes the last task adds the partials, in head order, to the residual stream
 *       and computes layer norm 2;
 *   <li>MLP, one task per slice of the inner width: MLP-in columns, GELU, and the partial product
 *       with the MLP-out rows of that slice; then likewise the residual and the next norm.
 * </ol>
 *
 * Then the LM head, one task per 512 vocabulary columns. Tasks are taken dynamically and no thread
 * waits for another that holds no task, so a thread descheduled by the OS (other processes on a
 * small machine) delays a token by at most the task it holds. Weights are packed once at load into
 * {@link PackedMatrix} panels, so every task streams contiguous memory. Results do not depend on
 * the thread count or on which thread ran a task.
 */
public final class JavaGptRuntime implements GptRuntime {

  private static final int VOCABULARY_TASK_COLUMNS = 8 * PackedMatrix.PANEL;

  private final GptConfig config;
  private final WorkerPool pool;
  private final MatrixKernel kernel;
  private final List<Layer> layers;
  private final float[] positionEmbedding; // [context, width]
  private final float[] untiedTokenEmbedding; // [vocab, width], or empty when tied to the LM head
  private final float[] finalNormWeight;
  private final float[] finalNormBias;
  private final PackedMatrix lmHead; // [width, vocab]
  private final int mlpTaskColumns;

  /**
   * One block, packed. The q/k/v columns are reordered so that head h owns columns [3hW, 3(h+1)W):
   * its q, k, v.
   */
  private record Layer(
      float[] norm1Weight,
      float[] norm1Bias,
      PackedMatrix qkv,
      float[] qkvBias,
      PackedMatrix attentionOut,
      float[] attentionOutBias,
      float[] norm2Weight,
      float[] norm2Bias,
      PackedMatrix mlpIn,
      float[] mlpInBias,
      PackedMatrix mlpOut,
      float[] mlpOutBias) {}

  /**
   * With the fastest kernel this JVM offers (the Vector API one on Java 21+ when the {@code
   * jdk.incubator.vector} module is present).
   *
   * @param weights the checkpoint's weights; they are packed into a new layout, not kept
   * @param threads the kernel threads, at least 1
   */
  public JavaGptRuntime(GptWeights weights, int threads) {
    this(weights, threads, true);
  }

  /**
   * @param weights the checkpoint's weights; they are packed into a new layout, not kept
   * @param threads the kernel threads, at least 1
   * @param vectorIfAvailable false to use the plain-Java kernel even where the Vector API is
   *     present
   */
  public JavaGptRuntime(GptWeights weights, int threads, boolean vectorIfAvailable) {
    this(PackedGptWeights.of(weights), threads, vectorIfAvailable);
  }

  /**
   * With the fastest kernel this JVM offers.
   *
   * @param weights weights read in this engine's layout; their arrays are kept, not copied
   * @param threads the kernel threads, at least 1
   */
  public JavaGptRuntime(PackedGptWeights weights, int threads) {
    this(weights, threads, true);
  }

  /**
   * @param weights weights read in this engine's layout; their arrays are kept, not copied
   * @param threads the kernel threads, at least 1
   * @param vectorIfAvailable false to use the plain-Java kernel even where the Vector API is
   *     present
   */
  public JavaGptRuntime(PackedGptWeights weights, int threads, boolean vectorIfAvailable) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, was " + threads);
    }
    this.config = weights.config();
    this.kernel = vectorIfAvailable ? MatrixKernels.best() : Kernels.SCALAR;
    int inner = config.innerWidth();
    List<Layer> packed = new ArrayList<>();
    for (PackedGptWeights.Layer w : weights.layers()) {
      packed.add(
          new Layer(
              w.norm1Weight(),
              w.norm1Bias(),
              PackedMatrix.of(w.qkv()),
              w.qkvBias(),
              PackedMatrix.of(w.attentionOut()),
              w.attentionOutBias(),
              w.norm2Weight(),
              w.norm2Bias(),
              PackedMatrix.of(w.mlpIn()),
              w.mlpInBias(),
              PackedMatrix.of(w.mlpOut()),
              w.mlpOutBias()));
    }
    this.layers = List.copyOf(packed);
    this.positionEmbedding = weights.positionEmbedding();
    this.finalNormWeight = weights.finalNormWeight();
    this.finalNormBias = weights.finalNormBias();
    this.lmHead = PackedMatrix.of(weights.lmHead());
    // With a tied head the row-major embedding is not kept: lookups read the packed LM head.
    this.untiedTokenEmbedding = weights.untiedTokenEmbedding();
    this.mlpTaskColumns =
        inner >= 32 * PackedMatrix.PANEL ? 4 * PackedMatrix.PANEL : PackedMatrix.PANEL;
    this.pool = new WorkerPool(threads);
  }

  private float tokenEmbedding(int token, int i) {
    return untiedTokenEmbedding.length == 0
        ? lmHead.get(i, token)
        : untiedTokenEmbedding[token * config.width() + i];
  }

  /** Returns the model's hyper-parameters. */
  public GptConfig config() {
    return config;
  }

  @Override
  public int contextLength() {
    return config.contextLength();
  }

  @Override
  public int vocabularySize() {
    return config.vocabularySize();
  }

  @Override
  public java.util.List<Integer> endOfTextIds() {
    return java.util.List.of(config.endOfTextId());
  }

  @Override
  public GptSequence newSequence(int capacity) {
    SequenceBounds.checkCapacity(capacity, config.contextLength());
    return new Sequence(capacity);
  }

  @Override
  public String description() {
    return "java-cpu, "
        + pool.threads()
        + " thread"
        + (pool.threads() == 1 ? "" : "s")
        + ", "
        + kernel.name()
        + " kernel";
  }

  @Override
  public void close() {
    pool.close();
  }

  /** One thread's scratch buffers for one task. */
  private final class Scratch {
    final float[] qkv; // [rows, 3 * headWidth]: one head's q, k, v
    final float[] context; // [rows, headWidth]: one head's attention output
    final float[] hidden; // [rows, mlpTaskColumns]: one slice of the MLP's inner activations
    final float[] scores; // [capacity]

    Scratch(int rows, int capacity) {
      int headWidth = config.headWidth();
      qkv = new float[rows * 3 * headWidth];
      context = new float[rows * headWidth];
      hidden = new float[rows * mlpTaskColumns];
      scores = new float[capacity];
    }
  }

  /** A sequence: the KV cache of every layer plus scratch buffers. */
  private final class Sequence implements GptSequence {
    private final int capacity;
    private final float[][] keys; // per layer: [heads, capacity, headWidth]
    private final float[][] values; // per layer: [heads, capacity, headWidth]
    private final int mlpTasks;
    private final int vocabularyTasks;
    private int length;
    private int scratchRows;
    private Scratch[] scratch; // [threads]
    private float[] residual; // [rows, width]: the residual stream
    private float[] normed; // [rows, width]: the layer norm that the open phase reads
    private float[][] attentionPartials; // [heads][rows * width]
    private float[][] mlpPartials; // [mlpTasks][rows * width]

    Sequence(int capacity) {
      this.capacity = capacity;
      int size = config.headCount() * capacity * config.headWidth();
      this.keys = new float[config.layerCount()][size];
      this.values = new float[config.layerCount()][size];
      this.mlpTasks = (config.innerWidth() + mlpTaskColumns - 1) / mlpTaskColumns;
      this.vocabularyTasks =
          (config.vocabularySize() + VOCABULARY_TASK_COLUMNS - 1) / VOCABULARY_TASK_COLUMNS;
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public int capacity() {
      return capacity;
    }

    @Override
    public long cacheBytes() {
      return 2L * Float.BYTES * config.layerCount() * keys[0].length;
    }

    @Override
    public void truncate(int newLength) {
      SequenceBounds.checkPrefix(newLength, length);
      length = newLength; // later appends overwrite the forgotten positions
    }

    @Override
    public GptSequence copy(int prefix, int newCapacity) {
      SequenceBounds.checkCopy(prefix, length, newCapacity, config.contextLength());
      Sequence copy = new Sequence(newCapacity);
      int headWidth = config.headWidth();
      for (int layer = 0; layer < config.layerCount(); layer++) {
        for (int head = 0; head < config.headCount(); head++) {
          int from = head * capacity * headWidth;
          int to = head * newCapacity * headWidth;
          System.arraycopy(keys[layer], from, copy.keys[layer], to, prefix * headWidth);
          System.arraycopy(values[layer], from, copy.values[layer], to, prefix * headWidth);
        }
      }
      copy.length = prefix;
      return copy;
    }

    @Override
    public void close() {
      // Heap arrays: nothing to release.
    }

    @Override
    public float[] append(int[] tokens) {
      SequenceBounds.checkAppend(tokens, length, capacity, config.vocabularySize());
      int rows = tokens.length;
      ensureScratch(rows);
      int width = config.width();
      for (int t = 0; t < rows; t++) {
        int position = length + t;
        for (int i = 0; i < width; i++) {
          residual[t * width + i] =
              tokenEmbedding(tokens[t], i) + positionEmbedding[position * width + i];
        }
      }
      Layer first = layers.get(0);
      Kernels.layerNorm(
          residual,
          rows,
          width,
          first.norm1Weight(),
          first.norm1Bias(),
          config.layerNormEpsilon(),
          normed);
      Forward forward = new Forward(rows);
      forward.runOn();
      length += rows;
      if (rows > 1) {
        // A prompt's buffers ([rows, width] each) are not kept while the sequence waits for a turn.
        scratchRows = 0;
        scratch = null;
        residual = null;
        normed = null;
        attentionPartials = null;
        mlpPartials = null;
      }
      return forward.logits;
    }

    private void ensureScratch(int rows) {
      if (scratchRows >= rows) {
        return;
      }
      int width = config.width();
      scratch = new Scratch[pool.threads()];
      for (int t = 0; t < scratch.length; t++) {
        scratch[t] = new Scratch(rows, capacity);
      }
      residual = new float[rows * width];
      normed = new float[rows * width];
      attentionPartials = new float[config.headCount()][rows * width];
      mlpPartials = new float[mlpTasks][rows * width];
      scratchRows = rows;
    }

    /**
     * One forward pass as phases: 2l = attention of layer l, 2l + 1 = its MLP, 2L = the LM head.
     * {@link PhasedForward} schedules them; finishing a phase adds its partials to the residual and
     * computes the next layer norm. Buffers of a phase are rewritten only two phases later.
     */
    private final class Forward extends PhasedForward<Scratch> {
      final int rows;
      final float[] logits = new float[config.vocabularySize()]; // [vocab]

      Forward(int rows) {
        super(pool, scratch, 2 * layers.size() + 1);
        this.rows = rows;
      }

      @Override
      int taskCount(int phase) {
        return phase == phases() - 1
            ? vocabularyTasks
            : phase % 2 == 0 ? config.headCount() : mlpTasks;
      }

      @Override
      void runTask(int phase, int task, Scratch s) {
        if (phase == phases() - 1) {
          int from = task * VOCABULARY_TASK_COLUMNS;
          int to = Math.min(config.vocabularySize(), from + VOCABULARY_TASK_COLUMNS);
          kernel.multiply(
              normed,
              0,
              config.width(),
              1,
              lmHead,
              0,
              config.width(),
              from,
              to,
              logits,
              from,
              config.vocabularySize());
        } else if (phase % 2 == 0) {
          attentionTask(phase / 2, layers.get(phase / 2), task, rows, s);
        } else {
          mlpTask(layers.get(phase / 2), task, rows, s);
        }
      }

      @Override
      void finishPhase(int phase) {
        int width = config.width();
        float epsilon = config.layerNormEpsilon();
        if (phase < phases() - 1) {
          Layer w = layers.get(phase / 2);
          if (phase % 2 == 0) {
            Kernels.addPartials(residual, rows, width, w.attentionOutBias(), attentionPartials);
            Kernels.layerNorm(
                residual, rows, width, w.norm2Weight(), w.norm2Bias(), epsilon, normed);
          } else {
            Kernels.addPartials(residual, rows, width, w.mlpOutBias(), mlpPartials);
            if (phase / 2 + 1 < layers.size()) {
              Layer next = layers.get(phase / 2 + 1);
              Kernels.layerNorm(
                  residual, rows, width, next.norm1Weight(), next.norm1Bias(), epsilon, normed);
            } else {
              // The final norm and the LM head for the last row only.
              Kernels.layerNorm(
                  residual, rows - 1, 1, width, finalNormWeight, finalNormBias, epsilon, normed);
            }
          }
        }
      }
    }

    private void attentionTask(int layer, Layer w, int head, int rows, Scratch s) {
      int width = config.width();
      int headWidth = config.headWidth();
      int columns = 3 * headWidth;
      kernel.multiply(
          normed,
          0,
          width,
          rows,
          w.qkv(),
          0,
          width,
          head * columns,
          (head + 1) * columns,
          s.qkv,
          0,
          columns);
      for (int t = 0; t < rows; t++) {
        Kernels.addInPlace(s.qkv, t * columns, w.qkvBias(), head * columns, columns);
        int cacheOffset = (head * capacity + length + t) * headWidth;
        System.arraycopy(s.qkv, t * columns + headWidth, keys[layer], cacheOffset, headWidth);
        System.arraycopy(s.qkv, t * columns + 2 * headWidth, values[layer], cacheOffset, headWidth);
      }
      for (int t = 0; t < rows; t++) {
        attendOneHead(layer, head, t, s);
      }
      kernel.multiply(
          s.context,
          0,
          headWidth,
          rows,
          w.attentionOut(),
          head * headWidth,
          (head + 1) * headWidth,
          0,
          width,
          attentionPartials[head],
          0,
          width);
    }

    private void mlpTask(Layer w, int task, int rows, Scratch s) {
      int width = config.width();
      int from = task * mlpTaskColumns;
      int to = Math.min(config.innerWidth(), from + mlpTaskColumns);
      int columns = to - from;
      kernel.multiply(normed, 0, width, rows, w.mlpIn(), 0, width, from, to, s.hidden, 0, columns);
      for (int t = 0; t < rows; t++) {
        Kernels.addInPlace(s.hidden, t * columns, w.mlpInBias(), from, columns);
      }
      Kernels.geluTanh(s.hidden, 0, rows * columns);
      kernel.multiply(
          s.hidden, 0, columns, rows, w.mlpOut(), from, to, 0, width, mlpPartials[task], 0, width);
    }

    /**
     * Attention of row t over the cached positions up to its own, for one head, into {@code
     * s.context}.
     */
    private void attendOneHead(int layer, int head, int t, Scratch s) {
      int headWidth = config.headWidth();
      int query = t * 3 * headWidth;
      int visible = length + t + 1; // causal: positions up to this token's own
      float scale = (float) (1.0 / Math.sqrt(headWidth));
      float[] q = s.qkv;
      float[] scores = s.scores;
      float[] keyCache = keys[layer];
      float max = Float.NEGATIVE_INFINITY;
      for (int position = 0; position < visible; position++) {
        int key = (head * capacity + position) * headWidth;
        float dot = 0;
        for (int d = 0; d < headWidth; d++) {
          dot += q[query + d] * keyCache[key + d];
        }
        scores[position] = dot * scale;
        max = Math.max(max, scores[position]);
      }
      float sum = 0;
      for (int position = 0; position < visible; position++) {
        scores[position] = (float) Math.exp(scores[position] - max);
        sum += scores[position];
      }
      int out = t * headWidth;
      java.util.Arrays.fill(s.context, out, out + headWidth, 0f);
      float[] valueCache = values[layer];
      for (int position = 0; position < visible; position++) {
        float weight = scores[position] / sum;
        int value = (head * capacity + position) * headWidth;
        for (int d = 0; d < headWidth; d++) {
          s.context[out + d] += weight * valueCache[value + d];
        }
      }
    }
  }
}
