package dev.colloquy.model.local;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.model.local.internal.checkpoint.CappedFile;
import dev.colloquy.model.local.internal.checkpoint.CheckpointReader;
import dev.colloquy.model.local.internal.checkpoint.GptConfig;
import dev.colloquy.model.local.internal.runtime.DjlEnvironment;
import dev.colloquy.model.local.internal.runtime.DjlGptRuntime;
import dev.colloquy.model.local.internal.runtime.GptRuntime;
import dev.colloquy.model.local.internal.runtime.JavaGptRuntime;
import dev.colloquy.model.local.internal.tokenizer.BpeTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads a model directory and picks the runtime for the settings. */
final class ModelLoader {

  private static final Logger LOG = LoggerFactory.getLogger(LocalGptModel.class);
  private static final int FALLBACK_MAX_TOKENS = 256;

  private ModelLoader() {}

  /**
   * Checks the small files (config, generation config, tokenizer) before reading the large weights
   * file.
   */
  static LocalGptModel load(LocalModelSettings settings) {
    Path directory = settings.directory();
    Optional<Path> gguf = DecoderModelLoader.ggufFile(directory);
    if (gguf.isPresent()) {
      return DecoderModelLoader.loadGguf(settings, gguf.get());
    }
    if (Files.isRegularFile(directory)) {
      throw new ModelLoadException(
          directory
              + " is a file but not a .gguf file: give a model directory (config.json,"
              + " model.safetensors, tokenizer.json) or a GGUF file");
    }
    if (DecoderModelLoader.isDecoderFamily(directory)) {
      return DecoderModelLoader.load(settings);
    }
    Path weightsFile = CheckpointReader.weightsFile(directory);
    GptConfig config = GptConfig.read(directory.resolve("config.json"));
    GenerationDefaults generation =
        readGenerationConfig(directory.resolve("generation_config.json"));
    BpeTokenizer tokenizer = BpeTokenizer.fromModelDirectory(directory);
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
      if (config.endOfTextId() >= tokenizer.size()) {
        throw new ModelLoadException(
            "config.json's eos_token_id "
                + config.endOfTextId()
                + " is not a token of "
                + tokenizer.file()
                + ", which has "
                + tokenizer.size()
                + " tokens");
      }
      if (tokenizer.size() < config.vocabularySize()) {
        // nanoGPT pads 50257 to 50304, Qwen2 151665 to 151936: those ids are never sampled.
        LOG.info(
            "{}: the embedding has {} ids beyond the tokenizer's {}; they are never generated",
            directory,
            config.vocabularySize() - tokenizer.size(),
            tokenizer.size());
      }
      runtime = runtime(settings, weightsFile, config);
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
    LOG.info(
        "loaded {} ({} parameters) on {}",
        directory,
        config.parameterCount(),
        runtime.description());
    return model(
        settings,
        generation,
        tokenizer,
        runtime,
        () ->
            ModelChatTemplates.fromDirectory(directory)
                .map(template -> ModelChatTemplates.format(template, tokenizer)));
  }

  /** Builds the model with the generation config's defaults where the settings leave them open. */
  static LocalGptModel model(
      LocalModelSettings settings,
      GenerationDefaults generation,
      BpeTokenizer tokenizer,
      GptRuntime runtime) {
    return model(settings, generation, tokenizer, runtime, Optional::empty);
  }

  /**
   * Builds the model; the chat format is the settings', else the generation config's {@code
   * chat_format}, else the model's own template (built only then, so a template the engine cannot
   * render does not stop a caller who supplies a format), else the transcript format.
   */
  static LocalGptModel model(
      LocalModelSettings settings,
      GenerationDefaults generation,
      BpeTokenizer tokenizer,
      GptRuntime runtime,
      Supplier<Optional<ChatFormat>> template) {
    LocalModelSettings resolved =
        settings.defaultMaxTokens() != null
            ? settings
            : settings.withDefaultMaxTokens(
                generation.maxNewTokens() > 0 ? generation.maxNewTokens() : FALLBACK_MAX_TOKENS);
    if (resolved.chatFormat() == null) {
      try {
        resolved =
            resolved.withChatFormat(
                generation.chatFormat().or(template).orElseGet(ChatFormat::transcript));
      } catch (RuntimeException e) {
        tokenizer.close();
        runtime.close();
        throw e;
      }
    }
    return new LocalGptModel(resolved, tokenizer, runtime, generation.options());
  }

