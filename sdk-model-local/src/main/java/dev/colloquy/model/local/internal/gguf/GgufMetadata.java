package dev.colloquy.model.local.internal.gguf;

import dev.colloquy.model.local.ModelLoadException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The key/value metadata of a GGUF file, in file order, with typed look-ups that fail naming the
 * file and the key when a value has the wrong type. Immutable.
 */
public final class GgufMetadata {

  private final Path file;
  private final Map<String, GgufValue> values;

  GgufMetadata(Path file, Map<String, GgufValue> values) {
    this.file = file;
    this.values = Collections.unmodifiableMap(values);
  }

  /** Returns every key and value, in file order. */
  public Map<String, GgufValue> asMap() {
    return values;
  }

  /** Returns the value of {@code key}, if the file has it. */
  public Optional<GgufValue> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** Returns a STRING value. */
  public Optional<String> string(String key) {
    return typed(key, GgufValueType.STRING, "a string").map(String.class::cast);
  }

  /** Returns a BOOL value. */
  public Optional<Boolean> bool(String key) {
    return typed(key, GgufValueType.BOOL, "a bool").map(Boolean.class::cast);
  }

  /**
   * Returns a value of any integer type.
   *
   * @throws ModelLoadException if it is not an integer or a UINT64 beyond {@link Long#MAX_VALUE}
   */
  public OptionalLong integer(String key) {
    GgufValue value = values.get(key);
    if (value == null) {
      return OptionalLong.empty();
    }
    if (!value.type().isInteger()) {
      throw wrongType(key, value, "an integer");
    }
    long number = (Long) value.value();
    if (value.type() == GgufValueType.UINT64 && number < 0) {
      throw fail(key, "is " + Long.toUnsignedString(number) + ", too large");
    }
    return OptionalLong.of(number);
  }

  /**
   * Returns a value of any integer type that must be an index: 0 to {@link Integer#MAX_VALUE}.
   *
   * @throws ModelLoadException if it is not an integer or out of that range
   */
  public OptionalInt index(String key) {
    OptionalLong value = integer(key);
    if (value.isPresent() && (value.getAsLong() < 0 || value.getAsLong() > Integer.MAX_VALUE)) {
      throw fail(key, "is " + value.getAsLong() + ", not an index (0 to 2^31 - 1)");
    }
    return value.isPresent() ? OptionalInt.of((int) value.getAsLong()) : OptionalInt.empty();
  }

  /** Returns a value of any numeric type (integer or float) as a double. */
  public OptionalDouble number(String key) {
    GgufValue value = values.get(key);
    if (value == null) {
      return OptionalDouble.empty();
    }
    return switch (value.type()) {
      case FLOAT32 -> OptionalDouble.of((Float) value.value());
      case FLOAT64 -> OptionalDouble.of((Double) value.value());
      default -> OptionalDouble.of(integer(key).orElseThrow());
    };
  }

  /** Returns an array value of any element type. */
  public Optional<GgufValue.Array> array(String key) {
    return typed(key, GgufValueType.ARRAY, "an array").map(GgufValue.Array.class::cast);
  }

  /** Returns an array of strings (tokenizer tokens, merges). */
  public Optional<List<String>> strings(String key) {
    return array(key, GgufValueType.STRING).map(array -> List.of((String[]) array.elements()));
  }

  /** Returns an array of FLOAT32 (tokenizer scores), copied. */
  public Optional<float[]> floats(String key) {
    return array(key, GgufValueType.FLOAT32).map(array -> ((float[]) array.elements()).clone());
  }

  /** Returns an array of any integer type (token types), copied. */
  public Optional<long[]> integers(String key) {
    Optional<GgufValue.Array> array = array(key);
    if (array.isPresent() && !array.get().elementType().isInteger()) {
      throw fail(key, "is an array of " + array.get().elementType() + ", expected integers");
    }
    return array.map(found -> ((long[]) found.elements()).clone());
  }

  private Optional<GgufValue.Array> array(String key, GgufValueType elementType) {
    Optional<GgufValue.Array> array = array(key);
    if (array.isPresent() && array.get().elementType() != elementType) {
      throw fail(key, "is an array of " + array.get().elementType() + ", expected " + elementType);
    }
    return array;
  }

  private Optional<Object> typed(String key, GgufValueType type, String expected) {
    GgufValue value = values.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (value.type() != type) {
      throw wrongType(key, value, expected);
    }
    return Optional.of(value.value());
  }

  private ModelLoadException wrongType(String key, GgufValue value, String expected) {
    return fail(key, "is of type " + value.type() + ", expected " + expected);
  }

  private ModelLoadException fail(String key, String problem) {
    return new ModelLoadException("GGUF file " + file + ": metadata key '" + key + "' " + problem);
  }
}
