package dev.colloquy.dsl.internal.syntax;

/**
 * A token. {@code value} is the decoded value for strings and text blocks and the text as written
 * otherwise.
 *
 * @param kind the kind
 * @param value the value
 * @param start the offset of the first character
 * @param end the offset after the last character
 * @param firstOnLine whether no other token precedes it on its line (used for error recovery)
 * @param shown whether the token may appear in a message (see {@link Shown})
 */
public record Token(Kind kind, String value, int start, int end, boolean firstOnLine, Shown shown) {

  /** Where a token stands with respect to {@code secret} declarations. */
  public enum Shown {
    /** Outside any {@code secret} declaration. */
    PLAIN,
    /**
     * On a {@code secret} declaration, but its syntax: the keyword, the name, {@code =}, {@code
     * env}.
     */
    SECRET_SYNTAX,
    /** On a {@code secret} declaration and possibly (part of) its value: never shown. */
    HIDDEN
  }

  /** Token kinds. */
  public enum Kind {
    /** A name or keyword: keywords are contextual. */
    IDENT,
    /** {@code "..."} on one line, with escapes. */
    STRING,
    /** {@code """ ... """} over several lines, raw. */
    TEXT,
    /** An integer or decimal number, possibly negative. */
    NUMBER,
    /** A number with a unit: {@code 10s}. */
    DURATION,
    /** {@code {}. */
    LBRACE,
    /** {@code }}. */
    RBRACE,
    /** {@code (}. */
    LPAREN,
    /** {@code )}. */
    RPAREN,
    /** {@code ,}. */
    COMMA,
    /** {@code =}. */
    EQUALS,
    /** The end of the file. */
    EOF
  }

  /** Returns whether this is the identifier or keyword {@code word}. */
  public boolean is(String word) {
    return kind == Kind.IDENT && value.equals(word);
  }

  /** Returns whether this token must never be shown. */
  public boolean hidden() {
    return shown == Shown.HIDDEN;
  }

  /** Returns this token with another {@link Shown}. */
  Token withShown(Shown newShown) {
    return new Token(kind, value, start, end, firstOnLine, newShown);
  }

  /**
   * Describes the token for "found ..." in messages; never shows a string's content, nor any text
   * of a hidden token.
   */
  public String describe() {
    if (hidden()) {
      return switch (kind) {
        case IDENT -> "a name";
        case NUMBER -> "a number";
        case DURATION -> "a duration";
        default -> describeVisible();
      };
    }
    return describeVisible();
  }

  private String describeVisible() {
    return switch (kind) {
      case IDENT -> "`" + shortened(value) + "`";
      case STRING -> "a string";
      case TEXT -> "a text block";
      case NUMBER, DURATION -> "`" + shortened(value) + "`";
      case LBRACE -> "`{`";
      case RBRACE -> "`}`";
      case LPAREN -> "`(`";
      case RPAREN -> "`)`";
      case COMMA -> "`,`";
      case EQUALS -> "`=`";
      case EOF -> "the end of the file";
    };
  }

  /** Shortens a name for a message, so a huge token cannot make a huge message. */
  public static String shortened(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }
}
