package dev.colloquy.core.internal.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecificationVersion;
import dev.colloquy.core.model.JsonSchemaException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Reads the text of a JSON Schema for {@code JsonSchema.parse}. Thread-safe. */
public final class SchemaReader {

  private SchemaReader() {}

  /**
   * Reads a JSON Schema as strictly as {@link JsonSchemas#parseArguments} reads arguments, then
   * checks it against the meta-schema of its draft (2020-12 unless {@code $schema} names another
   * one that is known) and compiles it.
   *
   * @throws JsonSchemaException naming the problem and where it is
   */
  public static ObjectNode read(String json) {
    if (json.isBlank()) {
      throw new JsonSchemaException(
          "the JSON Schema is empty; write a JSON object, {\"type\": \"object\"} say");
    }
    ObjectNode schema;
    try {
      schema = StrictJson.object(json, "the JSON Schema is", "the JSON Schema must");
    } catch (IllegalArgumentException e) {
      String where =
          e.getCause() instanceof JsonProcessingException parsing && parsing.getLocation() != null
              ? " at line "
                  + parsing.getLocation().getLineNr()
                  + ", column "
                  + parsing.getLocation().getColumnNr()
              : "";
      throw new JsonSchemaException(e.getMessage() + where, e.getCause());
    }
    SpecificationVersion version = SpecificationVersion.DRAFT_2020_12;
    JsonNode dialect = schema.get("$schema");
    if (dialect != null) {
      // Only the drafts bundled with the validator: any other URI would be fetched from the
      // network.
      version =
          SpecificationVersion.fromDialectId(dialect.asText())
              .orElseThrow(
                  () ->
                      new JsonSchemaException(
                          "$.$schema: unknown dialect "
                              + JsonSchemas.shorten(dialect.toString(), JsonSchemas.MAX_NAME_CHARS)
                              + "; leave it out for draft 2020-12, or name one of "
                              + knownDialects()));
    }
    List<String> problems;
    try {
      problems = JsonSchemas.violations(MetaSchemas.of(version), schema);
      if (problems.isEmpty()) {
        JsonSchemas.REGISTRY.getSchema(schema);
      }
    } catch (RuntimeException e) {
      throw new JsonSchemaException("the JSON Schema cannot be compiled: " + e.getMessage(), e);
    }
    if (!problems.isEmpty()) {
      throw new JsonSchemaException(
          "the JSON Schema does not fit the meta-schema of "
              + version.getDialectId()
              + ": "
              + String.join("; ", problems));
    }
    return schema;
  }

  private static String knownDialects() {
    List<String> ids = new ArrayList<>();
    for (SpecificationVersion known : SpecificationVersion.values()) {
      ids.add(known.getDialectId());
    }
    return String.join(", ", ids);
  }

  /** The meta-schemas, loaded from the validator's own resources when first needed. */
  private static final class MetaSchemas {
    private static final Map<SpecificationVersion, Schema> LOADED = new ConcurrentHashMap<>();

    static Schema of(SpecificationVersion version) {
      return LOADED.computeIfAbsent(
          version, v -> JsonSchemas.REGISTRY.getSchema(SchemaLocation.of(v.getDialectId())));
    }
  }
}
