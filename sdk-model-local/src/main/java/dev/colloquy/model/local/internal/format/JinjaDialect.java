package dev.colloquy.model.local.internal.format;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the few Jinja2 constructs of chat templates that Jinjava parses differently, inside
 * {@code {{ }}} and {@code {% %}} only, into equivalents it parses as Jinja2 means them:
 *
 * <ul>
 *   <li>{@code x[::-1]} (Python's reversing slice, a syntax error in Jinjava) becomes {@code
 *       (x|reverse|list)};
 *   <li>{@code not x is defined} becomes {@code not (x is defined)}: in Jinja2 a test binds tighter
 *       than {@code not}, in Jinjava it does not;
 *   <li>{@code x.startswith(y)} and Python's other string methods become {@code py_startswith(x,
 *       y)}, functions with Python's meaning ({@link PythonStrings}); a chain such as {@code
 *       c.split('a')[-1].strip()} nests them;
 *   <li>{@code f(name=a - 1)} becomes {@code f(name=(a - 1))}: Jinjava ends a keyword argument's
 *       value at the first operator.
 * </ul>
 */
final class JinjaDialect {

  private static final Pattern TAG = Pattern.compile("\\{\\{.*?}}|\\{%.*?%}", Pattern.DOTALL);
  private static final Pattern REVERSE_SLICE =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_.]*(?:\\[[^\\]\\[]*])*)\\[::-1]");
  private static final Pattern NOT_TEST =
      Pattern.compile(
          "\\bnot\\s+([A-Za-z_][A-Za-z0-9_.]*(?:\\[[^\\]\\[]*])*)\\s+is\\s+(not\\s+)?([A-Za-z_][A-Za-z0-9_]*)");

  private static final Pattern STRING_METHOD =
      Pattern.compile(
          "(?<=[A-Za-z0-9_)\\]'\"])\\.(" + String.join("|", PythonStrings.METHODS) + ")\\(");

  private JinjaDialect() {}

  static String rewrite(String template) {
    Matcher tags = TAG.matcher(template);
    return tags.replaceAll(tag -> Matcher.quoteReplacement(rewriteTag(tag.group())));
  }

  private static String rewriteTag(String tag) {
    String text =
        REVERSE_SLICE
            .matcher(tag)
            .replaceAll(m -> Matcher.quoteReplacement("(" + m.group(1) + "|reverse|list)"));
    text =
        NOT_TEST
            .matcher(text)
            .replaceAll(
                m ->
                    Matcher.quoteReplacement(
                        "not ("
                            + m.group(1)
                            + " is "
                            + (m.group(2) == null ? "" : "not ")
                            + m.group(3)
                            + ")"));
    return parenthesizeKeywordValues(stringMethodsAsFunctions(text));
  }

  /** Turns {@code receiver.method(args)} into {@code py_method(receiver, args)}, left to right. */
  static String stringMethodsAsFunctions(String text) {
    String result = text;
    Matcher method = STRING_METHOD.matcher(result);
    while (method.find()) {
      int dot = method.start();
      int receiver = receiverStart(result, dot);
      int open = method.end();
      boolean noArguments = open < result.length() && result.charAt(open) == ')';
      result =
          result.substring(0, receiver)
              + "py_"
              + method.group(1)
              + "("
              + result.substring(receiver, dot)
              + (noArguments ? "" : ", ")
              + result.substring(open);
      method = STRING_METHOD.matcher(result);
    }
    return result;
  }

  /** Walks back over a postfix chain (names, dots, calls, subscripts, a string literal). */
  private static int receiverStart(String text, int end) {
    int i = end - 1;
    while (i >= 0) {
      char c = text.charAt(i);
      if (c == ')' || c == ']') {
        i = matchingOpen(text, i) - 1;
      } else if (c == '\'' || c == '"') {
        int open = text.lastIndexOf(c, i - 1);
        while (open > 0 && text.charAt(open - 1) == '\\') {
          open = text.lastIndexOf(c, open - 2);
        }
        i = open - 1;
      } else if (Character.isLetterOrDigit(c) || c == '_' || c == '.') {
        i--;
      } else {
        break;
      }
    }
    return i + 1;
  }

  private static int matchingOpen(String text, int close) {
    int depth = 0;
    for (int i = close; i >= 0; i--) {
      char c = text.charAt(i);
      if (c == ')' || c == ']') {
        depth++;
      } else if ((c == '(' || c == '[') && --depth == 0) {
        return i;
      } else if (c == '\'' || c == '"') {
        int open = text.lastIndexOf(c, i - 1);
        i = open < 0 ? 0 : open;
      }
    }
    return 0;
  }

  /** Wraps each keyword argument's value in parentheses, strings and nesting respected. */
  static String parenthesizeKeywordValues(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    // One entry per open bracket: whether a keyword value is open at that level.
    Deque<boolean[]> levels = new ArrayDeque<>();
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        out.append(c);
        if (c == '\\' && i + 1 < text.length()) {
          out.append(text.charAt(++i));
        } else if (c == quote) {
          quote = 0;
        }
        continue;
      }
      if (c == '\'' || c == '"') {
        quote = c;
        out.append(c);
      } else if (c == '(' || c == '[' || c == '{') {
        out.append(c);
        levels.push(new boolean[] {c == '(', false});
      } else if (c == ')' || c == ']' || c == '}') {
        closeValue(out, levels);
        if (!levels.isEmpty()) {
          levels.pop();
        }
        out.append(c);
      } else if (c == ',') {
        closeValue(out, levels);
        out.append(c);
      } else if (c == '='
          && !levels.isEmpty()
          && levels.peek()[0]
          && !levels.peek()[1]
          && isKeywordEquals(text, i)) {
        out.append("=(");
        levels.peek()[1] = true;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static void closeValue(StringBuilder out, Deque<boolean[]> levels) {
    if (!levels.isEmpty() && levels.peek()[1]) {
      out.append(')');
      levels.peek()[1] = false;
    }
  }

  /**
   * Whether the {@code =} at {@code at} follows {@code (name} or {@code , name}, and is not {@code
   * ==}.
   */
  private static boolean isKeywordEquals(String text, int at) {
    if (at + 1 < text.length() && text.charAt(at + 1) == '=') {
      return false;
    }
    char before = at > 0 ? text.charAt(at - 1) : ' ';
    if (before == '=' || before == '!' || before == '<' || before == '>') {
      return false;
    }
    int i = at - 1;
    while (i >= 0 && text.charAt(i) == ' ') {
      i--;
    }
    int end = i;
    while (i >= 0 && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
      i--;
    }
    if (i == end) {
      return false;
    }
    while (i >= 0 && text.charAt(i) == ' ') {
      i--;
    }
    return i >= 0 && (text.charAt(i) == '(' || text.charAt(i) == ',');
  }
}
