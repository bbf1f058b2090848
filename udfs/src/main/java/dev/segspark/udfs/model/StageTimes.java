package dev.segspark.udfs.model;

import java.io.Serializable;

/**
 * Nanoseconds spent per stage of model inference.
 *
 * @param decode reading and decoding images (prefetch thread)
 * @param preprocess building the input tensor: upload, resize, normalise
 * @param inference the forward pass
 * @param postprocess resize, arg-max and copying the label map back
 */
public record StageTimes(long decode, long preprocess, long inference, long postprocess)
    implements Serializable {
  public static final StageTimes ZERO = new StageTimes(0, 0, 0, 0);

  public StageTimes plus(StageTimes o) {
    return new StageTimes(
        decode + o.decode,
        preprocess + o.preprocess,
        inference + o.inference,
        postprocess + o.postprocess);
  }

  /** This batch's times shared equally among {@code n} images. */
  public StageTimes share(int n) {
    return new StageTimes(decode / n, preprocess / n, inference / n, postprocess / n);
  }
}
