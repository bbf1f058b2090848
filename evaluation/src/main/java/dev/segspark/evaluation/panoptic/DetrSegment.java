package dev.segspark.evaluation.panoptic;

/**
 * One segment produced by {@link DetrPanopticPostProcessor}.
 *
 * @param id segment id in the output map: the segment's index, from 0 as DETR numbers them
 * @param categoryId the query's class index (DETR's class indices are the dataset category ids)
 * @param isThing whether the category is a thing
 * @param score the query's class probability (softmax over classes + "no object")
 * @param area pixels of the segment in the output map, {@code > 4}
 */
public record DetrSegment(int id, int categoryId, boolean isThing, double score, long area) {

  /** Validates the id and the area. */
  public DetrSegment {
    if (id < 0 || area < 0) {
      throw new IllegalArgumentException(
          "Cannot create DETR segment: id and area must be >= 0 (" + id + ", " + area + ")");
    }
  }

  /**
   * Converts to a predicted segment for the matcher (not crowd; the matcher recounts the area).
   *
   * @return the segment
   */
  public Segment toSegment() {
    return new Segment(id, categoryId, false, area);
  }
}
