package dev.segspark.udfs.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The JVM upsample-and-arg-max equals libtorch's {@code interpolate} + {@code argmax}. */
class BilinearArgmaxTest {

  @Test
  void handComputedTwoByTwoToFourByFour() {
    // channel 0 wins on the left column, channel 1 on the right; output columns 0,1 | 2,3
    float[] src = {5, 0, 5, 0, /* channel 1 */ 0, 5, 0, 5};
    int[] out = new BilinearArgmax(2, 2, 4, 4).argmax(src, 0, new int[] {0, 1});
    assertThat(out).containsExactly(0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1);
  }

  @Test
  void tiesGoToTheFirstChannel() {
    float[] src = {1, 1, 1, 1, 1, 1, 1, 1};
    int[] out = new BilinearArgmax(2, 2, 3, 5).argmax(src, 0, new int[] {0, 1});
    assertThat(out).containsOnly(0);
  }

  @Test
  void equalsLibtorchOnSmoothAndNoisyLogits() {
    SplittableRandom rng = new SplittableRandom(3);
    int k = 19;
    int h = 37;
    int w = 53;
    int outH = 150;
    int outW = 211;
    float[] logits = new float[2 * k * h * w];
    for (int b = 0; b < 2; b++) {
      for (int c = 0; c < k; c++) {
        double fx = rng.nextDouble(0.05, 0.4);
        double fy = rng.nextDouble(0.05, 0.4);
        for (int i = 0; i < h * w; i++) {
          int y = i / w;
          int x = i % w;
          // smooth blobs for the first image, plain noise for the second
          logits[(b * k + c) * h * w + i] =
              b == 0
                  ? (float) (Math.sin(fx * x + c) + Math.cos(fy * y - c))
                  : (float) rng.nextGaussian();
        }
      }
    }
    int[] channels = new int[k];
    for (int c = 0; c < k; c++) {
      channels[c] = c;
    }
    BilinearArgmax up = new BilinearArgmax(h, w, outH, outW);
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray x = m.create(logits, new Shape(2, k, h, w));
      NDArray full = x.getNDArrayInternal().interpolation(new long[] {outH, outW}, 1, false);
      int[] torch = full.argMax(1).toType(DataType.INT32, false).toIntArray();
      for (int b = 0; b < 2; b++) {
        int[] ours = up.argmax(logits, b * k * h * w, channels);
        int same = 0;
        for (int i = 0; i < ours.length; i++) {
          same += ours[i] == torch[b * outH * outW + i] ? 1 : 0;
        }
        // identical up to float rounding of near-ties
        assertThat((double) same / ours.length).as("image %d", b).isGreaterThan(0.9999);
      }
    }
  }

  @Test
  void subsetOfChannelsGivesPositionsInTheSubset() {
    float[] src = new float[3 * 4];
    // channel 2 dominates everywhere, channel 1 second
    for (int i = 0; i < 4; i++) {
      src[i] = 0;
      src[4 + i] = 1;
      src[8 + i] = 2;
    }
    assertThat(new BilinearArgmax(2, 2, 2, 2).argmax(src, 0, new int[] {0, 1})).containsOnly(1);
    assertThat(new BilinearArgmax(2, 2, 2, 2).argmax(src, 0, new int[] {0, 2})).containsOnly(1);
    assertThat(new BilinearArgmax(2, 2, 2, 2).argmax(src, 0, new int[] {2})).containsOnly(0);
  }

  @Test
  void equalsThePixelByPixelScanOnEveryPixel() {
    // the run-wise shortcut gives exactly what a scan of every output pixel's four sources gives,
    // on smooth maps, noise, quantised values full of ties, channel subsets, up- and downscaling
    SplittableRandom rng = new SplittableRandom(11);
    int[][] sizes = {{64, 128, 256, 512}, {37, 53, 150, 211}, {50, 40, 23, 17}, {1, 7, 5, 30}};
    for (int[] size : sizes) {
      int h = size[0];
      int w = size[1];
      int k = 7;
      for (int kind = 0; kind < 3; kind++) {
        float[] src = new float[3 + k * h * w];
        for (int c = 0; c < k; c++) {
          for (int i = 0; i < h * w; i++) {
            int y = i / w;
            int x = i % w;
            float v =
                switch (kind) {
                  case 0 -> (float) (Math.sin(0.2 * x + c) + Math.cos(0.15 * y - c));
                  case 1 -> (float) rng.nextGaussian();
                  default -> rng.nextInt(3);
                };
            src[3 + c * h * w + i] = v;
          }
        }
        // one instance for all: it keeps its working memory between calls, grown and reused
        BilinearArgmax up = new BilinearArgmax(h, w, size[2], size[3]);
        for (int[] channels : new int[][] {{4}, {0, 1, 2, 3, 4, 5, 6}, {5, 2, 6}, {4}}) {
          assertThat(up.argmax(src, 3, channels))
              .as("%dx%d to %dx%d, kind %d", h, w, size[2], size[3], kind)
              .containsExactly(scan(src, 3, channels, h, w, size[2], size[3]));
        }
      }
    }
  }

  /** Every output pixel: its four sources' low-resolution winners, else the interpolated scores. */
  private static int[] scan(float[] src, int offset, int[] channels, int h, int w, int oh, int ow) {
    float[][] ys = axis(h, oh);
    float[][] xs = axis(w, ow);
    int n = channels.length;
    int[] low = new int[h * w];
    for (int i = 0; i < h * w; i++) {
      float best = src[offset + channels[0] * h * w + i];
      for (int j = 1; j < n; j++) {
        float v = src[offset + channels[j] * h * w + i];
        if (v > best) {
          best = v;
          low[i] = j;
        }
      }
    }
    int[] out = new int[oh * ow];
    for (int y = 0; y < oh; y++) {
      int r0 = (int) ys[0][y] * w;
      int r1 = (int) ys[1][y] * w;
      for (int x = 0; x < ow; x++) {
        int q00 = r0 + (int) xs[0][x];
        int q01 = r0 + (int) xs[1][x];
        int q10 = r1 + (int) xs[0][x];
        int q11 = r1 + (int) xs[1][x];
        if (low[q00] == low[q01] && low[q00] == low[q10] && low[q00] == low[q11]) {
          out[y * ow + x] = low[q00];
          continue;
        }
        int best = 0;
        float bestValue = 0;
        for (int j = 0; j < n; j++) {
          int p = offset + channels[j] * h * w;
          float top = src[p + q00] * xs[2][x] + src[p + q01] * xs[3][x];
          float bottom = src[p + q10] * xs[2][x] + src[p + q11] * xs[3][x];
          float v = top * ys[2][y] + bottom * ys[3][y];
          if (j == 0 || v > bestValue) {
            bestValue = v;
            best = j;
          }
        }
        out[y * ow + x] = best;
      }
    }
    return out;
  }

  /** Source indices and weights as ATen computes them: {lo, hi, 1 - lambda, lambda} per index. */
  private static float[][] axis(int in, int out) {
    float[][] a = new float[4][out];
    float scale = (float) in / out;
    for (int d = 0; d < out; d++) {
      float src = Math.max(scale * (d + 0.5f) - 0.5f, 0);
      int lo = Math.min((int) src, in - 1);
      float lambda = Math.min(Math.max(src - lo, 0f), 1f);
      a[0][d] = lo;
      a[1][d] = lo + (lo < in - 1 ? 1 : 0);
      a[2][d] = 1f - lambda;
      a[3][d] = lambda;
    }
    return a;
  }
}