  /**
   * Picks the engine, then reads the weights in its form: packed as they are read for the Java
   * engine, as F32 arrays for DJL (which copies them to its own memory).
   */
  private static GptRuntime runtime(
      LocalModelSettings settings, Path weightsFile, GptConfig config) {
    LocalDevice device = settings.device();
    ComputeBackend backend = settings.backend();
    if (backend == ComputeBackend.JAVA && device.kind() == LocalDevice.Kind.GPU) {
      throw new ModelLoadException(
          "the Java backend runs on the CPU only, but device "
              + device
              + " was asked for: use ComputeBackend.DJL or AUTO for GPUs");
    }
    boolean quantize = settings.weights() == WeightFormat.Q8_0;
    Supplier<GptRuntime> java =
        () ->
            new JavaGptRuntime(
                CheckpointReader.readPacked(weightsFile, config, quantize), settings.threads());
    Function<Device, GptRuntime> djl =
        on -> {
          if (quantize) {
            throw new ModelLoadException(
                weightsFile
                    + " is a GPT-2 checkpoint: weights(Q8_0) runs it on the Java engine only, but"
                    + " the DJL engine was chosen (backend "
                    + backend
                    + ", device "
                    + device
                    + "); use ComputeBackend.JAVA, or leave weights unset for DJL");
          }
          return new DjlGptRuntime(CheckpointReader.read(weightsFile, config), on);
        };
    if (backend == ComputeBackend.JAVA
        || (backend == ComputeBackend.AUTO && device.kind() == LocalDevice.Kind.CPU)) {
      return java.get();
    }
    if (device.kind() == LocalDevice.Kind.GPU) {
      return djl.apply(Device.gpu(device.gpuIndex()));
    }
    if (device.kind() == LocalDevice.Kind.CPU) {
      return djl.apply(Device.cpu());
    }
    int gpus = visibleGpus();
    if (gpus > 0) {
      return djl.apply(Device.gpu(0));
    }
    return backend == ComputeBackend.DJL ? djl.apply(Device.cpu()) : java.get();
  }

  static int visibleGpus() {
    DjlEnvironment.preferOffline();
    try {
      return Engine.getEngine("PyTorch").getGpuCount();
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      LOG.info(
          "device auto: DJL's PyTorch engine is not available ({}); running on the CPU",
          e.toString());
      return 0;
    }
  }

  /**
   * Defaults from generation_config.json: sampling options, max_new_tokens (0 when unset) and
   * chat_format.
   */
  record GenerationDefaults(
      ChatOptions options, int maxNewTokens, Optional<ChatFormat> chatFormat) {}

  static GenerationDefaults readGenerationConfig(Path file) {
    if (!Files.exists(file)) {
      return new GenerationDefaults(ChatOptions.defaults(), 0, Optional.empty());
    }
    JsonNode json;
    try {
      json =
          new ObjectMapper()
              .readTree(CappedFile.read(file, CappedFile.CONFIG_CAP, "generation config"));
    } catch (IOException e) {
      throw new ModelLoadException(
          "cannot read generation config "
              + file
              + ": "
              + e.getMessage()
              + " (the file is optional: delete it to use the defaults)",
          e);
    }
    try {
      ChatOptions.Builder options = ChatOptions.builder();
      if (!json.path("do_sample").asBoolean(false)) {
        options.temperature(0);
      } else {
        options.temperature(json.path("temperature").asDouble(1.0));
        int topK = count(file, json, "top_k");
        if (topK > 0) {
          options.topK(topK);
        }
        if (json.path("top_p").isNumber()) {
          options.topP(json.path("top_p").asDouble());
        }
      }
      if (json.path("repetition_penalty").isNumber()) {
        options.repetitionPenalty(json.path("repetition_penalty").asDouble());
      }
      Optional<ChatFormat> format =
          json.path("chat_format").isTextual()
              ? Optional.of(ChatFormat.named(json.path("chat_format").asText()))
              : Optional.empty();
      return new GenerationDefaults(options.build(), count(file, json, "max_new_tokens"), format);
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(
          "generation config " + file + " has an invalid value: " + e.getMessage(), e);
    }
  }

  /**
   * Reads a whole number from 0 to {@link Integer#MAX_VALUE} (0 when unset or null); larger ones
   * are errors, never wrapped.
   */
  private static int count(Path file, JsonNode json, String field) {
    JsonNode node = json.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return 0;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0) {
      throw new ModelLoadException(
          "generation config "
              + file
              + " needs '"
              + field
              + "' as an integer from 0 to "
              + Integer.MAX_VALUE
              + ", found "
              + node
              + " (the file is optional: delete it to use the defaults)");
    }
    return node.intValue();
  }
}
