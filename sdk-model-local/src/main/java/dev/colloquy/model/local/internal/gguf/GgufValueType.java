package dev.colloquy.model.local.internal.gguf;

import java.util.Optional;

/** The types of GGUF metadata values, with their ids in the file. */
public enum GgufValueType {
  UINT8(0, 1),
  INT8(1, 1),
  UINT16(2, 2),
  INT16(3, 2),
  UINT32(4, 4),
  INT32(5, 4),
  FLOAT32(6, 4),
  BOOL(7, 1),
  /** A uint64 byte length, then UTF-8 bytes (no terminator). */
  STRING(8, 8),
  /** A uint32 element type, a uint64 element count, then the elements. */
  ARRAY(9, 12),
  UINT64(10, 8),
  INT64(11, 8),
  FLOAT64(12, 8);

  private final int id;
  private final int minimumBytes;

  GgufValueType(int id, int minimumBytes) {
    this.id = id;
    this.minimumBytes = minimumBytes;
  }

  /** Returns the id the file stores for this type. */
  public int id() {
    return id;
  }

  /** Returns the fewest bytes a value of this type takes in the file (an empty string: 8). */
  int minimumBytes() {
    return minimumBytes;
  }

  /** Returns whether this is one of the integer types. */
  public boolean isInteger() {
    return switch (this) {
      case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
      default -> false;
    };
  }

  /** Returns the type the file numbers {@code id}, if there is one. */
  public static Optional<GgufValueType> byId(long id) {
    for (GgufValueType type : values()) {
      if (type.id == id) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
