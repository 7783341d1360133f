package dev.colloquy.model.local.internal.format;

import dev.colloquy.core.NonRetryableException;

/** A chat template that cannot be rendered, or that refused the conversation. */
public final class ChatTemplateException extends NonRetryableException {
  private static final long serialVersionUID = 1L;

  ChatTemplateException(String message, Throwable cause) {
    super(message, cause);
  }
}
