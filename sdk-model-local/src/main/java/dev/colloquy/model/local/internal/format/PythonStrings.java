package dev.colloquy.model.local.internal.format;

import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Python's string methods that chat templates call ({@code content.startswith('<think>')}), as
 * filters: {@link JinjaDialect} turns {@code x.strip(…)} into {@code x|py_strip(…)}, because
 * Jinjava would call the Java method of that name, where there is one, with Java's meaning.
 */
final class PythonStrings {

  private PythonStrings() {}

  static List<Filter> filters() {
    return List.of(
        filter("startswith", (text, args) -> text.startsWith(arg(args, 0, "startswith"))),
        filter("endswith", (text, args) -> text.endsWith(arg(args, 0, "endswith"))),
        filter("strip", (text, args) -> rstrip(lstrip(text, chars(args)), chars(args))),
        filter("lstrip", (text, args) -> lstrip(text, chars(args))),
        filter("rstrip", (text, args) -> rstrip(text, chars(args))),
        filter("split", (text, args) -> split(text, args.length == 0 ? null : arg(args, 0, "split"))),
        filter("upper", (text, args) -> text.toUpperCase(java.util.Locale.ROOT)),
        filter("lower", (text, args) -> text.toLowerCase(java.util.Locale.ROOT)),
        filter(
            "replace",
            (text, args) -> text.replace(arg(args, 0, "replace"), arg(args, 1, "replace"))));
  }

  /** Names of the methods {@link #filters()} covers. */
  static final List<String> METHODS =
      List.of("startswith", "endswith", "strip", "lstrip", "rstrip", "split", "upper", "lower", "replace");

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

  private interface Method {
    Object apply(String text, Object[] args);
  }

  private static Filter filter(String name, Method method) {
    return new Filter() {
      @Override
      public String getName() {
        return "py_" + name;
      }

      @Override
      public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
        return filter(var, interpreter, args, Map.of());
      }

      @Override
      public Object filter(
          Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        if (!(var instanceof CharSequence text)) {
          throw new InterpretException(
              "'." + name + "()' is called on " + describe(var) + ", not a string");
        }
        return method.apply(text.toString(), args);
      }
    };
  }

  private static String describe(Object value) {
    if (value == null) {
      return "none";
    }
    if (value instanceof Collection || value.getClass().isArray()) {
      return "a list";
    }
    return value instanceof Map ? "a mapping" : "a " + value.getClass().getSimpleName();
  }

  private static String arg(Object[] args, int index, String method) {
    if (args.length <= index || args[index] == null) {
      throw new InterpretException("'." + method + "()' needs argument " + (index + 1));
    }
    return args[index].toString();
  }

  private static String chars(Object[] args) {
    return args.length == 0 || args[0] == null ? null : args[0].toString();
  }

  private static boolean stripped(char c, String chars) {
    return chars == null ? Character.isWhitespace(c) || Character.isSpaceChar(c) : chars.indexOf(c) >= 0;
  }

  private static String lstrip(String text, String chars) {
    int start = 0;
    while (start < text.length() && stripped(text.charAt(start), chars)) {
      start++;
    }
    return text.substring(start);
  }

  private static String rstrip(String text, String chars) {
    int end = text.length();
    while (end > 0 && stripped(text.charAt(end - 1), chars)) {
      end--;
    }
    return text.substring(0, end);
  }

  private static List<String> split(String text, String separator) {
    List<String> parts = new ArrayList<>();
    if (separator == null) {
      for (String part : text.strip().split("\\s+")) {
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
    while ((at = text.indexOf(separator, from)) >= 0) {
      parts.add(text.substring(from, at));
      from = at + separator.length();
    }
    parts.add(text.substring(from));
    return parts;
  }
}
