package dev.colloquy.model.local.internal.decoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.model.local.ModelLoadException;
import dev.colloquy.model.local.internal.checkpoint.CappedFile;
import dev.colloquy.model.local.internal.checkpoint.HalfFloats;
import dev.colloquy.model.local.internal.checkpoint.PanelMatrix;
import dev.colloquy.model.local.internal.checkpoint.SafetensorsFile;
import dev.colloquy.model.local.internal.checkpoint.TensorEntry;
import dev.colloquy.model.local.internal.checkpoint.TensorType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Loads a Hugging Face decoder directory's safetensors weights into canonical names: {@code
 * model.safetensors}, or the shards of {@code model.safetensors.index.json}.
 *
 * <p>Design note: every check runs before any tensor data is read, in the order that explains a
 * wrong file best: each file's header (by {@link SafetensorsFile#open}), the shard index (a tensor
 * in two shards, or missing from the shard the index names), missing tensors, unknown tensors, then
 * shapes and dtypes against the configuration. Phi-3's fused {@code qkv_proj} and {@code
 * gate_up_proj} are split into the canonical q/k/v and gate/up by rows. Then each tensor is read
 * once, straight into the form the engines keep (F32 matrices packed, F16/BF16 16-bit), so the heap
 * holds the weights' bytes about once while loading. Not thread-safe.
 */
public final class SafetensorsDecoderReader {

  /** The single weights file of a model directory. */
  public static final String SINGLE_FILE = "model.safetensors";

  /** The shard index of a sharded model directory. */
  public static final String INDEX_FILE = "model.safetensors.index.json";

  /** The most bytes read from the shard index (16 MiB; a 400B model's index is about 200 KB). */
  static final int INDEX_CAP = 16 << 20;

  private static final String LM_HEAD = "lm_head.weight";
  private static final int MISSING_LISTED = 5;
  private static final Pattern LAYER_TENSOR =
      Pattern.compile("model\\.layers\\.(0|[1-9][0-9]*)\\.(.+)");
  // Buffers some exports carry: recomputed from the config, never weights.
  private static final Pattern IGNORED = Pattern.compile("self_attn\\.rotary_emb\\.inv_freq");

  private final DecoderConfig config;
  private final Map<String, Located> tensors; // every tensor of every file, by HF name
  private final List<SafetensorsFile> files;
  private final boolean quantizeToQ8_0;

  /** A tensor and the file that holds it. */
  private record Located(SafetensorsFile file, TensorEntry entry) {}

  /** A slice of rows of a Hugging Face tensor that becomes one canonical tensor. */
  private record Part(String canonicalName, long rowFrom, long rowCount) {}

  /** A Hugging Face tensor the config asks for: its shape and the canonical tensors it holds. */
  private record Source(String name, long[] shape, List<Part> parts) {}

  private SafetensorsDecoderReader(
      DecoderConfig config, List<SafetensorsFile> files, boolean quantizeToQ8_0) {
    this.config = config;
    this.files = files;
    this.quantizeToQ8_0 = quantizeToQ8_0;
    this.tensors = new LinkedHashMap<>();
  }

  /**
   * Returns whether a directory holds Hugging Face safetensors weights (single or sharded).
   *
   * @param directory the model directory
   */
  public static boolean hasWeights(Path directory) {
    return Files.exists(directory.resolve(SINGLE_FILE))
        || Files.exists(directory.resolve(INDEX_FILE));
  }

  /**
   * Reads and validates the weights of a model directory against its configuration, each tensor in
   * its stored dtype (F32 matrices packed for the Java engine, F16/BF16 kept 16-bit).
   *
   * @param directory holds {@code model.safetensors}, or {@code model.safetensors.index.json} and
   *     its shards
   * @param config the directory's configuration
   * @throws ModelLoadException naming the file and tensor on any problem
   */
  public static DecoderWeights read(Path directory, DecoderConfig config) {
    return read(directory, config, false);
  }

