package dev.colloquy.examples.webchat;

import dev.colloquy.core.RetryableException;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.test.ScriptedChatModel;
import dev.colloquy.test.ScriptedReply;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The example's model in tests: a scripted backend declared as the application's ChatModel bean,
 * which makes the starter's local backend back off.
 */
@TestConfiguration(proxyBeanMethods = false)
class ScriptedBackend {
  /** The pieces of the slow reply, streamed {@link #CHUNK_DELAY} apart. */
  static final String[] SLOW_CHUNKS = {
    "Our ", "shop ", "opens ", "at ", "nine ", "and ", "closes ", "at ", "six."
  };

  static final Duration CHUNK_DELAY = Duration.ofMillis(300);

  /** The reply after the orderStatus tool ran (OrderBook's answer for 10234). */
  static final String ORDER_REPLY = "Your order 10234 was delivered on 2026-01-15.";

  /** What a failing backend says: its URL and key, which the page must not show. */
  static final String SECRET_FAILURE =
      "POST http://10.1.2.3:8443/v1/chat/completions: the connection was refused "
          + "(key sk-live-123456)";

  @Bean
  ChatModel scriptedChatModel() {
    return ScriptedChatModel.builder()
        .whenUserMatches(
            "(?i)opening hours", ScriptedReply.chunks(SLOW_CHUNKS).withChunkDelay(CHUNK_DELAY))
        .whenUserMatches(
            "(?i)where is my order", ScriptedReply.toolCall("orderStatus", "{\"orderId\":10234}"))
        .when(
            request -> lastMessage(request.messages()) instanceof ToolResultMessage,
            ScriptedReply.text(ORDER_REPLY))
        .whenUserMatches(
            "(?i)break", ScriptedReply.failure(() -> new RetryableException(SECRET_FAILURE)))
        .otherwise(
            request ->
                "You said: "
                    + request.lastUserText()
                    + " ("
                    + request.messages().size()
                    + " messages)")
        .build();
  }

  private static Message lastMessage(List<Message> messages) {
    return messages.get(messages.size() - 1);
  }
}
