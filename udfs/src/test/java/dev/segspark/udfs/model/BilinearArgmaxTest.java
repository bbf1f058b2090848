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
}
