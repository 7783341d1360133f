package dev.colloquy.dsl.internal.syntax;

/**
 * A token. {@code value} is the decoded value for strings and text blocks and the text as
 * written otherwise.
 *
 * @param kind the kind
 * @param value the value
 * @param start the offset of the first character
 * @param end the offset after the last character
 * @param firstOnLine whether no other token precedes it on its line (used for error recovery)
 */
public record Token(Kind kind, String value, int start, int end, boolean firstOnLine) {

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

  /** Describes the token for "found ..." in messages; never shows a string's content. */
  public String describe() {
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
