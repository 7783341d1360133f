package dev.colloquy.core.model;

import dev.colloquy.core.NonRetryableException;

/** A JSON Schema that cannot be used: not JSON, not one JSON object, or not a valid schema. */
public class JsonSchemaException extends NonRetryableException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what is wrong and where (line and column, or the JSON path in the schema)
   */
  public JsonSchemaException(String message) {
    super(message);
  }

  /**
   * @param message what is wrong and where (line and column, or the JSON path in the schema)
   * @param cause the underlying failure, or {@code null} when there is none
   */
  public JsonSchemaException(String message, Throwable cause) {
    super(message, cause);
  }
}
