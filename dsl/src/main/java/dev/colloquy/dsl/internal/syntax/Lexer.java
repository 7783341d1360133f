package dev.colloquy.dsl.internal.syntax;

import dev.colloquy.dsl.internal.syntax.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a file into tokens in one linear pass, reporting every bad character, string or number and
 * carrying on. Comments run from {@code #} to the end of the line.
 *
 * <p>Text blocks: {@code """} then a line break; the content is the lines up to the closing {@code
 * """}; the indentation common to its non-blank lines (and to the closing delimiter's line when it
 * stands alone) is removed; a closing delimiter on its own line adds no final line break; there are
 * no escapes, so JSON and backslashes are just text. Blank lines become empty. A {@code \r} before
 * a line break is dropped.
 *
 * <p>Secrets: {@link SecretSpans} decides for each token whether it is on a {@code secret}
 * declaration and may show. Hidden tokens, and comments and bad characters on a span, are masked in
 * the {@link SourceText}, and the lexer's own messages about them do not quote them.
 */
public final class Lexer {
  private final String text;
  private final SourceText source;
  private final Reporter reporter;
  private final List<Token> tokens = new ArrayList<>();
  private int pos;
  private boolean lineHasToken;
  private final SecretSpans secrets = new SecretSpans(tokens);

  private Lexer(Reporter reporter) {
    this.reporter = reporter;
    this.source = reporter.source();
    this.text = source.text();
  }

  /** Tokenizes a file; the list always ends with an {@link Kind#EOF} token. */
  public static List<Token> tokenize(Reporter reporter) {
    Lexer lexer = new Lexer(reporter);
    lexer.run();
    return lexer.tokens;
  }

  private void run() {
    int badStart = -1;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      int start = pos;
      if (c == '\n') {
        pos++;
        lineHasToken = false;
        secrets.lineBreak();
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\uFEFF') {
        pos++;
      } else if (c == '#') {
        while (pos < text.length() && text.charAt(pos) != '\n') {
          pos++;
        }
        if (secrets.onSpan()) {
          source.mask(start + 1, pos, " ***");
        }
      } else if (isIdentStart(c)) {
        while (pos < text.length() && isIdentPart(text.charAt(pos))) {
          pos++;
        }
        add(Kind.IDENT, text.substring(start, pos), start);
      } else if (c == '"') {
        if (text.startsWith("\"\"\"", pos)) {
          textBlock();
        } else {
          string();
        }
      } else if (isDigit(c)
          || (c == '-' && pos + 1 < text.length() && isDigit(text.charAt(pos + 1)))) {
        number();
      } else if ("{}(),=".indexOf(c) >= 0) {
        pos++;
        Kind kind =
            switch (c) {
              case '{' -> Kind.LBRACE;
              case '}' -> Kind.RBRACE;
              case '(' -> Kind.LPAREN;
              case ')' -> Kind.RPAREN;
              case ',' -> Kind.COMMA;
              default -> Kind.EQUALS;
            };
        add(kind, String.valueOf(c), start);
      } else {
        // One report for a run of bad characters keeps random input from flooding the list.
        pos += Character.charCount(text.codePointAt(pos));
        SecretSpans.Bad bad = secrets.badCharacter(!lineHasToken);
        if (bad != SecretSpans.Bad.PLAIN) {
          source.mask(start, pos, "***");
          if (bad == SecretSpans.Bad.FIRST_ON_SPAN) {
            reporter.error(
                start,
                pos - start,
                "unexpected character on a `secret` declaration",
                SecretSpans.HIDDEN_NOTE);
          }
        } else if (badStart < 0 || badStart != start) {
          reporter.error(
              start,
              pos - start,
              "unexpected character " + describe(text.codePointAt(start)),
              "expected a name, a string, a number, `{`, `}`, `(`, `)`, `,`, `=` or a `#` comment");
        }
        badStart = pos;
        continue;
      }
      badStart = -1;
    }
    tokens.add(
        new Token(Kind.EOF, "", text.length(), text.length(), !lineHasToken, Token.Shown.PLAIN));
    for (Token t : tokens) {
      if (t.hidden()) {
        source.mask(
            t.start(),
            t.end(),
            t.kind() == Kind.STRING || t.kind() == Kind.TEXT ? "\"***\"" : "***");
      }
    }
  }

  private void add(Kind kind, String value, int start) {
    add(kind, value, start, true);
  }

  /** Adds a token, deciding whether it is on a secret declaration and whether it may show. */
  private void add(Kind kind, String value, int start, boolean wellFormed) {
    boolean first = !lineHasToken;
    Token.Shown shown = secrets.next(kind, value, first, wellFormed);
    tokens.add(new Token(kind, value, start, pos, first, shown));
    lineHasToken = true;
  }

  private void string() {
    int start = pos++;
    StringBuilder value = new StringBuilder();
    while (true) {
      if (pos >= text.length() || text.charAt(pos) == '\n') {
        reporter.error(
            start,
            1,
            "unterminated string",
            "close it with `\"` on the same line, or use `\"\"\"` for text over several lines");
        add(Kind.STRING, value.toString(), start, false);
        return;
      }
      char c = text.charAt(pos);
      if (c == '"') {
        pos++;
        add(Kind.STRING, value.toString(), start);
        return;
      }
      if (c == '\\' && pos + 1 < text.length()) {
        char e = text.charAt(pos + 1);
        switch (e) {
          case '"' -> value.append('"');
          case '\\' -> value.append('\\');
          case 'n' -> value.append('\n');
          case 't' -> value.append('\t');
          case 'r' -> value.append('\r');
          default ->
              reporter.error(
                  pos,
                  2,
                  "unknown escape "
                      + (secrets.onSpan()
                          ? ""
                          : "`\\" + (e < 0x20 ? "?" : String.valueOf(e)) + "` ")
                      + "in a string",
                  "expected one of: \\\" \\\\ \\n \\t \\r (text blocks `\"\"\"` need no escapes)");
        }
        pos += 2;
      } else {
        value.append(c);
        pos++;
      }
    }
  }

  private void textBlock() {
    int start = pos;
    pos += 3;
    int lineEnd = text.indexOf('\n', pos);
    String rest = text.substring(pos, lineEnd < 0 ? text.length() : lineEnd);
    if (!rest.isBlank()) {
      int close = text.indexOf("\"\"\"", pos);
      reporter.error(
          start,
          3,
          "a text block starts with `\"\"\"` and a line break",
          "write the text on the lines after `\"\"\"`, or use a one-line string \"...\"");
      pos =
          close >= 0 && (lineEnd < 0 || close < lineEnd)
              ? close + 3
              : (lineEnd < 0 ? text.length() : lineEnd);
      add(Kind.TEXT, "", start, false);
      return;
    }
    if (lineEnd < 0) {
      reporter.error(start, 3, "unterminated text block", "close it with `\"\"\"`");
      pos = text.length();
      add(Kind.TEXT, "", start, false);
      return;
    }
    int contentStart = lineEnd + 1;
    int close = text.indexOf("\"\"\"", contentStart);
    if (close < 0) {
      reporter.error(start, 3, "unterminated text block", "close it with `\"\"\"`");
      pos = text.length();
      add(Kind.TEXT, "", start, false);
      return;
    }
    pos = close + 3;
    add(Kind.TEXT, dedent(text.substring(contentStart, close)), start);
    // The rest of the closing line continues normally; lines inside the block do not reset it.
  }

  /** Applies the text-block rules to the raw content between the delimiters. */
  public static String dedent(String raw) {
    String[] lines = raw.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].endsWith("\r")) {
        lines[i] = lines[i].substring(0, lines[i].length() - 1);
      }
    }
    // The last element is the closing delimiter's line prefix; it is content only when not blank.
    String last = lines[lines.length - 1];
    boolean closingAlone = last.isBlank();
    int count = closingAlone ? lines.length - 1 : lines.length;
    int indent = closingAlone ? last.length() : Integer.MAX_VALUE;
    for (int i = 0; i < count; i++) {
      if (!lines[i].isBlank()) {
        indent = Math.min(indent, leadingWhitespace(lines[i]));
      }
    }
    if (indent == Integer.MAX_VALUE) {
      indent = 0;
    }
    StringBuilder out = new StringBuilder(raw.length());
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        out.append('\n');
      }
      if (!lines[i].isBlank()) {
        out.append(lines[i], Math.min(indent, lines[i].length()), lines[i].length());
      }
    }
    return out.toString();
  }

  private static int leadingWhitespace(String line) {
    int i = 0;
    while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private void number() {
    int start = pos;
    if (text.charAt(pos) == '-') {
      pos++;
    }
    while (pos < text.length() && isDigit(text.charAt(pos))) {
      pos++;
    }
    if (pos + 1 < text.length() && text.charAt(pos) == '.' && isDigit(text.charAt(pos + 1))) {
      pos++;
      while (pos < text.length() && isDigit(text.charAt(pos))) {
        pos++;
      }
    }
    int unitStart = pos;
    while (pos < text.length() && isIdentPart(text.charAt(pos))) {
      pos++;
    }
    String unit = text.substring(unitStart, pos);
    if (unit.isEmpty()) {
      add(Kind.NUMBER, text.substring(start, pos), start);
    } else if (unit.equals("ms") || unit.equals("s") || unit.equals("m") || unit.equals("h")) {
      add(Kind.DURATION, text.substring(start, pos), start);
    } else {
      reporter.error(
          unitStart,
          pos - unitStart,
          "unknown unit" + (secrets.onSpan() ? "" : " `" + Token.shortened(unit) + "`"),
          "expected one of: ms, s, m, h (as in `10s`)");
      add(Kind.NUMBER, text.substring(start, unitStart), start, false);
    }
  }

  private static String describe(int codePoint) {
    String hex = String.format("U+%04X", codePoint);
    return codePoint < 0x20 || codePoint == 0x7F || Character.isWhitespace(codePoint)
        ? hex
        : "`" + new String(Character.toChars(codePoint)) + "` (" + hex + ")";
  }

  static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  static boolean isIdentPart(char c) {
    return isIdentStart(c) || isDigit(c);
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
