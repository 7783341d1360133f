package dev.colloquy.model.local;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.model.local.internal.checkpoint.CappedFile;
import dev.colloquy.model.local.internal.decoder.DecoderConfig;
import dev.colloquy.model.local.internal.decoder.DecoderWeights;
import dev.colloquy.model.local.internal.decoder.SafetensorsDecoderReader;
import dev.colloquy.model.local.internal.runtime.DjlDecoderRuntime;
import dev.colloquy.model.local.internal.runtime.GptRuntime;
import dev.colloquy.model.local.internal.runtime.JavaDecoderRuntime;
import dev.colloquy.model.local.internal.tokenizer.GptTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
    GptTokenizer tokenizer = GptTokenizer.fromModelDirectory(directory);
    GptRuntime runtime;
    try {
      if (tokenizer.size() > config.vocabularySize()) {
        throw new ModelLoadException(
            "tokenizer file "
                + tokenizer.file()
                + " has "
                + tokenizer.size()
                + " tokens but config.json's vocab_size is "
                + config.vocabularySize()
                + ": the tokenizer does not belong to this checkpoint");
      }
      if (endOfText.get(0) >= tokenizer.size()) {
        throw new ModelLoadException(
            "end-of-text id "
                + endOfText.get(0)
                + " is not a token of "
                + tokenizer.file()
                + ", which has "
                + tokenizer.size()
                + " tokens");
      }
      DecoderWeights weights = SafetensorsDecoderReader.read(directory, config);
      runtime = new EndOfTextOverride(runtime(settings, weights), endOfText);
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
    LOG.info(
        "loaded {} ({}, {} parameters) on {}",
        directory,
        config.family().architecture(),
        config.parameterCount(),
        runtime.description());
    return ModelLoader.model(settings, generation, tokenizer, runtime);
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
  private static GptRuntime runtime(LocalModelSettings settings, DecoderWeights weights) {
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
   * end-of-turn ids there), without repeats; at least one is required to end a reply.
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
    if (ids.isEmpty()) {
      throw new ModelLoadException(
          "neither config.json nor generation_config.json in "
              + generationFile.getParent()
              + " sets eos_token_id: without it a reply never ends; add the model's end-of-text id");
    }
    return new ArrayList<>(ids);
  }

  /** A runtime whose end-of-text ids include generation_config.json's. */
  private record EndOfTextOverride(GptRuntime runtime, List<Integer> endOfTextIds)
      implements GptRuntime {

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
