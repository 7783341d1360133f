package dev.colloquy.test.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.colloquy.core.agent.Reply;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.test.Transcripts;
import dev.colloquy.test.internal.json.Json;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One way to score a reply in an {@link Evaluation}. Each check has a name for reports and returns
 * empty when the reply passes, or why it failed.
 */
public interface Check {

  /** Returns a short name for reports, as {@code contains "refund"}. */
  String name();

  /**
   * Scores a reply.
   *
   * @param input what the user said
   * @param reply the completed turn
   * @return empty when the reply passes; otherwise why it failed
   */
  Optional<String> evaluate(String input, Reply reply);

  /** Passes when the reply's text contains the text. */
  static Check contains(String text) {
    Objects.requireNonNull(text, "text");
    return of(
        "contains \"" + text + "\"",
        (input, reply) ->
            reply.text().contains(text)
                ? Optional.empty()
                : Optional.of("the reply does not contain \"" + text + "\""));
  }

  /** Passes when the reply's text contains a match of the regular expression. */
  static Check matches(String regex) {
    Pattern pattern = Pattern.compile(Objects.requireNonNull(regex, "regex"));
    return of(
        "matches /" + regex + "/",
        (input, reply) ->
            pattern.matcher(reply.text()).find()
                ? Optional.empty()
                : Optional.of("the reply does not match /" + regex + "/"));
  }

  /**
   * Passes when the reply's text is JSON valid against the JSON Schema (draft 2020-12).
   *
   * @throws IllegalArgumentException when the schema itself is not valid JSON
   */
  static Check jsonSchema(String schemaJson) {
    Objects.requireNonNull(schemaJson, "schemaJson");
    Json.parse(schemaJson)
        .orElseThrow(
            () -> new IllegalArgumentException("the JSON schema is not valid JSON: " + schemaJson));
    Schema schema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schemaJson);
    return of(
        "matches JSON schema",
        (input, reply) -> {
          Optional<JsonNode> json = Json.parse(reply.text().strip());
          if (json.isEmpty()) {
            return Optional.of("the reply is not valid JSON");
          }
          List<Error> errors = schema.validate(json.get());
          return errors.isEmpty()
              ? Optional.empty()
              : Optional.of(
                  "the reply does not fit the schema: "
                      + String.join("; ", errors.stream().map(Error::toString).toList()));
        });
  }

  /**
   * Passes when the turn called the tool, with arguments holding each given field (numbers by
   * value).
   */
  static Check calledTool(String toolName, String argumentsJson) {
    Objects.requireNonNull(toolName, "toolName");
    JsonNode expected =
        Json.parse(Objects.requireNonNull(argumentsJson, "argumentsJson"))
            .filter(JsonNode::isObject)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "expected arguments must be a JSON object: " + argumentsJson));
    return of(
        "called " + toolName + (expected.isEmpty() ? "" : " " + expected),
        (input, reply) -> {
          List<ToolCall> calls = Transcripts.toolCalls(reply.messages());
          for (ToolCall call : calls) {
            JsonNode actual = Json.parse(call.arguments()).orElse(Json.MAPPER.createObjectNode());
            boolean fits = call.name().equals(toolName);
            for (var it = expected.properties().iterator(); fits && it.hasNext(); ) {
              var field = it.next();
              fits =
                  actual.has(field.getKey())
                      && Json.sameValue(field.getValue(), actual.get(field.getKey()));
            }
            if (fits) {
              return Optional.empty();
            }
          }
          return Optional.of(
              "the turn called "
                  + (calls.isEmpty()
                      ? "no tool"
                      : String.join(
                          ", ", calls.stream().map(c -> c.name() + " " + c.arguments()).toList())));
        });
  }

  /** Passes when the turn called the tool, whatever its arguments. */
  static Check calledTool(String toolName) {
    return calledTool(toolName, "{}");
  }

  /**
   * Asks a judge model whether the reply meets a rubric. The judge is told to answer with {@code
   * PASS} or {@code FAIL} on the first line and a reason after; anything else fails.
   *
   * @param judge the judging model, ideally deterministic (it is asked with temperature 0)
   * @param rubric what a good reply does, in words
   */
  static Check judge(ChatModel judge, String rubric) {
    Objects.requireNonNull(judge, "judge");
    Objects.requireNonNull(rubric, "rubric");
    return of(
        "judge: " + rubric,
        (input, reply) -> {
          String prompt =
              "Rubric: "
                  + rubric
                  + "\nUser: "
                  + input
                  + "\nAssistant: "
                  + reply.text()
                  + "\nDoes the assistant's reply meet the rubric? Answer PASS or FAIL on the first line, then one line of reason.";
          ChatRequest request =
              new ChatRequest(
                  List.of(
                      Message.system("You grade chatbot replies strictly."), Message.user(prompt)),
                  List.of(),
                  ChatOptions.builder().temperature(0).build());
          String verdict = judge.chat(request).text().strip();
          return verdict.startsWith("PASS")
              ? Optional.empty()
              : Optional.of("the judge said: " + verdict.replace("\n", " "));
        });
  }

  /** Returns a check from a name and a function. */
  static Check of(
      String name, java.util.function.BiFunction<String, Reply, Optional<String>> evaluate) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(evaluate, "evaluate");
    return new Check() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Optional<String> evaluate(String input, Reply reply) {
        return evaluate.apply(input, reply);
      }
    };
  }
}
