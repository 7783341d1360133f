package dev.colloquy.model.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OpenAiChatModelBuilderTest {

  private static OpenAiChatModel.Builder builder() {
    return new OpenAiChatModel.Builder(name -> null);
  }

  @Test
  void requiresAModelName() {
    assertThatThrownBy(() -> builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("model is required");
  }

  @Test
  void rejectsASettingMadeTwiceNamingItsFirstValue() {
    assertThatThrownBy(() -> builder().model("a").model("b"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("model was already set to a");
    assertThatThrownBy(() -> builder().maxRetries(1).maxRetries(2))
        .hasMessage("maxRetries was already set to 1");
    assertThatThrownBy(
            () ->
                builder()
                    .maxTokensField(MaxTokensField.MAX_TOKENS)
                    .maxTokensField(MaxTokensField.MAX_COMPLETION_TOKENS))
        .hasMessage("maxTokensField was already set to MAX_TOKENS");
  }

  @Test
  void neverEchoesAKeyEvenWhenRejectingIt() {
    assertThatThrownBy(() -> builder().apiKey("sk-first").apiKey("sk-second"))
        .hasMessageNotContaining("sk-first")
        .hasMessageContaining("apiKey was already set");
    assertThatThrownBy(() -> builder().apiKey("sk-has space")).hasMessageNotContaining("sk-has");
  }

  @Test
  void rejectsConflictingAuthentication() {
    assertThatThrownBy(() -> builder().apiKey("a").azureApiKey("b"))
        .hasMessageContaining("conflicts with apiKey");
    assertThatThrownBy(
            () -> builder().header("Authorization", "Bearer x").apiKey("k").model("m").build())
        .hasMessageContaining("conflicts with apiKey");
  }

  @Test
  void validatesEachSettingWhenItIsSet() {
    assertThatThrownBy(() -> builder().baseUrl("ftp://host/v1"))
        .hasMessageContaining("http or https");
    assertThatThrownBy(() -> builder().baseUrl("http://host/v1?x=1"))
        .hasMessageContaining("no query");
    assertThatThrownBy(() -> builder().maxRetries(-1)).hasMessageContaining("between 0 and 10");
    assertThatThrownBy(() -> builder().connectTimeout(Duration.ZERO))
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> builder().maxLineLength(10)).hasMessageContaining("at least 1024");
    assertThatThrownBy(() -> builder().header("Host", "x"))
        .hasMessageContaining("managed by the HTTP client");
    assertThatThrownBy(() -> builder().header("X-A", "1").header("x-a", "2"))
        .hasMessageContaining("already added");
    assertThatThrownBy(() -> builder().header("X-A", "1\r\nX-B: 2"))
        .hasMessageContaining("line break");
  }

  @Test
  void describesItselfWithoutTheKey() {
    OpenAiChatModel model =
        builder().apiKey("sk-secret").model("gpt-4o-mini").contextWindow(128_000).build();

    assertThat(model.toString())
        .isEqualTo(
            "OpenAiChatModel[POST https://api.openai.com/v1/chat/completions, model=gpt-4o-mini, auth=bearer key]");
    assertThat(model.capabilities().contextWindow()).isEqualTo(128_000);
    assertThat(model.capabilities().toolCalling()).isTrue();
    assertThat(model.modelName()).isEqualTo("gpt-4o-mini");
  }

  @Test
  void itsInternalSettingsDescribeThemselvesWithoutAnyKeyOrCredentialHeader() {
    String azure =
        builder()
            .azureApiKey("0f3a9c7d21b84e6fa5d09c1b7e2f4a68")
            .header("X-Gateway-Token", "gw-7Hh2LkPq")
            .header("OpenAI-Organization", "org-visible")
            .model("m")
            .build()
            .settings()
            .toString();
    String bearer = builder().apiKey("abc").model("m").build().settings().toString();
    String fromEnvironment =
        new OpenAiChatModel.Builder(
                name -> name.equals("OPENAI_API_KEY") ? "sk-env-0123456789" : null)
            .model("m")
            .build()
            .settings()
            .toString();
    String ownHeader =
        builder()
            .header("Authorization", "Basic dXNlcjpwYXNz")
            .model("m")
            .build()
            .settings()
            .toString();

    assertThat(azure)
        .doesNotContain("0f3a9c7d21b84e6fa5d09c1b7e2f4a68", "gw-7Hh2LkPq")
        .contains(
            "api-key=***", "X-Gateway-Token=***", "OpenAI-Organization=org-visible", "model=m");
    assertThat(bearer).doesNotContain("Bearer abc").contains("Authorization=***");
    assertThat(fromEnvironment).doesNotContain("sk-env-0123456789").contains("Authorization=***");
    assertThat(ownHeader).doesNotContain("dXNlcjpwYXNz").contains("Authorization=***");
  }

  @Test
  void canBuildAgainAndStaysUnchanged() {
    OpenAiChatModel.Builder builder = builder().model("m");

    assertThat(builder.build().toString()).isEqualTo(builder.build().toString());
  }
}
