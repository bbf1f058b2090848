package dev.segspark.evaluation.panoptic;

/**
 * Averages of the per-class scores over the {@code n} categories of a group (All, Things or Stuff)
 * that are present ({@code tp + fp + fn > 0}), as panopticapi's {@code pq_average}: a present
 * category with {@code tp == 0} counts with {@code sq = 0}. The scores are {@code null} when {@code
 * n == 0}.
 *
 * @param pq mean panoptic quality, or null
 * @param sq mean segmentation quality, or null
 * @param rq mean recognition quality, or null
 * @param n number of categories averaged
 */
public record PqSummary(Double pq, Double sq, Double rq, int n) {

  /** Validates that the scores are all null exactly when {@code n == 0}. */
  public PqSummary {
    boolean undefined = pq == null || sq == null || rq == null;
    if (n < 0 || undefined != (n == 0)) {
      throw new IllegalArgumentException(
          "Cannot create PQ summary: scores must be null exactly when n == 0 (" + n + ")");
    }
  }
}
