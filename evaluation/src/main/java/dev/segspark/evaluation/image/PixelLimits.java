package dev.segspark.evaluation.image;

/**
 * The one hard bound on image size: a decoded image is one Java array, and a Java array holds at
 * most {@link #MAX_ARRAY} elements. The user's {@code --max-pixels} is the only other limit; a
 * value the arrays could never hold is rejected up front as bad usage, so no image fails later with
 * a limit the user did not set. (One PNG scanline is an array too: only a 16-bit colour image more
 * than 268 million pixels wide, a single row, could exceed it within these limits, and its error
 * says so.)
 */
public final class PixelLimits {
  /** Largest array length the JVM allocates (the usual head-room below Integer.MAX_VALUE). */
  public static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

  /** Largest label map (grey or palette PNG): one sample per pixel. */
  public static final long LABEL_MAP_PIXELS = MAX_ARRAY;

  /** Largest colour image (RGB, RGBA, JPEG, ...): up to four samples per pixel before RGB. */
  public static final long IMAGE_PIXELS = MAX_ARRAY / 4;

  private PixelLimits() {}

  /**
   * Checks a {@code --max-pixels} value against the largest image the job can hold.
   *
   * @param action what the command does, for the message ("evaluate", "label")
   * @param maxPixels the user's limit
   * @param cap {@link #LABEL_MAP_PIXELS} when the job reads only label maps, else {@link
   *     #IMAGE_PIXELS}
   * @return {@code maxPixels}
   * @throws IllegalArgumentException if it is not in {@code [1, cap]}
   */
  public static long requireMaxPixels(String action, long maxPixels, long cap) {
    if (maxPixels <= 0 || maxPixels > cap) {
      throw new IllegalArgumentException(
          "Cannot "
              + action
              + ": --max-pixels must be between 1 and "
              + cap
              + (cap == LABEL_MAP_PIXELS
                  ? " (one Java array per label map)"
                  : " (one Java array per image, up to 4 samples per pixel)")
              + " ("
              + maxPixels
              + ")");
    }
    return maxPixels;
  }
}
