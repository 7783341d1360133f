package dev.colloquy.model.local.internal.runtime;

import dev.colloquy.model.local.internal.decoder.DecoderConfig;
import dev.colloquy.model.local.internal.decoder.DecoderWeights;
import dev.colloquy.model.local.internal.decoder.RopeFrequencies;
import dev.colloquy.model.local.internal.decoder.TensorNames;
import dev.colloquy.model.local.internal.decoder.WeightTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The forward pass of the Llama-style families (Llama, Mistral, Qwen2, Qwen3, Phi-3) in plain Java
 * on the CPU: RMSNorm, rotary embeddings (rotate-half order, partial, scaled as configured; a
 * sequence takes its frequencies once, for its capacity), grouped-query attention with a KV cache
 * and a per-layer sliding window, q/k/v/output biases, per-head q/k RMSNorm, a gated MLP with
 * optional biases, and a tied or separate LM head. It lives beside {@link JavaGptRuntime} to share
 * its packed matrices, kernels and worker pool.
 *
 * <p>Design note. A step ({@link #appendAll}, or one sequence's {@link GptSequence#append}) is one
 * job on the {@link WorkerPool}. Its rows are the new tokens of all its sequences, each sequence's
 * consecutive; every matrix multiply runs over all rows at once, so one pass over the weights
 * serves the whole step. The phases' tasks are taken by the threads from a shared counter, as in
 * {@link JavaGptRuntime}:
 *
 * <ol>
 *   <li>attention, one task per key/value head: the queries of the heads that share it, its key and
 *       value (bias, q/k norm and RoPE applied), written to each row's own sequence's KV cache at
 *       the row's position, the attention of each row over its own sequence's cache (causal, within
 *       the layer's sliding window), and the rows' partial product with the output projection; the
 *       thread finishing the last task adds the partials, in head order, to the residual stream and
 *       computes the MLP's norm;
 *   <li>MLP, one task per slice of the inner width: gate and up columns, activation(gate) × up, and
 *       the partial product with the down projection's rows; then the residual and the next norm.
 * </ol>
 *
 * Then the LM head over each sequence's last row, one task per 512 vocabulary columns. Partials are
 * added in a fixed order and every kernel computes a row alike whatever the other rows, so results
 * depend neither on the thread count nor on the other sequences of a step. Sequences hold only
 * their caches; a step's buffers ({@code Workspace}) belong to the runtime, one step at a time.
 */
public final class JavaDecoderRuntime implements GptRuntime {

  private static final int VOCABULARY_TASK_COLUMNS = 8 * PackedMatrix.PANEL;

  private final DecoderConfig config;
  private final WorkerPool pool;
  private final MatrixKernel kernel;
  private final BlockKernel blockKernel;
  private final AttentionKernel attention;
  private final List<Layer> layers;
  private final WeightTensor
      untiedTokenEmbedding; // [vocab, width], or null when tied to the LM head
  private final float[] finalNormWeight; // [width]
  private final LinearMatrix lmHead; // [width, vocab]
  private final float attentionFactor;
  private final int mlpTaskColumns;
  private final boolean silu;
  private final int mlpTasks;
  private final int vocabularyTasks;
  private final StepBuffers<Workspace> steps;

  /**
   * One block, packed as [in, out] panels. Biases and norms are empty arrays when the family has
   * none.
   */
  private record Layer(
      float[] attentionNorm, // [width]
      LinearMatrix query, // [width, heads * headWidth]
      LinearMatrix key, // [width, kvHeads * headWidth]
      LinearMatrix value, // [width, kvHeads * headWidth]
      float[] queryBias, // [heads * headWidth]
      float[] keyBias, // [kvHeads * headWidth]
      float[] valueBias, // [kvHeads * headWidth]
      float[] queryNorm, // [headWidth]
      float[] keyNorm, // [headWidth]
      LinearMatrix output, // [heads * headWidth, width]
      float[] outputBias, // [width]
      float[] feedForwardNorm, // [width]
      LinearMatrix gate, // [width, inner]
      LinearMatrix up, // [width, inner]
      LinearMatrix down, // [inner, width]
      float[] gateBias, // [inner]
      float[] upBias, // [inner]
      float[] downBias) {} // [width]

  /**
   * With the fastest kernel this JVM offers.
   *
   * @param weights the weights; they are packed into a new layout, not kept
   * @param threads the kernel threads, at least 1
   */
  public JavaDecoderRuntime(DecoderWeights weights, int threads) {
    this(weights, threads, true);
  }

  /**
   * @param weights the weights; they are packed into a new layout, not kept
   * @param threads the kernel threads, at least 1
   * @param vectorIfAvailable false to use the plain-Java kernel even where the Vector API is there
   */
  public JavaDecoderRuntime(DecoderWeights weights, int threads, boolean vectorIfAvailable) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, was " + threads);
    }
    this.config = weights.config();
    this.kernel = vectorIfAvailable ? MatrixKernels.best() : Kernels.SCALAR;
    this.blockKernel = vectorIfAvailable ? MatrixKernels.bestBlock() : BlockKernels.SCALAR;
    this.attention = vectorIfAvailable ? MatrixKernels.attention() : AttentionKernel.SCALAR;
    int width = config.width();
    int query = config.queryWidth();
    int keyValue = config.keyValueWidth();
    int inner = config.innerWidth();
    List<Layer> packed = new ArrayList<>();
    for (int l = 0; l < config.layerCount(); l++) {
      packed.add(
          new Layer(
              weights.floats(TensorNames.attentionNorm(l)),
              matrix(weights.tensor(TensorNames.query(l)), width, query),
              matrix(weights.tensor(TensorNames.key(l)), width, keyValue),
              matrix(weights.tensor(TensorNames.value(l)), width, keyValue),
              optional(weights, config.queryKeyValueBias(), TensorNames.queryBias(l)),
              optional(weights, config.queryKeyValueBias(), TensorNames.keyBias(l)),
              optional(weights, config.queryKeyValueBias(), TensorNames.valueBias(l)),
              optional(weights, config.queryKeyNorm(), TensorNames.queryNorm(l)),
              optional(weights, config.queryKeyNorm(), TensorNames.keyNorm(l)),
              matrix(weights.tensor(TensorNames.attentionOutput(l)), query, width),
              optional(weights, config.outputBias(), TensorNames.attentionOutputBias(l)),
              weights.floats(TensorNames.feedForwardNorm(l)),
              matrix(weights.tensor(TensorNames.gate(l)), width, inner),
              matrix(weights.tensor(TensorNames.up(l)), width, inner),
              matrix(weights.tensor(TensorNames.down(l)), inner, width),
              optional(weights, config.feedForwardBias(), TensorNames.gateBias(l)),
              optional(weights, config.feedForwardBias(), TensorNames.upBias(l)),
              optional(weights, config.feedForwardBias(), TensorNames.downBias(l))));
    }
    this.layers = List.copyOf(packed);
    this.finalNormWeight = weights.floats(TensorNames.OUTPUT_NORM);
    this.lmHead = matrix(weights.lmHeadTensor(), width, config.vocabularySize());
    // With a tied head the row-major embedding is not kept: lookups read the packed LM head.
    this.untiedTokenEmbedding =
        config.tiedEmbeddings() ? null : weights.tensor(TensorNames.TOKEN_EMBEDDING);
    this.attentionFactor = RopeFrequencies.attentionFactor(config);
    this.mlpTaskColumns =
        inner >= 32 * PackedMatrix.PANEL ? 4 * PackedMatrix.PANEL : PackedMatrix.PANEL;
    this.silu = config.activation() == DecoderConfig.Activation.SILU;
    this.mlpTasks = (inner + mlpTaskColumns - 1) / mlpTaskColumns;
    this.vocabularyTasks =
        (config.vocabularySize() + VOCABULARY_TASK_COLUMNS - 1) / VOCABULARY_TASK_COLUMNS;
    this.pool = new WorkerPool(threads);
    this.steps = new StepBuffers<>(Workspace::new, config.vocabularySize());
  }

  private LinearMatrix matrix(WeightTensor tensor, int in, int out) {
    return LinearMatrix.ofOutIn(tensor, in, out, kernel, blockKernel);
  }

  /** The bytes of the matrices one decoded token reads (the token embedding row aside). */
  public long matrixBytes() {
    long bytes = lmHead.byteSize();
    for (Layer layer : layers) {
      for (LinearMatrix m :
          List.of(
              layer.query(),
              layer.key(),
              layer.value(),
              layer.output(),
              layer.gate(),
              layer.up(),
              layer.down())) {
        bytes += m.byteSize();
      }
    }
    return bytes;
  }

  private static float[] optional(DecoderWeights weights, boolean present, String name) {
    return present ? weights.floats(name) : new float[0];
  }

  /** Returns the model's hyper-parameters. */
  public DecoderConfig config() {
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
    return config.endOfTextIds();
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
        + " head, "
        + config.family().modelType();
  }

  @Override
  public void close() {
    pool.close();
  }

  private float tokenEmbedding(int token, int i) {
    return untiedTokenEmbedding == null
        ? lmHead.get(i, token)
        : untiedTokenEmbedding.get(token * config.width() + i);
  }

  /** One thread's scratch buffers for one task of a step. */
  private final class Scratch {
    final float[] query; // [rows, groupSize * headWidth]: the queries of one key/value group
    final float[] key; // [rows, headWidth]
    final float[] value; // [rows, headWidth]
    final float[] context; // [rows, groupSize * headWidth]: those heads' attention outputs
    final float[] gate; // [rows, mlpTaskColumns]
    final float[] up; // [rows, mlpTaskColumns]
    final float[] scores; // [4, span]: up to four query heads' attention scores by position

    Scratch(int rows, int span) {
      int groupWidth = config.groupSize() * config.headWidth();
      query = new float[rows * groupWidth];
      key = new float[rows * config.headWidth()];
      value = new float[rows * config.headWidth()];
      context = new float[rows * groupWidth];
      gate = new float[rows * mlpTaskColumns];
      up = new float[rows * mlpTaskColumns];
      scores = new float[4 * AttentionKernel.cachedPositions(span)];
    }
  }

  /**
   * The buffers of a step of up to {@code rows} rows whose rows see up to {@code span} positions.
   */
  private final class Workspace {
    final Scratch[] scratch; // [threads]
    final float[] residual; // [rows, width]: the residual stream
    final float[] normed; // [rows, width]: the RMSNorm that the open phase reads
    final float[] cos; // [rows, rotaryWidth / 2], attention factor applied
    final float[] sin; // [rows, rotaryWidth / 2], attention factor applied
    final float[][] attentionPartials; // [kvHeads][rows * width]
    final float[][] mlpPartials; // [mlpTasks][rows * width]

    Workspace(int rows, int span) {
      int width = config.width();
      int half = config.rotaryWidth() / 2;
      scratch = new Scratch[pool.threads()];
      for (int t = 0; t < scratch.length; t++) {
        scratch[t] = new Scratch(rows, span);
      }
      residual = new float[rows * width];
      normed = new float[rows * width];
      cos = new float[rows * half];
      sin = new float[rows * half];
      attentionPartials = new float[config.keyValueHeadCount()][rows * width];
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

  /** A sequence: the KV cache of every layer and its rotary frequencies. */
  private final class Sequence implements StepBuffers.Stepped {
    private final int capacity;
    private final float[] inverseFrequencies; // [rotaryWidth / 2]
    private final int headStride; // floats per head: whole key blocks (AttentionKernel's layout)
    private final float[][] keys; // per layer and head: blocks of positions, RoPE applied
    private final float[][] values; // per layer: [kvHeads, headStride / headWidth, headWidth]
    private int length;

    Sequence(int capacity) {
      this.capacity = capacity;
      // By the capacity, fixed for the sequence's life: longrope's short or long factors for every
      // position, so cached keys and new queries agree; dynamic NTK, which never passes the
      // context length, stays unscaled.
      this.inverseFrequencies = RopeFrequencies.inverseFrequencies(config, capacity);
      this.headStride =
          Math.multiplyExact(AttentionKernel.cachedPositions(capacity), config.headWidth());
      int size = Math.multiplyExact(config.keyValueHeadCount(), headStride);
      this.keys = new float[config.layerCount()][size];
      this.values = new float[config.layerCount()][size];
    }

    JavaDecoderRuntime runtime() {
      return JavaDecoderRuntime.this;
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
    public boolean matchesCapacity(int other) {
      return Arrays.equals(inverseFrequencies, RopeFrequencies.inverseFrequencies(config, other));
    }

    @Override
    public GptSequence copy(int prefix, int newCapacity) {
      SequenceBounds.checkCopy(prefix, length, newCapacity, config.contextLength());
      SequenceBounds.checkRotaryMove(matchesCapacity(newCapacity), newCapacity, capacity);
      Sequence copy = new Sequence(newCapacity);
      int headWidth = config.headWidth();
      for (int layer = 0; layer < config.layerCount(); layer++) {
        for (int head = 0; head < config.keyValueHeadCount(); head++) {
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
   * head. {@link PhasedForward} schedules them (see there for why a late thread is safe); a phase's
   * buffers are rewritten only two phases later.
   */
  private final class Step extends PhasedForward<Scratch> {
    private final Sequence[] sequences;
    private final int rows;
    private final int[] rowSequence; // [rows]: the index in sequences of each row's sequence
    private final int[] rowPosition; // [rows]: each row's position in its sequence
    private final int[] lastRow; // [sequences]: the row of each sequence's last new token
    private final float[] residual; // [rows, width], the workspace's
    private final float[] normed; // [rows, width], the workspace's
    private final float[] cos; // [rows, rotaryWidth / 2], the workspace's
    private final float[] sin; // [rows, rotaryWidth / 2], the workspace's
    private final float[][] attentionPartials; // [kvHeads][rows * width], the workspace's
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
      this.cos = workspace.cos;
      this.sin = workspace.sin;
      this.attentionPartials = workspace.attentionPartials;
      this.mlpPartials = workspace.mlpPartials;
      this.logits = logits;
      int width = config.width();
      int row = 0;
      for (int i = 0; i < sequences.length; i++) {
        for (int t = 0; t < tokens[i].length; t++, row++) {
          rowSequence[row] = i;
          rowPosition[row] = sequences[i].length + t;
          for (int c = 0; c < width; c++) {
            residual[row * width + c] = tokenEmbedding(tokens[i][t], c);
          }
          rotation(sequences[i].inverseFrequencies, rowPosition[row], row);
        }
        lastRow[i] = row - 1;
      }
      Kernels.rmsNorm(
          residual, 0, rows, width, layers.get(0).attentionNorm(), config.normEpsilon(), normed);
    }

    /** cos and sin of a row's position, as transformers computes them in float32. */
    private void rotation(float[] inverseFrequencies, int position, int row) {
      int half = inverseFrequencies.length;
      for (int i = 0; i < half; i++) {
        float angle = inverseFrequencies[i] * (float) position;
        cos[row * half + i] = (float) Math.cos(angle) * attentionFactor;
        sin[row * half + i] = (float) Math.sin(angle) * attentionFactor;
      }
    }

    @Override
    int taskCount(int phase) {
      return phase == phases() - 1
          ? vocabularyTasks
          : phase % 2 == 0 ? config.keyValueHeadCount() : mlpTasks;
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
      float epsilon = config.normEpsilon();
      if (phase < phases() - 1) {
        Layer w = layers.get(phase / 2);
        if (phase % 2 == 0) {
          Kernels.addPartials(residual, rows, width, w.outputBias(), attentionPartials);
          Kernels.rmsNorm(residual, 0, rows, width, w.feedForwardNorm(), epsilon, normed);
        } else {
          Kernels.addPartials(residual, rows, width, w.downBias(), mlpPartials);
          if (phase / 2 + 1 < layers.size()) {
            Kernels.rmsNorm(
                residual,
                0,
                rows,
                width,
                layers.get(phase / 2 + 1).attentionNorm(),
                epsilon,
                normed);
          } else {
            // The final norm and the LM head for each sequence's last row only: those rows move
            // to the front (row i from lastRow[i] >= i, so no source is overwritten before read).
            for (int i = 0; i < sequences.length; i++) {
              System.arraycopy(residual, lastRow[i] * width, residual, i * width, width);
            }
            Kernels.rmsNorm(residual, 0, sequences.length, width, finalNormWeight, epsilon, normed);
          }
        }
      }
    }

    private void attentionTask(int layer, Layer w, int group, Scratch s) {
      int width = config.width();
      int headWidth = config.headWidth();
      int groupWidth = config.groupSize() * headWidth;
      int queryFrom = group * groupWidth;
      int keyFrom = group * headWidth;
      // One pass over this group's q/k/v columns for every row of the step.
      w.query()
          .multiply(
              normed,
              0,
              width,
              rows,
              0,
              width,
              queryFrom,
              queryFrom + groupWidth,
              s.query,
              0,
              groupWidth);
      w.key()
          .multiply(
              normed, 0, width, rows, 0, width, keyFrom, keyFrom + headWidth, s.key, 0, headWidth);
      w.value()
          .multiply(
              normed,
              0,
              width,
              rows,
              0,
              width,
              keyFrom,
              keyFrom + headWidth,
              s.value,
              0,
              headWidth);
      for (int t = 0; t < rows; t++) {
        if (w.queryBias().length > 0) {
          Kernels.addInPlace(s.query, t * groupWidth, w.queryBias(), queryFrom, groupWidth);
          Kernels.addInPlace(s.key, t * headWidth, w.keyBias(), keyFrom, headWidth);
          Kernels.addInPlace(s.value, t * headWidth, w.valueBias(), keyFrom, headWidth);
        }
        for (int h = 0; h < config.groupSize(); h++) {
          int at = t * groupWidth + h * headWidth;
          if (w.queryNorm().length > 0) {
            Kernels.rmsNormSpan(
                s.query, at, headWidth, w.queryNorm(), config.normEpsilon(), s.query, at);
          }
          rotate(s.query, at, t);
        }
        if (w.keyNorm().length > 0) {
          Kernels.rmsNormSpan(
              s.key,
              t * headWidth,
              headWidth,
              w.keyNorm(),
              config.normEpsilon(),
              s.key,
              t * headWidth);
        }
        rotate(s.key, t * headWidth, t);
        Sequence sequence = sequences[rowSequence[t]];
        int groupBase = group * sequence.headStride;
        AttentionKernel.storeKey(
            s.key, t * headWidth, sequence.keys[layer], groupBase, headWidth, rowPosition[t]);
        System.arraycopy(
            s.value,
            t * headWidth,
            sequence.values[layer],
            groupBase + rowPosition[t] * headWidth,
            headWidth);
      }
      // Every row's key and value are cached before any row attends: a prompt's rows see the
      // earlier ones of their own sequence.
      for (int t = 0; t < rows; t++) {
        // The group's query heads share its keys: four at a time, the kernel reads each key once.
        for (int h = 0; h < config.groupSize(); h += 4) {
          int count = Math.min(4, config.groupSize() - h);
          attend(layer, group, t, t * groupWidth + h * headWidth, count, s);
        }
      }
      w.output()
          .multiply(
              s.context,
              0,
              groupWidth,
              rows,
              queryFrom,
              queryFrom + groupWidth,
              0,
              width,
              attentionPartials[group],
              0,
              width);
    }

    /** Rotate-half RoPE on the leading rotary dimensions of one head vector at {@code at}. */
    private void rotate(float[] x, int at, int t) {
      int half = config.rotaryWidth() / 2;
      int table = t * half;
      for (int i = 0; i < half; i++) {
        float first = x[at + i];
        float second = x[at + half + i];
        x[at + i] = first * cos[table + i] - second * sin[table + i];
        x[at + half + i] = second * cos[table + i] + first * sin[table + i];
      }
    }

    private void mlpTask(Layer w, int task, Scratch s) {
      int width = config.width();
      int from = task * mlpTaskColumns;
      int to = Math.min(config.innerWidth(), from + mlpTaskColumns);
      int columns = to - from;
      w.gate().multiply(normed, 0, width, rows, 0, width, from, to, s.gate, 0, columns);
      w.up().multiply(normed, 0, width, rows, 0, width, from, to, s.up, 0, columns);
      if (w.gateBias().length > 0) {
        for (int t = 0; t < rows; t++) {
          Kernels.addInPlace(s.gate, t * columns, w.gateBias(), from, columns);
          Kernels.addInPlace(s.up, t * columns, w.upBias(), from, columns);
        }
      }
      if (silu) {
        Kernels.silu(s.gate, 0, rows * columns);
      } else {
        Kernels.geluTanh(s.gate, 0, rows * columns);
      }
      for (int i = 0; i < rows * columns; i++) {
        s.gate[i] *= s.up[i];
      }
      w.down().multiply(s.gate, 0, columns, rows, from, to, 0, width, mlpPartials[task], 0, width);
    }

    /**
     * Attention of row t's {@code count} query heads from {@code s.query[query...]} over the cached
     * keys of its own sequence and group, up to its own position and no further back than the
     * sliding window, into {@code s.context[query...]}.
     */
    private void attend(int layer, int group, int t, int query, int count, Scratch s) {
      Sequence sequence = sequences[rowSequence[t]];
      int headWidth = config.headWidth();
      int position = rowPosition[t];
      int window = config.slidingWindow(layer);
      attention.attendMany(
          s.query,
          query,
          headWidth,
          count,
          sequence.keys[layer],
          sequence.values[layer],
          group * sequence.headStride,
          headWidth,
          window == 0 ? 0 : Math.max(0, position - window + 1),
          position,
          0,
          (float) (1.0 / Math.sqrt(headWidth)),
          s.scores,
          s.context,
          query,
          headWidth);
    }
  }
}
