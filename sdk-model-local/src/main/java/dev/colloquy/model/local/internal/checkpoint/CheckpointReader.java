package dev.colloquy.model.local.internal.checkpoint;

import dev.colloquy.model.local.ModelLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads a Hugging Face GPT-2 directory's weights: {@code config.json} plus {@code model.safetensors}.
 * Tensor names are accepted with or without the {@code transformer.} prefix; the causal-mask
 * buffers some old exports carry ({@code attn.bias}, {@code attn.masked_bias}) are ignored.
 */
public final class CheckpointReader {

  private static final Pattern GLOBAL_TENSOR = Pattern.compile("(wte|wpe|ln_f)\\.(weight|bias)");
  private static final Pattern LAYER_TENSOR = Pattern.compile("h\\.(0|[1-9][0-9]*)\\."
      + "((ln_1|ln_2|attn\\.c_attn|attn\\.c_proj|mlp\\.c_fc|mlp\\.c_proj)\\.(weight|bias)|attn\\.(bias|masked_bias))");

  /** The weights file looked for in a model directory. */
  public static final String WEIGHTS_FILE = "model.safetensors";

  private CheckpointReader() {
  }

  /**
   * Reads and validates the weights of a model directory.
   *
   * @throws ModelLoadException naming the file and tensor on any problem
   */
  public static GptWeights read(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new ModelLoadException("model directory " + directory + " does not exist or is not a directory");
    }
    Path weightsFile = directory.resolve(WEIGHTS_FILE);
    if (!Files.exists(weightsFile)) {
      Path pickle = directory.resolve("pytorch_model.bin");
      if (Files.exists(pickle)) {
        throw new ModelLoadException("model directory " + directory + " holds a pickle checkpoint (pytorch_model.bin), "
            + "which is refused: unpickling can run arbitrary code and needs Python. Convert it once with "
            + "Python: `from transformers import AutoModelForCausalLM; "
            + "AutoModelForCausalLM.from_pretrained(dir).save_pretrained(dir, safe_serialization=True)`, "
            + "which writes model.safetensors");
      }
      throw new ModelLoadException("model directory " + directory + " has no " + WEIGHTS_FILE
          + " (sharded or other weight formats are not supported)");
    }
    GptConfig config = GptConfig.read(directory.resolve("config.json"));
    try (SafetensorsFile file = SafetensorsFile.open(weightsFile)) {
      return new TensorLoader(config, file).load();
    }
  }

  /** Finds, checks and reads the expected tensors of one file. */
  private static final class TensorLoader {
    private final GptConfig config;
    private final SafetensorsFile file;
    private final String prefix;

    TensorLoader(GptConfig config, SafetensorsFile file) {
      this.config = config;
      this.file = file;
      this.prefix = file.tensor("transformer.wte.weight").isPresent() ? "transformer." : "";
      checkNoUnknownTensors();
    }

    GptWeights load() {
      int width = config.width();
      int inner = config.innerWidth();
      float[] tokenEmbedding = read("wte.weight", config.vocabularySize(), width);
      float[] positionEmbedding = read("wpe.weight", config.contextLength(), width);
      List<GptWeights.Layer> layers = new ArrayList<>();
      for (int i = 0; i < config.layerCount(); i++) {
        String block = "h." + i + ".";
        layers.add(new GptWeights.Layer(
            read(block + "ln_1.weight", width), read(block + "ln_1.bias", width),
            read(block + "attn.c_attn.weight", width, 3 * width), read(block + "attn.c_attn.bias", 3 * width),
            read(block + "attn.c_proj.weight", width, width), read(block + "attn.c_proj.bias", width),
            read(block + "ln_2.weight", width), read(block + "ln_2.bias", width),
            read(block + "mlp.c_fc.weight", width, inner), read(block + "mlp.c_fc.bias", inner),
            read(block + "mlp.c_proj.weight", inner, width), read(block + "mlp.c_proj.bias", width)));
      }
      float[] normWeight = read("ln_f.weight", width);
      float[] normBias = read("ln_f.bias", width);
      float[] lmHead = tokenEmbedding;
      if (file.tensor("lm_head.weight").isPresent()) {
        lmHead = readExact("lm_head.weight", config.vocabularySize(), width);
      } else if (!config.tiedLmHead()) {
        throw new ModelLoadException("safetensors file " + file.file() + " has no tensor 'lm_head.weight' but "
            + "config.json sets tie_word_embeddings=false; add the LM head or set tie_word_embeddings to true");
      }
      return new GptWeights(config, tokenEmbedding, positionEmbedding, layers, normWeight, normBias, lmHead);
    }

    private void checkNoUnknownTensors() {
      for (String name : file.tensors().keySet()) {
        String local = name.startsWith(prefix) ? name.substring(prefix.length()) : name;
        if (!isKnown(local) && !name.equals("lm_head.weight")) {
          throw new ModelLoadException("safetensors file " + file.file() + " has tensor '" + name
              + "', which is not part of a GPT-2 checkpoint with " + config.layerCount()
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

    /** Whether digits (no leading zero) name one of the config's layers; compared as text, so no index overflows. */
    private boolean isLayerIndex(String digits) {
      String count = Integer.toString(config.layerCount());
      return digits.length() < count.length() || (digits.length() == count.length() && digits.compareTo(count) < 0);
    }

    private float[] read(String name, long... shape) {
      return readExact(prefix + name, shape);
    }

    private float[] readExact(String name, long... shape) {
      TensorEntry entry = file.tensor(name).orElseThrow(() -> new ModelLoadException("safetensors file "
          + file.file() + " has no tensor '" + name + "', which a GPT-2 checkpoint with " + config.layerCount()
          + " layers needs (is this a GPT-2 checkpoint, and does config.json match it?)"));
      if (!Arrays.equals(entry.shape(), shape)) {
        throw new ModelLoadException("safetensors file " + file.file() + " has tensor '" + name + "' of shape "
            + entry.shapeText() + " but config.json implies " + Arrays.toString(shape)
            + " (n_embd=" + config.width() + ", n_inner=" + config.innerWidth() + ", n_positions="
            + config.contextLength() + ", vocab_size=" + config.vocabularySize() + "): the config does not fit the weights");
      }
      float[] values = file.readFloats(entry);
      checkFinite(entry, values);
      return values;
    }

    /** NaN or infinite weights load fine and then turn every logit into NaN: blank replies, so refuse them here. */
    private void checkFinite(TensorEntry entry, float[] values) {
      for (int i = 0; i < values.length; i++) {
        if (!Float.isFinite(values[i])) {
          throw new ModelLoadException("safetensors file " + file.file() + " has tensor '" + entry.name() + "' with "
              + values[i] + " at " + position(entry.shape(), i) + ": the checkpoint is corrupt (did training diverge,"
              + " or a conversion overflow F16?)");
        }
      }
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
