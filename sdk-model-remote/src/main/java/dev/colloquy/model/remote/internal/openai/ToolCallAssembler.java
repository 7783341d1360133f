package dev.colloquy.model.remote.internal.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.model.remote.RemoteProtocolException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Assembles tool calls from their deltas, keyed by {@code index}.
 *
 * <p>Servers differ: the id may come only in the first delta, be repeated, be empty or missing on
 * continuation deltas, or be missing altogether (a stable id {@code call_<index>} is then made up);
 * the name usually comes once; {@code "type"} may be empty; two calls may interleave. A delta
 * without an index (some servers) continues the call with the same id, else the last one. Arguments
 * are kept verbatim, invalid JSON included, for the tool loop to report; empty arguments become
 * {@code {}}. Not thread-safe.
 */
final class ToolCallAssembler {

  private final TreeMap<Integer, Draft> drafts = new TreeMap<>();
  private int lastIndex = -1;

  private static final class Draft {
    String id = "";
    String name = "";
    final StringBuilder arguments = new StringBuilder();
  }

  void merge(JsonNode delta, int position, boolean streaming) {
    String id = delta.path("id").asText("");
    int index = index(delta, id, position, streaming);
    lastIndex = index;
    Draft draft = drafts.computeIfAbsent(index, i -> new Draft());
    if (draft.id.isEmpty() && !id.isBlank()) {
      draft.id = id;
    }
    JsonNode function = delta.path("function");
    String name = function.path("name").asText("");
    if (draft.name.isEmpty() && !name.isBlank()) {
      draft.name = name;
    }
    JsonNode arguments = function.get("arguments");
    if (arguments != null && arguments.isTextual()) {
      draft.arguments.append(arguments.asText());
    } else if (arguments != null && arguments.isContainerNode()) {
      draft.arguments.append(arguments); // Ollama sends an object instead of a string
    }
  }

  private int index(JsonNode delta, String id, int position, boolean streaming) {
    JsonNode index = delta.get("index");
    if (index != null && index.canConvertToInt()) {
      return index.asInt();
    }
    if (!streaming) {
      return position;
    }
    if (!id.isBlank()) {
      for (Map.Entry<Integer, Draft> entry : drafts.entrySet()) {
        if (entry.getValue().id.equals(id)) {
          return entry.getKey();
        }
      }
      return drafts.isEmpty() ? 0 : drafts.lastKey() + 1;
    }
    return Math.max(lastIndex, 0);
  }

  List<ToolCall> complete(String where, ServerText server) {
    List<ToolCall> calls = new ArrayList<>(drafts.size());
    Set<String> ids = new HashSet<>();
    for (Map.Entry<Integer, Draft> entry : drafts.entrySet()) {
      Draft draft = entry.getValue();
      String id = draft.id.isEmpty() ? "call_" + entry.getKey() : draft.id;
      if (!ids.add(id)) {
        id = id + "_" + entry.getKey(); // a server that reuses one id for several calls
        ids.add(id);
      }
      String arguments = draft.arguments.toString().isBlank() ? "{}" : draft.arguments.toString();
      try {
        calls.add(new ToolCall(id, draft.name, arguments));
      } catch (IllegalArgumentException e) {
        throw new RemoteProtocolException(
            "the server at "
                + where
                + " sent tool call "
                + entry.getKey()
                + " that cannot be used: "
                + server.problem(e),
            server.safeCause(e));
      }
    }
    return calls;
  }
}
