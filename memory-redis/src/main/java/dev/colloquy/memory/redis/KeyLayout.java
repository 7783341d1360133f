package dev.colloquy.memory.redis;

import java.nio.charset.StandardCharsets;

/**
 * The names of the store's keys (docs/persistence-redis.md):
 *
 * <pre>
 * {prefix}conversation:{id code}   hash: one conversation, whole
 * {prefix}tenant:{tenant code}     set of id codes: the tenant's conversations
 * {prefix}updated                  sorted set of "{tenant code}:{id code}" by updatedAt (µs)
 * </pre>
 *
 * <p>A code is the id or tenant percent-encoded as UTF-8, keeping only {@code A-Z a-z 0-9 - . _ ~}
 * as they are: injective, so two ids never share a key, and free of {@code :}, so a code never runs
 * into the name after it. The Lua scripts build the same names (common.lua).
 */
final class KeyLayout {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private final String prefix;

  KeyLayout(String prefix) {
    this.prefix = prefix;
  }

  String prefix() {
    return prefix;
  }

  String conversation(String conversationId) {
    return prefix + "conversation:" + encode(conversationId, "conversationId");
  }

  String tenant(String tenant) {
    return prefix + "tenant:" + encode(tenant, "tenant");
  }

  String updatedIndex() {
    return prefix + "updated";
  }

  /**
   * Returns the code of an id or tenant.
   *
   * @throws IllegalArgumentException when the text holds an unpaired surrogate, which has no UTF-8
   *     form and so could not be stored as given
   */
  static String encode(String text, String what) {
    StringBuilder code = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      if (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE) {
        throw new IllegalArgumentException(
            what + " holds an unpaired surrogate at index " + i + ", which has no UTF-8 form");
      }
      if (unreserved(codePoint)) {
        code.append((char) codePoint);
      } else {
        for (byte b : Character.toString(codePoint).getBytes(StandardCharsets.UTF_8)) {
          code.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
      }
      i += Character.charCount(codePoint);
    }
    return code.toString();
  }

  private static boolean unreserved(int c) {
    return c >= 'a' && c <= 'z'
        || c >= 'A' && c <= 'Z'
        || c >= '0' && c <= '9'
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }
}
