package dev.colloquy.model.local.internal.format;

import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Python's string methods that chat templates call ({@code content.startswith('<think>')}), as
 * functions: {@link JinjaDialect} turns {@code x.strip(…)} into {@code py_strip(x, …)}, because
 * Jinjava would call the Java method of that name, where there is one, with Java's meaning.
 */
public final class PythonStrings {

  /** Names of the methods covered. */
  static final List<String> METHODS =
      List.of(
          "startswith",
          "endswith",
          "strip",
          "lstrip",
          "rstrip",
          "split",
          "upper",
          "lower",
          "replace");

  private PythonStrings() {}

  static List<ELFunctionDefinition> functions() {
    List<ELFunctionDefinition> functions = new ArrayList<>();
    for (String method : METHODS) {
      functions.add(
          new ELFunctionDefinition(
              "", "py_" + method, PythonStrings.class, method, Object.class, Object[].class));
    }
    return functions;
  }

  /** {@code str.startswith}. */
  public static Object startswith(Object text, Object... args) {
    return string(text, "startswith").startsWith(arg(args, 0, "startswith"));
  }

  /** {@code str.endswith}. */
  public static Object endswith(Object text, Object... args) {
    return string(text, "endswith").endsWith(arg(args, 0, "endswith"));
  }

  /** {@code str.strip}. */
  public static Object strip(Object text, Object... args) {
    return rstrip(lstrip(text, args), args);
  }

  /** {@code str.lstrip}. */
  public static Object lstrip(Object text, Object... args) {
    String value = string(text, "lstrip");
    String chars = chars(args);
    int start = 0;
    while (start < value.length() && stripped(value.charAt(start), chars)) {
      start++;
    }
    return value.substring(start);
  }

  /** {@code str.rstrip}. */
  public static Object rstrip(Object text, Object... args) {
    String value = string(text, "rstrip");
    String chars = chars(args);
    int end = value.length();
    while (end > 0 && stripped(value.charAt(end - 1), chars)) {
      end--;
    }
    return value.substring(0, end);
  }

  /** {@code str.split}: on runs of whitespace without a separator, else on each separator. */
  public static Object split(Object text, Object... args) {
    String value = string(text, "split");
    List<String> parts = new ArrayList<>();
    String separator = chars(args);
    if (separator == null) {
      for (String part : value.strip().split("\\s+")) {
        if (!part.isEmpty()) {
          parts.add(part);
        }
      }
      return parts;
    }
    if (separator.isEmpty()) {
      throw new InterpretException("'.split()' got an empty separator");
    }
    int from = 0;
    int at;
    while ((at = value.indexOf(separator, from)) >= 0) {
      parts.add(value.substring(from, at));
      from = at + separator.length();
    }
    parts.add(value.substring(from));
    return parts;
  }

  /** {@code str.upper}. */
  public static Object upper(Object text, Object... args) {
    return string(text, "upper").toUpperCase(Locale.ROOT);
  }

  /** {@code str.lower}. */
  public static Object lower(Object text, Object... args) {
    return string(text, "lower").toLowerCase(Locale.ROOT);
  }

  /** {@code str.replace} (without a count). */
  public static Object replace(Object text, Object... args) {
    return string(text, "replace").replace(arg(args, 0, "replace"), arg(args, 1, "replace"));
  }

  /** Jinja2's {@code iterable} test, which holds for strings too. */
  static ExpTest iterableTest() {
    return new ExpTest() {
      @Override
      public String getName() {
        return "iterable";
      }

      @Override
      public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
        return var instanceof CharSequence
            || var instanceof Iterable
            || var instanceof Map
            || (var != null && var.getClass().isArray());
      }
    };
  }

  private static String string(Object value, String method) {
    if (value instanceof CharSequence text) {
      return text.toString();
    }
    String kind;
    if (value == null) {
      kind = "none";
    } else if (value instanceof Collection || value.getClass().isArray()) {
      kind = "a list";
    } else {
      kind = value instanceof Map ? "a mapping" : "a " + value.getClass().getSimpleName();
    }
    throw new InterpretException("'." + method + "()' is called on " + kind + ", not a string");
  }

  private static String arg(Object[] args, int index, String method) {
    if (args == null || args.length <= index || args[index] == null) {
      throw new InterpretException("'." + method + "()' needs argument " + (index + 1));
    }
    return args[index].toString();
  }

  private static String chars(Object[] args) {
    return args == null || args.length == 0 || args[0] == null ? null : args[0].toString();
  }

  private static boolean stripped(char c, String chars) {
    return chars == null
        ? Character.isWhitespace(c) || Character.isSpaceChar(c)
        : chars.indexOf(c) >= 0;
  }
}
