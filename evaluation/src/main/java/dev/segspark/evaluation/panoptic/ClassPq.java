package dev.segspark.evaluation.panoptic;

/**
 * Panoptic quality of one category.
 *
 * <p>{@code pq = ΣIoU / (tp + fp/2 + fn/2)}, {@code sq = ΣIoU / tp}, {@code rq = tp / (tp + fp/2 +
 * fn/2)}, so {@code pq = sq * rq}. A score whose denominator is 0 is {@code null}: all three when
 * the category has no segment in ground truth or prediction ({@code tp + fp + fn == 0}, the
 * category is then left out of the averages), {@code sq} alone when {@code tp == 0}.
 *
 * @param id category id
 * @param name category name
 * @param isThing whether it is a thing category
 * @param pq panoptic quality in [0, 1], or null
 * @param sq segmentation quality in [0, 1], or null
 * @param rq recognition quality in [0, 1], or null
 * @param tp matched pairs
 * @param fp unmatched, not ignored predictions
 * @param fn unmatched non-crowd ground-truth segments
 */
public record ClassPq(
    int id,
    String name,
    boolean isThing,
    Double pq,
    Double sq,
    Double rq,
    long tp,
    long fp,
    long fn) {

  /** Validates the counts. */
  public ClassPq {
    if (tp < 0 || fp < 0 || fn < 0) {
      throw new IllegalArgumentException(
          "Cannot create class PQ for "
              + name
              + ": counts must be >= 0 ("
              + tp
              + ","
              + fp
              + ","
              + fn
              + ")");
    }
  }

  /**
   * Tells whether the category counts in the averages ({@code tp + fp + fn > 0}).
   *
   * @return whether it is present in ground truth or prediction
   */
  public boolean isPresent() {
    return tp + fp + fn > 0;
  }
}
