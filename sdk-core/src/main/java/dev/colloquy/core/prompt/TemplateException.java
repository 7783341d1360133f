package dev.colloquy.core.prompt;

import dev.colloquy.core.NonRetryableException;

/** A prompt template that cannot be parsed, or cannot be rendered with the values given. */
public class TemplateException extends NonRetryableException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what is wrong and where (template name, line and column)
   */
  public TemplateException(String message) {
    super(message);
  }
}
