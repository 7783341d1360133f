package dev.colloquy.core.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.core.Cancellation;
import dev.colloquy.core.model.JsonSchema;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ToolDefinitionTest {

  enum Speed {
    STANDARD,
    EXPRESS
  }

  record Address(String street, String city, Optional<String> zip) {}

  public static class ShopTools {
    @Tool(description = "Status of an order")
    public String orderStatus(
        @ToolParam(name = "orderId", description = "the order number") int orderId) {
      return "order " + orderId + " shipped";
    }

    @Tool(name = "ship", description = "Ships items", requiresApproval = true)
    public Map<String, Object> shipItems(
        @ToolParam(name = "items") List<String> items,
        @ToolParam(name = "speed") Speed speed,
        @ToolParam(name = "address") Address address,
        @ToolParam(name = "note") Optional<String> note,
        @ToolParam(name = "labels") Map<String, Integer> labels,
        ToolContext context) {
      return Map.of(
          "items",
          items.size(),
          "speed",
          speed.name(),
          "city",
          address.city(),
          "note",
          note.orElse("none"),
          "conversation",
          context.conversationId());
    }
  }

  private static ToolDefinition tool(String name) {
    return ToolDefinition.fromAnnotated(new ShopTools()).stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void describesPrimitivesWithTheirParameterDescription() {
    JsonSchema schema = tool("orderStatus").specification().parameters();

    assertThat(schema.toJson())
        .isEqualTo(
            "{\"type\":\"object\",\"properties\":{\"orderId\":{\"type\":\"integer\","
                + "\"description\":\"the order number\"}},\"required\":[\"orderId\"],\"additionalProperties\":false}");
    assertThat(tool("orderStatus").specification().description()).isEqualTo("Status of an order");
  }

  @Test
  void describesListsEnumsRecordsMapsAndOptionals() throws Exception {
    JsonSchema schema = tool("ship").specification().parameters();
    JsonNode properties = new ObjectMapper().readTree(schema.toJson()).get("properties");

    assertThat(properties.get("items").toString())
        .isEqualTo("{\"type\":\"array\",\"items\":{\"type\":\"string\"}}");
    assertThat(properties.get("speed").get("enum").toString())
        .isEqualTo("[\"STANDARD\",\"EXPRESS\"]");
    assertThat(properties.get("address").get("required").toString())
        .isEqualTo("[\"city\",\"street\"]");
    assertThat(properties.get("address").get("additionalProperties").asBoolean()).isFalse();
    assertThat(properties.get("labels").get("additionalProperties").get("type").asText())
        .isEqualTo("integer");
    assertThat(schema.required()).containsExactly("items", "speed", "address", "labels");
    assertThat(schema.propertyNames())
        .containsExactly("items", "speed", "address", "note", "labels");
    assertThat(tool("ship").requiresApproval()).isTrue();
  }

  @Test
  void runsTheMethodWithConvertedArgumentsAndWritesJson() {
    ToolContext context = new ToolContext("c-9", "call-1", Cancellation.none());

    String result =
        tool("ship")
            .invoke(
                "{\"items\":[\"a\",\"b\"],\"speed\":\"EXPRESS\","
                    + "\"address\":{\"street\":\"Main 1\",\"city\":\"Oslo\"},\"labels\":{}}",
                context);

    assertThat(result)
        .contains(
            "\"items\":2",
            "\"speed\":\"EXPRESS\"",
            "\"city\":\"Oslo\"",
            "\"note\":\"none\"",
            "\"conversation\":\"c-9\"");
  }

  @Test
  void reportsEachKindOfBadArgument() {
    ToolDefinition status = tool("orderStatus");
    ToolDefinition ship = tool("ship");

    assertThat(status.validate("{}")).containsExactly("$: required property 'orderId' not found");
    assertThat(status.validate("{\"orderId\":\"12\"}"))
        .containsExactly("$.orderId: string found, integer expected");
    assertThat(status.validate("{\"orderId\":1,\"extra\":true}"))
        .containsExactly(
            "$: property 'extra' is not defined in the schema and the schema does not allow additional properties");
    assertThat(status.validate("{\"orderId\":"))
        .singleElement()
        .asString()
        .startsWith("the arguments are not valid JSON: ");
    assertThat(status.validate("[1]"))
        .containsExactly("the arguments must be a JSON object, got: [1]");
    assertThat(
            ship.validate(
                "{\"items\":[],\"speed\":\"SLOW\",\"address\":{\"street\":\"s\",\"city\":\"c\"},\"labels\":{}}"))
        .containsExactly(
            "$.speed: does not have a value in the enumeration [\"STANDARD\", \"EXPRESS\"]");
    assertThat(status.validate("{\"orderId\":1001}")).isEmpty();
  }

  @Test
  void problemsStayBoundedWhateverTheModelSends() {
    ToolDefinition ship = tool("ship");
    String longName = "n".repeat(10_000);

    assertThat(
            ship.validate(
                "{\"items\":[],\"speed\":\"EXPRESS\",\"labels\":{},\"address\":{\"street\":\"s\","
                    + "\"city\":\"c\",\"a\":1,\"b\":2},\"x\":1,\""
                    + longName
                    + "\":2}"))
        .containsExactly(
            "$.address: properties 'a', 'b' are not defined in the schema and the schema does not allow additional properties",
            "$: properties 'x', '"
                + "n".repeat(64)
                + "…' are not defined in the schema and the schema does not allow"
                + " additional properties");
    StringBuilder manyWrongLabels =
        new StringBuilder(
            "{\"items\":[],\"speed\":\"EXPRESS\",\"address\":{\"street\":\"s\","
                + "\"city\":\"c\"},\"labels\":{");
    for (int i = 0; i < 50; i++) {
      manyWrongLabels
          .append(i == 0 ? "" : ",")
          .append("\"l")
          .append(i)
          .append("\":\"not a number\"");
    }
    List<String> problems = ship.validate(manyWrongLabels.append("}}").toString());
    assertThat(problems)
        .hasSize(11)
        .startsWith("$.labels.l0: string found, integer expected")
        .endsWith("and 40 more problems");
    assertThat(tool("orderStatus").validate("[" + "1,".repeat(10_000) + "1]"))
        .singleElement()
        .asString()
        .hasSizeLessThan(200)
        .startsWith("the arguments must be a JSON object, got: [1,1,1,")
        .endsWith("…");
  }

  @Test
  void argumentsThatCouldBeReadTwoWaysAreRejected() {
    ToolDefinition status = tool("orderStatus");
    ToolDefinition pay =
        ToolDefinition.builder("pay")
            .parameters(Payment.class)
            .handler((arguments, context) -> "paid")
            .build();

    assertThat(status.validate("{\"orderId\":1,\"orderId\":2}"))
        .singleElement()
        .asString()
        .startsWith("the arguments are not valid JSON: ")
        .contains("Duplicate")
        .contains("'orderId'");
    assertThat(pay.validate("{\"orderId\":1,\"amount\":{\"value\":1,\"value\":2}}"))
        .singleElement()
        .asString()
        .startsWith("the arguments are not valid JSON: ")
        .contains("'value'");
    assertThat(status.validate("{\"orderId\":1} {\"orderId\":2}"))
        .containsExactly(
            "the arguments must be one JSON object; more text follows it at line 1, column 15");
    assertThat(status.validate("{\"orderId\":1}\n[2]"))
        .containsExactly(
            "the arguments must be one JSON object; more text follows it at line 2, column 1");
    assertThat(status.validate("{\"orderId\":1}x"))
        .singleElement()
        .asString()
        .startsWith("the arguments are not valid JSON: ");
    assertThat(pay.validate("{\"orderId\":1,\"amount\":{\"value\":1e400}}"))
        .containsExactly("$.amount.value: the number is beyond the range of a double");
    assertThat(pay.validate("{\"orderId\":1,\"amount\":{\"value\":-1E+309}}"))
        .containsExactly("$.amount.value: the number is beyond the range of a double");
    assertThat(pay.validate("{\"orderId\":1,\"amount\":{\"value\":1e300}}  \n")).isEmpty();
    assertThat(status.validate(" ")).containsExactly("$: required property 'orderId' not found");
    assertThatThrownBy(
            () ->
                status.invoke(
                    "{\"orderId\":1,\"orderId\":2}",
                    new ToolContext("c", "1", Cancellation.none())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tool 'orderStatus': the arguments are not valid JSON: ");
    assertThat(ToolDefinition.parseArguments("{\"orderId\":1}").text("orderId")).contains("1");
  }

  record Amount(double value) {}

  record Payment(int orderId, Amount amount) {}

  @Test
  void programmaticToolsTakeASchemaFromAType() {
    ToolDefinition tool =
        ToolDefinition.builder("lookupAddress")
            .description("Finds an address")
            .parameters(Address.class)
            .handler((arguments, context) -> arguments.as(Address.class).city().toUpperCase())
            .build();

    assertThat(tool.validate("{\"street\":\"s\"}"))
        .containsExactly("$: required property 'city' not found");
    assertThat(
            tool.invoke(
                "{\"street\":\"s\",\"city\":\"oslo\"}",
                new ToolContext("c", "1", Cancellation.none())))
        .isEqualTo("OSLO");
  }

  @Test
  void rejectsObjectsWithoutToolsAndToolsWithoutHandlers() {
    assertThatThrownBy(() -> ToolDefinition.fromAnnotated("not tools"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "java.lang.String has no public method annotated @Tool (tool methods must be public and not static)");
    assertThatThrownBy(() -> ToolDefinition.builder("x").build())
        .hasMessage("tool 'x' needs a handler");
  }

  @Test
  void allowListMustNameAddedTools() {
    assertThatThrownBy(
            () -> Toolbox.builder().add(new ShopTools()).allow("orderStatus", "refund").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "the allow-list names tools that were not added: [refund]; tools: [orderStatus, ship]");
  }
}
