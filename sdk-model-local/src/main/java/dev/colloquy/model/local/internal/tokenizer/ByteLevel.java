package dev.colloquy.model.local.internal.tokenizer;

import java.util.Arrays;

/** GPT-2's reversible table between bytes and printable characters, used in its vocabulary. */
final class ByteLevel {

  private ByteLevel() {}

  /** Returns the inverse table: index a character, get its byte, or -1 for none. */
  static int[] charToByte() {
    int[] table = new int[512];
    Arrays.fill(table, -1);
    int next = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable =
          (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      table[printable ? b : 256 + next++] = b;
    }
    return table;
  }

  /** Returns the table from a byte (0-255) to its printable character. */
  static char[] byteToChar() {
    int[] inverse = charToByte();
    char[] table = new char[256];
    for (int c = 0; c < inverse.length; c++) {
      if (inverse[c] >= 0) {
        table[inverse[c]] = (char) c;
      }
    }
    return table;
  }
}
