package dev.colloquy.memory.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class RedisEndpointTest {

  @Test
  void describesTheServerWithoutCredentials() {
    assertThat(RedisEndpoint.parse("redis://user:p%40ss@cache.internal:6380/2"))
        .hasToString("redis://cache.internal:6380/2");
    assertThat(RedisEndpoint.parse("rediss://secret@cache.internal"))
        .hasToString("rediss://cache.internal:6379/0");
    assertThat(RedisEndpoint.parse("redis-sentinel://:pw@s1:26379,s2:26380/1#primary"))
        .hasToString("redis-sentinel://s1:26379,s2:26380/1 (master primary)");
  }

  @Test
  void removesThePasswordInBothFormsFromForeignText() {
    RedisEndpoint endpoint = RedisEndpoint.parse("redis://user:p%40ss@cache.internal:6380/2");

    assertThat(endpoint.redact("auth p%40ss / p@ss / user:p%40ss failed"))
        .isEqualTo("auth ****** / ****** / ****** failed");
  }

  @Test
  void replacesACauseChainThatMentionsThePassword() {
    RedisEndpoint endpoint = RedisEndpoint.parse("redis://:hunter2@h:1/0");
    IllegalStateException inner = new IllegalStateException("sent AUTH hunter2");
    RuntimeException outer = new RuntimeException("connect failed", inner);

    Throwable safe = endpoint.sanitize(outer);

    StringWriter trace = new StringWriter();
    safe.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString())
        .doesNotContain("hunter2")
        .contains("java.lang.RuntimeException: connect failed")
        .contains("java.lang.IllegalStateException: sent AUTH ******");
    assertThat(safe.getStackTrace()).isEqualTo(outer.getStackTrace());
    RuntimeException clean = new RuntimeException("refused");
    assertThat(endpoint.sanitize(clean)).isSameAs(clean);
  }
}
