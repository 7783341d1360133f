package dev.colloquy.spring;

import dev.colloquy.core.model.ChatModel;
import dev.colloquy.model.remote.OpenAiChatModel;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The remote backend, when {@code colloquy-model-remote} is on the class path, {@code
 * colloquy.backend=remote}, and the application declares no {@link ChatModel} of its own. Its
 * Actuator health indicator comes from {@link ColloquyHealthAutoConfiguration}.
 */
@AutoConfiguration
@ConditionalOnClass(OpenAiChatModel.class)
@EnableConfigurationProperties(ColloquyProperties.class)
public class RemoteBackendAutoConfiguration {

  /**
   * The OpenAI-compatible model from {@code colloquy.remote.*}; closed with the context, which
   * releases its HTTP client and thread.
   *
   * @throws IllegalStateException when {@code colloquy.remote.model} is unset
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(ChatModel.class)
  @ConditionalOnProperty(name = "colloquy.backend", havingValue = "remote")
  OpenAiChatModel colloquyRemoteChatModel(ColloquyProperties properties) {
    ColloquyProperties.Remote remote = properties.getRemote();
    if (remote.getModel() == null) {
      throw new IllegalStateException(
          "colloquy.remote.model is required when colloquy.backend=remote: "
              + "set it to the model name the server knows, such as gpt-4o-mini");
    }
    OpenAiChatModel.Builder builder =
        OpenAiChatModel.builder()
            .baseUrl(remote.getBaseUrl())
            .model(remote.getModel())
            .connectTimeout(remote.getConnectTimeout())
            .requestTimeout(remote.getRequestTimeout())
            .streamIdleTimeout(remote.getStreamIdleTimeout())
            .maxRetries(remote.getMaxRetries());
    if (remote.getApiKey() != null && !remote.getApiKey().isBlank()) {
      builder.apiKey(remote.getApiKey());
    }
    return builder.build();
  }
}
