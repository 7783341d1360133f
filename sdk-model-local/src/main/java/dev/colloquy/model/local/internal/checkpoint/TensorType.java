package dev.colloquy.model.local.internal.checkpoint;

import java.util.Optional;

/** The element types a safetensors header may name, with their sizes; only floats are loadable. */
public enum TensorType {
  F64(8, false),
  F32(4, true),
  F16(2, true),
  BF16(2, true),
  I64(8, false),
  I32(4, false),
  I16(2, false),
  I8(1, false),
  U8(1, false),
  BOOL(1, false);

  private final int bytes;
  private final boolean loadable;

  TensorType(int bytes, boolean loadable) {
    this.bytes = bytes;
    this.loadable = loadable;
  }

  /** Returns the size of one element in bytes. */
  public int bytes() {
    return bytes;
  }

  /** Returns whether weights of this type can be loaded (widened to F32). */
  public boolean loadable() {
    return loadable;
  }

  /** Returns the type the safetensors header calls {@code name}, if it is one we know. */
  public static Optional<TensorType> named(String name) {
    for (TensorType type : values()) {
      if (type.name().equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
