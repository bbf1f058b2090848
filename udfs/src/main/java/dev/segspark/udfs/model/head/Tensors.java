package dev.segspark.udfs.model.head;

import ai.djl.ndarray.NDArray;

/** Tensor operations shared by the segmenter and the heads. */
public final class Tensors {
  private static final int BILINEAR = 1;

  private Tensors() {}

  /** Bilinear resize of {@code [B,C,h,w]} to {@code [B,C,height,width]}, align_corners=False. */
  public static NDArray resize(NDArray x, int height, int width) {
    return x.getNDArrayInternal().interpolation(new long[] {height, width}, BILINEAR, false);
  }
}
