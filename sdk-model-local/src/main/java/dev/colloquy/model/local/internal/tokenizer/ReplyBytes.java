package dev.colloquy.model.local.internal.tokenizer;

/**
 * The bytes of one streamed reply, token by token: exact bytes, except one space at the very start
 * of the reply where the tokenizer's decoder strips it (SentencePiece tokenizers, whose encoding
 * prepends a space). Streaming gives the same text as {@link BpeTokenizer#decode} of the whole
 * reply. Not thread-safe: one per reply.
 */
public final class ReplyBytes {

  private static final byte[] NONE = new byte[0];

  private final BpeTokenizer tokenizer;
  private boolean atStart;

  ReplyBytes(BpeTokenizer tokenizer) {
    this.tokenizer = tokenizer;
    this.atStart = tokenizer.stripsLeadingSpace();
  }

  /**
   * Returns the bytes that a generated token adds to the reply.
   *
   * @throws IllegalArgumentException when the id is not a token of the tokenizer
   */
  public byte[] next(int id) {
    byte[] bytes = tokenizer.bytes(id);
    if (!atStart || bytes.length == 0) {
      return bytes;
    }
    atStart = false;
    if (bytes[0] != ' ') {
      return bytes;
    }
    if (bytes.length == 1) {
      return NONE;
    }
    byte[] rest = new byte[bytes.length - 1];
    System.arraycopy(bytes, 1, rest, 0, rest.length);
    return rest;
  }
}
