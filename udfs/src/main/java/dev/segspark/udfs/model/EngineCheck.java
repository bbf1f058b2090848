package dev.segspark.udfs.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import dev.segspark.evaluation.InvalidInputException;

/**
 * A known-answer test of the engine's CPU convolutions, run once per JVM before the first model
 * loads on the CPU.
 *
 * <p>Why: libtorch 2.7.1's oneDNN (3.7.1) picks AVX-512 direct-convolution kernels that return
 * wrong values on some CPUs: on an AMD EPYC (Zen 5) a 3×3, stride-1, padded convolution with 24, 40
 * or 72 channels (channel counts that are not a multiple of 16) was off by more than 1.0 on values
 * of about 1, while 16, 64 or 96 channels were exact. A model built from such layers then predicts
 * other classes with full confidence: a silent wrong answer, which segspark refuses to give. The
 * same kernels capped at AVX2 ({@code ONEDNN_MAX_CPU_ISA=AVX2} in the process environment, read by
 * oneDNN when it starts) are exact.
 */
public final class EngineCheck {
  /** Largest error accepted on values of about 1 (float rounding is about 1e-5 here). */
  static final double TOLERANCE = 1e-3;

  /** The environment variable that caps oneDNN's instruction set. */
  public static final String ISA_VARIABLE = "ONEDNN_MAX_CPU_ISA";

  /** {batch, channels, height, width} of the probe convolutions (3×3, stride 1, padding 1). */
  private static final int[][] PROBES = {{1, 24, 64, 128}, {1, 40, 32, 64}, {2, 72, 8, 16}};

  private static volatile boolean passed;

  private EngineCheck() {}

  /**
   * Runs the probes on the CPU once per JVM.
   *
   * @throws InvalidInputException naming the fix if a probe is wrong
   */
  public static void verifyCpu() {
    if (passed) {
      return;
    }
    synchronized (EngineCheck.class) {
      if (!passed) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
          for (int[] probe : PROBES) {
            check(manager, probe);
          }
        }
        passed = true;
      }
    }
  }

  private static void check(NDManager manager, int[] probe) {
    int channels = probe[1];
    float[] x = values(probe[0] * channels * probe[2] * probe[3], 1);
    float[] w = values(channels * channels * 9, 2);
    for (int i = 0; i < w.length; i++) {
      w[i] *= 0.1f;
    }
    NDArray y =
        Conv2d.conv2d(
                manager.create(x, new Shape(probe[0], channels, probe[2], probe[3])),
                manager.create(w, new Shape(channels, channels, 3, 3)),
                null,
                new Shape(1, 1),
                new Shape(1, 1),
                new Shape(1, 1),
                1)
            .singletonOrThrow();
    double error = maxError(y.toFloatArray(), reference(x, w, probe));
    if (!(error <= TOLERANCE)) {
      String isa = System.getenv(ISA_VARIABLE);
      throw new InvalidInputException(
          "PyTorch engine",
          "Cannot run models on this CPU: the PyTorch engine's convolution returns wrong values"
              + " here (a 3x3 convolution over "
              + channels
              + " channels is off by "
              + String.format(java.util.Locale.ROOT, "%.3g", error)
              + "; "
              + ISA_VARIABLE
              + "="
              + (isa == null ? "unset" : isa)
              + "). This is a known fault of oneDNN's AVX-512 kernels on some CPUs: set "
              + ISA_VARIABLE
              + "=AVX2 in the environment of the driver and the executors"
              + " (spark.executorEnv."
              + ISA_VARIABLE
              + "=AVX2; bin/segspark sets it on AMD CPUs)");
    }
  }

  /** Deterministic values in [-1, 1) (a fixed linear congruential sequence). */
  static float[] values(int n, long seed) {
    float[] v = new float[n];
    long s = seed;
    for (int i = 0; i < n; i++) {
      s = s * 6364136223846793005L + 1442695040888963407L;
      v[i] = (float) ((s >>> 40) / (double) (1L << 24) * 2 - 1);
    }
    return v;
  }

  /**
   * The convolution in double precision, zero padding 1. Each weight is applied to the whole
   * overlapping window of its input plane at once (the window clipped where the padding would
   * read): no test per pixel, inner loops over contiguous rows. Every JVM that runs a model on the
   * CPU computes this once (the driver and each executor), so it is on their start's critical path.
   */
  static double[] reference(float[] x, float[] w, int[] probe) {
    int batch = probe[0];
    int c = probe[1];
    int h = probe[2];
    int wd = probe[3];
    int plane = h * wd;
    double[] out = new double[batch * c * plane];
    for (int b = 0; b < batch; b++) {
      for (int o = 0; o < c; o++) {
        int outPlane = (b * c + o) * plane;
        for (int i = 0; i < c; i++) {
          int inPlane = (b * c + i) * plane;
          for (int ky = 0; ky < 3; ky++) {
            int dy = ky - 1;
            int y0 = Math.max(0, -dy);
            int y1 = Math.min(h, h - dy);
            for (int kx = 0; kx < 3; kx++) {
              int dx = kx - 1;
              int x0 = Math.max(0, -dx);
              int x1 = Math.min(wd, wd - dx);
              double weight = w[((o * c + i) * 3 + ky) * 3 + kx];
              for (int y = y0; y < y1; y++) {
                int outRow = outPlane + y * wd;
                int inRow = inPlane + (y + dy) * wd + dx;
                for (int xx = x0; xx < x1; xx++) {
                  out[outRow + xx] += weight * x[inRow + xx];
                }
              }
            }
          }
        }
      }
    }
    return out;
  }

  /** The largest absolute difference; infinite if the lengths differ or a value is NaN. */
  static double maxError(float[] actual, double[] expected) {
    if (actual.length != expected.length) {
      return Double.POSITIVE_INFINITY;
    }
    double max = 0;
    for (int i = 0; i < actual.length; i++) {
      double d = Math.abs(actual[i] - expected[i]);
      if (!(d <= max)) {
        max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
      }
    }
    return max;
  }
}
