package dev.colloquy.test.cassette;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a replay decides that a live request is a recorded one: the two requests, as cassette JSON,
 * must be equal once the ignored fields are removed from both.
 *
 * <p>A field path names fields as the cassette does: {@code options.seed}, {@code
 * options.temperature}, {@code tools}, {@code messages[0].text} (the first message), {@code
 * messages[*].text} (every message). Immutable and thread-safe.
 */
public final class RequestMatcher {

  private static final Pattern PATH =
      Pattern.compile(
          "[A-Za-z_][A-Za-z0-9_]*(\\[(\\*|\\d+)])?(\\.[A-Za-z_][A-Za-z0-9_]*(\\[(\\*|\\d+)])?)*");
  private static final RequestMatcher EXACT = new RequestMatcher(List.of());

  private final List<String> ignored;

  private RequestMatcher(List<String> ignored) {
    this.ignored = List.copyOf(ignored);
  }

  /** Returns the matcher that compares every field. */
  public static RequestMatcher exact() {
    return EXACT;
  }

  /**
   * Returns a matcher that also ignores these fields.
   *
   * @throws IllegalArgumentException when a path is malformed or already ignored
   */
  public RequestMatcher ignoring(String... paths) {
    List<String> all = new ArrayList<>(ignored);
    for (String path : paths) {
      Objects.requireNonNull(path, "path");
      if (!PATH.matcher(path).matches()) {
        throw new IllegalArgumentException(
            "invalid field path '"
                + path
                + "': expected names separated by dots, each optionally followed by [n] or [*], as messages[*].text");
      }
      if (all.contains(path)) {
        throw new IllegalStateException("field path '" + path + "' is already ignored");
      }
      all.add(path);
    }
    return new RequestMatcher(all);
  }

  /** Returns the ignored field paths. */
  public List<String> ignoredPaths() {
    return ignored;
  }

  /** Returns a copy of the request JSON without the ignored fields. */
  public JsonNode strip(JsonNode request) {
    JsonNode copy = request.deepCopy();
    for (String path : ignored) {
      remove(copy, path.split("\\."), 0);
    }
    return copy;
  }

  /** Returns {@code exact} or {@code ignoring [a, b]}, for failure messages. */
  @Override
  public String toString() {
    return ignored.isEmpty() ? "exact" : "ignoring " + ignored;
  }

  private static void remove(JsonNode node, String[] steps, int at) {
    if (!(node instanceof ObjectNode object)) {
      return;
    }
    String step = steps[at];
    int bracket = step.indexOf('[');
    String name = bracket < 0 ? step : step.substring(0, bracket);
    boolean last = at == steps.length - 1;
    if (bracket < 0) {
      if (last) {
        object.remove(name);
      } else {
        remove(object.get(name), steps, at + 1);
      }
      return;
    }
    if (!(object.get(name) instanceof ArrayNode array)) {
      return;
    }
    String index = step.substring(bracket + 1, step.length() - 1);
    for (int i = array.size() - 1; i >= 0; i--) {
      if (index.equals("*") || index.equals(Integer.toString(i))) {
        if (last) {
          array.remove(i);
        } else {
          remove(array.get(i), steps, at + 1);
        }
      }
    }
  }
}
