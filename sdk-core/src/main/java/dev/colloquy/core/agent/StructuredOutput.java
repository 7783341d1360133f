package dev.colloquy.core.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import dev.colloquy.core.internal.json.JsonSchemas;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.ResponseFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading a reply as a Java type: the schema to ask for, how to ask (native JSON schema output,
 * JSON mode plus an instruction, or an instruction alone, by the backend's capabilities), and the
 * check of each reply (markdown fences stripped, JSON parsed, schema validated, mapped).
 */
final class StructuredOutput<T> {

  private static final Pattern FENCE =
      Pattern.compile("(?s)^\\s*```[A-Za-z0-9_-]*\\s*\\n(.*?)\\n?\\s*```\\s*$");

  private final Class<T> type;
  private final ObjectNode schema;
  private final Schema compiled;

  StructuredOutput(Class<T> type) {
    this.type = type;
    this.schema = JsonSchemas.schemaOf(type);
    this.compiled = JsonSchemas.compile(schema);
  }

  /** Returns the options asking for this type, on top of the agent's. */
  ChatOptions options(ChatOptions base, ModelCapabilities capabilities) {
    ResponseFormat format;
    if (capabilities.jsonSchemaOutput()) {
      format = ResponseFormat.jsonSchema(schemaName(), JsonSchemas.toSchema(schema));
    } else if (capabilities.jsonOutput()) {
      format = ResponseFormat.json();
    } else {
      return base;
    }
    return base.toBuilder().responseFormat(format).build();
  }

  /** Returns the instruction appended to the system prompt. */
  String instruction() {
    return "Reply with only a JSON object, no prose and no markdown, that fits this JSON Schema:\n"
        + schema;
  }

  /** Returns why a reply is not a valid value, or empty when it is. */
  Optional<String> problem(String reply) {
    try {
      JsonNode node = JsonSchemas.MAPPER.readTree(stripFences(reply));
      if (node == null) {
        return Optional.of("the reply is empty, not a JSON object");
      }
      List<String> violations = JsonSchemas.violations(compiled, node);
      if (!violations.isEmpty()) {
        return Optional.of("the JSON does not fit the schema: " + String.join("; ", violations));
      }
      JsonSchemas.MAPPER.treeToValue(node, type);
      return Optional.empty();
    } catch (JsonProcessingException e) {
      return Optional.of("the reply is not valid JSON: " + e.getOriginalMessage());
    }
  }

  /** Maps a reply that {@link #problem} accepted. */
  T read(String reply) {
    try {
      return JsonSchemas.MAPPER.readValue(stripFences(reply), type);
    } catch (JsonProcessingException e) {
      throw new StructuredOutputException(
          "the reply could not be read as " + type.getSimpleName() + ": " + e.getOriginalMessage(),
          reply);
    }
  }

  String reask(String problem) {
    return "Your last reply could not be used: "
        + problem
        + ". Reply again with only the JSON object.";
  }

  String typeName() {
    return type.getSimpleName();
  }

  private String schemaName() {
    String name = type.getSimpleName().replaceAll("[^A-Za-z0-9_-]", "_");
    return name.isEmpty() ? "result" : name;
  }

  static String stripFences(String reply) {
    Matcher m = FENCE.matcher(reply);
    return m.matches() ? m.group(1) : reply.strip();
  }
}
