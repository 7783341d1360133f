package dev.colloquy.model.local;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.model.local.internal.checkpoint.CappedFile;
import dev.colloquy.model.local.internal.decoder.DecoderConfig;
import dev.colloquy.model.local.internal.decoder.DecoderWeights;
import dev.colloquy.model.local.internal.decoder.SafetensorsDecoderReader;
import dev.colloquy.model.local.internal.gguf.GgufCheckpoint;
import dev.colloquy.model.local.internal.gguf.GgufTokenizerMetadata;
import dev.colloquy.model.local.internal.runtime.DjlDecoderRuntime;
import dev.colloquy.model.local.internal.runtime.GptRuntime;
import dev.colloquy.model.local.internal.runtime.JavaDecoderRuntime;
import dev.colloquy.model.local.internal.tokenizer.BpeTokenizer;
import dev.colloquy.model.local.internal.tokenizer.GgufVocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a Hugging Face directory of a Llama-style family (Llama, Mistral, Qwen2, Qwen3, Phi-3) onto
 * the Java engine or the DJL engine (CPU or GPU); GPT-2 directories stay with {@link ModelLoader}'s
 * own path.
 */
final class DecoderModelLoader {

  private static final Logger LOG = LoggerFactory.getLogger(LocalGptModel.class);

  private DecoderModelLoader() {}

  /**
   * Whether a directory's config.json names something other than GPT-2: a decoder family, or an
   * unknown type that {@link DecoderConfig#read} reports with the supported list. A config without
   * model_type and architectures is GPT-2's, as old GPT-2 exports are.
   */
  static boolean isDecoderFamily(Path directory) {
    Path file = directory.resolve("config.json");
    if (!Files.isRegularFile(file)) {
      return false;
    }
    JsonNode json;
    try {
      json =
          new ObjectMapper()
              .readTree(CappedFile.read(file, CappedFile.CONFIG_CAP, "model configuration"));
    } catch (IOException | RuntimeException e) {
      return false; // the GPT-2 path reads it again and reports the problem
    }
    if (json == null || !json.isObject()) {
      return false;
    }
    String modelType = json.path("model_type").asText("");
    if (!modelType.isEmpty()) {
      return !modelType.equals("gpt2");
    }
    JsonNode architectures = json.path("architectures");
    return architectures.isArray()
        && architectures.size() > 0
        && !architectures.get(0).asText("").equals("GPT2LMHeadModel");
  }

  /** Checks the small files (config, generation config, tokenizer) before reading the weights. */
  static LocalGptModel load(LocalModelSettings settings) {
    Path directory = settings.directory();
    DecoderConfig config = DecoderConfig.read(directory.resolve("config.json"));
    if (!SafetensorsDecoderReader.hasWeights(directory)) {
      SafetensorsDecoderReader.read(directory, config); // reports what is missing
    }
    Path generationFile = directory.resolve("generation_config.json");
    ModelLoader.GenerationDefaults generation = ModelLoader.readGenerationConfig(generationFile);
    List<Integer> endOfText = endOfTextIds(config, generationFile);
    checkBackend(settings);
    BpeTokenizer tokenizer = BpeTokenizer.fromModelDirectory(directory);
    return finish(
        settings,
        directory,
        "",
        config,
        generation,
        tokenizer,
        endOfText,
        "config.json's vocab_size",
        () ->
            SafetensorsDecoderReader.read(
                directory, config, settings.weights() == WeightFormat.Q8_0),
        () -> ModelChatTemplates.fromDirectory(directory));
  }

  /**
   * The GGUF file a path names: the path itself when it is a {@code .gguf} file, or the only {@code
   * .gguf} file of a directory without {@code config.json}.
   *
   * @throws ModelLoadException when a directory holds several GGUF files
   */
  static Optional<Path> ggufFile(Path path) {
    if (Files.isRegularFile(path)) {
      return isGgufName(path) ? Optional.of(path) : Optional.empty();
    }
    if (!Files.isDirectory(path) || Files.exists(path.resolve("config.json"))) {
      return Optional.empty();
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(path)) {
      files = listing.filter(f -> isGgufName(f) && Files.isRegularFile(f)).sorted().toList();
    } catch (IOException e) {
      throw new ModelLoadException(
          "cannot list model directory " + path + ": " + e.getMessage(), e);
    }
    if (files.size() > 1) {
      throw new ModelLoadException(
          "model directory "
              + path
              + " holds "
              + files.size()
              + " GGUF files ("
              + files.stream().map(f -> f.getFileName().toString()).toList()
              + "): give the path of the one to load");
    }
    return files.stream().findFirst();
  }

  private static boolean isGgufName(Path file) {
    return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gguf");
  }

