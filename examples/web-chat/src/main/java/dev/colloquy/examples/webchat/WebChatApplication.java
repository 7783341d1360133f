package dev.colloquy.examples.webchat;

import dev.colloquy.demo.OrderBook;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A web chat on Colloquy's Spring Boot starter: the demo shop's customer service. The agent comes
 * from {@code src/main/resources/agents/assistant.colloquy}, its {@code orderStatus} tool from the
 * {@link OrderBook} bean; the model from {@code colloquy.backend}: {@code local} (the default) runs
 * {@code colloquy.local.model-path}, which defaults to {@code COLLOQUY_MODEL_DIR} and then to the
 * embedded demo model; {@code remote} calls {@code colloquy.remote.*}. Open http://localhost:8080/
 * once it runs.
 */
@SpringBootApplication
public class WebChatApplication {

  /**
   * The shop's order system; the starter collects its {@code @Tool} method {@code orderStatus}.
   *
   * @return the order book
   */
  @Bean
  OrderBook orderBook() {
    return new OrderBook();
  }

  /**
   * Where the traces of the chat turns go: the log, as one tree per request (Spring Boot's
   * OpenTelemetry tracing exports to every SpanExporter bean).
   *
   * @return the span log
   */
  @Bean
  SpanLog spanLog() {
    return new SpanLog();
  }

  /**
   * Starts the application.
   *
   * @param args Spring Boot arguments, such as {@code --colloquy.backend=remote}
   */
  public static void main(String[] args) {
    SpringApplication.run(WebChatApplication.class, args);
  }
}
