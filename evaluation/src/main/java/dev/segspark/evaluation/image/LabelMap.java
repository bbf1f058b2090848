package dev.segspark.evaluation.image;

/**
 * A single-channel label map (class ids, train ids or instance ids), row-major. Exactly one of
 * {@code bytes} (values 0..255) and {@code shorts} (values 0..65535, read unsigned) is set.
 */
public record LabelMap(int width, int height, byte[] bytes, short[] shorts) {
  public LabelMap {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "Cannot create label map: size must be positive (" + width + "x" + height + ")");
    }
    if ((bytes == null) == (shorts == null)) {
      throw new IllegalArgumentException("Cannot create label map: give either bytes or shorts");
    }
    int n = bytes != null ? bytes.length : shorts.length;
    if (n != width * height) {
      throw new IllegalArgumentException(
          "Cannot create label map: " + n + " values for " + width + "x" + height);
    }
  }

  /** An 8-bit map. */
  public static LabelMap of8(int width, int height, byte[] values) {
    return new LabelMap(width, height, values, null);
  }

  /** A 16-bit map. */
  public static LabelMap of16(int width, int height, short[] values) {
    return new LabelMap(width, height, null, values);
  }

  /** Number of pixels. */
  public int size() {
    return width * height;
  }

  /** The value at pixel {@code i} (unsigned). */
  public int get(int i) {
    return bytes != null ? bytes[i] & 0xFF : shorts[i] & 0xFFFF;
  }

  /** Whether values are stored in 8 bits. */
  public boolean is8Bit() {
    return bytes != null;
  }
}
