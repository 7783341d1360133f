package dev.colloquy.model.local.internal.gguf;

/** Reads GGUF metadata values, nested arrays included, with caps checked before allocation. */
final class GgufValues {

  private GgufValues() {}

  /**
   * Reads one value of a known type.
   *
   * @param where the key, for messages
   * @param depth how many arrays enclose this value
   */
  static GgufValue read(GgufHeaderReader in, GgufValueType type, String where, int depth) {
    return switch (type) {
      case ARRAY -> GgufValue.array(readArray(in, where, depth));
      case STRING -> GgufValue.string(in.string(GgufFile.MAX_STRING_BYTES, where));
      case FLOAT32 -> new GgufValue(type, Float.intBitsToFloat(in.u32(where)));
      case FLOAT64 -> new GgufValue(type, Double.longBitsToDouble(in.u64(where)));
      case BOOL -> new GgufValue(type, readBool(in, where));
      default -> new GgufValue(type, readInteger(in, type, where));
    };
  }

  private static GgufValue.Array readArray(GgufHeaderReader in, String where, int depth) {
    if (depth >= GgufFile.MAX_ARRAY_DEPTH) {
      throw in.fail(
          where + " nests arrays deeper than the " + GgufFile.MAX_ARRAY_DEPTH + " levels read");
    }
    GgufValueType elementType =
        GgufFile.valueType(in, in.u32("the element type of " + where), where + "'s array");
    long length = in.u64("the array length of " + where);
    if (length < 0 || length > GgufFile.MAX_ARRAY_LENGTH) {
      throw in.fail(
          where
              + " declares an array of "
              + Long.toUnsignedString(length)
              + " elements, more than the "
              + GgufFile.MAX_ARRAY_LENGTH
              + " this loader accepts");
    }
    in.checkAvailable(length * elementType.minimumBytes(), where + "'s array of " + length);
    int count = (int) length;
    String element = where + "'s array element";
    return switch (elementType) {
      case FLOAT32 -> {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
          values[i] = Float.intBitsToFloat(in.u32(element));
        }
        yield new GgufValue.Array(elementType, values);
      }
      case FLOAT64 -> {
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
          values[i] = Double.longBitsToDouble(in.u64(element));
        }
        yield new GgufValue.Array(elementType, values);
      }
      case BOOL -> {
        boolean[] values = new boolean[count];
        for (int i = 0; i < count; i++) {
          values[i] = readBool(in, element);
        }
        yield new GgufValue.Array(elementType, values);
      }
      case STRING -> {
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
          values[i] = in.string(GgufFile.MAX_STRING_BYTES, where + "'s string " + i);
        }
        yield new GgufValue.Array(elementType, values);
      }
      case ARRAY -> {
        GgufValue.Array[] values = new GgufValue.Array[count];
        for (int i = 0; i < count; i++) {
          values[i] = readArray(in, where + "[" + i + "]", depth + 1);
        }
        yield new GgufValue.Array(elementType, values);
      }
      default -> {
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
          values[i] = readInteger(in, elementType, element);
        }
        yield new GgufValue.Array(elementType, values);
      }
    };
  }

  private static boolean readBool(GgufHeaderReader in, String where) {
    int value = in.u8(where);
    if (value > 1) {
      throw in.fail(where + " is a bool of value " + value + ", not 0 or 1");
    }
    return value == 1;
  }

  private static long readInteger(GgufHeaderReader in, GgufValueType type, String where) {
    return switch (type) {
      case UINT8 -> in.u8(where);
      case INT8 -> (byte) in.u8(where);
      case UINT16 -> in.u16(where) & 0xffffL;
      case INT16 -> in.u16(where);
      case UINT32 -> Integer.toUnsignedLong(in.u32(where));
      case INT32 -> in.u32(where);
      case UINT64, INT64 -> in.u64(where);
      default -> throw new IllegalArgumentException(type + " is not an integer type");
    };
  }
}
