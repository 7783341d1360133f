package dev.colloquy.core.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.model.JsonSchema;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ToolArgumentsTest {

  record Forecast(String city, int days, Optional<String> unit) {}

  private final ToolArguments arguments =
      ToolDefinition.parseArguments(
          "{\"city\": \"Lyon\", \"days\": 3, \"tags\": [\"a\", 1], \"unit\": null}");

  @Test
  void namesTheArgumentsInTheOrderTheModelWroteThem() {
    assertThat(arguments.names()).containsExactly("city", "days", "tags", "unit");
    assertThat(ToolDefinition.parseArguments(" ").names()).isEmpty();
  }

  @Test
  void readsOneArgumentAsText() {
    assertThat(arguments.text("city")).contains("Lyon");
    assertThat(arguments.text("days")).contains("3");
    assertThat(arguments.text("tags")).contains("[\"a\",1]");
    assertThat(arguments.text("unit")).isEmpty();
    assertThat(arguments.text("missing")).isEmpty();
  }

  @Test
  void mapsTheArgumentsOntoARecordStrictly() {
    ToolArguments forecast = ToolDefinition.parseArguments("{\"city\":\"Lyon\",\"days\":3}");

    assertThat(forecast.as(Forecast.class)).isEqualTo(new Forecast("Lyon", 3, Optional.empty()));
    assertThatThrownBy(() -> arguments.as(Forecast.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("arguments do not fit Forecast: ")
        .hasMessageContaining("tags");
    assertThatThrownBy(
            () ->
                ToolDefinition.parseArguments("{\"city\":\"Lyon\",\"days\":\"3\"}")
                    .as(Forecast.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("arguments do not fit Forecast: ");
  }

  @Test
  void writesCompactJsonAndComparesAsJsonValues() {
    ToolArguments reordered =
        ToolDefinition.parseArguments(
            "{\"unit\":null,\"tags\":[\"a\",1],\"days\":3,\"city\":\"Lyon\"}");

    assertThat(arguments.toJson())
        .isEqualTo("{\"city\":\"Lyon\",\"days\":3,\"tags\":[\"a\",1],\"unit\":null}");
    assertThat(arguments).hasToString(arguments.toJson());
    assertThat(reordered).isEqualTo(arguments).hasSameHashCodeAs(arguments);
    assertThat(ToolDefinition.parseArguments(arguments.toJson())).isEqualTo(arguments);
    assertThat(ToolDefinition.parseArguments("{\"tags\":[1,\"a\"]}"))
        .isNotEqualTo(ToolDefinition.parseArguments("{\"tags\":[\"a\",1]}"));
  }

  @Test
  void isImmutable() {
    assertThatThrownBy(() -> arguments.names().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(arguments.names()).hasSize(4);
  }

  @Test
  void argumentsOrASchemaReturnedByAToolAreSentAsTheirJson() {
    ToolDefinition echo =
        ToolDefinition.builder("echo")
            .parameters(
                JsonSchema.parse(
                    "{\"type\":\"object\",\"properties\":{\"word\":{\"type\":\"string\"}}}"))
            .handler((args, context) -> List.of(args, context.callId()))
            .build();
    ToolDefinition describe =
        ToolDefinition.builder("describe")
            .handler((args, context) -> echo.specification().parameters())
            .build();
    ToolContext context = new ToolContext("c", "call-1", Cancellation.none());

    assertThat(echo.invoke("{\"word\": \"hi\"}", context))
        .isEqualTo("[{\"word\":\"hi\"},\"call-1\"]");
    assertThat(describe.invoke("", context))
        .isEqualTo("{\"type\":\"object\",\"properties\":{\"word\":{\"type\":\"string\"}}}");
  }
}
