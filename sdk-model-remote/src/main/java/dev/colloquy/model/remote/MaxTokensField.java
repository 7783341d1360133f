package dev.colloquy.model.remote;

/**
 * The request-body field that carries {@link dev.colloquy.core.model.ChatOptions#maxTokens()},
 * chosen with {@link OpenAiChatModel.Builder#maxTokensField}. Nothing is sent when no limit is set.
 */
public enum MaxTokensField {

  /** {@code max_tokens}: understood by every OpenAI-compatible server; the default. */
  MAX_TOKENS("max_tokens"),

  /**
   * {@code max_completion_tokens}: required by OpenAI's reasoning models (o1, o3…), which reject
   * {@code max_tokens} with a 400, and accepted by OpenAI's other chat models.
   */
  MAX_COMPLETION_TOKENS("max_completion_tokens");

  private final String jsonName;

  MaxTokensField(String jsonName) {
    this.jsonName = jsonName;
  }

  /** Returns the field's name in the JSON request body, such as {@code max_tokens}. */
  public String jsonName() {
    return jsonName;
  }
}
