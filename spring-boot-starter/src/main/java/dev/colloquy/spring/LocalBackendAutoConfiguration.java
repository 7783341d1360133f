package dev.colloquy.spring;

import dev.colloquy.core.model.ChatModel;
import dev.colloquy.model.local.LocalDevice;
import dev.colloquy.model.local.LocalGptModel;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The local backend, when {@code colloquy-model-local} is on the class path, {@code
 * colloquy.backend=local}, and the application declares no {@link ChatModel} of its own. Its
 * Actuator health indicator comes from {@link ColloquyHealthAutoConfiguration}. The model is loaded
 * at startup, so a missing or malformed checkpoint stops it. The model path is whatever {@link
 * LocalGptModel#builder} reads: a Hugging Face folder of a supported family or a GGUF file; chats
 * use the model's own chat template and tool-call format.
 */
@AutoConfiguration
@ConditionalOnClass(LocalGptModel.class)
@EnableConfigurationProperties(ColloquyProperties.class)
public class LocalBackendAutoConfiguration {

  /**
   * The local model from {@code colloquy.local.*}; closed with the context.
   *
   * @throws IllegalStateException when {@code colloquy.local.model-path} is unset
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(ChatModel.class)
  @ConditionalOnProperty(name = "colloquy.backend", havingValue = "local")
  LocalGptModel colloquyLocalChatModel(ColloquyProperties properties) {
    ColloquyProperties.Local local = properties.getLocal();
    if (local.getModelPath() == null) {
      throw new IllegalStateException(
          "colloquy.local.model-path is required when colloquy.backend=local: "
              + "set it to a checkpoint folder (config.json, model.safetensors, and tokenizer.json or "
              + "vocab.json + merges.txt; generation_config.json optional) of GPT-2, Llama, "
              + "Mistral, Qwen2, Qwen3 or Phi-3, or to a GGUF file");
    }
    LocalGptModel.Builder builder =
        LocalGptModel.builder(local.getModelPath()).device(LocalDevice.parse(local.getDevice()));
    if (local.getThreads() != null) {
      builder.threads(local.getThreads());
    }
    if (local.getMaxTokens() != null) {
      builder.defaultMaxTokens(local.getMaxTokens());
    }
    if (local.getBatchSlots() != null) {
      builder.batchSlots(local.getBatchSlots());
    }
    if (local.getMaxQueuedRequests() != null) {
      builder.maxQueuedRequests(local.getMaxQueuedRequests());
    }
    return builder.build();
  }
}
