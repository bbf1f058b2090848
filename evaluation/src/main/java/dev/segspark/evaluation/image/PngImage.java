package dev.segspark.evaluation.image;

/**
 * A decoded PNG: samples row-major, interleaved by channel, palette indices left unexpanded.
 *
 * @param width pixels per row
 * @param height rows
 * @param colorType PNG colour type (0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA)
 * @param bitDepth 8 or 16 (lower bit depths are widened to 8 on decode)
 * @param bytes samples when {@code bitDepth == 8}, else {@code null}
 * @param shorts samples when {@code bitDepth == 16}, else {@code null}
 */
public record PngImage(
    int width, int height, int colorType, int bitDepth, byte[] bytes, short[] shorts) {

  /** PNG colour type of a single-channel grey image. */
  public static final int GREY = 0;

  /** PNG colour type of an RGB image. */
  public static final int RGB = 2;

  /** PNG colour type of a palette image. */
  public static final int PALETTE = 3;

  /** PNG colour type of a grey image with alpha. */
  public static final int GREY_ALPHA = 4;

  /** PNG colour type of an RGBA image. */
  public static final int RGBA = 6;

  /** Samples per pixel. */
  public int channels() {
    return channels(colorType);
  }

  static int channels(int colorType) {
    return switch (colorType) {
      case GREY, PALETTE -> 1;
      case GREY_ALPHA -> 2;
      case RGB -> 3;
      case RGBA -> 4;
      default -> throw new IllegalArgumentException("unknown PNG colour type " + colorType);
    };
  }

  /** Human-readable colour type for error messages. */
  public String describe() {
    return describe(colorType, bitDepth);
  }

  static String describe(int colorType, int bitDepth) {
    String kind =
        switch (colorType) {
          case GREY -> "grey";
          case RGB -> "RGB";
          case PALETTE -> "palette";
          case GREY_ALPHA -> "grey+alpha";
          default -> "RGBA";
        };
    return kind + " " + bitDepth + "-bit";
  }
}
