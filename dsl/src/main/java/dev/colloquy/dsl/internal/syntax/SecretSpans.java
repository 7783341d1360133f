package dev.colloquy.dsl.internal.syntax;

import dev.colloquy.dsl.internal.syntax.Token.Kind;
import java.util.List;
import java.util.Locale;

/**
 * Decides, token by token as the {@link Lexer} makes them, which tokens are on a {@code secret}
 * declaration's span and whether each may show — before any parsing, so that no state of the
 * parser, however lost, can show a value.
 *
 * <p>A span starts at {@code secret} first on its line or right after a top-level {@code }}, and
 * also at what looks like a misspelt {@code secret} ({@code Secret}, {@code secert}) or the keyword
 * glued to what follows ({@code secretapi_key}, hidden itself): the parser reports those, and the
 * value after them must not show either. A list continued on a line that starts with such a name is
 * masked too: showing less of a correct line is the price of never showing a value.
 *
 * <p>On the span, only the declaration's syntax shows: the keyword, the name when {@code =} follows
 * it, {@code =}, {@code env}, an environment variable's name (letters, digits, {@code _}) and
 * punctuation. Every other token is {@link Token.Shown#HIDDEN}. The span ends at the line break
 * after a well-formed {@code secret name = "value"} or {@code secret name = env "NAME"} when the
 * next line starts with a name or {@code }}; a malformed declaration's span goes on until a line
 * starts with a declaration keyword, as the parser's recovery does.
 */
final class SecretSpans {
  /** The note of an error at something hidden on a secret declaration. */
  static final String HIDDEN_NOTE =
      "nothing that may be a secret's value is shown; a secret is `secret name = \"value\"` "
          + "or `secret name = env \"VARIABLE\"`";

  /** How a bad character stands. */
  enum Bad {
    /** Off any span: report it as usual. */
    PLAIN,
    /** The first on this span: mask it and report it without quoting it. */
    FIRST_ON_SPAN,
    /** A later one on this span: mask it; one report per declaration is enough. */
    MORE_ON_SPAN
  }

  /** How far the current declaration has got. */
  private enum State {
    /** Not on a secret declaration. */
    NONE,
    /** After {@code secret}: a name is due. */
    KEYWORD,
    /** After the name: {@code =} is due. */
    NAME,
    /** After {@code =}: a string or {@code env} is due. */
    EQUALS,
    /** After {@code env}: the variable's name as a string is due. */
    ENV,
    /** Well-formed and complete: the declaration ends at the line break. */
    COMPLETE,
    /** Complete, and the line ended: the next line's first token decides. */
    ENDED,
    /** Malformed: the span goes on until a line starts with a declaration keyword. */
    BROKEN
  }

  private final List<Token> tokens;
  private State state = State.NONE;
  private int braceDepth;
  // The index of a name after `secret`: it shows only once `=` follows it.
  private int pendingName = -1;
  private boolean badReported;

  /** Makes the tracker over the lexer's token list, whose pending name it may reveal. */
  SecretSpans(List<Token> tokens) {
    this.tokens = tokens;
  }

  /** Returns whether the lexer is on a span: its messages must not quote what it finds. */
  boolean onSpan() {
    return state != State.NONE;
  }

  /** Notes a line break. */
  void lineBreak() {
    if (state == State.COMPLETE) {
      state = State.ENDED;
    }
  }

  /**
   * Advances over the next token and returns how it shows.
   *
   * @param kind the token's kind
   * @param value its value
   * @param first whether it is the first token on its line
   * @param wellFormed false for an unterminated string or a malformed text block
   */
  Token.Shown next(Kind kind, String value, boolean first, boolean wellFormed) {
    Token.Shown shown = advance(kind, value, first, wellFormed);
    if (kind == Kind.LBRACE) {
      braceDepth++;
    } else if (kind == Kind.RBRACE) {
      braceDepth = Math.max(0, braceDepth - 1);
    }
    return shown;
  }

  /** Advances over a bad character (not a token). */
  Bad badCharacter(boolean firstOnLine) {
    if (state == State.ENDED && firstOnLine) {
      state = State.BROKEN;
    }
    settlePendingName(false);
    if (state == State.NONE) {
      return Bad.PLAIN;
    }
    state = State.BROKEN;
    if (badReported) {
      return Bad.MORE_ON_SPAN;
    }
    badReported = true;
    return Bad.FIRST_ON_SPAN;
  }

