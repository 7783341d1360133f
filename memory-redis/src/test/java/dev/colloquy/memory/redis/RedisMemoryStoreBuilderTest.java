package dev.colloquy.memory.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisMemoryStoreBuilderTest {

  @Test
  void aStoreNeedsAServer() {
    assertThatThrownBy(() -> RedisMemoryStore.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("set uri(");
  }

  @Test
  void aRepeatedSettingNamesItsFirstValueWithoutThePassword() {
    RedisMemoryStore.Builder builder =
        RedisMemoryStore.builder()
            .uri("redis://:hunter2@cache:6379/1")
            .keyPrefix("app:")
            .expireAfterIdle(Duration.ofHours(1))
            .commandTimeout(Duration.ofSeconds(1))
            .clock(Clock.systemUTC());

    assertThatThrownBy(() -> builder.uri("redis://other:6379"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("uri was already set to redis://cache:6379/1");
    assertThatThrownBy(() -> builder.keyPrefix("b:"))
        .hasMessage("keyPrefix was already set to 'app:'");
    assertThatThrownBy(() -> builder.expireAfterIdle(Duration.ofHours(2)))
        .hasMessage("expireAfterIdle was already set to PT1H");
    assertThatThrownBy(() -> builder.commandTimeout(Duration.ofSeconds(2)))
        .hasMessage("commandTimeout was already set to PT1S");
    assertThatThrownBy(() -> builder.clock(Clock.systemUTC()))
        .hasMessageStartingWith("clock was already set to");
  }

  @Test
  void eachSettingIsCheckedWhenItIsSet() {
    assertThatThrownBy(() -> RedisMemoryStore.builder().keyPrefix(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keyPrefix must not be empty");
    assertThatThrownBy(() -> RedisMemoryStore.builder().expireAfterIdle(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expireAfterIdle must be a positive whole number of milliseconds");
    assertThatThrownBy(
            () -> RedisMemoryStore.builder().expireAfterIdle(Duration.ofNanos(1_500_000)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisMemoryStore.builder().commandTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("commandTimeout must be positive, was PT-1S");
    assertThatThrownBy(() -> RedisMemoryStore.builder().uri("http://cache"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a Redis URI");
    assertThatThrownBy(() -> RedisMemoryStore.builder().uri(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("uri");
  }

  @Test
  void buildLeavesTheBuilderAsItWasAndConnectsNothing() {
    RedisMemoryStore.Builder builder =
        RedisMemoryStore.builder().uri("redis://127.0.0.1:1/0").expireAfterIdle(Duration.ofDays(1));

    try (RedisMemoryStore one = builder.build();
        RedisMemoryStore two = builder.build()) {
      assertThat(one).isNotSameAs(two);
      assertThat(two)
          .hasToString(
              "RedisMemoryStore[redis://127.0.0.1:1/0, keyPrefix=colloquy:, expireAfterIdle=PT24H]");
    }
  }
}
