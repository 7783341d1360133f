package dev.colloquy.cli;

import dev.colloquy.core.model.ChatModel;
import dev.colloquy.demo.ShopModel;
import dev.colloquy.model.local.ContextOverflow;
import dev.colloquy.model.local.LocalGptModel;
import dev.colloquy.model.remote.OpenAiChatModel;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Which model a command talks to: the embedded demo model (default), a local checkpoint (Hugging
 * Face folder or GGUF file), or a server.
 */
final class ModelOptions {

  @Option(
      names = "--remote",
      paramLabel = "URL",
      description =
          "An OpenAI-compatible server's base URL, e.g. http://localhost:11434/v1 (needs --model).")
  String remote;

  @Option(
      names = "--model",
      paramLabel = "NAME",
      description = "The model name on the --remote server.")
  String modelName;

  @Option(
      names = "--api-key-env",
      paramLabel = "VAR",
      defaultValue = "OPENAI_API_KEY",
      description =
          "The environment variable holding the server's API key (default: ${DEFAULT-VALUE}; may be unset).")
  String apiKeyEnvironment;

  @Option(
      names = "--model-dir",
      paramLabel = "PATH",
      description =
          "A local model instead of the embedded demo model: a Hugging Face checkpoint folder "
              + "(config.json, safetensors, tokenizer.json) of GPT-2, Llama, Mistral, Qwen2, Qwen3 "
              + "or Phi-3, or a GGUF file (or a folder whose only model file is one). Chats use its own "
              + "chat template and tool-call format where it has them.")
  Path modelDirectory;

  /** Returns a short description of the chosen model. */
  String describe() {
    if (remote != null) {
      return modelName + " at " + remote;
    }
    return modelDirectory != null
        ? modelDirectory.toString()
        : "the embedded demo model (shop customer service, EN/ZH)";
  }

  /** Creates the model, showing progress while a local one loads. */
  ChatModel open(Progress progress) {
    if (remote != null || modelName != null) {
      if (remote == null || modelName == null) {
        throw new IllegalArgumentException(
            "--remote and --model go together: give the server's URL and the model name");
      }
      if (modelDirectory != null) {
        throw new IllegalArgumentException(
            "--model-dir and --remote exclude each other: choose one");
      }
      OpenAiChatModel.Builder builder = OpenAiChatModel.builder().baseUrl(remote).model(modelName);
      String key = System.getenv(apiKeyEnvironment);
      if (key != null && !key.isBlank()) {
        builder.apiKey(key);
      }
      return builder.build();
    }
    Path directory = modelDirectory != null ? modelDirectory : ShopModel.directory();
    // A chat goes on after the context fills: the oldest turns make room, not an error.
    return progress.during(
        "loading " + describe(),
        () ->
            LocalGptModel.builder(directory)
                .contextOverflow(ContextOverflow.DROP_OLDEST_TURNS)
                .build());
  }
}
