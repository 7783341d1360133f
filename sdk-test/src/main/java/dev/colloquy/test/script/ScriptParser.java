package dev.colloquy.test.script;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.colloquy.test.internal.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parses the line-based script format, one line at a time with no recursion of its own (JSON goes
 * to Jackson, whose nesting limit applies), so no input can overflow the stack. The grammar:
 *
 * <pre>
 * script       = { blank | comment | conversation | user | expect }
 * comment      = "#" any
 * conversation = "conversation" quoted
 * user         = "user:" text
 * expect       = "expect" ( ["not"] "contains" quoted | "matches" "/" regex "/"
 *                         | "tool" name [json-object] | "json" json-shape )
 * quoted       = '"' { char | '\"' | '\\' | '\n' } '"'
 * </pre>
 *
 * Leading spaces are ignored on every line.
 */
final class ScriptParser {

  static final int MAX_LENGTH = 1 << 20;
  private static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private final String file;
  private final List<ConversationScript.Conversation> conversations = new ArrayList<>();
  private String line;
  private int lineNumber;
  private int indent;

  private ScriptParser(String file) {
    this.file = file;
  }

  static List<ConversationScript.Conversation> parse(String file, String source) {
    if (source.length() > MAX_LENGTH) {
      throw new ScriptException(
          file
              + ": the script is "
              + source.length()
              + " characters long; at most "
              + MAX_LENGTH
              + " are read. Split it into several files.");
    }
    ScriptParser parser = new ScriptParser(file);
    String[] lines = source.split("\r?\n", -1);
    ConversationScript.Conversation current = null;
    List<ConversationScript.Step> steps = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      parser.line = lines[i];
      parser.lineNumber = i + 1;
      String text = lines[i].stripLeading();
      parser.indent = lines[i].length() - text.length();
      if (text.isBlank() || text.startsWith("#")) {
        continue;
      }
      if (text.startsWith("conversation")) {
        if (current != null) {
          parser.finish(current, steps);
        }
        current =
            new ConversationScript.Conversation(
                parser.quoted(
                    text, "conversation".length(), "a quoted name, as conversation \"refund\""),
                i + 1,
                List.of());
        steps = new ArrayList<>();
      } else if (text.startsWith("user:")) {
        if (current == null) {
          throw parser.error(
              1, "a user turn outside a conversation", "expected first: conversation \"<name>\"");
        }
        String said = text.substring(5).strip();
        if (said.isEmpty()) {
          throw parser.error(6, "the user turn is empty", "expected: user: <what the user says>");
        }
        steps.add(new ConversationScript.Step(said, i + 1, new ArrayList<>()));
      } else if (text.startsWith("expect ") || text.equals("expect")) {
        if (steps.isEmpty()) {
          throw parser.error(
              1,
              "an expectation before any user turn",
              "expected first: user: <what the user says>");
        }
        steps
            .get(steps.size() - 1)
            .expectations()
            .add(
                new ConversationScript.Located(
                    parser.expectation(text), new Expectation.Position(i + 1, lines[i])));
      } else {
        int end = text.indexOf(' ') < 0 ? text.length() : text.indexOf(' ');
        throw parser.error(
            1,
            "unknown line '" + text.substring(0, Math.min(end, 40)) + "'",
            "expected one of: conversation \"<name>\", user: <text>, expect ..., # comment");
      }
    }
    if (current != null) {
      parser.finish(current, steps);
    }
    return List.copyOf(parser.conversations);
  }

  private void finish(
      ConversationScript.Conversation conversation, List<ConversationScript.Step> steps) {
    if (steps.isEmpty()) {
      throw new ScriptException(
          file
              + ":"
              + conversation.line()
              + ":1: conversation \""
              + conversation.name()
              + "\" has no user turn\nexpected at least one line: user: <what the user says>");
    }
    conversations.add(
        new ConversationScript.Conversation(
            conversation.name(), conversation.line(), List.copyOf(steps)));
  }

  private Expectation expectation(String text) {
    int at = skipSpaces(text, "expect".length());
    String rest = text.substring(at);
    boolean negated = rest.startsWith("not ");
    if (negated) {
      at = skipSpaces(text, at + 3);
      rest = text.substring(at);
    }
    if (rest.startsWith("contains")) {
      return new Expectation.Contains(
          quoted(text, at + "contains".length(), "a quoted text, as contains \"refund\""), negated);
    }
    if (negated) {
      throw error(
          at + 1, "'not' applies only to contains", "expected: expect not contains \"<text>\"");
    }
    if (rest.startsWith("matches")) {
      return new Expectation.Matches(regex(text, skipSpaces(text, at + "matches".length())));
    }
    if (rest.startsWith("tool")) {
      int nameAt = skipSpaces(text, at + "tool".length());
      int nameEnd = nameAt;
      while (nameEnd < text.length()
          && text.charAt(nameEnd) != ' '
          && text.charAt(nameEnd) != '{') {
        nameEnd++;
      }
      String name = text.substring(nameAt, nameEnd);
      if (!TOOL_NAME.matcher(name).matches()) {
        throw error(
            nameAt + 1,
            name.isEmpty() ? "missing tool name" : "invalid tool name '" + name + "'",
            "expected: expect tool <name> [{\"argument\": value, ...}], the name 1 to 64 of A-Z a-z 0-9 _ . -");
      }
      int jsonAt = skipSpaces(text, nameEnd);
      JsonNode arguments =
          jsonAt >= text.length() ? Json.MAPPER.createObjectNode() : json(text, jsonAt);
      if (!arguments.isObject()) {
        throw error(
            jsonAt + 1,
            "tool arguments must be a JSON object",
            "expected: {\"argument\": value, ...}");
      }
      return new Expectation.Tool(name, arguments);
    }
    if (rest.startsWith("json")) {
      int shapeAt = skipSpaces(text, at + "json".length());
      if (shapeAt >= text.length()) {
        throw error(
            shapeAt + 1,
            "missing JSON shape",
            "expected: expect json {\"field\": \"string\", ...}");
      }
      return new Expectation.JsonOfShape(json(text, shapeAt));
    }
    int end = rest.indexOf(' ') < 0 ? rest.length() : rest.indexOf(' ');
    throw error(
        at + 1,
        rest.isEmpty()
            ? "missing expectation"
            : "unknown expectation '" + rest.substring(0, Math.min(end, 40)) + "'",
        "expected one of: contains, not contains, matches, tool, json");
  }

  private String quoted(String text, int from, String expected) {
    int at = skipSpaces(text, from);
    if (at >= text.length() || text.charAt(at) != '"') {
      throw error(at + 1, "missing opening quote", "expected " + expected);
    }
    StringBuilder out = new StringBuilder();
    for (int i = at + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        if (skipSpaces(text, i + 1) != text.length()) {
          throw error(
              skipSpaces(text, i + 1) + 1,
              "unexpected text after the closing quote",
              "expected the end of the line");
        }
        return out.toString();
      }
      if (c == '\\') {
        char next = i + 1 < text.length() ? text.charAt(i + 1) : ' ';
        switch (next) {
          case '"', '\\' -> out.append(next);
          case 'n' -> out.append('\n');
          default ->
              throw error(
                  i + 1, "unknown escape '\\" + next + "'", "expected one of: \\\" \\\\ \\n");
        }
        i++;
      } else {
        out.append(c);
      }
    }
    throw error(
        text.length() + 1,
        "unterminated text",
        "expected a closing quote \" before the end of the line");
  }

  private Pattern regex(String text, int at) {
    if (at >= text.length() || text.charAt(at) != '/') {
      throw error(at + 1, "missing regular expression", "expected: matches /<regex>/");
    }
    int end = text.lastIndexOf('/');
    if (end <= at) {
      throw error(
          text.length() + 1,
          "unterminated regular expression",
          "expected a closing / before the end of the line");
    }
    if (skipSpaces(text, end + 1) != text.length()) {
      throw error(
          end + 2, "unexpected text after the regular expression", "expected the end of the line");
    }
    String source = text.substring(at + 1, end);
    try {
      return Pattern.compile(source);
    } catch (PatternSyntaxException e) {
      throw error(
          at + 2 + Math.max(0, e.getIndex()),
          "invalid regular expression: " + e.getDescription(),
          "expected a java.util.regex pattern");
    }
  }

  private JsonNode json(String text, int at) {
    try {
      JsonNode node =
          Json.MAPPER
              .reader()
              .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
              .readTree(text.substring(at));
      return node;
    } catch (JsonProcessingException e) {
      int column = at + Math.max(1, e.getLocation() == null ? 1 : e.getLocation().getColumnNr());
      String reason = e.getOriginalMessage().split("\n")[0];
      throw error(
          column, "invalid JSON: " + reason, "expected one JSON value to the end of the line");
    }
  }

  private static int skipSpaces(String text, int from) {
    int i = Math.min(from, text.length());
    while (i < text.length() && text.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  /** An error at a column (from 1) of the stripped line; the column reported counts the indent. */
  private ScriptException error(int column, String what, String expected) {
    return new ScriptException(
        ScriptException.format(file, lineNumber, column + indent, line, what, expected));
  }
}
