package dev.colloquy.model.local.internal.runtime;

import dev.colloquy.model.local.internal.checkpoint.GptConfig;
import dev.colloquy.model.local.internal.checkpoint.GptWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The GPT-2 forward pass in plain Java on the CPU.
 *
 * <p>Why it exists: decoding one token is a matrix-vector product per weight, bound by memory
 * bandwidth. DJL's graph pays about 5 ms of per-operator overhead per token on top of that (see
 * docs/benchmarks.md); these loops stream each weight once per token with no framework in
 * between. DJL stays the engine for GPUs and the cross-check in the tests.
 *
 * <p>Design note. One {@link GptSequence#append} is one job on the {@link WorkerPool}: every
 * thread runs the whole forward pass, taking tasks from a shared counter per phase, with two
 * barriers per layer:
 * <ol>
 *   <li>attention, one task per head: that head's q/k/v columns, its KV-cache rows, its attention,
 *       and its partial product with the attention output weight (the rows of that head);
 *   <li>barrier; every thread adds the partials, in head order, to its own copy of the residual
 *       stream (so all copies stay bit-identical), then layer norm 2;
 *   <li>MLP, one task per slice of the inner width: MLP-in columns, GELU, and the partial
 *       product with the MLP-out rows of that slice;
 *   <li>barrier; every thread adds the partials, in slice order, to its residual copy.
 * </ol>
 * Then the LM head, one task per 512 vocabulary columns. Tasks are taken dynamically, so a thread
 * descheduled by the OS delays a token by one task, not by its static share. Weights are packed
 * once at load into {@link PackedMatrix} panels, so every task streams contiguous memory. Results
 * do not depend on the thread count or on which thread ran a task.
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

  /** One block, packed. The q/k/v columns are reordered so that head h owns columns [3hW, 3(h+1)W): its q, k, v. */
  private record Layer(float[] norm1Weight, float[] norm1Bias, PackedMatrix qkv, float[] qkvBias,
      PackedMatrix attentionOut, float[] attentionOutBias, float[] norm2Weight, float[] norm2Bias,
      PackedMatrix mlpIn, float[] mlpInBias, PackedMatrix mlpOut, float[] mlpOutBias) {
  }

  /**
   * With the fastest kernel this JVM offers (the Vector API one on Java 21+ when the
   * {@code jdk.incubator.vector} module is present).
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
   * @param vectorIfAvailable false to use the plain-Java kernel even where the Vector API is present
   */
  public JavaGptRuntime(GptWeights weights, int threads, boolean vectorIfAvailable) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, was " + threads);
    }
    this.config = weights.config();
    this.kernel = vectorIfAvailable ? MatrixKernels.best() : Kernels.SCALAR;
    int width = config.width();
    int inner = config.innerWidth();
    List<Layer> packed = new ArrayList<>();
    for (GptWeights.Layer w : weights.layers()) {
      packed.add(new Layer(w.norm1Weight(), w.norm1Bias(),
          PackedMatrix.ofRowMajor(headMajor(w.qkvWeight(), width), width, 3 * width), headMajor(w.qkvBias(), 1),
          PackedMatrix.ofRowMajor(w.attentionOutWeight(), width, width), w.attentionOutBias(),
          w.norm2Weight(), w.norm2Bias(),
          PackedMatrix.ofRowMajor(w.mlpInWeight(), width, inner), w.mlpInBias(),
          PackedMatrix.ofRowMajor(w.mlpOutWeight(), inner, width), w.mlpOutBias()));
    }
    this.layers = List.copyOf(packed);
    this.positionEmbedding = weights.positionEmbedding();
    this.finalNormWeight = weights.finalNormWeight();
    this.finalNormBias = weights.finalNormBias();
    this.lmHead = PackedMatrix.ofTransposed(weights.lmHead(), width, config.vocabularySize());
    // With a tied head the row-major embedding is not kept: lookups read the packed LM head.
    this.untiedTokenEmbedding = weights.lmHead() == weights.tokenEmbedding() ? new float[0] : weights.tokenEmbedding();
    this.mlpTaskColumns = inner >= 32 * PackedMatrix.PANEL ? 4 * PackedMatrix.PANEL : PackedMatrix.PANEL;
    this.pool = new WorkerPool(threads);
  }

  /** Reorders the columns of [rows, 3 * width] from (all q, all k, all v) to (q, k, v of head 0, of head 1, ...). */
  private float[] headMajor(float[] qkv, int rows) {
    int width = config.width();
    int headWidth = config.headWidth();
    float[] result = new float[qkv.length];
    for (int r = 0; r < rows; r++) {
      for (int head = 0; head < config.headCount(); head++) {
        for (int part = 0; part < 3; part++) {
          System.arraycopy(qkv, r * 3 * width + part * width + head * headWidth,
              result, r * 3 * width + (3 * head + part) * headWidth, headWidth);
        }
      }
    }
    return result;
  }

  private float tokenEmbedding(int token, int i) {
    return untiedTokenEmbedding.length == 0 ? lmHead.get(i, token) : untiedTokenEmbedding[token * config.width() + i];
  }

  @Override
  public GptConfig config() {
    return config;
  }

  @Override
  public GptSequence newSequence(int capacity) {
    if (capacity < 1 || capacity > config.contextLength()) {
      throw new IllegalArgumentException("capacity must be 1 to " + config.contextLength() + ", was " + capacity);
    }
    return new Sequence(capacity);
  }

  @Override
  public String description() {
    return "java-cpu, " + pool.threads() + " thread" + (pool.threads() == 1 ? "" : "s") + ", " + kernel.name() + " kernel";
  }

  @Override
  public void close() {
    pool.close();
  }

  /** One thread's scratch buffers for a forward pass of up to {@code rows} tokens. */
  private final class Scratch {
    final float[] residual; // [rows, width]: this thread's copy of the residual stream
    final float[] normed; // [rows, width]
    final float[] qkv; // [rows, 3 * headWidth]: one head's q, k, v
    final float[] context; // [rows, headWidth]: one head's attention output
    final float[] hidden; // [rows, mlpTaskColumns]: one slice of the MLP's inner activations
    final float[] scores; // [capacity]

    Scratch(int rows, int capacity) {
      int width = config.width();
      int headWidth = config.headWidth();
      residual = new float[rows * width];
      normed = new float[rows * width];
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
    private final AtomicIntegerArray nextTask; // [2 * layers + 1]: the next task of each phase
    private int length;
    private int scratchRows;
    private Scratch[] scratch; // [threads]
    private float[][] attentionPartials; // [heads][rows * width]
    private float[][] mlpPartials; // [mlpTasks][rows * width]

    Sequence(int capacity) {
      this.capacity = capacity;
      int size = config.headCount() * capacity * config.headWidth();
      this.keys = new float[config.layerCount()][size];
      this.values = new float[config.layerCount()][size];
      this.mlpTasks = (config.innerWidth() + mlpTaskColumns - 1) / mlpTaskColumns;
      this.vocabularyTasks = (config.vocabularySize() + VOCABULARY_TASK_COLUMNS - 1) / VOCABULARY_TASK_COLUMNS;
      this.nextTask = new AtomicIntegerArray(2 * config.layerCount() + 1);
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public void close() {
      // Heap arrays: nothing to release.
    }

    @Override
    public float[] append(int[] tokens) {
      int rows = tokens.length;
      if (rows == 0 || length + rows > capacity) {
        throw new IllegalStateException("cannot append " + rows + " tokens to a sequence of " + length
            + " with capacity " + capacity);
      }
      for (int token : tokens) {
        if (token < 0 || token >= config.vocabularySize()) {
          throw new IllegalArgumentException("token id " + token + " is outside the vocabulary of " + config.vocabularySize());
        }
      }
      ensureScratch(rows);
      for (int i = 0; i < nextTask.length(); i++) {
        nextTask.set(i, 0);
      }
      float[] logits = new float[config.vocabularySize()]; // [vocab]
      pool.run(thread -> forward(thread, tokens, logits));
      length += rows;
      return logits;
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
      attentionPartials = new float[config.headCount()][rows * width];
      mlpPartials = new float[mlpTasks][rows * width];
      scratchRows = rows;
    }

    /** The whole forward pass as run by one of the pool's threads. */
    private void forward(int thread, int[] tokens, float[] logits) {
      Scratch s = scratch[thread];
      int rows = tokens.length;
      int width = config.width();
      float epsilon = config.layerNormEpsilon();
      for (int t = 0; t < rows; t++) {
        int position = length + t;
        for (int i = 0; i < width; i++) {
          s.residual[t * width + i] = tokenEmbedding(tokens[t], i) + positionEmbedding[position * width + i];
        }
      }
      for (int index = 0; index < layers.size(); index++) {
        Layer w = layers.get(index);
        Kernels.layerNorm(s.residual, rows, width, w.norm1Weight(), w.norm1Bias(), epsilon, s.normed);
        for (int head; (head = nextTask.getAndIncrement(2 * index)) < config.headCount(); ) {
          attentionTask(index, w, head, rows, s);
        }
        pool.barrier(thread);
        addPartials(s.residual, rows, w.attentionOutBias(), attentionPartials);
        Kernels.layerNorm(s.residual, rows, width, w.norm2Weight(), w.norm2Bias(), epsilon, s.normed);
        for (int task; (task = nextTask.getAndIncrement(2 * index + 1)) < mlpTasks; ) {
          mlpTask(w, task, rows, s);
        }
        pool.barrier(thread);
        addPartials(s.residual, rows, w.mlpOutBias(), mlpPartials);
      }
      // The final norm and the LM head for the last row only.
      Kernels.layerNorm(s.residual, rows - 1, 1, width, finalNormWeight, finalNormBias, epsilon, s.normed);
      int vocabulary = config.vocabularySize();
      for (int task; (task = nextTask.getAndIncrement(2 * layers.size())) < vocabularyTasks; ) {
        int from = task * VOCABULARY_TASK_COLUMNS;
        int to = Math.min(vocabulary, from + VOCABULARY_TASK_COLUMNS);
        kernel.multiply(s.normed, 0, width, 1, lmHead, 0, width, from, to, logits, from, vocabulary);
      }
    }

    /** {@code residual[t, :] += bias + sum of partials[p][t, :]}, partials added in index order. */
    private void addPartials(float[] residual, int rows, float[] bias, float[][] partials) {
      int width = config.width();
      for (int t = 0; t < rows; t++) {
        int o = t * width;
        for (int i = 0; i < width; i++) {
          float sum = bias[i];
          for (float[] partial : partials) {
            sum += partial[o + i];
          }
          residual[o + i] += sum;
        }
      }
    }

    private void attentionTask(int layer, Layer w, int head, int rows, Scratch s) {
      int width = config.width();
      int headWidth = config.headWidth();
      int columns = 3 * headWidth;
      kernel.multiply(s.normed, 0, width, rows, w.qkv(), 0, width, head * columns, (head + 1) * columns,
          s.qkv, 0, columns);
      for (int t = 0; t < rows; t++) {
        Kernels.addInPlace(s.qkv, t * columns, w.qkvBias(), head * columns, columns);
        int cacheOffset = (head * capacity + length + t) * headWidth;
        System.arraycopy(s.qkv, t * columns + headWidth, keys[layer], cacheOffset, headWidth);
        System.arraycopy(s.qkv, t * columns + 2 * headWidth, values[layer], cacheOffset, headWidth);
      }
      for (int t = 0; t < rows; t++) {
        attendOneHead(layer, head, t, s);
      }
      kernel.multiply(s.context, 0, headWidth, rows, w.attentionOut(), head * headWidth, (head + 1) * headWidth,
          0, width, attentionPartials[head], 0, width);
    }

    private void mlpTask(Layer w, int task, int rows, Scratch s) {
      int width = config.width();
      int from = task * mlpTaskColumns;
      int to = Math.min(config.innerWidth(), from + mlpTaskColumns);
      int columns = to - from;
      kernel.multiply(s.normed, 0, width, rows, w.mlpIn(), 0, width, from, to, s.hidden, 0, columns);
      for (int t = 0; t < rows; t++) {
        Kernels.addInPlace(s.hidden, t * columns, w.mlpInBias(), from, columns);
      }
      Kernels.geluTanh(s.hidden, 0, rows * columns);
      kernel.multiply(s.hidden, 0, columns, rows, w.mlpOut(), from, to, 0, width, mlpPartials[task], 0, width);
    }

    /** Attention of row t over the cached positions up to its own, for one head, into {@code s.context}. */
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
