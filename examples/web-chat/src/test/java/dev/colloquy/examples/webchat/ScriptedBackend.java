package dev.colloquy.examples.webchat;

import dev.colloquy.core.model.ChatModel;
import dev.colloquy.test.ScriptedChatModel;
import dev.colloquy.test.ScriptedReply;
import java.time.Duration;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The example's model in tests: a scripted backend declared as the application's ChatModel bean,
 * which makes the starter's local backend back off.
 */
@TestConfiguration(proxyBeanMethods = false)
class ScriptedBackend {
  /** The pieces of the slow reply, streamed {@link #CHUNK_DELAY} apart. */
  static final String[] SLOW_CHUNKS = {"Our ", "shop ", "opens ", "at ", "nine ", "and ", "closes ", "at ", "six."};
  static final Duration CHUNK_DELAY = Duration.ofMillis(300);

  @Bean
  ChatModel scriptedChatModel() {
    return ScriptedChatModel.builder()
        .whenUserMatches("(?i)opening hours", ScriptedReply.chunks(SLOW_CHUNKS).withChunkDelay(CHUNK_DELAY))
        .otherwise(request -> "You said: " + request.lastUserText() + " (" + request.messages().size() + " messages)")
        .build();
  }
}
