package dev.segspark.udfs.partition;

import dev.segspark.evaluation.metrics.ImageCounts;
import dev.segspark.evaluation.panoptic.PqStats;
import java.io.Serializable;

/**
 * The outcome of one panoptic sample.
 *
 * @param sample the sample
 * @param width image width (0 on error)
 * @param height image height (0 on error)
 * @param stats per-category PQ statistics ({@code null} on error)
 * @param semantic semantic confusion counts over categories, or {@code null}
 * @param error the error message, {@code null} on success
 * @param decodeNanos PNG reading and decoding time
 * @param metricsNanos matching time
 */
public record PanopticResult(
    PanopticSample sample,
    int width,
    int height,
    PqStats stats,
    ImageCounts semantic,
    String error,
    long decodeNanos,
    long metricsNanos)
    implements Serializable {

  /** Whether the sample was evaluated. */
  public boolean ok() {
    return error == null;
  }
}