  /**
   * As {@link #read(Path, DecoderConfig)}; with {@code quantizeToQ8_0}, each matrix whose rows are
   * whole blocks of 32 is quantized to Q8_0 as it is read (as {@link
   * DecoderWeights#quantizedToQ8_0()} would), so no more than one tensor is ever held in floats.
   */
  public static DecoderWeights read(Path directory, DecoderConfig config, boolean quantizeToQ8_0) {
    List<Path> paths = weightFiles(directory);
    List<SafetensorsFile> opened = new ArrayList<>();
    try {
      for (Path path : paths) {
        opened.add(SafetensorsFile.open(path));
      }
      SafetensorsDecoderReader reader =
          new SafetensorsDecoderReader(config, opened, quantizeToQ8_0);
      reader.index(directory);
      return reader.load();
    } finally {
      for (SafetensorsFile file : opened) {
        file.close();
      }
    }
  }

  /** The files to open: the single file, else every shard the index names (each once). */
  private static List<Path> weightFiles(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new ModelLoadException(
          "model directory " + directory + " does not exist or is not a directory");
    }
    Path single = directory.resolve(SINGLE_FILE);
    if (Files.exists(single)) {
      return List.of(single);
    }
    Path index = directory.resolve(INDEX_FILE);
    if (!Files.exists(index)) {
      throw new ModelLoadException(
          "model directory "
              + directory
              + " has neither "
              + SINGLE_FILE
              + " nor "
              + INDEX_FILE
              + (Files.exists(directory.resolve("pytorch_model.bin"))
                  ? "; its pytorch_model.bin pickle is refused (unpickling can run code): convert it"
                      + " once with save_pretrained(dir, safe_serialization=True)"
                  : ""));
    }
    return new ArrayList<>(
        shardMap(index).values().stream().distinct().map(directory::resolve).toList());
  }

  /** Reads the index's {@code weight_map}: tensor name to shard file name, checked. */
  private static Map<String, String> shardMap(Path index) {
    JsonNode json;
    try {
      json = new ObjectMapper().readTree(CappedFile.read(index, INDEX_CAP, "shard index"));
    } catch (IOException e) {
      throw new ModelLoadException("cannot read shard index " + index + ": " + e.getMessage(), e);
    }
    JsonNode map = json == null ? null : json.get("weight_map");
    if (map == null || !map.isObject() || map.isEmpty()) {
      throw new ModelLoadException(
          "shard index " + index + " has no 'weight_map' object naming each tensor's shard");
    }
    Map<String, String> shards = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = map.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String shard = entry.getValue().asText("");
      // A shard is a file beside the index: no paths, so the index cannot reach other files.
      if (!entry.getValue().isTextual()
          || shard.isEmpty()
          || shard.contains("/")
          || shard.contains("\\")
          || shard.equals(".")
          || shard.equals("..")) {
        throw new ModelLoadException(
            "shard index "
                + index
                + " maps tensor '"
                + entry.getKey()
                + "' to "
                + entry.getValue()
                + "; a shard must be a file name in the same directory");
      }
      shards.put(entry.getKey(), shard);
    }
    return shards;
  }

  /** Collects every file's tensors; with an index, checks that each is where the index says. */
  private void index(Path directory) {
    for (SafetensorsFile file : files) {
      for (TensorEntry entry : file.tensors().values()) {
        Located previous = tensors.putIfAbsent(entry.name(), new Located(file, entry));
        if (previous != null) {
          throw new ModelLoadException(
              "tensor '"
                  + entry.name()
                  + "' is in two shards, "
                  + previous.file().file()
                  + " and "
                  + file.file()
                  + ": a sharded checkpoint holds each tensor once");
        }
      }
    }
    Path index = directory.resolve(INDEX_FILE);
    if (files.size() == 1 && files.get(0).file().getFileName().toString().equals(SINGLE_FILE)) {
      return;
    }
    for (Map.Entry<String, String> entry : shardMap(index).entrySet()) {
      Located located = tensors.get(entry.getKey());
      Path shard = directory.resolve(entry.getValue());
      if (located == null || !located.file().file().equals(shard)) {
        throw new ModelLoadException(
            "shard index "
                + index
                + " puts tensor '"
                + entry.getKey()
                + "' in "
                + shard
                + ", which does not hold it"
                + (located == null ? "" : " (it is in " + located.file().file() + ")"));
      }
    }
  }

  private DecoderWeights load() {
    List<Source> sources = expectedSources();
    checkNoUnknownTensors();
    for (Source source : sources) {
      checkShape(source);
    }
    Located lmHead = tensors.get(LM_HEAD);
    if (lmHead != null && config.tiedEmbeddings()) {
      // Some exports write the tied head too; transformers ties it to the embedding and so do we.
      checkShape(
          new Source(LM_HEAD, new long[] {config.vocabularySize(), config.width()}, List.of()));
    }
    Map<String, WeightTensor> canonical = new HashMap<>();
    for (Source source : sources) {
      Located located = tensors.get(source.name());
      long[] shape = source.shape();
      int columns = shape.length == 2 ? (int) shape[1] : 1;
      for (Part part : source.parts()) {
        canonical.put(
            part.canonicalName(),
            read(
                located,
                shape.length == 2,
                part.rowFrom() * columns,
                (int) part.rowCount(),
                columns));
      }
    }
    return new DecoderWeights(config, canonical);
  }

  /**
   * Reads rows {@code [from / columns, from / columns + rows)} of a tensor (all of it, or one part
   * of a fused one) in the form the engines keep: F16/BF16 as their 16-bit values, an F32 matrix
   * packed into the Java engine's panels straight from the file, an F32 vector as it is. Each value
   * is read once and nothing is copied after, so the weights take their bytes once.
   */
  private WeightTensor read(Located located, boolean matrix, long from, int rows, int columns) {
    SafetensorsFile file = located.file();
    TensorEntry entry = located.entry();
    int count = Math.multiplyExact(rows, columns);
    if (entry.type() == TensorType.F16 || entry.type() == TensorType.BF16) {
      boolean brain = entry.type() == TensorType.BF16;
      short[] bits = file.readHalves(entry, from, count);
      for (int i = 0; i < count; i++) {
        if (!isFinite(bits[i], brain)) {
          throw notFinite(
              located,
              from + i,
              brain ? WeightTensor.bfloat16ToFloat(bits[i]) : HalfFloats.toFloat(bits[i]));
        }
      }
      return quantize(new WeightTensor.Halves(bits, brain), matrix, columns);
    }
    PanelMatrix.Values values =
        (offset, into, at, n) -> {
          file.readFloats(entry, from + offset, into, at, n);
          for (int i = at; i < at + n; i++) {
            if (!Float.isFinite(into[i])) {
              throw notFinite(located, from + offset + i - at, into[i]);
            }
          }
        };
    if (matrix && quantizeToQ8_0 && columns % WeightTensor.BLOCK == 0) {
      // Row-major for the quantizer: one tensor's floats live while it is quantized.
      float[] floats = new float[count];
      values.read(0, floats, 0, count);
      return WeightTensor.quantizeQ8_0(new WeightTensor.F32(floats), columns);
    }
    if (matrix) {
      return new WeightTensor.PackedF32(PanelMatrix.ofTransposed(values, columns, rows));
    }
    float[] floats = new float[count];
    values.read(0, floats, 0, count);
    return new WeightTensor.F32(floats);
  }

  private WeightTensor quantize(WeightTensor tensor, boolean matrix, int columns) {
    return matrix && quantizeToQ8_0 && columns % WeightTensor.BLOCK == 0
        ? WeightTensor.quantizeQ8_0(tensor, columns)
        : tensor;
  }

  /** Whether 16-bit float bits are finite: their exponent is not all ones. */
  private static boolean isFinite(short bits, boolean brain) {
    int exponent = brain ? 0x7f80 : 0x7c00;
    return (bits & exponent) != exponent;
  }

  /** NaN or infinite weights turn every logit into NaN: refuse them at load. */
  private static ModelLoadException notFinite(Located located, long index, float value) {
    return new ModelLoadException(
        "safetensors file "
            + located.file().file()
            + " has tensor '"
            + located.entry().name()
            + "' with "
            + value
            + " at flat index "
            + index
            + ": the checkpoint is corrupt (did training diverge, or a conversion overflow F16?)");
  }

  /**
   * Lists the Hugging Face tensors the config asks for, failing on the first few the files lack.
   * The walk stops there, so a config with a billion layers costs no more than the files' own
   * tensors.
   */
  private List<Source> expectedSources() {
    long width = config.width();
    long query = config.queryWidth();
    long keyValue = config.keyValueWidth();
    long inner = config.innerWidth();
    boolean fused = config.family() == DecoderFamily.PHI3;
    List<Source> sources = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    expect(
        sources,
        missing,
        plain(
            "model.embed_tokens.weight",
            TensorNames.TOKEN_EMBEDDING,
            config.vocabularySize(),
            width));
    for (int layer = 0; layer < config.layerCount() && missing.size() <= MISSING_LISTED; layer++) {
      String block = "model.layers." + layer + ".";
      expect(
          sources,
          missing,
          plain(block + "input_layernorm.weight", TensorNames.attentionNorm(layer), width));
      if (fused) {
        expect(
            sources,
            missing,
            new Source(
                block + "self_attn.qkv_proj.weight",
                new long[] {query + 2 * keyValue, width},
                List.of(
                    new Part(TensorNames.query(layer), 0, query),
                    new Part(TensorNames.key(layer), query, keyValue),
                    new Part(TensorNames.value(layer), query + keyValue, keyValue))));
      } else {
        expect(
            sources,
            missing,
            plain(block + "self_attn.q_proj.weight", TensorNames.query(layer), query, width));
        expect(
            sources,
            missing,
            plain(block + "self_attn.k_proj.weight", TensorNames.key(layer), keyValue, width));
        expect(
            sources,
            missing,
            plain(block + "self_attn.v_proj.weight", TensorNames.value(layer), keyValue, width));
      }
      if (config.queryKeyValueBias()) {
        expect(
            sources,
            missing,
            plain(block + "self_attn.q_proj.bias", TensorNames.queryBias(layer), query));
        expect(
            sources,
            missing,
            plain(block + "self_attn.k_proj.bias", TensorNames.keyBias(layer), keyValue));
        expect(
            sources,
            missing,
            plain(block + "self_attn.v_proj.bias", TensorNames.valueBias(layer), keyValue));
      }
      if (config.queryKeyNorm()) {
        expect(
            sources,
            missing,
            plain(
                block + "self_attn.q_norm.weight",
                TensorNames.queryNorm(layer),
                config.headWidth()));
        expect(
            sources,
            missing,
            plain(
                block + "self_attn.k_norm.weight", TensorNames.keyNorm(layer), config.headWidth()));
      }
      expect(
          sources,
          missing,
          plain(
              block + "self_attn.o_proj.weight", TensorNames.attentionOutput(layer), width, query));
      if (config.outputBias()) {
        expect(
            sources,
            missing,
            plain(block + "self_attn.o_proj.bias", TensorNames.attentionOutputBias(layer), width));
      }
      expect(
          sources,
          missing,
          plain(
              block + "post_attention_layernorm.weight",
              TensorNames.feedForwardNorm(layer),
              width));
      if (fused) {
        expect(
            sources,
            missing,
            new Source(
                block + "mlp.gate_up_proj.weight",
                new long[] {2 * inner, width},
                List.of(
                    new Part(TensorNames.gate(layer), 0, inner),
                    new Part(TensorNames.up(layer), inner, inner))));
      } else {
        expect(
            sources,
            missing,
            plain(block + "mlp.gate_proj.weight", TensorNames.gate(layer), inner, width));
        expect(
            sources,
            missing,
            plain(block + "mlp.up_proj.weight", TensorNames.up(layer), inner, width));
      }
      expect(
          sources,
          missing,
          plain(block + "mlp.down_proj.weight", TensorNames.down(layer), width, inner));
      if (config.feedForwardBias()) {
        expect(
            sources,
            missing,
            plain(block + "mlp.gate_proj.bias", TensorNames.gateBias(layer), inner));
        expect(
            sources, missing, plain(block + "mlp.up_proj.bias", TensorNames.upBias(layer), inner));
        expect(
            sources,
            missing,
            plain(block + "mlp.down_proj.bias", TensorNames.downBias(layer), width));
      }
    }
    expect(sources, missing, plain("model.norm.weight", TensorNames.OUTPUT_NORM, width));
    if (!config.tiedEmbeddings()) {
      expect(sources, missing, plain(LM_HEAD, TensorNames.OUTPUT, config.vocabularySize(), width));
    }
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
          describeFiles()
              + " has no tensor '"
              + missing.get(0)
              + "'"
              + others
              + ", which a "
              + config.family().architecture()
              + " checkpoint with "
              + config.layerCount()
              + " layers needs"
              + (missing.get(0).equals(LM_HEAD)
                  ? " (config.json sets tie_word_embeddings=false)"
                  : " (does config.json match the weights?)"));
    }
    return sources;
  }

  private static Source plain(String name, String canonicalName, long... shape) {
    return new Source(name, shape, List.of(new Part(canonicalName, 0, shape[0])));
  }

  private void expect(List<Source> sources, List<String> missing, Source source) {
    if (tensors.containsKey(source.name())) {
      sources.add(source);
    } else if (missing.size() <= MISSING_LISTED) {
      missing.add(source.name());
    }
  }

  private void checkNoUnknownTensors() {
    boolean fused = config.family() == DecoderFamily.PHI3;
    for (Located located : tensors.values()) {
      String name = located.entry().name();
      if (!isKnown(name, fused)) {
        throw new ModelLoadException(
            "safetensors file "
                + located.file().file()
                + " has tensor '"
                + name
                + "', which is not part of a "
                + config.family().architecture()
                + " checkpoint with "
                + config.layerCount()
                + " layers and this config.json (a different architecture, or a wrong"
                + " num_hidden_layers?)");
      }
    }
  }

  private boolean isKnown(String name, boolean fused) {
    if (name.equals("model.embed_tokens.weight")
        || name.equals("model.norm.weight")
        || name.equals(LM_HEAD)) {
      return true;
    }
    Matcher layer = LAYER_TENSOR.matcher(name);
    if (!layer.matches() || !isLayerIndex(layer.group(1))) {
      return false;
    }
    String local = layer.group(2);
    if (IGNORED.matcher(local).matches()) {
      return true;
    }
    List<String> known =
        new ArrayList<>(
            List.of(
                "input_layernorm.weight",
                "post_attention_layernorm.weight",
                "mlp.down_proj.weight",
                "self_attn.o_proj.weight"));
    known.addAll(
        fused
            ? List.of("self_attn.qkv_proj.weight", "mlp.gate_up_proj.weight")
            : List.of(
                "self_attn.q_proj.weight",
                "self_attn.k_proj.weight",
                "self_attn.v_proj.weight",
                "mlp.gate_proj.weight",
                "mlp.up_proj.weight"));
    if (config.queryKeyValueBias()) {
      known.addAll(
          List.of("self_attn.q_proj.bias", "self_attn.k_proj.bias", "self_attn.v_proj.bias"));
    }
    if (config.queryKeyNorm()) {
      known.addAll(List.of("self_attn.q_norm.weight", "self_attn.k_norm.weight"));
    }
    if (config.outputBias()) {
      known.add("self_attn.o_proj.bias");
    }
    if (config.feedForwardBias()) {
      known.addAll(List.of("mlp.gate_proj.bias", "mlp.up_proj.bias", "mlp.down_proj.bias"));
    }
    return known.contains(local);
  }

  /** Whether digits (no leading zero) name one of the config's layers; compared as text. */
  private boolean isLayerIndex(String digits) {
    String count = Integer.toString(config.layerCount());
    return digits.length() < count.length()
        || (digits.length() == count.length() && digits.compareTo(count) < 0);
  }

  private void checkShape(Source source) {
    Located located = tensors.get(source.name());
    TensorEntry entry = located.entry();
    if (!Arrays.equals(entry.shape(), source.shape())) {
      throw new ModelLoadException(
          "safetensors file "
              + located.file().file()
              + " has tensor '"
              + source.name()
              + "' of shape "
              + entry.shapeText()
              + " but config.json implies "
              + Arrays.toString(source.shape())
              + " (hidden_size="
              + config.width()
              + ", num_attention_heads="
              + config.headCount()
              + ", num_key_value_heads="
              + config.keyValueHeadCount()
              + ", head_dim="
              + config.headWidth()
              + ", intermediate_size="
              + config.innerWidth()
              + ", vocab_size="
              + config.vocabularySize()
              + "): the config does not fit the weights");
    }
    if (!entry.type().loadable()) {
      throw new ModelLoadException(
          "safetensors file "
              + located.file().file()
              + " has tensor '"
              + source.name()
              + "' of dtype "
              + entry.type()
              + "; weights must be F32, F16 or BF16");
    }
    if (entry.elementCount() > Integer.MAX_VALUE - 8) {
      throw new ModelLoadException(
          "safetensors file "
              + located.file().file()
              + " has tensor '"
              + source.name()
              + "' of "
              + entry.elementCount()
              + " elements, more than one Java array holds");
    }
  }

  private String describeFiles() {
    return files.size() == 1
        ? "safetensors file " + files.get(0).file()
        : "the shards of " + files.get(0).file().getParent().resolve(INDEX_FILE);
  }
}
