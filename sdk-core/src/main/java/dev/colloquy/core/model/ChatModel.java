package dev.colloquy.core.model;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.guard.SecretRedactor;
import java.util.Optional;

/**
 * The backend SPI: what a model implementation provides. Applications talk to an {@code Agent};
 * they rarely call a {@code ChatModel} directly.
 *
 * <p>A backend implements two methods. {@link #generate} is the one code path for both blocking and
 * streaming calls: {@link #chat} is {@code generate} with a listener that ignores the deltas.
 *
 * <p>Contract for implementations:
 *
 * <ul>
 *   <li>{@code generate} blocks until the response is complete, then returns it; the text deltas
 *       given to the listener, joined, equal the returned message's text;
 *   <li>listener calls are made one at a time, in order, and never after {@code generate} returns
 *       or throws;
 *   <li>when {@code cancellation} is cancelled, the call stops promptly, releases what it holds
 *       (connections, threads) and throws {@link dev.colloquy.core.CancelledException};
 *   <li>failures are {@link dev.colloquy.core.ColloquyException}s, split into retryable and not;
 *   <li>one instance is safe to call from many threads at once.
 * </ul>
 */
public interface ChatModel {

  /** Returns what this backend can do, as data. */
  ModelCapabilities capabilities();

  /**
   * Sends a request and streams the reply.
   *
   * @param request the request
   * @param listener receives the reply's text deltas and tool calls as they arrive
   * @param cancellation stops the call when cancelled
   * @return the complete response
   * @throws dev.colloquy.core.ColloquyException when the call fails or is cancelled
   */
  ChatResponse generate(ChatRequest request, StreamListener listener, Cancellation cancellation);

  /**
   * Sends a request and waits for the complete reply.
   *
   * @param request the request
   * @return the complete response
   * @throws dev.colloquy.core.ColloquyException when the call fails
   */
  default ChatResponse chat(ChatRequest request) {
    return generate(request, StreamListener.NONE, Cancellation.none());
  }

  /**
   * Returns this backend with its own retries turned off, when it retries failed calls by itself (a
   * remote client's retry loop), so that the layer that owns retries is the only one that retries:
   * {@code ResiliencePolicy.decorate} calls it, so that one call against a failing server makes
   * exactly the policy's attempts and its circuit breaker sees every failure. The returned model
   * shares this one's resources (connections, threads); closing either closes both. Empty when the
   * backend makes exactly one attempt per call already.
   */
  default Optional<ChatModel> withoutOwnRetries() {
    return Optional.empty();
  }

  /**
   * Returns a redactor of the secrets this backend was configured with (API keys, credential header
   * values), when it holds any, so that code that writes what the backend said (a cassette
   * recorder) can remove them by value. Decorators return their delegate's. The redactor never
   * reveals the values.
   */
  default Optional<SecretRedactor> secretRedactor() {
    return Optional.empty();
  }

  /**
   * Returns the counter of this backend's tokenizer, when it knows its model's: the local model's
   * own tokenizer, the OpenAI encodings for OpenAI model names. Decorators return their delegate's.
   * Memory that keeps a conversation to a token budget uses it; {@link TokenCounter#estimate()}
   * stands in where this is empty.
   */
  default Optional<TokenCounter> tokenCounter() {
    return Optional.empty();
  }
}
