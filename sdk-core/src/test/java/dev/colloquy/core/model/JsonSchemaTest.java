package dev.colloquy.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.NonRetryableException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonSchemaTest {

  private static final String CITY =
      """
      {
        "type": "object",
        "properties": {
          "city": {"type": "string", "description": "where"},
          "days": {"type": "integer", "minimum": 1}
        },
        "required": ["city"],
        "additionalProperties": false
      }
      """;

  @Test
  void writesTheSchemaAsCompactJsonWithItsMembersInTheOrderWritten() {
    assertThat(JsonSchema.parse(CITY).toJson())
        .isEqualTo(
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\","
                + "\"description\":\"where\"},\"days\":{\"type\":\"integer\",\"minimum\":1}},"
                + "\"required\":[\"city\"],\"additionalProperties\":false}");
  }

  @Test
  void readsBackWhatItWrites() {
    JsonSchema schema = JsonSchema.parse(CITY);
    JsonSchema again = JsonSchema.parse(schema.toJson());

    assertThat(again).isEqualTo(schema).hasSameHashCodeAs(schema);
    assertThat(again.toJson()).isEqualTo(schema.toJson());
  }

  @Test
  void writesNumbersAndEscapesInOneForm() {
    JsonSchema schema =
        JsonSchema.parse("{\"maximum\": 1.50, \"minimum\": 1E2, \"title\": \"caf\\u00e9 \\/\"}");

    assertThat(schema.toJson())
        .isEqualTo("{\"maximum\":1.5,\"minimum\":100.0,\"title\":\"café /\"}");
    assertThat(schema)
        .isEqualTo(JsonSchema.parse("{\"maximum\":1.5,\"minimum\":100.0,\"title\":\"café /\"}"));
  }

  @Test
  void schemasAreEqualWhenTheyHoldTheSameJsonValueWhateverTheOrderOfTheirMembers() {
    JsonSchema schema = JsonSchema.parse("{\"type\":\"object\",\"required\":[\"a\",\"b\"]}");
    JsonSchema reordered =
        JsonSchema.parse("{ \"required\": [\"a\", \"b\"], \"type\": \"object\" }");
    JsonSchema otherArrayOrder =
        JsonSchema.parse("{\"type\":\"object\",\"required\":[\"b\",\"a\"]}");

    assertThat(reordered).isEqualTo(schema).hasSameHashCodeAs(schema);
    assertThat(reordered.toJson()).isEqualTo("{\"required\":[\"a\",\"b\"],\"type\":\"object\"}");
    assertThat(otherArrayOrder).isNotEqualTo(schema);
    assertThat(schema).isNotEqualTo(schema.toJson()).isNotEqualTo(null);
  }

  @Test
  void namesItsPropertiesAndRequiredOnesInOrder() {
    JsonSchema schema = JsonSchema.parse(CITY);

    assertThat(schema.propertyNames()).containsExactly("city", "days");
    assertThat(schema.required()).containsExactly("city");
    assertThat(JsonSchema.parse("{\"type\":\"string\"}").propertyNames()).isEmpty();
    assertThat(JsonSchema.parse("{\"type\":\"string\"}").required()).isEmpty();
  }

  @Test
  void isImmutable() {
    JsonSchema schema = JsonSchema.parse(CITY);
    String before = schema.toJson();

    assertThatThrownBy(() -> schema.propertyNames().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> schema.required().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(schema.toJson()).isEqualTo(before);
    assertThat(schema.propertyNames()).containsExactly("city", "days");
    assertThat(Modifier.isFinal(JsonSchema.class.getModifiers())).isTrue();
    for (Field field : JsonSchema.class.getDeclaredFields()) {
      assertThat(Modifier.isFinal(field.getModifiers())).as(field.getName()).isTrue();
    }
  }

  @Test
  void showsItsJsonWhenPrinted() {
    JsonSchema schema = JsonSchema.parse("{ \"type\" : \"object\" }");

    assertThat(schema).hasToString("{\"type\":\"object\"}");
  }

  @Test
  void saysWhereTextStopsBeingJson() {
    assertThatThrownBy(() -> JsonSchema.parse("{\"type\":\n  \"object\",}"))
        .isInstanceOf(JsonSchemaException.class)
        .isInstanceOf(NonRetryableException.class)
        .hasMessageStartingWith("the JSON Schema is not valid JSON: ")
        .hasMessageEndingWith("at line 2, column 12");
  }

  @Test
  void rejectsTextThatIsNotOneJsonObject() {
    assertThatThrownBy(() -> JsonSchema.parse("[{\"type\":\"object\"}]"))
        .isInstanceOf(JsonSchemaException.class)
        .hasMessage("the JSON Schema must be a JSON object, got: [{\"type\":\"object\"}]");
    assertThatThrownBy(() -> JsonSchema.parse("true"))
        .isInstanceOf(JsonSchemaException.class)
        .hasMessage("the JSON Schema must be a JSON object, got: true");
    assertThatThrownBy(() -> JsonSchema.parse("{\"type\":\"object\"} {}"))
        .isInstanceOf(JsonSchemaException.class)
        .hasMessage(
            "the JSON Schema must be one JSON object; more text follows it at line 1, column 19");
    assertThatThrownBy(() -> JsonSchema.parse(" \n"))
        .isInstanceOf(JsonSchemaException.class)
        .hasMessageStartingWith("the JSON Schema is empty");
  }

  @Test
  void rejectsTextThatCouldBeReadTwoWays() {
    assertThatThrownBy(() -> JsonSchema.parse("{\"type\":\"object\",\"type\":\"string\"}"))
        .isInstanceOf(JsonSchemaException.class)
        .hasMessageStartingWith("the JSON Schema is not valid JSON: ")
        .hasMessageContaining("'type'");
    assertThatThrownBy(() -> JsonSchema.parse("{\"properties\":{\"n\":{\"maximum\":1e400}}}"))
        .isInstanceOf(JsonSchemaException.class)
        .hasMessage("$.properties.n.maximum: the number is beyond the range of a double");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"type\": 5}|$.type",
        "{\"type\": \"objekt\"}|$.type",
        "{\"required\": \"city\"}|$.required",
        "{\"properties\": [\"city\"]}|$.properties",
        "{\"properties\": {\"city\": {\"minLength\": -1}}}|$.properties.city.minLength",
        "{\"additionalProperties\": \"no\"}|$.additionalProperties"
      })
  void rejectsAnObjectThatIsNotASchemaNamingWhere(String caseAndPath) {
    String[] parts = caseAndPath.split("\\|");

    assertThatThrownBy(() -> JsonSchema.parse(parts[0]))
        .isInstanceOf(JsonSchemaException.class)
        .hasMessageStartingWith(
            "the JSON Schema does not fit the meta-schema of"
                + " https://json-schema.org/draft/2020-12/schema: ")
        .hasMessageContaining(parts[1] + ": ");
  }

  @Test
  void readsAnotherKnownDraftByItsOwnMetaSchemaAndRejectsAnUnknownOne() {
    JsonSchema draft7 =
        JsonSchema.parse(
            "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\"}");

    assertThat(draft7.toJson()).contains("draft-07");
    assertThatThrownBy(
            () ->
                JsonSchema.parse(
                    "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":7}"))
        .isInstanceOf(JsonSchemaException.class)
        .hasMessageContaining("draft-07")
        .hasMessageContaining("$.type: ");
    assertThatThrownBy(() -> JsonSchema.parse("{\"$schema\":\"https://example.com/mine\"}"))
        .isInstanceOf(JsonSchemaException.class)
        .hasMessageStartingWith("$.$schema: unknown dialect \"https://example.com/mine\"");
  }

  @Test
  void acceptsEveryKindOfValidSchema() {
    assertThat(JsonSchema.parse("{}").toJson()).isEqualTo("{}");
    assertThat(
            JsonSchema.parse(
                    "{\"$defs\":{\"n\":{\"type\":\"number\"}},\"type\":[\"object\",\"null\"],"
                        + "\"properties\":{\"a\":{\"$ref\":\"#/$defs/n\"}},"
                        + "\"anyOf\":[{\"required\":[\"a\"]},{\"type\":\"null\"}]}")
                .propertyNames())
        .containsExactly("a");
  }

  // ---- seeded properties ----

  static LongStream seeds() {
    // Consecutive seeds start java.util.Random alike: draw the seeds from one seeded generator.
    return new Random(20270115).longs(300);
  }

  private static final List<String> PIECES =
      List.of(
          "{",
          "}",
          "[",
          "]",
          ":",
          ",",
          " ",
          "\n",
          "\"type\"",
          "\"object\"",
          "\"string\"",
          "\"properties\"",
          "\"required\"",
          "\"items\"",
          "\"minimum\"",
          "\"$ref\"",
          "\"#/x\"",
          "\"$schema\"",
          "\"a\"",
          "1",
          "-0.5",
          "1e400",
          "true",
          "null",
          "\"",
          "\\",
          "\\u12",
          "é",
          "\uD83D",
          "/*",
          "'");

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void anyTextEitherParsesAndRoundTripsOrFailsWithAJsonSchemaException(long seed) {
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder(random.nextBoolean() ? "{" : "");
    for (int i = random.nextInt(30); i > 0; i--) {
      text.append(PIECES.get(random.nextInt(PIECES.size())));
    }
    JsonSchema schema;
    try {
      schema = JsonSchema.parse(text.toString());
    } catch (JsonSchemaException e) {
      assertThat(e.getMessage()).as("seed %d: %s", seed, text).isNotBlank();
      return;
    }
    assertThat(JsonSchema.parse(schema.toJson())).as("seed %d: %s", seed, text).isEqualTo(schema);
  }
}