  /**
   * Loads a GGUF file. The tokenizer is the {@code tokenizer.json} beside the file when there is
   * one (with its {@code tokenizer_config.json}), else the one in the file's metadata; a {@code
   * generation_config.json} beside the file is read as for a Hugging Face directory.
   */
  static LocalGptModel loadGguf(LocalModelSettings settings, Path file) {
    checkBackend(settings);
    Path directory = file.toAbsolutePath().getParent();
    Path generationFile = directory.resolve("generation_config.json");
    ModelLoader.GenerationDefaults generation = ModelLoader.readGenerationConfig(generationFile);
    GgufCheckpoint checkpoint = GgufCheckpoint.read(file);
    DecoderConfig config = checkpoint.weights().config();
    List<Integer> endOfText = endOfTextIds(config, generationFile);
    BpeTokenizer tokenizer;
    Optional<ModelChatTemplates.Source> template;
    if (Files.exists(directory.resolve(BpeTokenizer.TOKENIZER_FILE))) {
      tokenizer = BpeTokenizer.fromModelDirectory(directory);
      template = ModelChatTemplates.fromDirectory(directory);
    } else {
      template =
          checkpoint
              .chatTemplate()
              .map(
                  text -> new ModelChatTemplates.Source(text, file + " (tokenizer.chat_template)"));
      GgufTokenizerMetadata metadata =
          checkpoint
              .tokenizer()
              .orElseThrow(
                  () ->
                      new ModelLoadException(
                          "GGUF file "
                              + file
                              + " has no tokenizer (no tokenizer.ggml.* metadata) and no "
                              + BpeTokenizer.TOKENIZER_FILE
                              + " lies beside it: put the model's tokenizer.json next to the file"));
      tokenizer = BpeTokenizer.fromGguf(file, vocabulary(metadata));
    }
    return finish(
        settings,
        file,
        " from GGUF",
        config,
        generation,
        tokenizer,
        endOfText,
        "the file's token_embd rows",
        checkpoint::weights,
        () -> template);
  }

