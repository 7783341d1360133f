package dev.colloquy.core.guard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import dev.colloquy.core.internal.json.JsonSchemas;
import dev.colloquy.core.model.JsonSchema;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Checks that a reply parses as JSON and, when a schema is given, fits it. */
final class JsonOutputGuard implements Guard {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Pattern FENCE =
      Pattern.compile("^\\s*```[A-Za-z]*\\s*\\n(.*?)\\n?```\\s*$", Pattern.DOTALL);
  private static final int MAX_LISTED_ERRORS = 5;

  private final Schema schema;

  // A JsonSchema was checked when it was parsed, so it compiles.
  JsonOutputGuard(JsonSchema schema) {
    this.schema = schema == null ? null : JsonSchemas.compile(schema);
  }

  @Override
  public String name() {
    return schema == null ? "json-output" : "json-schema-output";
  }

  @Override
  public GuardDecision check(String text) {
    Matcher fence = FENCE.matcher(text);
    String json = fence.matches() ? fence.group(1) : text;
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      return GuardDecision.block(
          "the reply is not valid JSON: "
              + e.getOriginalMessage()
              + " at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr());
    }
    if (node == null || node.isMissingNode()) {
      return GuardDecision.block("the reply is empty; a JSON value was expected");
    }
    if (schema != null) {
      List<Error> errors = schema.validate(node);
      if (!errors.isEmpty()) {
        String listed =
            errors.stream()
                .limit(MAX_LISTED_ERRORS)
                .map(e -> e.getInstanceLocation() + ": " + e.getMessage())
                .collect(Collectors.joining("; "));
        String more =
            errors.size() > MAX_LISTED_ERRORS
                ? " (and " + (errors.size() - MAX_LISTED_ERRORS) + " more)"
                : "";
        return GuardDecision.block("the reply does not fit the JSON schema: " + listed + more);
      }
    }
    return fence.matches()
        ? GuardDecision.rewrite(json, "removed the code fence around the JSON")
        : GuardDecision.pass();
  }

  @Override
  public String toString() {
    return "Guard(" + name() + ")";
  }
}
