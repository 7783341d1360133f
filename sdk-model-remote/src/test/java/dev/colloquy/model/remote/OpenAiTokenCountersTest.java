package dev.colloquy.model.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.colloquy.core.model.TokenCounter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiTokenCountersTest {

  private static final EncodingRegistry REGISTRY = Encodings.newDefaultEncodingRegistry();
  // Text on which the two encodings disagree, so that a wrong mapping shows.
  private static final String TEXT =
      "Où est ma commande n° 42 ? 我的订单在哪里？ Посылка задерживается. <|endoftext|>";

  @ParameterizedTest
  @CsvSource({
    "gpt-4o-mini-2024-07-18, O200K_BASE",
    "gpt-4o, O200K_BASE",
    "gpt-4.1-nano, O200K_BASE",
    "o3-mini, O200K_BASE",
    "gpt-5, O200K_BASE",
    "gpt-4-turbo, CL100K_BASE",
    "gpt-3.5-turbo, CL100K_BASE",
  })
  void openAiModelNamesCountWithTheirOwnEncoding(String model, EncodingType type) {
    EncodingType other =
        type == EncodingType.O200K_BASE ? EncodingType.CL100K_BASE : EncodingType.O200K_BASE;
    assertThat(REGISTRY.getEncoding(type).countTokensOrdinary(TEXT))
        .isNotEqualTo(REGISTRY.getEncoding(other).countTokensOrdinary(TEXT));

    TokenCounter counter =
        new OpenAiChatModel.Builder(name -> null)
            .model(model)
            .apiKey("sk-test")
            .build()
            .tokenCounter()
            .orElseThrow();

    assertThat(counter.count(TEXT)).isEqualTo(REGISTRY.getEncoding(type).countTokensOrdinary(TEXT));
  }

  @ParameterizedTest
  @CsvSource({"llama3.1:8b", "Qwen/Qwen2.5-7B-Instruct", "mistral-small", "deepseek-chat"})
  void otherServersModelsHaveNoCounterOfOurs(String model) {
    assertThat(
            new OpenAiChatModel.Builder(name -> null)
                .model(model)
                .apiKey("sk-test")
                .build()
                .tokenCounter())
        .isEmpty();
  }
}
