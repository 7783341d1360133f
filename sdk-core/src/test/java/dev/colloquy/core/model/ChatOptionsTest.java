package dev.colloquy.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatOptionsTest {

  @Test
  void validatesEachSettingWhenSet() {
    assertThatThrownBy(() -> ChatOptions.builder().temperature(2.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("temperature must be between 0 and 2, was 2.5");
    assertThatThrownBy(() -> ChatOptions.builder().temperature(Double.NaN))
        .hasMessage("temperature must be between 0 and 2, was NaN");
    assertThatThrownBy(() -> ChatOptions.builder().topP(0))
        .hasMessage("topP must be in (0, 1], was 0.0");
    assertThatThrownBy(() -> ChatOptions.builder().maxTokens(0))
        .hasMessage("maxTokens must be at least 1, was 0");
    assertThatThrownBy(() -> ChatOptions.builder().stop("ok", ""))
        .hasMessage("stop[1] must not be empty");
    assertThatThrownBy(() -> ChatOptions.builder().stop(Arrays.asList("ok", null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("stop[1]");
  }

  @Test
  void rejectsASettingGivenTwiceNamingTheFirstValue() {
    ChatOptions.Builder builder = ChatOptions.builder().temperature(0.2);

    assertThatThrownBy(() -> builder.temperature(0.7))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("temperature was already set to 0.2");
  }

  @Test
  void buildLeavesTheBuilderUsable() {
    ChatOptions.Builder builder = ChatOptions.builder().maxTokens(10);

    assertThat(builder.build()).isEqualTo(builder.build());
  }

  @Test
  void unsetSettingsTakeTheDefaults() {
    ChatOptions defaults =
        ChatOptions.builder().temperature(0.5).maxTokens(100).stop("END").build();
    ChatOptions call = ChatOptions.builder().temperature(0).build();

    ChatOptions merged = call.withDefaults(defaults);

    assertThat(merged.temperature()).hasValue(0.0);
    assertThat(merged.maxTokens()).hasValue(100);
    assertThat(merged.stop()).containsExactly("END");
    assertThat(merged.seed()).isEmpty();
    assertThat(merged.responseFormat()).isEqualTo(ResponseFormat.text());
  }

  @Test
  void toBuilderReplacesValues() {
    ChatOptions base = ChatOptions.builder().maxTokens(10).build();

    ChatOptions changed = base.toBuilder().maxTokens(2).stop(List.of("x")).build();

    assertThat(changed.maxTokens()).hasValue(2);
    assertThat(base.maxTokens()).hasValue(10);
  }

  @Test
  void deterministicMeansTemperatureZeroOrASeed() {
    assertThat(ChatOptions.defaults().isDeterministic()).isFalse();
    assertThat(ChatOptions.builder().temperature(0).build().isDeterministic()).isTrue();
    assertThat(ChatOptions.builder().temperature(0.7).seed(1).build().isDeterministic()).isTrue();
    assertThat(ChatOptions.builder().temperature(0.7).build().isDeterministic()).isFalse();
  }

  @Test
  void equalOptionsHaveEqualHashesAndReadableText() {
    ChatOptions a = ChatOptions.builder().temperature(0.1).seed(3).build();
    ChatOptions b = ChatOptions.builder().seed(3).temperature(0.1).build();

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).hasToString("ChatOptions{temperature=0.1, seed=3}");
  }

  @Test
  void logprobsAskForZeroToTwentyAlternativesOnce() {
    assertThat(ChatOptions.defaults().logprobs()).isEmpty();
    assertThat(ChatOptions.builder().logprobs(0).build().logprobs()).hasValue(0);
    assertThat(ChatOptions.builder().logprobs(20).build().logprobs()).hasValue(20);
    assertThatThrownBy(() -> ChatOptions.builder().logprobs(21))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("logprobs (the number of top alternatives) must be between 0 and 20, was 21");
    assertThatThrownBy(() -> ChatOptions.builder().logprobs(-1))
        .isInstanceOf(IllegalArgumentException.class);
    ChatOptions.Builder builder = ChatOptions.builder().logprobs(3);
    assertThatThrownBy(() -> builder.logprobs(5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("logprobs was already set to 3");
  }

  @Test
  void logprobsTakeTheDefaultAndTakePartInEqualityAndText() {
    ChatOptions defaults = ChatOptions.builder().logprobs(2).build();

    assertThat(ChatOptions.defaults().withDefaults(defaults).logprobs()).hasValue(2);
    assertThat(ChatOptions.builder().logprobs(0).build().withDefaults(defaults).logprobs())
        .hasValue(0);
    assertThat(defaults.toBuilder().logprobs(4).build().logprobs()).hasValue(4);
    assertThat(defaults).isEqualTo(ChatOptions.builder().logprobs(2).build());
    assertThat(defaults.hashCode()).isEqualTo(ChatOptions.builder().logprobs(2).build().hashCode());
    assertThat(defaults).isNotEqualTo(ChatOptions.defaults());
    assertThat(defaults).hasToString("ChatOptions{logprobs=2}");
  }
}
