package dev.colloquy.test.internal.cassette;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colloquy.test.internal.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A structural diff of two JSON values: the paths where they differ and the two values there;
 * numbers compare by value.
 */
public final class JsonDiff {

  /**
   * One difference.
   *
   * @param path where, as {@code messages[1].text}
   * @param expected the recorded value, or {@code null} when absent there
   * @param actual the actual value, or {@code null} when absent there
   */
  public record Difference(String path, JsonNode expected, JsonNode actual) {}

  private JsonDiff() {}

  /** Returns every difference between two values, in document order. */
  public static List<Difference> between(JsonNode expected, JsonNode actual) {
    List<Difference> out = new ArrayList<>();
    walk("", expected, actual, out);
    return out;
  }

  private static void walk(String path, JsonNode expected, JsonNode actual, List<Difference> out) {
    if (expected != null && actual != null && expected.isObject() && actual.isObject()) {
      Set<String> names = new LinkedHashSet<>();
      expected.fieldNames().forEachRemaining(names::add);
      actual.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        walk(path.isEmpty() ? name : path + "." + name, expected.get(name), actual.get(name), out);
      }
    } else if (expected != null && actual != null && expected.isArray() && actual.isArray()) {
      int size = Math.max(expected.size(), actual.size());
      for (int i = 0; i < size; i++) {
        walk(path + "[" + i + "]", expected.get(i), actual.get(i), out);
      }
    } else if (expected == null || actual == null || !Json.sameValue(expected, actual)) {
      out.add(new Difference(path.isEmpty() ? "$" : path, expected, actual));
    }
  }

  /** Renders differences, one path and its two values a block, at most {@code limit} of them. */
  public static String render(List<Difference> differences, int limit) {
    StringBuilder s = new StringBuilder();
    for (Iterator<Difference> it = differences.stream().limit(limit).iterator(); it.hasNext(); ) {
      Difference d = it.next();
      s.append("  ").append(d.path()).append('\n');
      s.append("    recorded: ")
          .append(d.expected() == null ? "(absent)" : d.expected().toString())
          .append('\n');
      s.append("    actual:   ")
          .append(d.actual() == null ? "(absent)" : d.actual().toString())
          .append('\n');
    }
    if (differences.size() > limit) {
      s.append("  ... and ").append(differences.size() - limit).append(" more\n");
    }
    return s.toString();
  }
}
