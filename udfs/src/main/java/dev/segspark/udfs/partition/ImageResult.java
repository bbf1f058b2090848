package dev.segspark.udfs.partition;

import dev.segspark.evaluation.metrics.ImageCounts;
import dev.segspark.evaluation.metrics.InstanceCounts;
import dev.segspark.udfs.model.StageTimes;
import java.io.Serializable;

/**
 * The outcome of evaluating one sample: its sparse counts, or the error that stopped it.
 *
 * @param sample the sample
 * @param width image width (0 on error)
 * @param height image height (0 on error)
 * @param counts confusion counts, {@code null} on error
 * @param instances instance counts ({@link InstanceCounts#NONE} without instance maps)
 * @param error the error message, {@code null} on success
 * @param decodeNanos time spent reading and decoding PNGs
 * @param metricsNanos time spent counting
 * @param model time per model stage when a model predicted ({@link StageTimes#ZERO} otherwise)
 */
public record ImageResult(
    Sample sample,
    int width,
    int height,
    ImageCounts counts,
    InstanceCounts instances,
    String error,
    long decodeNanos,
    long metricsNanos,
    StageTimes model)
    implements Serializable {

  /** A result without model stages. */
  public ImageResult(
      Sample sample,
      int width,
      int height,
      ImageCounts counts,
      InstanceCounts instances,
      String error,
      long decodeNanos,
      long metricsNanos) {
    this(
        sample,
        width,
        height,
        counts,
        instances,
        error,
        decodeNanos,
        metricsNanos,
        StageTimes.ZERO);
  }

  /** A failed sample. */
  public static ImageResult failed(Sample sample, String error, long decodeNanos) {
    return new ImageResult(sample, 0, 0, null, InstanceCounts.NONE, error, decodeNanos, 0);
  }

  /** Whether the sample was evaluated. */
  public boolean ok() {
    return error == null;
  }
}
