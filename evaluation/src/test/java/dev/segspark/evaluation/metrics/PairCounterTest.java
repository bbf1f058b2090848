package dev.segspark.evaluation.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The pair histogram counts runs eight pixels at a time; every pixel must still land in its own
 * pair, whatever the run lengths, the map length (not a multiple of eight, shorter than eight) or
 * the values (255, the usual ignore value, included at the start, where the run's pair begins).
 */
class PairCounterTest {
  private static int[] naive(byte[] g, byte[] p) {
    int[] h = new int[1 << 16];
    for (int i = 0; i < g.length; i++) {
      h[((g[i] & 0xFF) << 8) | (p[i] & 0xFF)]++;
    }
    return h;
  }

  /** A map of runs with lengths up to {@code maxRun}, values from {@code values}. */
  private static byte[] runs(SplittableRandom rng, int n, int maxRun, int[] values) {
    byte[] out = new byte[n];
    for (int i = 0; i < n; ) {
      int v = values[rng.nextInt(values.length)];
      int len = 1 + rng.nextInt(maxRun);
      for (int j = 0; j < len && i < n; j++, i++) {
        out[i] = (byte) v;
      }
    }
    return out;
  }

  @Test
  void everyPixelLandsInItsPair() {
    SplittableRandom rng = new SplittableRandom(5);
    int[][] valueSets = {{255}, {0, 255}, {0, 1, 2, 255}, {7}, {3, 200, 254, 255, 0}};
    for (int trial = 0; trial < 3000; trial++) {
      int n = trial < 100 ? trial : 1 + rng.nextInt(trial % 7 == 0 ? 5000 : 200);
      int maxRun = 1 + rng.nextInt(trial % 3 == 0 ? 3 : 64);
      int[] values = valueSets[trial % valueSets.length];
      byte[] g = runs(rng, n, maxRun, values);
      byte[] p = trial % 4 == 0 ? g.clone() : runs(rng, n, 1 + rng.nextInt(40), values);
      int[] h = new int[1 << 16];
      PairCounter.histogram(g, p, h);
      assertThat(h).as("trial %d, %d pixels", trial, n).isEqualTo(naive(g, p));
    }
  }

  @Test
  void aMapOfIgnoreValuesOnlyIsCountedAsSuch() {
    for (int n : new int[] {8, 16, 17, 64, 1023}) {
      byte[] g = new byte[n];
      java.util.Arrays.fill(g, (byte) 255);
      int[] h = new int[1 << 16];
      PairCounter.histogram(g, g.clone(), h);
      assertThat(h[0xFFFF]).isEqualTo(n);
      assertThat(h[0]).isZero();
    }
  }
}
