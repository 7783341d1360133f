package dev.colloquy.model.local.internal.gguf;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One GGUF metadata value with its type. The Java value is a {@link Long} for every integer type
 * (unsigned types zero-extended; a UINT64 above {@link Long#MAX_VALUE} keeps its bits), a {@link
 * Float}, a {@link Double}, a {@link Boolean}, a {@link String}, or an {@link Array}.
 *
 * @param type the type the file stores
 * @param value the Java value, as above
 */
public record GgufValue(GgufValueType type, Object value) {

  public GgufValue {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
    Class<?> expected =
        switch (type) {
          case FLOAT32 -> Float.class;
          case FLOAT64 -> Double.class;
          case BOOL -> Boolean.class;
          case STRING -> String.class;
          case ARRAY -> Array.class;
          default -> Long.class;
        };
    if (!expected.isInstance(value)) {
      throw new IllegalArgumentException(
          type + " value must be a " + expected.getSimpleName() + ", got " + value.getClass());
    }
  }

  /** Returns a value of an integer type. */
  public static GgufValue integer(GgufValueType type, long value) {
    if (!type.isInteger()) {
      throw new IllegalArgumentException(type + " is not an integer type");
    }
    return new GgufValue(type, value);
  }

  /** Returns a STRING value. */
  public static GgufValue string(String value) {
    return new GgufValue(GgufValueType.STRING, value);
  }

  /** Returns an ARRAY value. */
  public static GgufValue array(Array array) {
    return new GgufValue(GgufValueType.ARRAY, array);
  }

  /**
   * A GGUF array: all elements of one type. {@code elements} is a {@code long[]} for the integer
   * types, {@code float[]}, {@code double[]}, {@code boolean[]}, a {@code String[]}, or an {@code
   * Array[]} for nested arrays. It is not copied: treat it as read-only.
   *
   * @param elementType the type of every element
   * @param elements the elements, as above
   */
  public record Array(GgufValueType elementType, Object elements) {

    public Array {
      Objects.requireNonNull(elementType, "elementType");
      Objects.requireNonNull(elements, "elements");
      Class<?> expected =
          switch (elementType) {
            case FLOAT32 -> float[].class;
            case FLOAT64 -> double[].class;
            case BOOL -> boolean[].class;
            case STRING -> String[].class;
            case ARRAY -> Array[].class;
            default -> long[].class;
          };
      if (!expected.isInstance(elements)) {
        throw new IllegalArgumentException(
            elementType + " elements must be a " + expected.getSimpleName());
      }
    }

    /** Returns an array of strings. */
    public static Array ofStrings(List<String> strings) {
      return new Array(GgufValueType.STRING, strings.toArray(String[]::new));
    }

    /** Returns the number of elements. */
    public int length() {
      return java.lang.reflect.Array.getLength(elements);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Array array
          && elementType == array.elementType
          && Objects.deepEquals(new Object[] {elements}, new Object[] {array.elements});
    }

    @Override
    public int hashCode() {
      return 31 * elementType.hashCode() + Arrays.deepHashCode(new Object[] {elements});
    }

    @Override
    public String toString() {
      return elementType + Arrays.deepToString(new Object[] {elements});
    }
  }
}
