package dev.colloquy.model.local.internal.checkpoint;

import dev.colloquy.model.local.ModelLoadException;
import dev.colloquy.model.local.internal.decoder.Q8_0Parts;
import dev.colloquy.model.local.internal.decoder.WeightTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Loads a Hugging Face GPT-2 directory's weights: {@code config.json} plus {@code
 * model.safetensors}. Tensor names are accepted with or without the {@code transformer.} prefix;
 * the causal-mask buffers some old exports carry ({@code attn.bias}, {@code attn.masked_bias}) are
 * ignored.
 */
public final class CheckpointReader {

  private static final Pattern GLOBAL_TENSOR = Pattern.compile("(wte|wpe|ln_f)\\.(weight|bias)");
  private static final Pattern LAYER_TENSOR =
      Pattern.compile(
          "h\\.(0|[1-9][0-9]*)\\."
              + "((ln_1|ln_2|attn\\.c_attn|attn\\.c_proj|mlp\\.c_fc|mlp\\.c_proj)\\.(weight|bias)|attn\\.(bias|masked_bias))");

  /** The weights file looked for in a model directory. */
  public static final String WEIGHTS_FILE = "model.safetensors";

  private CheckpointReader() {}

  /**
   * Reads and validates the weights of a model directory, with its {@code config.json}.
   *
   * @throws ModelLoadException naming the file and tensor on any problem
   */
  public static GptWeights read(Path directory) {
    Path weightsFile = weightsFile(directory);
    return read(weightsFile, GptConfig.read(directory.resolve("config.json")));
  }

