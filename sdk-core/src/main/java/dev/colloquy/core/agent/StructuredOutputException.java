package dev.colloquy.core.agent;

import dev.colloquy.core.NonRetryableException;
import java.util.Objects;

/**
 * The model's reply could not be read as the requested type, even after re-asking. Nothing is
 * committed.
 */
public class StructuredOutputException extends NonRetryableException {

  private static final long serialVersionUID = 1L;

  private final String rawText;

  /**
   * @param message why the last reply was rejected
   * @param rawText the last reply, as the model wrote it
   */
  public StructuredOutputException(String message, String rawText) {
    super(message);
    this.rawText = Objects.requireNonNull(rawText, "rawText");
  }

  /** Returns the last reply as the model wrote it. */
  public String rawText() {
    return rawText;
  }
}
