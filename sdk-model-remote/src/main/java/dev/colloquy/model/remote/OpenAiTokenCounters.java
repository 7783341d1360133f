package dev.colloquy.model.remote;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.colloquy.core.model.TokenCounter;
import java.util.Locale;
import java.util.Optional;

/** OpenAI's encodings by model name, for the models whose tokenizer OpenAI has published. */
final class OpenAiTokenCounters {

  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

  private OpenAiTokenCounters() {}

  /**
   * Returns the counter of an OpenAI model name (dated snapshots included), empty for other names:
   * a server that serves Llama or Qwen under its own name tokenizes differently.
   */
  static Optional<TokenCounter> forModel(String model) {
    String name = model.toLowerCase(Locale.ROOT);
    EncodingType type;
    if (name.startsWith("gpt-4o")
        || name.startsWith("gpt-4.1")
        || name.startsWith("gpt-4.5")
        || name.startsWith("gpt-5")
        || name.startsWith("chatgpt-4o")
        || name.matches("o[1-9].*")) {
      type = EncodingType.O200K_BASE;
    } else if (name.startsWith("gpt-4") || name.startsWith("gpt-3.5")) {
      type = EncodingType.CL100K_BASE;
    } else {
      return Optional.empty();
    }
    Encoding encoding = REGISTRY.getEncoding(type);
    // Ordinary: a special token typed by a user is text to the server, and is billed as text.
    return Optional.of(encoding::countTokensOrdinary);
  }
}
