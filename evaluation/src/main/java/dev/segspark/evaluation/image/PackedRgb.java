package dev.segspark.evaluation.image;

/**
 * An 8-bit RGB image with one int per pixel, {@code R | G << 8 | B << 16}: for a COCO panoptic PNG,
 * the segment id {@code R + 256*G + 256^2*B} of each pixel.
 *
 * @param width pixels per row
 * @param height rows
 * @param pixels packed pixels, row-major, {@code width * height} long
 */
public record PackedRgb(int width, int height, int[] pixels) {

  /** Packs a decoded 8-bit RGB or RGBA image (alpha dropped). */
  static PackedRgb of(PngImage png) {
    int channels = png.channels();
    byte[] b = png.bytes();
    int[] pixels = new int[png.width() * png.height()];
    for (int i = 0, j = 0; i < pixels.length; i++, j += channels) {
      pixels[i] = (b[j] & 0xFF) | (b[j + 1] & 0xFF) << 8 | (b[j + 2] & 0xFF) << 16;
    }
    return new PackedRgb(png.width(), png.height(), pixels);
  }
}
