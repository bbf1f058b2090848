package dev.segspark.udfs.model;

/**
 * Arg-max over channels of a bilinearly upsampled map ({@code F.interpolate(x, size,
 * mode="bilinear", align_corners=False).argmax(1)}) without materialising the upsampled channels.
 *
 * <p>Exactness: an upsampled value is a convex combination of four source pixels. If the channel
 * {@code c} is the (first) arg-max at all four, it beats every other channel in each term, so it is
 * the arg-max of the combination too. Only output pixels whose four sources disagree (class
 * boundaries, a few percent) are interpolated channel by channel, in float with PyTorch's CPU
 * kernel's source indices, weights and order of operations. On the CPU this replaces a {@code
 * K*H*W} resize and a strided reduction by a {@code h*w} arg-max plus the boundary pixels. (In
 * float, rounding could in principle turn a strict win at all four sources into an exact tie, which
 * the upsampled arg-max would give to the earlier channel; the shortcut keeps the winner.)
 *
 * <p>Not thread-safe: an instance keeps its working memory between calls.
 */
public final class BilinearArgmax {
  private final int h;
  private final int w;
  private final int outH;
  private final int outW;
  private final int[] y0;
  private final int[] y1;
  private final float[] wy0;
  private final float[] wy1;
  private final int[] x0;
  private final int[] x1;
  private final float[] wx0;
  private final float[] wx1;
  // working memory, kept from one call to the next (one instance per batch: not thread-safe)
  private int[] low;
  private float[] hwc;
  private final int[] agree;

  /** Geometry for upsampling {@code h x w} maps to {@code outH x outW}. */
  public BilinearArgmax(int h, int w, int outH, int outW) {
    this.h = h;
    this.w = w;
    this.outH = outH;
    this.outW = outW;
    y0 = new int[outH];
    y1 = new int[outH];
    wy0 = new float[outH];
    wy1 = new float[outH];
    x0 = new int[outW];
    x1 = new int[outW];
    wx0 = new float[outW];
    wx1 = new float[outW];
    agree = new int[w];
    axis(h, outH, y0, y1, wy0, wy1);
    axis(w, outW, x0, x1, wx0, wx1);
  }

  /** ATen's {@code area_pixel_compute_source_index} + {@code compute_source_index_and_lambda}. */
  private static void axis(int in, int out, int[] i0, int[] i1, float[] l0, float[] l1) {
    float scale = (float) in / out;
    for (int d = 0; d < out; d++) {
      float src = scale * (d + 0.5f) - 0.5f;
      if (src < 0) {
        src = 0;
      }
      int lo = Math.min((int) src, in - 1);
      int hi = lo + (lo < in - 1 ? 1 : 0);
      float lambda = Math.min(Math.max(src - lo, 0f), 1f);
      i0[d] = lo;
      i1[d] = hi;
      l1[d] = lambda;
      l0[d] = 1f - lambda;
    }
  }

  /**
   * The arg-max per output pixel over {@code channels} of one image.
   *
   * @param src channel-major {@code [C, h, w]} values starting at {@code offset}
   * @param offset index of the image's first value in {@code src}
   * @param channels channel indices to compete, in order (ties go to the earlier one)
   * @return per output pixel (row-major), the winner's position in {@code channels}
   */
  public int[] argmax(float[] src, int offset, int[] channels) {
    int plane = h * w;
    int n = channels.length;
    if (low == null || hwc.length < plane * n) {
      low = new int[plane];
      hwc = new float[plane * n];
    }
    int[] low = this.low;
    float[] hwc = this.hwc;
    // one pass over the planes: the low-resolution winners, and the competing channels gathered
    // pixel-major so that a boundary pixel reads four short contiguous runs, not 4n scattered
    // values
    for (int i = 0; i < plane; i++) {
      int best = 0;
      float bestValue = src[offset + channels[0] * plane + i];
      hwc[i * n] = bestValue;
      for (int j = 1; j < n; j++) {
        float v = src[offset + channels[j] * plane + i];
        hwc[i * n + j] = v;
        if (v > bestValue) {
          bestValue = v;
          best = j;
        }
      }
      low[i] = best;
    }
    int[] out = new int[outH * outW];
    int[] agree = this.agree;
    int agreeR0 = -1;
    int agreeR1 = -1;
    for (int y = 0; y < outH; y++) {
      int r0 = y0[y] * w;
      int r1 = y1[y] * w;
      // per source column, the winner of both source rows where they agree, else -1; output rows
      // between the same two source rows share it
      if (r0 != agreeR0 || r1 != agreeR1) {
        agreeR0 = r0;
        agreeR1 = r1;
        for (int c = 0; c < w; c++) {
          int a = low[r0 + c];
          agree[c] = a == low[r1 + c] ? a : -1;
        }
      }
      float a0 = wy0[y];
      float a1 = wy1[y];
      int row = y * outW;
      for (int x = 0; x < outW; x++) {
        // the four sources agree: both source columns agree vertically, on the same winner
        int c00 = agree[x0[x]];
        if (c00 >= 0 && c00 == agree[x1[x]]) {
          out[row + x] = c00;
          continue;
        }
        int p00 = (r0 + x0[x]) * n;
        int p01 = (r0 + x1[x]) * n;
        int p10 = (r1 + x0[x]) * n;
        int p11 = (r1 + x1[x]) * n;
        float b0 = wx0[x];
        float b1 = wx1[x];
        int best = 0;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
          float top = hwc[p00 + j] * b0 + hwc[p01 + j] * b1;
          float bottom = hwc[p10 + j] * b0 + hwc[p11 + j] * b1;
          float v = top * a0 + bottom * a1;
          if (j == 0 || v > bestValue) {
            bestValue = v;
            best = j;
          }
        }
        out[row + x] = best;
      }
    }
    return out;
  }
}
