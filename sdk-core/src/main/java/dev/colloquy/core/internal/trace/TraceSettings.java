package dev.colloquy.core.internal.trace;

import dev.colloquy.core.guard.PiiRedactor;
import dev.colloquy.core.guard.SecretRedactor;

/**
 * What spans may contain.
 *
 * @param captureContent whether prompts, replies and tool arguments and results are recorded
 * @param redactor removes personal data and token-shaped secrets from recorded content
 * @param maxContentChars the longest content attribute; longer ones are cut with a marker
 */
public record TraceSettings(boolean captureContent, PiiRedactor redactor, int maxContentChars) {

  /**
   * Returns the text as a span may hold it: the configured secrets removed by value, then personal
   * data by the agent's redactor (when it has one) and this tracing's, then capped.
   */
  public String content(String text, SecretRedactor secrets, PiiRedactor agentRedactor) {
    String redacted = secrets.redact(text);
    if (agentRedactor != null) {
      redacted = agentRedactor.redact(redacted);
    }
    redacted = redactor.redact(redacted);
    if (redacted.length() <= maxContentChars) {
      return redacted;
    }
    int end =
        Character.isHighSurrogate(redacted.charAt(maxContentChars - 1))
            ? maxContentChars - 1
            : maxContentChars;
    return redacted.substring(0, end) + "…[truncated: " + redacted.length() + " characters]";
  }
}