  private Token.Shown advance(Kind kind, String value, boolean first, boolean wellFormed) {
    if (state == State.ENDED && first) {
      // A complete declaration is followed by a new construct, or by more of a malformed value.
      state = kind == Kind.IDENT || kind == Kind.RBRACE ? State.NONE : State.BROKEN;
    }
    if (state != State.NONE && first && kind == Kind.IDENT && Parser.DECLARATIONS.contains(value)) {
      state = State.NONE;
    }
    settlePendingName(kind == Kind.EQUALS && state == State.NAME);
    if (state == State.NONE) {
      State start = start(kind, value, first);
      if (start == State.NONE) {
        return Token.Shown.PLAIN;
      }
      state = start;
      badReported = false;
      return start == State.NAME ? Token.Shown.HIDDEN : Token.Shown.SECRET_SYNTAX;
    }
    boolean string = kind == Kind.STRING && wellFormed;
    switch (state) {
      case KEYWORD -> {
        if (kind == Kind.IDENT) {
          state = State.NAME;
          pendingName = tokens.size();
          return Token.Shown.HIDDEN;
        }
      }
      case NAME -> {
        if (kind == Kind.EQUALS) {
          state = State.EQUALS;
          return Token.Shown.SECRET_SYNTAX;
        }
      }
      case EQUALS -> {
        if (kind == Kind.IDENT && value.equals("env")) {
          state = State.ENV;
          return Token.Shown.SECRET_SYNTAX;
        } else if (string) {
          state = State.COMPLETE;
          return Token.Shown.HIDDEN;
        }
      }
      case ENV -> {
        if (string) {
          state = State.COMPLETE;
          // `env "NAME"` names a variable: a name may show, anything else may be the value.
          return isVariableName(value) ? Token.Shown.SECRET_SYNTAX : Token.Shown.HIDDEN;
        }
      }
      default -> {
        // COMPLETE with more on the line, or BROKEN: broken from here on.
      }
    }
    state = State.BROKEN;
    // Punctuation is one known character: it cannot carry a value.
    boolean punctuation =
        kind == Kind.LBRACE
            || kind == Kind.RBRACE
            || kind == Kind.LPAREN
            || kind == Kind.RPAREN
            || kind == Kind.COMMA
            || kind == Kind.EQUALS;
    return punctuation ? Token.Shown.SECRET_SYNTAX : Token.Shown.HIDDEN;
  }

  /** Returns the state after a token that starts a declaration, or NONE when it starts none. */
  private State start(Kind kind, String value, boolean first) {
    if (kind != Kind.IDENT) {
      return State.NONE;
    }
    boolean afterBlock =
        braceDepth == 0 && !tokens.isEmpty() && tokens.get(tokens.size() - 1).kind() == Kind.RBRACE;
    if (!first && !afterBlock) {
      return State.NONE;
    }
    if (value.equals("secret")) {
      return State.KEYWORD;
    }
    if (Parser.DECLARATIONS.contains(value)) {
      return State.NONE;
    }
    if (Suggestions.nearest(value, Parser.DECLARATIONS).filter("secret"::equals).isPresent()) {
      return State.KEYWORD;
    }
    return value.toLowerCase(Locale.ROOT).startsWith("secret") ? State.NAME : State.NONE;
  }

  /**
   * A name after {@code secret} shows only when {@code =} follows it: otherwise it may be the
   * value.
   */
  private void settlePendingName(boolean reveal) {
    if (pendingName >= 0) {
      if (reveal) {
        tokens.set(pendingName, tokens.get(pendingName).withShown(Token.Shown.SECRET_SYNTAX));
      }
      pendingName = -1;
    }
  }

  /**
   * Returns whether an environment variable's name is a letter or {@code _}, then letters, digits
   * or {@code _}.
   */
  static boolean isVariableName(String value) {
    if (value.isEmpty() || !Lexer.isIdentStart(value.charAt(0))) {
      return false;
    }
    for (int i = 1; i < value.length(); i++) {
      if (!Lexer.isIdentPart(value.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
