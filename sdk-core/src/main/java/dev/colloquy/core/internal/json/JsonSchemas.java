package dev.colloquy.core.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.colloquy.core.model.JsonSchema;
import dev.colloquy.core.tool.ToolArguments;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * JSON Schema generation from Java types (victools) and validation of JSON against a schema
 * (networknt), configured once for tools and structured output. Thread-safe.
 */
public final class JsonSchemas {

  // Reads back the text of Colloquy's own JSON values, for MAPPER's serializers.
  private static final ObjectMapper PLAIN = new ObjectMapper();

  /**
   * The mapper used for tool arguments and structured output: strict about unknown fields; writes a
   * {@link JsonSchema} or {@link ToolArguments} as the JSON it holds.
   */
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new Jdk8Module())
          .registerModule(
              new SimpleModule("colloquy-values")
                  .addSerializer(asJson(JsonSchema.class, JsonSchema::toJson))
                  .addSerializer(asJson(ToolArguments.class, ToolArguments::toJson)))
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  static {
    // A model that sends "12" for an int gets told, rather than silently coerced.
    MAPPER
        .coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    MAPPER
        .coercionConfigFor(LogicalType.Float)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    MAPPER
        .coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
  }

  private static final SchemaGenerator GENERATOR = generator();

  private static <T> StdSerializer<T> asJson(Class<T> type, Function<T, String> json) {
    return new StdSerializer<>(type) {
      private static final long serialVersionUID = 1L;

      @Override
      public void serialize(T value, JsonGenerator generator, SerializerProvider provider)
          throws IOException {
        generator.writeTree(PLAIN.readTree(json.apply(value)));
      }
    };
  }

  static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  private JsonSchemas() {}

  private static SchemaGenerator generator() {
    SchemaGeneratorConfigBuilder config =
        new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
            .with(
                Option.FLATTENED_OPTIONALS,
                Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT,
                Option.INLINE_ALL_SCHEMAS,
                Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES)
            .without(Option.SCHEMA_VERSION_INDICATOR);
    // Record components are required unless Optional: the model must send what the code needs.
    config.forFields().withRequiredCheck(field -> !field.getType().isInstanceOf(Optional.class));
    return new SchemaGenerator(config.build());
  }

  /**
   * Returns the JSON Schema of a Java type.
   *
   * @throws IllegalArgumentException for types that cannot be described, such as recursive ones
   */
  public static ObjectNode schemaOf(Type type) {
    try {
      return GENERATOR.generateSchema(type);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot describe " + type.getTypeName() + " as a JSON Schema: " + e.getMessage(), e);
    }
  }

  /**
   * Parses tool arguments strictly: one JSON object and nothing after it, no name twice in an
   * object, no number beyond a double's range. Jackson's defaults would let the last of two
   * duplicate names win, ignore trailing text and read {@code 1e400} as infinity, so a reader that
   * takes the first name (an approval screen) could show another call than the one that runs. Blank
   * text is the empty object.
   *
   * @throws IllegalArgumentException naming the problem, in a sentence for the model
   */
  public static ObjectNode parseArguments(String json) {
    if (json.isBlank()) {
      return MAPPER.createObjectNode();
    }
    return StrictJson.object(json, "the arguments are", "the arguments must");
  }

  /** Returns the JSON Schema value of a tree this module built, such as a generated schema. */
  public static JsonSchema toSchema(ObjectNode schema) {
    return JsonSchema.parse(schema.toString());
  }

  /** Returns the tree of a schema, a fresh copy for the caller. */
  public static ObjectNode tree(JsonSchema schema) {
    try {
      return (ObjectNode) MAPPER.readTree(schema.toJson());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JsonSchema holds text it wrote itself", e);
    }
  }

  /** Compiles a schema for repeated validation. */
  public static Schema compile(JsonNode schema) {
    return REGISTRY.getSchema(schema);
  }

  /** Compiles a schema for repeated validation. */
  public static Schema compile(JsonSchema schema) {
    return REGISTRY.getSchema(tree(schema));
  }

  /**
   * Returns one line per violation of the schema, empty when the value fits. Bounded whatever the
   * value: unknown properties of one object share a line naming the first {@value #NAMES_SHOWN}
   * ("and N more"), at most {@value #LINES_SHOWN} lines are returned (the last says how many were
   * left out), and long names are shortened.
   */
  public static List<String> violations(Schema schema, JsonNode value) {
    List<Error> errors = schema.validate(value);
    // One entry per line, in order of first appearance; an object's unknown names are all known at
    // the end.
    Map<String, List<String>> unknownByPath = new HashMap<>();
    List<Supplier<String>> entries = new ArrayList<>();
    for (Error error : errors) {
      String path = jsonPath(error.getInstanceLocation().toString());
      if ("additionalProperties".equals(error.getKeyword()) && error.getProperty() != null) {
        List<String> names = unknownByPath.get(path);
        if (names == null) {
          List<String> created = new ArrayList<>();
          unknownByPath.put(path, created);
          entries.add(() -> unknownLine(path, created));
          names = created;
        }
        names.add(error.getProperty());
      } else {
        String line = path + ": " + shorten(error.getMessage(), MAX_MESSAGE_CHARS);
        entries.add(() -> line);
      }
    }
    List<String> lines = new ArrayList<>();
    for (Supplier<String> entry : entries) {
      if (lines.size() == LINES_SHOWN) {
        lines.add("and " + (entries.size() - LINES_SHOWN) + " more problems");
        break;
      }
      lines.add(entry.get());
    }
    return lines;
  }

  private static final int NAMES_SHOWN = 5;
  private static final int LINES_SHOWN = 10;
  static final int MAX_NAME_CHARS = 64;
  private static final int MAX_MESSAGE_CHARS = 500;

  private static String unknownLine(String path, List<String> names) {
    if (names.size() == 1) {
      return path
          + ": property '"
          + shorten(names.get(0), MAX_NAME_CHARS)
          + "' is not defined in the schema and the schema does not allow additional properties";
    }
    StringBuilder line = new StringBuilder(path).append(": properties ");
    int shown = Math.min(NAMES_SHOWN, names.size());
    for (int i = 0; i < shown; i++) {
      line.append(i == 0 ? "" : ", ")
          .append('\'')
          .append(shorten(names.get(i), MAX_NAME_CHARS))
          .append('\'');
    }
    if (names.size() > shown) {
      line.append(" and ").append(names.size() - shown).append(" more");
    }
    return line.append(
            " are not defined in the schema and the schema does not allow additional properties")
        .toString();
  }

  /** Returns the text, or its first {@code max} characters and an ellipsis. */
  public static String shorten(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
    return text.substring(0, end) + "…";
  }

  // "/items/0/name" (a JSON pointer) becomes "$.items[0].name", the form people read in errors.
  private static String jsonPath(String pointer) {
    StringBuilder path = new StringBuilder("$");
    for (String segment : pointer.split("/")) {
      if (segment.isEmpty()) {
        continue;
      }
      String name = shorten(segment.replace("~1", "/").replace("~0", "~"), MAX_NAME_CHARS);
      if (name.chars().allMatch(Character::isDigit)) {
        path.append('[').append(name).append(']');
      } else {
        path.append('.').append(name);
      }
    }
    return path.toString();
  }
}
