package dev.colloquy.examples.webchat;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A web chat on Colloquy's Spring Boot starter. The agent comes from
 * {@code src/main/resources/agents/assistant.colloquy}; the model from {@code colloquy.backend}
 * ({@code local} with {@code colloquy.local.model-path}, or {@code remote} with
 * {@code colloquy.remote.*}). Open http://localhost:8080/ once it runs.
 */
@SpringBootApplication
public class WebChatApplication {

  /**
   * Starts the application.
   *
   * @param args Spring Boot arguments, such as {@code --colloquy.backend=remote}
   */
  public static void main(String[] args) {
    SpringApplication.run(WebChatApplication.class, args);
  }
}