  /**
   * Returns a model directory's weights file after checking that it exists, without reading it, so
   * that the small files can be checked first.
   *
   * @throws ModelLoadException when the directory or the file is missing, or the weights are a
   *     pickle
   */
  public static Path weightsFile(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new ModelLoadException(
          "model directory " + directory + " does not exist or is not a directory");
    }
    Path weightsFile = directory.resolve(WEIGHTS_FILE);
    if (!Files.exists(weightsFile)) {
      Path pickle = directory.resolve("pytorch_model.bin");
      if (Files.exists(pickle)) {
        throw new ModelLoadException(
            "model directory "
                + directory
                + " holds a pickle checkpoint (pytorch_model.bin), "
                + "which is refused: unpickling can run arbitrary code and needs Python. Convert it once with "
                + "Python: `from transformers import AutoModelForCausalLM; "
                + "AutoModelForCausalLM.from_pretrained(dir).save_pretrained(dir, safe_serialization=True)`, "
                + "which writes model.safetensors");
      }
      throw new ModelLoadException(
          "model directory "
              + directory
              + " has no "
              + WEIGHTS_FILE
              + " (sharded or other weight formats are not supported)");
    }
    return weightsFile;
  }

  /**
   * Reads and validates a weights file against an already-read configuration.
   *
   * @throws ModelLoadException naming the file and tensor on any problem
   */
  public static GptWeights read(Path weightsFile, GptConfig config) {
    try (SafetensorsFile file = SafetensorsFile.open(weightsFile)) {
      return new TensorLoader(config, file).load();
    }
  }

  /**
   * Reads and validates a weights file against an already-read configuration straight into the Java
   * engine's layout: each F32 matrix is packed as it is read and each F16/BF16 one kept 16-bit, so
   * the heap holds the weights about once, at their stored size, while loading.
   *
   * @throws ModelLoadException naming the file and tensor on any problem
   */
  public static PackedGptWeights readPacked(Path weightsFile, GptConfig config) {
    return readPacked(weightsFile, config, false);
  }

  /**
   * As {@link #readPacked(Path, GptConfig)}; with {@code quantizeToQ8_0}, each matrix whose inputs
   * are whole blocks of 32 (the LM head included) is quantized to Q8_0 as it is read, a few rows at
   * a time, so the heap holds the quantized weights and one small chunk of floats.
   *
   * @throws ModelLoadException naming the file and tensor on any problem
   */
  public static PackedGptWeights readPacked(
      Path weightsFile, GptConfig config, boolean quantizeToQ8_0) {
    return readPacked(weightsFile, config, quantizeToQ8_0, WeightTensor.PART_BYTES);
  }

  /**
   * As {@link #readPacked(Path, GptConfig, boolean)}, each quantized matrix kept in {@link
   * WeightTensor.Rows} parts whose quant array holds at most {@code partBytes} (a matrix that fits
   * one part stays one tensor): so no quantized matrix needs one large contiguous array, which
   * under G1 would take whole regions of its own. Tests give small parts.
   *
   * @throws ModelLoadException naming the file and tensor on any problem
   */
  public static PackedGptWeights readPacked(
      Path weightsFile, GptConfig config, boolean quantizeToQ8_0, int partBytes) {
    try (SafetensorsFile file = SafetensorsFile.open(weightsFile)) {
      return new TensorLoader(config, file).loadPacked(quantizeToQ8_0, partBytes);
    }
  }

  /**
   * Finds, checks and reads the expected tensors of one file. Every check runs before any tensor
   * data is read, in the order that explains a wrong file best: the name prefix, missing tensors,
   * unknown tensors, then shapes and types.
   */
  private static final class TensorLoader {
    private static final String PREFIX = "transformer.";
    private static final String LM_HEAD = "lm_head.weight";
    private static final int MISSING_LISTED = 5;
    private static final int TRANSPOSED_ROWS = 64; // Conv1D rows read together; two Q8_0 blocks
    private static final int QUANTIZED_CHUNK = 64 * 1024; // LM head values read together

    private final GptConfig config;
    private final SafetensorsFile file;
    private final String prefix;
    private boolean quantize; // matrices to Q8_0 as they are read (loadPacked only)
    private int partBytes; // the largest quant array of a quantized matrix's part
    private final Map<String, TensorEntry> checked =
        new HashMap<>(); // local name -> its entry, shape checked

    TensorLoader(GptConfig config, SafetensorsFile file) {
      this.config = config;
      this.file = file;
      this.prefix = prefix();
      List<Expected> expected = expectedTensors();
      checkNoUnknownTensors();
      for (Expected tensor : expected) {
        checked.put(tensor.localName(), checkedEntry(prefix + tensor.localName(), tensor.shape()));
      }
      if (file.tensor(LM_HEAD).isPresent()) {
        checked.put(LM_HEAD, checkedEntry(LM_HEAD, config.vocabularySize(), config.width()));
      } else if (!config.tiedLmHead()) {
        throw new ModelLoadException(
            "safetensors file "
                + file.file()
                + " has no tensor '"
                + LM_HEAD
                + "' but "
                + "config.json sets tie_word_embeddings=false; add the LM head or set tie_word_embeddings to true");
      }
    }

    GptWeights load() {
      float[] tokenEmbedding = read("wte.weight");
      float[] positionEmbedding = read("wpe.weight");
      List<GptWeights.Layer> layers = new ArrayList<>();
      for (int i = 0; i < config.layerCount(); i++) {
        String block = "h." + i + ".";
        layers.add(
            new GptWeights.Layer(
                read(block + "ln_1.weight"), read(block + "ln_1.bias"),
                read(block + "attn.c_attn.weight"), read(block + "attn.c_attn.bias"),
                read(block + "attn.c_proj.weight"), read(block + "attn.c_proj.bias"),
                read(block + "ln_2.weight"), read(block + "ln_2.bias"),
                read(block + "mlp.c_fc.weight"), read(block + "mlp.c_fc.bias"),
                read(block + "mlp.c_proj.weight"), read(block + "mlp.c_proj.bias")));
      }
      float[] normWeight = read("ln_f.weight");
      float[] normBias = read("ln_f.bias");
      float[] lmHead = checked.containsKey(LM_HEAD) ? read(LM_HEAD) : tokenEmbedding;
      return new GptWeights(
          config, tokenEmbedding, positionEmbedding, layers, normWeight, normBias, lmHead);
    }

    PackedGptWeights loadPacked(boolean quantizeToQ8_0, int partBytes) {
      this.quantize = quantizeToQ8_0;
      this.partBytes = partBytes;
      int width = config.width();
      int inner = config.innerWidth();
      int[] order = PackedGptWeights.headOrder(config);
      float[] positionEmbedding = read("wpe.weight");
      List<PackedGptWeights.Layer> layers = new ArrayList<>();
      for (int i = 0; i < config.layerCount(); i++) {
        String block = "h." + i + ".";
        layers.add(
            new PackedGptWeights.Layer(
                read(block + "ln_1.weight"),
                read(block + "ln_1.bias"),
                conv1d(block + "attn.c_attn.weight", width, 3 * width, order),
                PackedGptWeights.reorder(read(block + "attn.c_attn.bias"), order),
                conv1d(block + "attn.c_proj.weight", width, width, null),
                read(block + "attn.c_proj.bias"),
                read(block + "ln_2.weight"),
                read(block + "ln_2.bias"),
                conv1d(block + "mlp.c_fc.weight", width, inner, null),
                read(block + "mlp.c_fc.bias"),
                conv1d(block + "mlp.c_proj.weight", inner, width, null),
                read(block + "mlp.c_proj.bias")));
      }
      boolean tied = !checked.containsKey(LM_HEAD);
      WeightTensor untiedEmbedding =
          tied
              ? new WeightTensor.F32(new float[0])
              : isHalf("wte.weight")
                  ? halves("wte.weight")
                  : new WeightTensor.F32(read("wte.weight"));
      String head = tied ? "wte.weight" : LM_HEAD;
      return new PackedGptWeights(
          config,
          positionEmbedding,
          untiedEmbedding,
          layers,
          read("ln_f.weight"),
          read("ln_f.bias"),
          quantize && width % WeightTensor.BLOCK == 0
              ? quantizedRows(head, config.vocabularySize(), width)
              : isHalf(head)
                  ? halves(head)
                  : new WeightTensor.PackedF32(
                      PanelMatrix.ofTransposed(values(head), width, config.vocabularySize())));
    }

    private boolean isHalf(String localName) {
      TensorType type = checked.get(localName).type();
      return type == TensorType.F16 || type == TensorType.BF16;
    }

    /** A tensor's 16-bit values as they are stored, checked finite. */
    private WeightTensor.Halves halves(String localName) {
      TensorEntry entry = checked.get(localName);
      short[] bits = file.readHalves(entry);
      boolean brain = entry.type() == TensorType.BF16;
      checkFinite(entry, 0, bits, brain);
      return new WeightTensor.Halves(bits, brain);
    }

    /**
     * A Conv1D weight stored [in, out] as the projection [out, in] whose output c is the stored
     * column {@code order[c]} (all columns in place when order is null): F32 packed into panels as
     * it is read, F16/BF16 transposed into a 16-bit array of their own, a block of rows at a time.
     */
    private WeightTensor conv1d(String localName, int in, int out, int[] order) {
      if (quantize && in % WeightTensor.BLOCK == 0) {
        return quantizedConv1d(localName, in, out, order);
      }
      if (!isHalf(localName)) {
        return new WeightTensor.PackedF32(
            order == null
                ? PanelMatrix.ofRowMajor(values(localName), in, out)
                : PanelMatrix.ofRowMajor(values(localName), in, out, order));
      }
      TensorEntry entry = checked.get(localName);
      boolean brain = entry.type() == TensorType.BF16;
      short[] transposed = new short[Math.multiplyExact(in, out)]; // [out, in]
      short[] block = new short[Math.min(TRANSPOSED_ROWS, in) * out]; // [rows, out], reused
      for (int from = 0; from < in; from += TRANSPOSED_ROWS) {
        int rows = Math.min(TRANSPOSED_ROWS, in - from);
        if (rows * out < block.length) {
          block = new short[rows * out];
        }
        file.readHalves(entry, (long) from * out, block);
        checkFinite(entry, (long) from * out, block, brain);
        for (int c = 0; c < out; c++) {
          int column = order == null ? c : order[c];
          for (int r = 0; r < rows; r++) {
            transposed[c * in + from + r] = block[r * out + column];
          }
        }
      }
      return new WeightTensor.Halves(transposed, brain);
    }

    /**
     * A Conv1D weight [in, out] quantized to Q8_0 as the projection [out, in] (outputs in {@code
     * order} when it is not null). 64 stored rows are read at a time: two whole blocks of every
     * output.
     */
    private WeightTensor quantizedConv1d(String localName, int in, int out, int[] order) {
      TensorEntry entry = checked.get(localName);
      Q8_0Parts parts = new Q8_0Parts(out, in, partBytes);
      float[] chunk = new float[Math.min(TRANSPOSED_ROWS, in) * out]; // [rows, out]
      float[] block = new float[WeightTensor.BLOCK];
      for (int from = 0; from < in; from += TRANSPOSED_ROWS) {
        int rows = Math.min(TRANSPOSED_ROWS, in - from);
        file.readFloats(entry, (long) from * out, chunk, 0, rows * out);
        checkFinite(entry, (long) from * out, chunk, 0, rows * out);
        for (int c = 0; c < out; c++) {
          int column = order == null ? c : order[c];
          for (int first = 0; first < rows; first += WeightTensor.BLOCK) {
            for (int r = 0; r < WeightTensor.BLOCK; r++) {
              block[r] = chunk[(first + r) * out + column];
            }
            parts.put(block, 0, c, (from + first) / WeightTensor.BLOCK);
          }
        }
      }
      return parts.tensor();
    }

    /** A row-major [rows, columns] matrix quantized to Q8_0 as read, a chunk at a time. */
    private WeightTensor quantizedRows(String localName, int rows, int columns) {
      TensorEntry entry = checked.get(localName);
      int size = Math.multiplyExact(rows, columns);
      int blocksPerRow = columns / WeightTensor.BLOCK;
      Q8_0Parts parts = new Q8_0Parts(rows, columns, partBytes);
      float[] chunk = new float[Math.min(QUANTIZED_CHUNK, size)];
      for (int from = 0; from < size; from += chunk.length) {
        int count = Math.min(chunk.length, size - from);
        file.readFloats(entry, from, chunk, 0, count);
        checkFinite(entry, from, chunk, 0, count);
        for (int at = 0; at < count; at += WeightTensor.BLOCK) {
          int block = (from + at) / WeightTensor.BLOCK;
          parts.put(chunk, at, block / blocksPerRow, block % blocksPerRow);
        }
      }
      return parts.tensor();
    }

    /**
     * Decides the name prefix from every tensor (the LM head never has it); a file mixing both is
     * refused.
     */
    private String prefix() {
      String prefixed = null;
      String plain = null;
      for (String name : file.tensors().keySet()) {
        if (name.startsWith(PREFIX)) {
          prefixed = prefixed == null ? name : prefixed;
        } else if (!name.equals(LM_HEAD)) {
          plain = plain == null ? name : plain;
        }
      }
      if (prefixed != null && plain != null) {
        throw new ModelLoadException(
            "safetensors file "
                + file.file()
                + " mixes tensor names with and without the '"
                + PREFIX
                + "' prefix ('"
                + prefixed
                + "' and '"
                + plain
                + "'): a checkpoint names all its tensors one way;"
                + " re-export it with save_pretrained");
      }
      return prefixed != null ? PREFIX : "";
    }

    /** A tensor that config.json asks for: its name without the prefix and its shape. */
    private record Expected(String localName, long... shape) {}

    /**
     * Lists the tensors config.json asks for, failing on the first few that the file lacks. The
     * walk stops there, so a config with a billion layers costs no more than the file's own
     * tensors.
     */
    private List<Expected> expectedTensors() {
      long width = config.width();
      long inner = config.innerWidth();
      List<Expected> expected = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      expect(expected, missing, new Expected("wte.weight", config.vocabularySize(), width));
      expect(expected, missing, new Expected("wpe.weight", config.contextLength(), width));
      for (int i = 0; i < config.layerCount() && missing.size() <= MISSING_LISTED; i++) {
        String block = "h." + i + ".";
        expect(expected, missing, new Expected(block + "ln_1.weight", width));
        expect(expected, missing, new Expected(block + "ln_1.bias", width));
        expect(expected, missing, new Expected(block + "attn.c_attn.weight", width, 3 * width));
        expect(expected, missing, new Expected(block + "attn.c_attn.bias", 3 * width));
        expect(expected, missing, new Expected(block + "attn.c_proj.weight", width, width));
        expect(expected, missing, new Expected(block + "attn.c_proj.bias", width));
        expect(expected, missing, new Expected(block + "ln_2.weight", width));
        expect(expected, missing, new Expected(block + "ln_2.bias", width));
        expect(expected, missing, new Expected(block + "mlp.c_fc.weight", width, inner));
        expect(expected, missing, new Expected(block + "mlp.c_fc.bias", inner));
        expect(expected, missing, new Expected(block + "mlp.c_proj.weight", inner, width));
        expect(expected, missing, new Expected(block + "mlp.c_proj.bias", width));
      }
      expect(expected, missing, new Expected("ln_f.weight", width));
      expect(expected, missing, new Expected("ln_f.bias", width));
      if (!missing.isEmpty()) {
        String others =
            missing.size() == 1
                ? ""
                : " (nor "
                    + missing.subList(1, Math.min(missing.size(), MISSING_LISTED)).stream()
                        .map(name -> "'" + name + "'")
                        .collect(Collectors.joining(", "))
                    + (missing.size() > MISSING_LISTED ? ", …" : "")
                    + ")";
        throw new ModelLoadException(
            "safetensors file "
                + file.file()
                + " has no tensor '"
                + missing.get(0)
                + "'"
                + others
                + ", which a GPT-2 checkpoint with "
                + config.layerCount()
                + " layers needs (is this a GPT-2 checkpoint, and does config.json match it?)");
      }
      return expected;
    }

    private void expect(List<Expected> expected, List<String> missing, Expected tensor) {
      if (file.tensor(prefix + tensor.localName()).isPresent()) {
        expected.add(tensor);
      } else if (missing.size() <= MISSING_LISTED) {
        missing.add(prefix + tensor.localName());
      }
    }

    private TensorEntry checkedEntry(String name, long... shape) {
      TensorEntry entry = file.tensor(name).orElseThrow();
      if (!Arrays.equals(entry.shape(), shape)) {
        throw new ModelLoadException(
            "safetensors file "
                + file.file()
                + " has tensor '"
                + name
                + "' of shape "
                + entry.shapeText()
                + " but config.json implies "
                + Arrays.toString(shape)
                + " (n_embd="
                + config.width()
                + ", n_inner="
                + config.innerWidth()
                + ", n_positions="
                + config.contextLength()
                + ", vocab_size="
                + config.vocabularySize()
                + "): the config does not fit the weights");
      }
      if (!entry.type().loadable()) {
        throw new ModelLoadException(
            "safetensors file "
                + file.file()
                + " has tensor '"
                + name
                + "' of dtype "
                + entry.type()
                + "; weights must be F32, F16 or BF16");
      }
      return entry;
    }

    private void checkNoUnknownTensors() {
      for (String name : file.tensors().keySet()) {
        if (!name.equals(LM_HEAD) && !isKnown(name.substring(prefix.length()))) {
          throw new ModelLoadException(
              "safetensors file "
                  + file.file()
                  + " has tensor '"
                  + name
                  + "', which is not part of a GPT-2 checkpoint with "
                  + config.layerCount()
                  + " layers (a different architecture, or config.json has the wrong n_layer?)");
        }
      }
    }

    private boolean isKnown(String local) {
      if (GLOBAL_TENSOR.matcher(local).matches()) {
        return true;
      }
      Matcher layer = LAYER_TENSOR.matcher(local);
      return layer.matches() && isLayerIndex(layer.group(1));
    }

    /**
     * Whether digits (no leading zero) name one of the config's layers; compared as text, so no
     * index overflows.
     */
    private boolean isLayerIndex(String digits) {
      String count = Integer.toString(config.layerCount());
      return digits.length() < count.length()
          || (digits.length() == count.length() && digits.compareTo(count) < 0);
    }

    private float[] read(String localName) {
      TensorEntry entry = checked.get(localName);
      float[] values = file.readFloats(entry);
      checkFinite(entry, 0, values, 0, values.length);
      return values;
    }

    /** A tensor's values, read from the file a range at a time and checked finite. */
    private PanelMatrix.Values values(String localName) {
      TensorEntry entry = checked.get(localName);
      return (from, into, at, count) -> {
        file.readFloats(entry, from, into, at, count);
        checkFinite(entry, from, into, at, count);
      };
    }

    /**
     * NaN or infinite weights load fine and then turn every logit into NaN: blank replies, so
     * refuse them here. Checks {@code values[at, at + count)}, the tensor's from {@code from} on.
     */
    private void checkFinite(TensorEntry entry, long from, float[] values, int at, int count) {
      for (int i = at; i < at + count; i++) {
        if (!Float.isFinite(values[i])) {
          throw notFinite(entry, from + i - at, values[i]);
        }
      }
    }

    /** Likewise for 16-bit values, the tensor's from {@code from} on: no exponent all ones. */
    private void checkFinite(TensorEntry entry, long from, short[] bits, boolean brain) {
      int exponent = brain ? 0x7f80 : 0x7c00;
      for (int i = 0; i < bits.length; i++) {
        if ((bits[i] & exponent) == exponent) {
          float value =
              brain ? Float.intBitsToFloat((bits[i] & 0xffff) << 16) : HalfFloats.toFloat(bits[i]);
          throw notFinite(entry, from + i, value);
        }
      }
    }

    private ModelLoadException notFinite(TensorEntry entry, long flat, float value) {
      return new ModelLoadException(
          "safetensors file "
              + file.file()
              + " has tensor '"
              + entry.name()
              + "' with "
              + value
              + " at "
              + position(entry.shape(), flat)
              + ": the checkpoint is corrupt (did training diverge,"
              + " or a conversion overflow F16?)");
    }

    /** Returns a flat index as {@code [row, column]} in the shape. */
    private static String position(long[] shape, long flat) {
      long[] index = new long[shape.length];
      long rest = flat;
      for (int d = shape.length - 1; d >= 0; d--) {
        index[d] = rest % shape[d];
        rest /= shape[d];
      }
      return Arrays.toString(index);
    }
  }
}