  /**
   * Checks the tokenizer against the configuration, reads the weights, starts the engine and builds
   * the model; the tokenizer is closed if any of it fails. The chat template is looked up only when
   * no format is given.
   */
  private static LocalGptModel finish(
      LocalModelSettings settings,
      Path source,
      String origin,
      DecoderConfig config,
      ModelLoader.GenerationDefaults generation,
      BpeTokenizer tokenizer,
      List<Integer> configEndOfText,
      String vocabularySource,
      Supplier<DecoderWeights> weights,
      Supplier<Optional<ModelChatTemplates.Source>> template) {
    GptRuntime runtime;
    try {
      List<Integer> endOfText = withTokenizerEndOfText(configEndOfText, tokenizer);
      checkTokenizer(tokenizer, config, endOfText, vocabularySource);
      runtime = new EndOfTextOverride(runtime(settings, weights.get()), endOfText);
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
    LOG.info(
        "loaded {} ({}{}, {} parameters) on {}",
        source,
        config.family().architecture(),
        origin,
        config.parameterCount(),
        runtime.description());
    return ModelLoader.model(
        settings,
        generation,
        tokenizer,
        runtime,
        () -> template.get().map(found -> ModelChatTemplates.format(found, tokenizer)));
  }

  /**
   * Adds the tokenizer's end-of-text token (tokenizer_config.json's eos_token, e.g. Qwen's {@code
   * <|im_end|>}) to the configuration's ids: instruct models end their turns with it.
   */
  private static List<Integer> withTokenizerEndOfText(List<Integer> ids, BpeTokenizer tokenizer) {
    Set<Integer> all = new LinkedHashSet<>(ids);
    tokenizer.eos().ifPresent(eos -> all.add(eos.id()));
    if (all.isEmpty()) {
      throw new ModelLoadException(
          "no end-of-text id is set for "
              + tokenizer.file()
              + " (eos_token_id in config.json or generation_config.json, eos_token in"
              + " tokenizer_config.json, or tokenizer.ggml.eos_token_id): without it a reply never"
              + " ends; add the model's end-of-text id");
    }
    return new ArrayList<>(all);
  }

  private static GgufVocabulary vocabulary(GgufTokenizerMetadata t) {
    return new GgufVocabulary(
        t.model(),
        t.pre(),
        t.tokens(),
        t.scores(),
        t.tokenTypes(),
        t.merges(),
        t.bosId(),
        t.eosId(),
        t.unknownId(),
        t.paddingId(),
        t.addBosToken());
  }

  private static void checkTokenizer(
      BpeTokenizer tokenizer, DecoderConfig config, List<Integer> endOfText, String vocabSource) {
    if (tokenizer.size() > config.vocabularySize()) {
      throw new ModelLoadException(
          "tokenizer file "
              + tokenizer.file()
              + " has "
              + tokenizer.size()
              + " tokens but "
              + vocabSource
              + " is "
              + config.vocabularySize()
              + ": the tokenizer does not belong to this checkpoint");
    }
    for (int id : endOfText) {
      if (id >= tokenizer.size()) {
        throw new ModelLoadException(
            "end-of-text id "
                + id
                + " is not a token of "
                + tokenizer.file()
                + ", which has "
                + tokenizer.size()
                + " tokens");
      }
    }
  }

  /**
   * A GPU needs the DJL engine: asking for the Java one there fails before the weights are read.
   */
  private static void checkBackend(LocalModelSettings settings) {
    if (settings.backend() == ComputeBackend.JAVA
        && settings.device().kind() == LocalDevice.Kind.GPU) {
      throw new ModelLoadException(
          "the Java backend runs on the CPU only, but device "
              + settings.device()
              + " was asked for: use ComputeBackend.DJL or AUTO for GPUs");
    }
  }

  /**
   * The engine for the settings, as for GPT-2: the Java engine for JAVA, and for AUTO on the CPU;
   * DJL for DJL (on the CPU unless a GPU is asked for) and for a GPU; with device auto, DJL on the
   * first GPU PyTorch sees, else the backend's CPU engine.
   */
  private static GptRuntime runtime(LocalModelSettings settings, DecoderWeights loaded) {
    DecoderWeights weights =
        settings.weights() == WeightFormat.Q8_0 ? loaded.quantizedToQ8_0() : loaded;
    LocalDevice device = settings.device();
    ComputeBackend backend = settings.backend();
    if (backend == ComputeBackend.JAVA
        || (backend == ComputeBackend.AUTO && device.kind() == LocalDevice.Kind.CPU)) {
      return new JavaDecoderRuntime(weights, settings.threads());
    }
    if (device.kind() == LocalDevice.Kind.GPU) {
      return new DjlDecoderRuntime(weights, Device.gpu(device.gpuIndex()));
    }
    if (device.kind() == LocalDevice.Kind.CPU) {
      return new DjlDecoderRuntime(weights, Device.cpu());
    }
    if (ModelLoader.visibleGpus() > 0) {
      return new DjlDecoderRuntime(weights, Device.gpu(0));
    }
    return backend == ComputeBackend.DJL
        ? new DjlDecoderRuntime(weights, Device.cpu())
        : new JavaDecoderRuntime(weights, settings.threads());
  }

  /**
   * config.json's eos_token_id, then generation_config.json's (Llama 3 instruct models list their
   * end-of-turn ids there), without repeats; the tokenizer's is added later, and at least one of
   * them is required to end a reply.
   */
  private static List<Integer> endOfTextIds(DecoderConfig config, Path generationFile) {
    Set<Integer> ids = new LinkedHashSet<>(config.endOfTextIds());
    if (Files.exists(generationFile)) {
      try {
        JsonNode eos =
            new ObjectMapper()
                .readTree(
                    CappedFile.read(generationFile, CappedFile.CONFIG_CAP, "generation config"))
                .path("eos_token_id");
        for (JsonNode id : eos.isArray() ? eos : List.of(eos)) {
          if (id.canConvertToInt()
              && id.isIntegralNumber()
              && id.intValue() >= 0
              && id.intValue() < config.vocabularySize()) {
            ids.add(id.intValue());
          } else if (!id.isMissingNode() && !id.isNull()) {
            throw new ModelLoadException(
                "generation config "
                    + generationFile
                    + " has eos_token_id "
                    + id
                    + ", not a token id below vocab_size "
                    + config.vocabularySize());
          }
        }
      } catch (IOException e) {
        throw new ModelLoadException(
            "cannot read generation config " + generationFile + ": " + e.getMessage(), e);
      }
    }
    return new ArrayList<>(ids);
  }

  /** A runtime whose end-of-text ids include generation_config.json's. */
  record EndOfTextOverride(GptRuntime runtime, List<Integer> endOfTextIds) implements GptRuntime {

    EndOfTextOverride {
      endOfTextIds = List.copyOf(endOfTextIds);
    }

    @Override
    public int contextLength() {
      return runtime.contextLength();
    }

    @Override
    public int vocabularySize() {
      return runtime.vocabularySize();
    }

    @Override
    public dev.colloquy.model.local.internal.runtime.GptSequence newSequence(int capacity) {
      return runtime.newSequence(capacity);
    }

    // Forwarded, so that the engine's own batched step is used rather than the one-by-one default.
    @Override
    public float[][] appendAll(
        List<dev.colloquy.model.local.internal.runtime.GptSequence> sequences, List<int[]> tokens) {
      return runtime.appendAll(sequences, tokens);
    }

    @Override
    public String description() {
      return runtime.description();
    }

    @Override
    public void close() {
      runtime.close();
    }
  }
}
