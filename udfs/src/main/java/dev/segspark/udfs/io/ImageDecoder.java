package dev.segspark.udfs.io;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.image.Png;
import dev.segspark.evaluation.image.PngImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes input images to 8-bit RGB: PNG (grey, RGB, RGBA, 8 or 16 bit) with segspark's own codec,
 * everything else (JPEG, BMP, palette PNGs, ...) with {@code javax.imageio}. The size is checked
 * against {@code maxPixels} from the header, before any pixel is decoded.
 */
public final class ImageDecoder {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G'};

  private ImageDecoder() {}

  /** Reads and decodes {@code path}. */
  public static DecodedImage read(String path, long maxPixels) {
    return decode(SampleFiles.read(path), path, maxPixels);
  }

  /** Decodes encoded image bytes; {@code source} names them in errors. */
  public static DecodedImage decode(byte[] data, String source, long maxPixels) {
    if (isPng(data)) {
      int[] header = Png.header(data, source);
      checkSize(source, header[0], header[1], maxPixels);
      PngImage png = Png.decode(data, source);
      if (png.colorType() != PngImage.PALETTE) {
        return new DecodedImage(source, png.width(), png.height(), toRgb(png));
      }
    }
    return viaImageIo(data, source, maxPixels);
  }

  private static boolean isPng(byte[] data) {
    if (data.length < PNG_SIGNATURE.length) {
      return false;
    }
    for (int i = 0; i < PNG_SIGNATURE.length; i++) {
      if (data[i] != PNG_SIGNATURE[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] toRgb(PngImage png) {
    int n = png.width() * png.height();
    int channels = png.channels();
    if (png.bitDepth() == 8 && channels == 3 && png.bytes().length == 3 * n) {
      return png.bytes(); // already interleaved 8-bit RGB: the decoder's own array, not a copy
    }
    byte[] out = new byte[3 * n];
    for (int i = 0; i < n; i++) {
      int base = i * channels;
      for (int c = 0; c < 3; c++) {
        int from = channels >= 3 ? base + c : base; // grey (+alpha): replicate
        out[3 * i + c] =
            png.bitDepth() == 8 ? png.bytes()[from] : (byte) ((png.shorts()[from] >> 8) & 0xFF);
      }
    }
    return out;
  }

  private static DecodedImage viaImageIo(byte[] data, String source, long maxPixels) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new InvalidInputException(
            source, "Cannot decode " + source + ": not a PNG, JPEG or other readable image");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        checkSize(source, reader.getWidth(0), reader.getHeight(0), maxPixels);
        BufferedImage image = reader.read(0);
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        byte[] rgb = new byte[3 * w * h];
        for (int i = 0; i < argb.length; i++) {
          rgb[3 * i] = (byte) (argb[i] >> 16);
          rgb[3 * i + 1] = (byte) (argb[i] >> 8);
          rgb[3 * i + 2] = (byte) argb[i];
        }
        return new DecodedImage(source, w, h, rgb);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof InvalidInputException invalid) {
        throw invalid;
      }
      throw new InvalidInputException(
          source, "Cannot decode " + source + ": corrupt or truncated image (" + e + ")", e);
    }
  }

  private static void checkSize(String source, int width, int height, long maxPixels) {
    if ((long) width * height > maxPixels) {
      throw new InvalidInputException(
          source,
          "Cannot read "
              + source
              + ": "
              + width
              + "x"
              + height
              + " exceeds --max-pixels ("
              + maxPixels
              + ")");
    }
  }
}
