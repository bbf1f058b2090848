package dev.segspark.evaluation.image;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reverses the PNG row filters of 8-bit RGB scanlines straight into packed pixels ({@code R | G <<
 * 8 | B << 16}), three channels at once: the byte-wise sums and averages of the filters are done on
 * the packed int without carries crossing channels. Segment-id maps are flat regions, so most
 * filtered pixels are zero and most Paeth predictions have equal neighbours; both take a short
 * path.
 */
final class RgbRows {
  /** The high bit of each channel. */
  private static final int HIGH = 0x808080;

  /** Pixels checked at once for zero residuals (24 bytes: three longs). */
  private static final int BLOCK = 8;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private RgbRows() {}

  /**
   * Reconstructs row {@code y} of {@code out} from its filtered scanline at {@code in[at]} (filter
   * type first, then {@code 3 * width} bytes); row {@code y - 1} of {@code out} is the previous
   * row.
   *
   * @return false for an unknown filter type
   */
  static boolean unfilter(byte[] in, int at, int[] out, int y, int width) {
    int row = y * width;
    switch (in[at]) {
      case 0 -> none(in, at, out, row, width);
      case 1 -> sub(in, at, out, row, width);
      case 2 -> {
        if (y == 0) {
          none(in, at, out, row, width);
        } else {
          up(in, at, out, row, width);
        }
      }
      case 3 -> average(in, at, out, row, width, y > 0);
      case 4 -> {
        if (y == 0) {
          sub(in, at, out, row, width); // Paeth with no row above predicts from the left
        } else {
          paeth(in, at, out, row, width);
        }
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private static int residual(byte[] in, int j) {
    return (in[j] & 0xFF) | (in[j + 1] & 0xFF) << 8 | (in[j + 2] & 0xFF) << 16;
  }

  /** Channel-wise sum modulo 256 of two packed pixels. */
  private static int add(int a, int b) {
    return ((a & ~HIGH) + (b & ~HIGH)) ^ ((a ^ b) & HIGH);
  }

  private static void none(byte[] in, int at, int[] out, int row, int width) {
    for (int x = 0, j = at + 1; x < width; x++, j += 3) {
      out[row + x] = residual(in, j);
    }
  }

  private static void sub(byte[] in, int at, int[] out, int row, int width) {
    int left = 0;
    for (int x = 0; x < width; ) {
      for (int run = zeroRun(in, at, x, width); x < run; x++) {
        out[row + x] = left; // no residual: the left pixel, repeated
      }
      for (int stop = Math.min(width, x + BLOCK), j = at + 1 + 3 * x; x < stop; x++, j += 3) {
        int r = residual(in, j);
        if (r != 0) {
          left = add(left, r);
        }
        out[row + x] = left;
      }
    }
  }

  private static void up(byte[] in, int at, int[] out, int row, int width) {
    int above = row - width;
    for (int x = 0; x < width; ) {
      int run = zeroRun(in, at, x, width);
      if (run > x) { // no residual: the row above, copied
        System.arraycopy(out, above + x, out, row + x, run - x);
        x = run;
      }
      for (int stop = Math.min(width, x + BLOCK), j = at + 1 + 3 * x; x < stop; x++, j += 3) {
        int r = residual(in, j);
        out[row + x] = r == 0 ? out[above + x] : add(out[above + x], r);
      }
    }
  }

  private static void average(byte[] in, int at, int[] out, int row, int width, boolean hasAbove) {
    int above = row - width;
    int left = 0;
    for (int x = 0, j = at + 1; x < width; x++, j += 3) {
      int b = hasAbove ? out[above + x] : 0;
      // channel-wise floor((left + b) / 2) without carries between channels
      int mean = (left & b) + (((left ^ b) & 0xFEFEFE) >>> 1);
      left = add(mean, residual(in, j));
      out[row + x] = left;
    }
  }

  private static void paeth(byte[] in, int at, int[] out, int row, int width) {
    int above = row - width;
    int left = 0;
    int upLeft = 0;
    for (int x = 0; x < width; ) {
      for (int run = zeroRun(in, at, x, width); x < run; x++) { // no residual: the predictor
        int up = out[above + x];
        left = predictor(left, up, upLeft);
        out[row + x] = left;
        upLeft = up;
      }
      for (int stop = Math.min(width, x + BLOCK), j = at + 1 + 3 * x; x < stop; x++, j += 3) {
        int up = out[above + x];
        int predictor = predictor(left, up, upLeft);
        int r = residual(in, j);
        left = r == 0 ? predictor : add(predictor, r);
        out[row + x] = left;
        upLeft = up;
      }
    }
  }

  /** Paeth's predictor of three packed pixels, with short paths for flat neighbourhoods. */
  private static int predictor(int left, int up, int upLeft) {
    if (up == upLeft) {
      return left; // b == c: p = a in every channel
    }
    if (left == upLeft) {
      return up; // a == c: p = b in every channel
    }
    return paethChannels(left, up, upLeft);
  }

  /**
   * The end of the run of whole {@link #BLOCK}-pixel blocks from pixel {@code x} whose residuals
   * are all zero ({@code x} itself when the next block has one that is not). Segment-id maps are
   * flat, so most filtered bytes are zero: eight pixels, 24 bytes, are checked as three longs.
   */
  private static int zeroRun(byte[] in, int at, int x, int width) {
    int run = x;
    for (int j = at + 1 + 3 * x; run + BLOCK <= width; run += BLOCK, j += 3 * BLOCK) {
      if (((long) LONGS.get(in, j) | (long) LONGS.get(in, j + 8) | (long) LONGS.get(in, j + 16))
          != 0) {
        break;
      }
    }
    return run;
  }

  private static int paethChannels(int a, int b, int c) {
    int result = 0;
    for (int shift = 0; shift < 24; shift += 8) {
      result |= paeth(a >>> shift & 0xFF, b >>> shift & 0xFF, c >>> shift & 0xFF) << shift;
    }
    return result;
  }

  private static int paeth(int a, int b, int c) {
    int p = a + b - c;
    int pa = Math.abs(p - a);
    int pb = Math.abs(p - b);
    int pc = Math.abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
  }
}
