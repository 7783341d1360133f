package dev.colloquy.model.local.internal.gguf;

import dev.colloquy.model.local.ModelLoadException;
import dev.colloquy.model.local.internal.decoder.DecoderConfig;
import dev.colloquy.model.local.internal.decoder.DecoderFamily;
import dev.colloquy.model.local.internal.decoder.DecoderWeights;
import dev.colloquy.model.local.internal.decoder.TensorNames;
import dev.colloquy.model.local.internal.decoder.WeightTensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A decoder checkpoint read from one GGUF file: the configuration from its metadata, every tensor
 * under its canonical name (F32, F16, BF16, Q8_0 and Q4_0 kept in their encoding, read straight
 * into it; the other block types dequantized to floats) (Q/K rows of {@code llama} files
 * un-permuted to Hugging Face's order, Phi-3's fused {@code attn_qkv} and {@code ffn_up} split),
 * and the metadata the tokenizer and the chat template need.
 *
 * @param file the GGUF file
 * @param weights the configuration and the tensors by canonical name
 * @param tokenizer the {@code tokenizer.ggml.*} metadata, if the file has a tokenizer
 * @param chatTemplate {@code tokenizer.chat_template}, if present
 * @param metadata all the metadata, for anything else
 */
public record GgufCheckpoint(
    Path file,
    DecoderWeights weights,
    Optional<GgufTokenizerMetadata> tokenizer,
    Optional<String> chatTemplate,
    GgufMetadata metadata) {

  /** Tensors a file may hold beyond the canonical ones, consumed while reading the config. */
  private static final Set<String> CONSUMED = Set.of("rope_freqs.weight");

  /**
   * Reads a GGUF checkpoint of a supported architecture (llama, qwen2, qwen3, phi3).
   *
   * @param file the {@code .gguf} file
   * @return the configuration, the weights as floats, and the tokenizer and template metadata
   * @throws ModelLoadException naming the file (and the key or tensor) when it is malformed, of an
   *     unsupported architecture or tensor type, or its tensors do not fit its metadata
   */
  public static GgufCheckpoint read(Path file) {
    return read(file, WeightTensor.PART_BYTES);
  }

  /**
   * {@link #read(Path)} with block-type matrices kept in parts of at most {@code partBytes} bytes
   * an array ({@link WeightTensor.Rows}); tests use small parts to load small models in parts.
   */
  public static GgufCheckpoint read(Path file, int partBytes) {
    try (GgufFile gguf = GgufFile.open(file)) {
      String architecture = GgufDecoderConfig.architecture(gguf);
      DecoderConfig config = GgufDecoderConfig.read(gguf);
      Optional<GgufTokenizerMetadata> tokenizer = tokenizer(gguf.metadata());
      if (tokenizer.isPresent() && tokenizer.get().tokens().size() > config.vocabularySize()) {
        throw GgufDecoderConfig.fail(
            gguf,
            "has "
                + tokenizer.get().tokens().size()
                + " tokenizer tokens but only "
                + config.vocabularySize()
                + " rows in '"
                + TensorNames.TOKEN_EMBEDDING
                + "'");
      }
      Map<String, WeightTensor> tensors =
          tensors(gguf, config, architecture.equals("llama"), partBytes);
      DecoderWeights weights;
      try {
        weights = new DecoderWeights(config, tensors);
      } catch (IllegalArgumentException e) {
        throw GgufDecoderConfig.fail(gguf, "does not fit its metadata: " + e.getMessage());
      }
      return new GgufCheckpoint(
          file,
          weights,
          tokenizer,
          gguf.metadata().string("tokenizer.chat_template"),
          gguf.metadata());
    }
  }

  private static Map<String, WeightTensor> tensors(
      GgufFile gguf, DecoderConfig config, boolean permutedQueryKey, int partBytes) {
    Map<String, long[]> expected = TensorNames.expected(config);
    Set<String> used = new HashSet<>(CONSUMED);
    Map<String, WeightTensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> entry : expected.entrySet()) {
      String name = entry.getKey();
      if (tensors.containsKey(name)) {
        continue; // filled by a fused tensor
      }
      Optional<Fused> fused = Fused.of(gguf, config, name);
      if (fused.isPresent()) {
        WeightTensor values =
            read(gguf, fused.get().source(), fused.get().shape(), used, partBytes);
        int columns = (int) entry.getValue()[1];
        int row = 0;
        for (int i = 0; i < fused.get().parts().size(); i++) {
          int rows = fused.get().rows()[i];
          tensors.put(fused.get().parts().get(i), values.rows(columns, row, row + rows));
          row += rows;
        }
        continue;
      }
      WeightTensor values = read(gguf, name, entry.getValue(), used, partBytes);
      if (permutedQueryKey && isQueryOrKey(name)) {
        int heads = name.contains("attn_q.") ? config.headCount() : config.keyValueHeadCount();
        int columns = entry.getValue().length == 2 ? (int) entry.getValue()[1] : 1;
        values = values.reorderRows(columns, LlamaRowOrder.order(values.size() / columns, heads));
      }
      tensors.put(name, values);
    }
    List<String> unexpected =
        gguf.tensors().keySet().stream().filter(name -> !used.contains(name)).toList();
    if (!unexpected.isEmpty()) {
      throw GgufDecoderConfig.fail(
          gguf,
          "has tensors this "
              + config.family()
              + " configuration does not use: "
              + unexpected.stream().limit(5).collect(Collectors.joining(", "))
              + (unexpected.size() > 5 ? " and " + (unexpected.size() - 5) + " more" : ""));
    }
    return tensors;
  }

  private static boolean isQueryOrKey(String name) {
    return name.endsWith(".attn_q.weight")
        || name.endsWith(".attn_k.weight")
        || name.endsWith(".attn_q.bias")
        || name.endsWith(".attn_k.bias");
  }

  private static WeightTensor read(
      GgufFile gguf, String name, long[] shape, Set<String> used, int partBytes) {
    GgufTensorInfo info =
        gguf.tensor(name)
            .orElseThrow(() -> GgufDecoderConfig.fail(gguf, "has no tensor '" + name + "'"));
    if (!Arrays.equals(info.shape(), shape)) {
      throw GgufDecoderConfig.fail(
          gguf,
          "has tensor '"
              + name
              + "' of shape "
              + info.shapeText()
              + " but its metadata needs "
              + Arrays.toString(shape));
    }
    used.add(name);
    return gguf.readTensor(info, partBytes);
  }

  /**
   * Phi-3's fused tensors as llama.cpp's converter writes them: {@code attn_qkv} holds the q, k and
   * v rows in that order; {@code ffn_up} holds the gate rows then the up rows (and there is no
   * {@code ffn_gate}).
   */
  private record Fused(String source, long[] shape, List<String> parts, int[] rows) {

    static Optional<Fused> of(GgufFile gguf, DecoderConfig config, String name) {
      if (config.family() != DecoderFamily.PHI3 || !name.startsWith("blk.")) {
        return Optional.empty();
      }
      int layer = Integer.parseInt(name.substring(4, name.indexOf('.', 4)));
      String qkv = "blk." + layer + ".attn_qkv.weight";
      boolean attention =
          name.equals(TensorNames.query(layer))
              || name.equals(TensorNames.key(layer))
              || name.equals(TensorNames.value(layer));
      if (attention && gguf.tensor(qkv).isPresent() && gguf.tensor(name).isEmpty()) {
        int query = config.queryWidth();
        int keyValue = config.keyValueWidth();
        return Optional.of(
            new Fused(
                qkv,
                new long[] {query + 2L * keyValue, config.width()},
                List.of(TensorNames.query(layer), TensorNames.key(layer), TensorNames.value(layer)),
                new int[] {query, keyValue, keyValue}));
      }
      boolean mlp = name.equals(TensorNames.gate(layer)) || name.equals(TensorNames.up(layer));
      if (mlp && gguf.tensor(TensorNames.gate(layer)).isEmpty()) {
        int inner = config.innerWidth();
        return Optional.of(
            new Fused(
                TensorNames.up(layer),
                new long[] {2L * inner, config.width()},
                List.of(TensorNames.gate(layer), TensorNames.up(layer)),
                new int[] {inner, inner}));
      }
      return Optional.empty();
    }
  }

  private static Optional<GgufTokenizerMetadata> tokenizer(GgufMetadata metadata) {
    Optional<String> model = metadata.string("tokenizer.ggml.model");
    if (model.isEmpty()) {
      return Optional.empty();
    }
    int[] types =
        metadata
            .integers("tokenizer.ggml.token_type")
            .map(values -> Arrays.stream(values).mapToInt(value -> (int) value).toArray())
            .orElse(new int[0]);
    return Optional.of(
        new GgufTokenizerMetadata(
            model.get(),
            metadata.string("tokenizer.ggml.pre"),
            metadata.strings("tokenizer.ggml.tokens").orElse(List.of()),
            metadata.floats("tokenizer.ggml.scores").orElse(new float[0]),
            types,
            metadata.strings("tokenizer.ggml.merges").orElse(List.of()),
            metadata.index("tokenizer.ggml.bos_token_id"),
            metadata.index("tokenizer.ggml.eos_token_id"),
            metadata.index("tokenizer.ggml.unknown_token_id"),
            metadata.index("tokenizer.ggml.padding_token_id"),
            metadata.bool("tokenizer.ggml.add_bos_token")));
  }
}
