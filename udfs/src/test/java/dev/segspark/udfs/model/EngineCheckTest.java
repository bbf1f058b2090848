package dev.segspark.udfs.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EngineCheckTest {
  /**
   * The build runs tests with {@code ONEDNN_MAX_CPU_ISA=AVX2} (see the parent POM), under which the
   * engine's convolutions are exact on every CPU seen so far; without it, this fails on the CPUs
   * whose AVX-512 kernels are wrong.
   */
  @Test
  void engineConvolutionsAreRightOnThisCpu() {
    assertThatCode(EngineCheck::verifyCpu).doesNotThrowAnyException();
  }

  @Test
  void referenceIsAThreeByThreeZeroPaddedConvolution() {
    int[] probe = {1, 1, 2, 2};
    float[] x = {1, 2, 3, 4};
    float[] w = {0, 0, 0, 0, 1, 0, 0, 0, 1}; // centre + bottom-right
    double[] y = EngineCheck.reference(x, w, probe);
    assertThat(y).containsExactly(1 + 4, 2, 3, 4);
  }

  /** The fast reference against the definition, term by term, on a batch of non-square planes. */
  @Test
  void referenceEqualsTheDefinitionOnManyChannels() {
    int[] probe = {2, 5, 4, 7};
    int n = probe[0];
    int c = probe[1];
    int h = probe[2];
    int wd = probe[3];
    float[] x = EngineCheck.values(n * c * h * wd, 3);
    float[] w = EngineCheck.values(c * c * 9, 4);
    double[] y = EngineCheck.reference(x, w, probe);
    assertThat(y).hasSize(n * c * h * wd);
    for (int b = 0; b < n; b++) {
      for (int o = 0; o < c; o++) {
        for (int r = 0; r < h; r++) {
          for (int col = 0; col < wd; col++) {
            double acc = 0;
            for (int i = 0; i < c; i++) {
              for (int ky = 0; ky < 3; ky++) {
                for (int kx = 0; kx < 3; kx++) {
                  int iy = r + ky - 1;
                  int ix = col + kx - 1;
                  if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                    acc +=
                        (double) x[((b * c + i) * h + iy) * wd + ix]
                            * w[((o * c + i) * 3 + ky) * 3 + kx];
                  }
                }
              }
            }
            assertThat(y[((b * c + o) * h + r) * wd + col]).isCloseTo(acc, within(1e-12));
          }
        }
      }
    }
  }

  @Test
  void maxErrorSeesWrongValuesNaNAndLength() {
    double[] expected = {1.0, -2.0};
    assertThat(EngineCheck.maxError(new float[] {1f, -2f}, expected)).isZero();
    assertThat(EngineCheck.maxError(new float[] {1f, -0.5f}, expected)).isEqualTo(1.5);
    assertThat(EngineCheck.maxError(new float[] {Float.NaN, -2f}, expected))
        .isGreaterThan(EngineCheck.TOLERANCE);
    assertThat(EngineCheck.maxError(new float[] {1f}, expected))
        .isGreaterThan(EngineCheck.TOLERANCE);
  }

  @Test
  void valuesAreDeterministicAndBounded() {
    float[] a = EngineCheck.values(1000, 7);
    assertThat(a).isEqualTo(EngineCheck.values(1000, 7));
    for (float v : a) {
      assertThat(v).isBetween(-1f, 1f);
    }
  }
}
