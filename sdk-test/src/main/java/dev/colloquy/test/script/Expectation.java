package dev.colloquy.test.script;

import com.fasterxml.jackson.databind.JsonNode;
import dev.colloquy.core.agent.Reply;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.test.Transcripts;
import dev.colloquy.test.internal.json.Json;
import dev.colloquy.test.internal.json.JsonShape;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** One {@code expect} line of a script, and where it was written. */
sealed interface Expectation {

  /** Returns what was expected, in words. */
  String describe();

  /** Returns what is wrong with the reply, or empty when it fits. */
  Optional<String> check(Reply reply);

  /** Where the expectation was written: line number (from 1) and the source line. */
  record Position(int line, String source) {}

  record Contains(String text, boolean negated) implements Expectation {
    public String describe() {
      return "the reply " + (negated ? "not " : "") + "to contain \"" + text + "\"";
    }

    public Optional<String> check(Reply reply) {
      return reply.text().contains(text) != negated
          ? Optional.empty()
          : Optional.of(replyWas(reply));
    }
  }

  record Matches(Pattern pattern) implements Expectation {
    public String describe() {
      return "the reply to match /" + pattern.pattern() + "/";
    }

    public Optional<String> check(Reply reply) {
      return pattern.matcher(reply.text()).find() ? Optional.empty() : Optional.of(replyWas(reply));
    }
  }

  record Tool(String name, JsonNode arguments) implements Expectation {
    public String describe() {
      return "a call of tool '"
          + name
          + "'"
          + (arguments.isEmpty() ? "" : " with arguments " + arguments);
    }

    public Optional<String> check(Reply reply) {
      List<ToolCall> calls = Transcripts.toolCalls(reply.messages());
      for (ToolCall call : calls) {
        if (call.name().equals(name) && argumentsFit(call)) {
          return Optional.empty();
        }
      }
      return Optional.of(
          calls.isEmpty()
              ? "but the turn called no tool; the reply was\n  \"" + reply.text() + "\""
              : "but the turn called:\n"
                  + String.join(
                      "\n",
                      calls.stream().map(c -> "  " + c.name() + " " + c.arguments()).toList()));
    }

    private boolean argumentsFit(ToolCall call) {
      JsonNode actual = Json.parse(call.arguments()).orElse(null);
      if (actual == null) {
        return false;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = arguments.properties().iterator();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!actual.has(field.getKey())
            || !Json.sameValue(field.getValue(), actual.get(field.getKey()))) {
          return false;
        }
      }
      return true;
    }
  }

  record JsonOfShape(JsonNode shape) implements Expectation {
    public String describe() {
      return "the reply to be JSON of shape " + shape;
    }

    public Optional<String> check(Reply reply) {
      Optional<JsonNode> actual = Json.parse(reply.text().strip());
      if (actual.isEmpty()) {
        return Optional.of("but it is not valid JSON; " + replyWas(reply).substring(4));
      }
      return JsonShape.check(shape, actual.get(), "$")
          .map(problem -> "but " + problem + "; " + replyWas(reply).substring(4));
    }
  }

  private static String replyWas(Reply reply) {
    return "but the reply was\n  \"" + reply.text() + "\"";
  }
}
