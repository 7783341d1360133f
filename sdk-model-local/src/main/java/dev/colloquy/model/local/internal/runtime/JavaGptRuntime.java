package dev.colloquy.model.local.internal.runtime;

import dev.colloquy.model.local.internal.checkpoint.GptConfig;
import dev.colloquy.model.local.internal.checkpoint.GptWeights;
import dev.colloquy.model.local.internal.checkpoint.PackedGptWeights;
import dev.colloquy.model.local.internal.decoder.WeightTensor;
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
 * <p>Design note. A step ({@link #appendAll}, or one sequence's {@link GptSequence#append}) is one
 * job on the {@link WorkerPool}. Its rows are the new tokens of all its sequences, each sequence's
 * consecutive, and every matrix multiply runs over all rows at once: one pass over the weights
 * serves the whole step (continuous batching: decoding one token is bound by memory bandwidth, so
 * several sequences' tokens in one step cost far less than a step each). Two phases per layer,
 * whose tasks the threads take from a shared counter:
 *
 * <ol>
 *   <li>attention, one task per head: that head's q/k/v columns for every row, each row's key and
 *       value written to its own sequence's KV cache at its position, each row's attention over its
 *       own sequence's cache, and the rows' partial product with the attention output weight (the
 *       rows of that head); the thread that finishes the last task adds the partials, in head
 *       order, to the residual stream and computes layer norm 2;
 *   <li>MLP, one task per slice of the inner width: MLP-in columns, GELU, and the partial product
 *       with the MLP-out rows of that slice; then likewise the residual and the next norm.
 * </ol>
 *
 * Then the LM head over each sequence's last row, one task per 512 vocabulary columns. Tasks are
 * taken dynamically and no thread waits for another that holds no task, so a thread descheduled by
 * the OS (other processes on a small machine) delays a token by at most the task it holds. F32
 * weights are packed once at load into {@link PackedMatrix} panels and F16/BF16 ones kept 16-bit
 * [out, in] ({@link EncodedMatrix}, as {@link JavaDecoderRuntime} keeps them), so every task
 * streams contiguous memory. Results do not depend on the thread count, on which thread ran a task,
 * or on the other sequences of a step (every kernel computes a row alike whatever the other rows).
 * Sequences hold only their caches; a step's buffers ({@code Workspace}) belong to the runtime, one
 * step at a time.
 */
public final class JavaGptRuntime implements GptRuntime {

  private static final int VOCABULARY_TASK_COLUMNS = 8 * PackedMatrix.PANEL;

  private final GptConfig config;
  private final WorkerPool pool;
  private final MatrixKernel kernel;
  private final BlockKernel blockKernel;
  private final AttentionKernel attention;
  private final List<Layer> layers;
  private final float[] positionEmbedding; // [context, width]
  private final WeightTensor untiedTokenEmbedding; // [vocab, width], or empty when tied
  private final float[] finalNormWeight;
  private final float[] finalNormBias;
  private final LinearMatrix lmHead; // [width, vocab]
  private final int mlpTaskColumns;
  private final int mlpTasks;
  private final int vocabularyTasks;
  private final StepBuffers<Workspace> steps;

  /**
   * One block, its matrices [in, out] (F32 panels or F16/BF16 kept 16-bit). The q/k/v columns are
   * reordered so that head h owns columns [3hW, 3(h+1)W): its q, k, v.
   */
  private record Layer(
      float[] norm1Weight,
      float[] norm1Bias,
      LinearMatrix qkv, // [width, 3 * width]
      float[] qkvBias,
      LinearMatrix attentionOut, // [width, width]
      float[] attentionOutBias,
      float[] norm2Weight,
      float[] norm2Bias,
      LinearMatrix mlpIn, // [width, inner]
      float[] mlpInBias,
      LinearMatrix mlpOut, // [inner, width]
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
    this.blockKernel = vectorIfAvailable ? MatrixKernels.bestBlock() : BlockKernels.SCALAR;
    this.attention = vectorIfAvailable ? MatrixKernels.attention() : AttentionKernel.SCALAR;
    int width = config.width();
    int inner = config.innerWidth();
    List<Layer> packed = new ArrayList<>();
    for (PackedGptWeights.Layer w : weights.layers()) {
      packed.add(
          new Layer(
              w.norm1Weight(),
              w.norm1Bias(),
              matrix(w.qkv(), width, 3 * width),
              w.qkvBias(),
              matrix(w.attentionOut(), width, width),
              w.attentionOutBias(),
              w.norm2Weight(),
              w.norm2Bias(),
              matrix(w.mlpIn(), width, inner),
              w.mlpInBias(),
              matrix(w.mlpOut(), inner, width),
              w.mlpOutBias()));
    }
    this.layers = List.copyOf(packed);
    this.positionEmbedding = weights.positionEmbedding();
    this.finalNormWeight = weights.finalNormWeight();
    this.finalNormBias = weights.finalNormBias();
    this.lmHead = matrix(weights.lmHead(), width, config.vocabularySize());
    // With a tied head the row-major embedding is not kept: lookups read the packed LM head.
    this.untiedTokenEmbedding = weights.untiedTokenEmbedding();
    this.mlpTaskColumns =
        inner >= 32 * PackedMatrix.PANEL ? 4 * PackedMatrix.PANEL : PackedMatrix.PANEL;
    this.mlpTasks = (inner + mlpTaskColumns - 1) / mlpTaskColumns;
    this.vocabularyTasks =
        (config.vocabularySize() + VOCABULARY_TASK_COLUMNS - 1) / VOCABULARY_TASK_COLUMNS;
    this.pool = new WorkerPool(threads);
    this.steps = new StepBuffers<>(Workspace::new, config.vocabularySize());
  }

  private LinearMatrix matrix(WeightTensor tensor, int in, int out) {
    return LinearMatrix.ofOutIn(tensor, in, out, kernel, blockKernel);
  }

  private float tokenEmbedding(int token, int i) {
    return untiedTokenEmbedding.size() == 0
        ? lmHead.get(i, token)
        : untiedTokenEmbedding.get(token * config.width() + i);
  }

  /** The bytes of the matrices one decoded token reads (the token embedding row aside). */
  public long matrixBytes() {
    long bytes = lmHead.byteSize();
    for (Layer layer : layers) {
      bytes +=
          layer.qkv().byteSize()
              + layer.attentionOut().byteSize()
              + layer.mlpIn().byteSize()
              + layer.mlpOut().byteSize();
    }
    return bytes;
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
  public List<Integer> endOfTextIds() {
    return List.of(config.endOfTextId());
  }

  @Override
  public GptSequence newSequence(int capacity) {
    SequenceBounds.checkCapacity(capacity, config.contextLength());
    return new Sequence(capacity);
  }

  /**
   * Runs the step as one forward pass over the new tokens of all the sequences (see the design
   * note); each sequence's logits equal those of its own {@link GptSequence#append}, bit for bit.
   *
   * @throws IllegalArgumentException also if a sequence was not created by this runtime
   */
  @Override
  public float[][] appendAll(List<GptSequence> sequences, List<int[]> tokens) {
    SequenceBounds.checkBatch(sequences, tokens, config.vocabularySize());
    SequenceBounds.checkOwned(
        sequences, sequence -> sequence instanceof Sequence own && own.runtime() == this);
    return step(sequences.toArray(new Sequence[0]), tokens.toArray(new int[0][]));
  }

  @Override
  public String description() {
    return "java-cpu, "
        + pool.threads()
        + " thread"
        + (pool.threads() == 1 ? "" : "s")
        + ", "
        + kernel.name()
        + " kernel, "
        + lmHead.encoding()
        + " weights";
  }

  @Override
  public void close() {
    pool.close();
  }

  /** One thread's scratch buffers for one task of a step. */
  private final class Scratch {
    final float[] qkv; // [rows, 3 * headWidth]: one head's q, k, v
    final float[] context; // [rows, headWidth]: one head's attention output
    final float[] hidden; // [rows, mlpTaskColumns]: one slice of the MLP's inner activations
    final float[] scores; // [4, span]: up to four rows' attention scores by position

    Scratch(int rows, int span) {
      int headWidth = config.headWidth();
      qkv = new float[rows * 3 * headWidth];
      context = new float[rows * headWidth];
      hidden = new float[rows * mlpTaskColumns];
      scores = new float[4 * AttentionKernel.cachedPositions(span)];
    }
  }

  /**
   * The buffers of a step of up to {@code rows} rows whose rows see up to {@code span} positions.
   */
  private final class Workspace {
    final Scratch[] scratch; // [threads]
    final float[] residual; // [rows, width]: the residual stream
    final float[] normed; // [rows, width]: the layer norm that the open phase reads
    final float[][] attentionPartials; // [heads][rows * width]
    final float[][] mlpPartials; // [mlpTasks][rows * width]

    Workspace(int rows, int span) {
      int width = config.width();
      scratch = new Scratch[pool.threads()];
      for (int t = 0; t < scratch.length; t++) {
        scratch[t] = new Scratch(rows, span);
      }
      residual = new float[rows * width];
      normed = new float[rows * width];
      attentionPartials = new float[config.headCount()][rows * width];
      mlpPartials = new float[mlpTasks][rows * width];
    }
  }

  /** Runs one step over checked sequences of this runtime (see {@link StepBuffers}). */
  private float[][] step(Sequence[] sequences, int[][] tokens) {
    return steps.step(
        sequences,
        tokens,
        (rows, buffers, logits) -> new Step(sequences, tokens, rows, buffers, logits));
  }

  /** A sequence: the KV cache of every layer. */
  private final class Sequence implements StepBuffers.Stepped {
    private final int capacity;
    private final int headStride; // floats per head: whole key blocks (AttentionKernel's layout)
    private final float[][] keys; // per layer and head: blocks of positions, dimension-major
    private final float[][] values; // per layer: [heads, headStride / headWidth, headWidth]
    private int length;

    Sequence(int capacity) {
      this.capacity = capacity;
      this.headStride =
          Math.multiplyExact(AttentionKernel.cachedPositions(capacity), config.headWidth());
      int size = Math.multiplyExact(config.headCount(), headStride);
      this.keys = new float[config.layerCount()][size];
      this.values = new float[config.layerCount()][size];
    }

    JavaGptRuntime runtime() {
      return JavaGptRuntime.this;
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
    public void advance(int tokens) {
      length += tokens;
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
          int from = head * headStride;
          int to = head * copy.headStride;
          int floats = AttentionKernel.prefixFloats(prefix, headWidth);
          System.arraycopy(keys[layer], from, copy.keys[layer], to, floats);
          System.arraycopy(values[layer], from, copy.values[layer], to, floats);
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
      return step(new Sequence[] {this}, new int[][] {tokens})[0];
    }
  }

  /**
   * One forward pass of a step as phases: 2l = attention of layer l, 2l + 1 = its MLP, 2L = the LM
   * head. {@link PhasedForward} schedules them; finishing a phase adds its partials to the residual
   * and computes the next layer norm. Buffers of a phase are rewritten only two phases later.
   */
  private final class Step extends PhasedForward<Scratch> {
    private final Sequence[] sequences;
    private final int rows;
    private final int[] rowSequence; // [rows]: the index in sequences of each row's sequence
    private final int[] rowPosition; // [rows]: each row's position in its sequence
    private final int[] lastRow; // [sequences]: the row of each sequence's last new token
    private final float[] residual; // [rows, width], the workspace's
    private final float[] normed; // [rows, width], the workspace's
    private final float[][] attentionPartials; // [heads][rows * width], the workspace's
    private final float[][] mlpPartials; // [mlpTasks][rows * width], the workspace's
    private final float[] logits; // [sequences, vocab], the step's

    Step(Sequence[] sequences, int[][] tokens, int rows, Workspace workspace, float[] logits) {
      super(pool, workspace.scratch, 2 * layers.size() + 1);
      this.sequences = sequences;
      this.rows = rows;
      this.rowSequence = new int[rows];
      this.rowPosition = new int[rows];
      this.lastRow = new int[sequences.length];
      this.residual = workspace.residual;
      this.normed = workspace.normed;
      this.attentionPartials = workspace.attentionPartials;
      this.mlpPartials = workspace.mlpPartials;
      this.logits = logits;
      int width = config.width();
      int row = 0;
      for (int i = 0; i < sequences.length; i++) {
        for (int t = 0; t < tokens[i].length; t++, row++) {
          int position = sequences[i].length + t;
          rowSequence[row] = i;
          rowPosition[row] = position;
          for (int c = 0; c < width; c++) {
            residual[row * width + c] =
                tokenEmbedding(tokens[i][t], c) + positionEmbedding[position * width + c];
          }
        }
        lastRow[i] = row - 1;
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
        int vocabulary = config.vocabularySize();
        int to = Math.min(vocabulary, from + VOCABULARY_TASK_COLUMNS);
        int width = config.width();
        lmHead.multiply(
            normed, 0, width, sequences.length, 0, width, from, to, logits, from, vocabulary);
      } else if (phase % 2 == 0) {
        attentionTask(phase / 2, layers.get(phase / 2), task, s);
      } else {
        mlpTask(layers.get(phase / 2), task, s);
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
          Kernels.layerNorm(residual, rows, width, w.norm2Weight(), w.norm2Bias(), epsilon, normed);
        } else {
          Kernels.addPartials(residual, rows, width, w.mlpOutBias(), mlpPartials);
          if (phase / 2 + 1 < layers.size()) {
            Layer next = layers.get(phase / 2 + 1);
            Kernels.layerNorm(
                residual, rows, width, next.norm1Weight(), next.norm1Bias(), epsilon, normed);
          } else {
            // The final norm and the LM head for each sequence's last row only: those rows move
            // to the front (row i from lastRow[i] >= i, so no source is overwritten before read).
            for (int i = 0; i < sequences.length; i++) {
              System.arraycopy(residual, lastRow[i] * width, residual, i * width, width);
            }
            Kernels.layerNorm(
                residual, sequences.length, width, finalNormWeight, finalNormBias, epsilon, normed);
          }
        }
      }
    }

    private void attentionTask(int layer, Layer w, int head, Scratch s) {
      int width = config.width();
      int headWidth = config.headWidth();
      int columns = 3 * headWidth;
      // One pass over this head's q/k/v columns for every row of the step.
      w.qkv()
          .multiply(
              normed,
              0,
              width,
              rows,
              0,
              width,
              head * columns,
              (head + 1) * columns,
              s.qkv,
              0,
              columns);
      for (int t = 0; t < rows; t++) {
        Kernels.addInPlace(s.qkv, t * columns, w.qkvBias(), head * columns, columns);
        Sequence sequence = sequences[rowSequence[t]];
        int headBase = head * sequence.headStride;
        AttentionKernel.storeKey(
            s.qkv,
            t * columns + headWidth,
            sequence.keys[layer],
            headBase,
            headWidth,
            rowPosition[t]);
        System.arraycopy(
            s.qkv,
            t * columns + 2 * headWidth,
            sequence.values[layer],
            headBase + rowPosition[t] * headWidth,
            headWidth);
      }
      // Every row's key and value are cached before any row attends: a prompt's rows see the
      // earlier ones of their own sequence.
      attendHead(layer, head, s);
      w.attentionOut()
          .multiply(
              s.context,
              0,
              headWidth,
              rows,
              head * headWidth,
              (head + 1) * headWidth,
              0,
              width,
              attentionPartials[head],
              0,
              width);
    }

    private void mlpTask(Layer w, int task, Scratch s) {
      int width = config.width();
      int from = task * mlpTaskColumns;
      int to = Math.min(config.innerWidth(), from + mlpTaskColumns);
      int columns = to - from;
      w.mlpIn().multiply(normed, 0, width, rows, 0, width, from, to, s.hidden, 0, columns);
      for (int t = 0; t < rows; t++) {
        Kernels.addInPlace(s.hidden, t * columns, w.mlpInBias(), from, columns);
      }
      Kernels.geluTanh(s.hidden, 0, rows * columns);
      w.mlpOut()
          .multiply(s.hidden, 0, columns, rows, from, to, 0, width, mlpPartials[task], 0, width);
    }

    /**
     * Attention of every row over its own sequence's cached positions up to its own, for one head,
     * into {@code s.context}: up to four consecutive rows of one sequence at a time, so that the
     * kernel reads each key once for them.
     */
    private void attendHead(int layer, int head, Scratch s) {
      int headWidth = config.headWidth();
      float scale = (float) (1.0 / Math.sqrt(headWidth));
      for (int t = 0; t < rows; ) {
        int count = 1;
        while (count < 4
            && t + count < rows
            && rowSequence[t + count] == rowSequence[t]
            && rowPosition[t + count] == rowPosition[t] + count) {
          count++;
        }
        Sequence sequence = sequences[rowSequence[t]];
        attention.attendMany(
            s.qkv,
            t * 3 * headWidth,
            3 * headWidth,
            count,
            sequence.keys[layer],
            sequence.values[layer],
            head * sequence.headStride,
            headWidth,
            0, // causal: positions up to each row's own
            rowPosition[t],
            1,
            scale,
            s.scores,
            s.context,
            t * headWidth,
            headWidth);
        t += count;
      }
    }
  }
}
