package dev.segspark.udfs.io;

/**
 * An 8-bit RGB image, row-major and interleaved ({@code rgb.length == 3 * width * height}).
 *
 * @param source where it was read from (for messages)
 * @param width pixels per row
 * @param height rows
 * @param rgb the samples (not copied)
 */
public record DecodedImage(String source, int width, int height, byte[] rgb) {
  public DecodedImage {
    if ((long) width * height * 3 != rgb.length) {
      throw new IllegalArgumentException(
          "Cannot create image "
              + source
              + ": "
              + rgb.length
              + " bytes for "
              + width
              + "x"
              + height);
    }
  }

  /** Whether two images can share a batch. */
  public boolean sameShape(DecodedImage o) {
    return o.width == width && o.height == height;
  }
}
