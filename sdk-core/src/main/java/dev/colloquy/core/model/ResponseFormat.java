package dev.colloquy.core.model;

import java.util.Objects;
import java.util.regex.Pattern;

/** The shape the reply must take: free text, any JSON object, or JSON fitting a schema. */
public sealed interface ResponseFormat {

  /** Returns the free-text format (the default). */
  static ResponseFormat text() {
    return Text.INSTANCE;
  }

  /** Returns the format asking for any JSON object. */
  static ResponseFormat json() {
    return Json.INSTANCE;
  }

  /**
   * Returns the format asking for JSON that fits a schema.
   *
   * @param name a name for the schema: 1 to 64 of A-Z a-z 0-9 _ -
   * @param schema the JSON Schema
   */
  static ResponseFormat jsonSchema(String name, dev.colloquy.core.model.JsonSchema schema) {
    return new JsonSchema(name, schema, false);
  }

  /**
   * Returns the format asking for JSON that fits a schema exactly, with the backend's strict mode
   * on where it has one (OpenAI's {@code "strict": true}, which constrains decoding to the schema;
   * OpenAI then requires {@code additionalProperties: false} and every property listed in {@code
   * required}).
   *
   * @param name a name for the schema: 1 to 64 of A-Z a-z 0-9 _ -
   * @param schema the JSON Schema
   */
  static ResponseFormat strictJsonSchema(String name, dev.colloquy.core.model.JsonSchema schema) {
    return new JsonSchema(name, schema, true);
  }

  /** Free text. */
  enum Text implements ResponseFormat {
    /** The only instance. */
    INSTANCE
  }

  /** Any JSON object. */
  enum Json implements ResponseFormat {
    /** The only instance. */
    INSTANCE
  }

  /**
   * JSON that fits a schema: this record is the format, its {@link #schema()} the schema.
   *
   * @param name the schema's name
   * @param schema the JSON Schema
   * @param strict whether the backend is asked to enforce the schema strictly, where it can
   */
  record JsonSchema(String name, dev.colloquy.core.model.JsonSchema schema, boolean strict)
      implements ResponseFormat {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** Validates the name. */
    public JsonSchema {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(schema, "schema");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "invalid schema name '" + name + "': expected 1 to 64 of A-Z a-z 0-9 _ -");
      }
    }

    /** A format that is not strict. */
    public JsonSchema(String name, dev.colloquy.core.model.JsonSchema schema) {
      this(name, schema, false);
    }
  }
}
