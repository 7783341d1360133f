package dev.colloquy.model.local.internal.generation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.tool.ToolDefinition;
import dev.colloquy.model.local.ToolCallSyntax;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads the tool calls of a model's native syntax ({@link ToolCallSyntax}) out of its streamed
 * reply. Invariants: text that could still be the start of a call marker is held back until it
 * cannot; once a marker is complete, everything up to the end of its call is held until the call is
 * complete, then passed on as a call or, when malformed, dropped with a warning (never as text);
 * whitespace right after a call is dropped. Llama's bare JSON counts as a call only at the start of
 * the reply or right after another call (separated by {@code ;}); JSON at the start of a reply that
 * is not shaped as a call is passed on as text. Arguments are passed on verbatim; arguments that
 * {@link ToolDefinition#parseArguments} refuses are passed on with a warning, for the tool loop to
 * report to the model. Not thread-safe.
 */
public final class NativeToolCallStream implements ToolCallParser {

  private static final String HERMES_OPEN = "<tool_call>";
  private static final String HERMES_CLOSE = "</tool_call>";
  private static final String MISTRAL_OPEN = "[TOOL_CALLS]";
  private static final String MISTRAL_ARGS = "[ARGS]";
  private static final String MISTRAL_CALL_ID = "[CALL_ID]";
  private static final String PYTHON_TAG = "<|python_tag|>";
  private static final int MALFORMED = -2;
  private static final Pattern MISTRAL_ID = Pattern.compile("[A-Za-z0-9]{9}");
  // Not strict about duplicate names: the arguments are checked by ToolDefinition.parseArguments,
  // whose verdict goes to the tool loop; the envelope's own fields are checked here.
  private static final JsonFactory JSON = new JsonFactory();

  private final ToolCallSyntax syntax;
  private final String opener;
  private final Consumer<String> textSink;
  private final Consumer<ToolCall> callSink;
  private final StringBuilder held = new StringBuilder();
  private final StringBuilder text = new StringBuilder();
  private final List<ToolCall> calls = new ArrayList<>();
  private final Set<String> ids = new HashSet<>();
  private final List<String> warnings = new ArrayList<>();
  private int nextCallNumber;
  private boolean inCall;
  private boolean bareJson;
  private boolean afterCall;
  private boolean replyStarted;

  /**
   * @param syntax the syntax to read, not {@link ToolCallSyntax#NONE}
   * @param firstCallNumber the number in the first call's id, so ids stay unique across a
   *     conversation
   * @param textSink receives each non-empty text delta
   * @param callSink receives each complete call
   */
  public NativeToolCallStream(
      ToolCallSyntax syntax,
      int firstCallNumber,
      Consumer<String> textSink,
      Consumer<ToolCall> callSink) {
    this.syntax = syntax;
    this.opener =
        switch (syntax) {
          case HERMES -> HERMES_OPEN;
          case MISTRAL -> MISTRAL_OPEN;
          case LLAMA_JSON -> PYTHON_TAG;
          case NONE -> throw new IllegalArgumentException("no tool-call syntax to read");
        };
    this.nextCallNumber = firstCallNumber;
    this.textSink = textSink;
    this.callSink = callSink;
  }

  @Override
  public void accept(String delta) {
    held.append(delta);
    process(false);
  }

  @Override
  public void finish() {
    process(true);
    if (inCall) {
      warnings.add("the model began a tool call it did not finish, which was dropped: " + held);
      held.setLength(0);
      inCall = false;
    }
    emit(held.length());
  }

  @Override
  public String text() {
    return text.toString().strip();
  }

  @Override
  public List<ToolCall> calls() {
    return List.copyOf(calls);
  }

  @Override
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  private void process(boolean end) {
    while (true) {
      if (inCall) {
        int consumed = readCall(end);
        if (consumed == JsonExtent.INCOMPLETE) {
          return;
        }
        held.delete(0, consumed);
        inCall = false;
        continue;
      }
      if (syntax == ToolCallSyntax.LLAMA_JSON && (afterCall || !replyStarted)) {
        int first = firstNotIn(held, afterCall ? " \t\r\n;" : " \t\r\n");
        if (first < 0) {
          if (afterCall) {
            held.setLength(0);
          }
          return;
        }
        if (held.charAt(first) == '{') {
          held.delete(0, first);
          inCall = true;
          bareJson = !afterCall;
          continue;
        }
        if (afterCall) {
          held.delete(0, first);
        }
      }
      int at = held.indexOf(opener);
      if (at < 0) {
        emit(end ? held.length() : held.length() - heldBack());
        return;
      }
      emit(at);
      held.delete(0, opener.length());
      inCall = true;
      bareJson = false;
    }
  }

  /** Reads the call at the start of {@code held}; returns how much it took, or INCOMPLETE. */
  private int readCall(boolean end) {
    return switch (syntax) {
      case HERMES -> readHermes(end);
      case MISTRAL -> readMistral();
      default -> readLlama();
    };
  }

  private int readHermes(boolean end) {
    int close = held.indexOf(HERMES_CLOSE);
    if (close < 0 && !end) {
      return JsonExtent.INCOMPLETE;
    }
    String body = (close < 0 ? held.toString() : held.substring(0, close)).strip();
    if (close < 0) {
      warnings.add("the model's tool call had no closing " + HERMES_CLOSE);
    }
    call(body, "arguments", null);
    return close < 0 ? held.length() : close + HERMES_CLOSE.length();
  }

  private int readMistral() {
    int first = firstNotIn(held, " \t\r\n");
    if (first < 0) {
      return JsonExtent.INCOMPLETE;
    }
    if (held.charAt(first) == '[') {
      int end = JsonExtent.end(held, first);
      if (end == JsonExtent.INCOMPLETE) {
        return end;
      }
      for (String element : arrayElements(held.substring(first, end))) {
        call(element, "arguments", null);
      }
      return end;
    }
    // Tokenizer v11+: [TOOL_CALLS]name[ARGS]{…}, optionally name[CALL_ID]id[ARGS]{…}.
    int args = held.indexOf(MISTRAL_ARGS, first);
    if (args < 0) {
      return held.length() - first > 200 ? malformed("no " + MISTRAL_ARGS + " after the name") : -1;
    }
    String name = held.substring(first, args).strip();
    String id = null;
    int idAt = name.indexOf(MISTRAL_CALL_ID);
    if (idAt >= 0) {
      id = name.substring(idAt + MISTRAL_CALL_ID.length()).strip();
      name = name.substring(0, idAt).strip();
    }
    int object = firstNotIn(held.substring(args + MISTRAL_ARGS.length()), " \t\r\n");
    if (object < 0) {
      return JsonExtent.INCOMPLETE;
    }
    object += args + MISTRAL_ARGS.length();
    if (held.charAt(object) != '{') {
      return malformed("the arguments after " + MISTRAL_ARGS + " are not a JSON object");
    }
    int end = JsonExtent.end(held, object);
    if (end == JsonExtent.INCOMPLETE) {
      return end;
    }
    add(name, held.substring(object, end), id);
    return end;
  }

  private int readLlama() {
    int first = firstNotIn(held, " \t\r\n");
    if (first < 0) {
      return JsonExtent.INCOMPLETE;
    }
    if (held.charAt(first) != '{') {
      return malformed("no JSON object after " + PYTHON_TAG);
    }
    int end = JsonExtent.end(held, first);
    if (end == JsonExtent.INCOMPLETE) {
      return end;
    }
    String body = held.substring(first, end);
    if (bareJson && !looksLikeCall(body)) {
      // A reply that is JSON but not a call (the user asked for JSON): read it again as text.
      replyStarted = true;
      return 0;
    }
    call(body, "parameters", "arguments");
    return end;
  }

  private int malformed(String problem) {
    warnings.add("the model wrote a malformed tool call (" + problem + "), which was dropped");
    // The marker is dropped; what follows it is read as text again.
    return 0;
  }

  private boolean looksLikeCall(String body) {
    try {
      return parse(body, "parameters", "arguments") != null;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  private void call(String json, String argumentsField, String alternativeField) {
    Envelope envelope;
    try {
      envelope = parse(json, argumentsField, alternativeField);
    } catch (IOException | IllegalArgumentException e) {
      warnings.add(
          "the model wrote a tool call that is not valid JSON, which was dropped: "
              + e.getMessage()
              + ": "
              + json);
      return;
    }
    if (envelope == null) {
      warnings.add("the model wrote a tool call without a name, which was dropped: " + json);
      return;
    }
    add(envelope.name(), envelope.arguments(), envelope.id());
  }

  private void add(String name, String arguments, String modelId) {
    String id = id(modelId);
    ToolCall call;
    try {
      call = new ToolCall(id, name, arguments);
    } catch (IllegalArgumentException e) {
      warnings.add("the model called a tool by an invalid name, which was dropped: " + name);
      return;
    }
    try {
      ToolDefinition.parseArguments(arguments);
    } catch (IllegalArgumentException e) {
      warnings.add("tool call " + id + " (" + name + "): " + e.getMessage());
    }
    nextCallNumber++;
    ids.add(id);
    calls.add(call);
    afterCall = true;
    replyStarted = true;
    callSink.accept(call);
  }

  /** Mistral's templates require ids of nine letters and digits; the others take any. */
  private String id(String modelId) {
    if (syntax == ToolCallSyntax.MISTRAL) {
      if (modelId != null && MISTRAL_ID.matcher(modelId).matches() && !ids.contains(modelId)) {
        return modelId;
      }
      return String.format("call%05d", nextCallNumber % 100000);
    }
    return "call_" + nextCallNumber;
  }

  private record Envelope(String name, String arguments, String id) {}

  /** Reads {@code {"name": …, ARGUMENTS: {…}}}; null when there is no name. */
  private static Envelope parse(String json, String argumentsField, String alternativeField)
      throws IOException {
    try (JsonParser parser = JSON.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      String name = null;
      String arguments = null;
      String id = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (field.equals("name") && value == JsonToken.VALUE_STRING) {
          if (name != null) {
            throw new IllegalArgumentException("the name is given twice");
          }
          name = parser.getText();
        } else if (field.equals(argumentsField) || field.equals(alternativeField)) {
          if (arguments != null) {
            throw new IllegalArgumentException("the arguments are given twice");
          }
          if (value == JsonToken.START_OBJECT) {
            int start = (int) parser.currentTokenLocation().getCharOffset();
            parser.skipChildren();
            arguments = json.substring(start, (int) parser.currentLocation().getCharOffset());
          } else if (value == JsonToken.VALUE_STRING) {
            arguments = parser.getText();
          } else {
            throw new IllegalArgumentException("the arguments are not a JSON object");
          }
        } else if (field.equals("id") && value == JsonToken.VALUE_STRING) {
          id = parser.getText();
        } else {
          parser.skipChildren();
        }
      }
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException("text follows the call's JSON object");
      }
      return name == null ? null : new Envelope(name, arguments == null ? "{}" : arguments, id);
    }
  }

  /** Splits a JSON array's text into its elements' texts. */
  private List<String> arrayElements(String array) {
    List<String> elements = new ArrayList<>();
    int i = 1;
    while (i < array.length() - 1) {
      int start = firstNotIn(array.substring(i), " \t\r\n,");
      if (start < 0) {
        break;
      }
      start += i;
      if (array.charAt(start) == ']') {
        break;
      }
      if (array.charAt(start) != '{') {
        warnings.add("the model's tool-call list holds something other than calls: " + array);
        break;
      }
      int end = JsonExtent.end(array, start);
      if (end == JsonExtent.INCOMPLETE) {
        break;
      }
      elements.add(array.substring(start, end));
      i = end;
    }
    return elements;
  }

  private void emit(int length) {
    if (length <= 0) {
      return;
    }
    String delta = held.substring(0, length);
    held.delete(0, length);
    if (afterCall) {
      delta = delta.stripLeading();
      if (delta.isEmpty()) {
        return;
      }
      afterCall = false;
    }
    if (!delta.isBlank()) {
      replyStarted = true;
    }
    if (!delta.isEmpty()) {
      text.append(delta);
      textSink.accept(delta);
    }
  }

  /** The longest tail of the held text that is a proper prefix of the call marker. */
  private int heldBack() {
    for (int length = Math.min(opener.length() - 1, held.length()); length > 0; length--) {
      if (held.substring(held.length() - length).equals(opener.substring(0, length))) {
        return length;
      }
    }
    return 0;
  }

  private static int firstNotIn(CharSequence text, String skipped) {
    for (int i = 0; i < text.length(); i++) {
      if (skipped.indexOf(text.charAt(i)) < 0) {
        return i;
      }
    }
    return -1;
  }
}
