package dev.segspark.udfs.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

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
