package dev.colloquy.core.model;

import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;

/**
 * Counts the tokens of text as a model's tokenizer does, so that memory can keep as much of a
 * conversation as fits the model. A backend offers its own through {@link
 * ChatModel#tokenCounter()}: the local model its real tokenizer, the remote client the OpenAI
 * encodings (jtokkit) for OpenAI model names. {@link #estimate()} serves where neither knows.
 */
@FunctionalInterface
public interface TokenCounter {

  /** Tokens a chat format adds around each message (role markers, separators), as OpenAI counts. */
  int MESSAGE_OVERHEAD = 4;

  /**
   * Returns the number of tokens of a text.
   *
   * @param text the text
   */
  int count(String text);

  /**
   * Returns the tokens a message takes in a prompt: its text, its tool calls' names and arguments,
   * a tool result's tool name, and {@link #MESSAGE_OVERHEAD}.
   *
   * @param message the message
   */
  default int count(Message message) {
    int tokens = MESSAGE_OVERHEAD + count(message.text());
    if (message instanceof AssistantMessage a) {
      for (ToolCall call : a.toolCalls()) {
        tokens += MESSAGE_OVERHEAD + count(call.name()) + count(call.arguments());
      }
    } else if (message instanceof ToolResultMessage r) {
      tokens += count(r.toolName());
    }
    return tokens;
  }

  /**
   * Returns the documented estimate for models whose tokenizer is unknown: one token per started
   * group of four characters below U+0800 (Latin, Greek, Cyrillic, Arabic, Hebrew, digits and
   * punctuation, which BPE tokenizers pack three to five to a token), and one token per character
   * above (CJK, emoji, which they pack at most one to a token). It over-counts English by about 10%
   * and is meant to err on the side of fitting.
   */
  static TokenCounter estimate() {
    return text -> {
      int narrow = 0;
      int wide = 0;
      for (int i = 0; i < text.length(); ) {
        int cp = text.codePointAt(i);
        if (cp < 0x800) {
          narrow++;
        } else {
          wide++;
        }
        i += Character.charCount(cp);
      }
      return (narrow + 3) / 4 + wide;
    };
  }
}
