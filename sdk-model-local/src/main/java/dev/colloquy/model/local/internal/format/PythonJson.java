package dev.colloquy.model.local.internal.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes values as Python's {@code json.dumps(x, ensure_ascii=False, indent=…, sort_keys=…)} does,
 * byte for byte: separators {@code ", "} and {@code ": "} on one line, {@code ","} and {@code ": "}
 * with an indent; non-ASCII text kept, control characters escaped.
 */
final class PythonJson {

  private PythonJson() {}

  /**
   * @param value maps, lists (or other iterables), strings, numbers, booleans and null
   * @param indent spaces per level, or a negative number for one line
   * @param sortKeys whether object keys are written in sorted order
   */
  static String dumps(Object value, int indent, boolean sortKeys) {
    StringBuilder out = new StringBuilder();
    write(out, value, indent, sortKeys, 0);
    return out.toString();
  }

  private static void write(StringBuilder out, Object value, int indent, boolean sort, int depth) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof CharSequence text) {
      string(out, text.toString());
    } else if (value instanceof Boolean bool) {
      out.append(bool ? "true" : "false");
    } else if (value instanceof Double || value instanceof Float) {
      double number = ((Number) value).doubleValue();
      out.append(
          number == Math.rint(number) && Math.abs(number) < 1e16
              ? String.valueOf((long) number) + ".0"
              : String.valueOf(number));
    } else if (value instanceof Number number) {
      out.append(number);
    } else if (value instanceof Map<?, ?> map) {
      Map<?, ?> entries = sort ? new TreeMap<>(map) : map;
      if (entries.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : entries.entrySet()) {
        separate(out, first, indent, depth + 1);
        first = false;
        string(out, String.valueOf(entry.getKey()));
        out.append(": ");
        write(out, entry.getValue(), indent, sort, depth + 1);
      }
      close(out, indent, depth);
      out.append('}');
    } else if (value instanceof Iterable<?> || value instanceof Object[]) {
      List<Object> items = new ArrayList<>();
      if (value instanceof Object[] array) {
        items.addAll(List.of(array));
      } else {
        ((Iterable<?>) value).forEach(items::add);
      }
      if (items.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append('[');
      boolean first = true;
      for (Object item : items) {
        separate(out, first, indent, depth + 1);
        first = false;
        write(out, item, indent, sort, depth + 1);
      }
      close(out, indent, depth);
      out.append(']');
    } else {
      string(out, value.toString());
    }
  }

  private static void separate(StringBuilder out, boolean first, int indent, int depth) {
    if (indent < 0) {
      if (!first) {
        out.append(", ");
      }
      return;
    }
    if (!first) {
      out.append(',');
    }
    out.append('\n').append(" ".repeat(indent * depth));
  }

  private static void close(StringBuilder out, int indent, int depth) {
    if (indent >= 0) {
      out.append('\n').append(" ".repeat(indent * depth));
    }
  }

  private static void string(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
