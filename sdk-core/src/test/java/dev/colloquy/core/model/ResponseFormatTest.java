package dev.colloquy.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ResponseFormatTest {

  private final JsonSchema schema = JsonSchema.parse("{\"type\": \"object\"}");

  @Test
  void aJsonSchemaIsStrictOnlyWhenAskedAndStrictnessTakesPartInEquality() {
    ResponseFormat loose = ResponseFormat.jsonSchema("answer", schema);
    ResponseFormat strict = ResponseFormat.strictJsonSchema("answer", schema);

    assertThat(((ResponseFormat.JsonSchema) loose).strict()).isFalse();
    assertThat(((ResponseFormat.JsonSchema) strict).strict()).isTrue();
    assertThat(strict)
        .isNotEqualTo(loose)
        .isEqualTo(ResponseFormat.strictJsonSchema("answer", schema));
    assertThat(new ResponseFormat.JsonSchema("answer", schema)).isEqualTo(loose);
    assertThat(((ResponseFormat.JsonSchema) loose).schema()).isSameAs(schema);
    assertThatThrownBy(() -> ResponseFormat.strictJsonSchema("no spaces", schema))
        .hasMessageContaining("invalid schema name");
  }
}
