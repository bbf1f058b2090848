package dev.segspark.evaluation.panoptic;

/**
 * DETR's panoptic head output for one image, as flat float arrays.
 *
 * <p>The masks must already be at the size of the wanted segment map: DETR bilinearly resizes them
 * to the processed image size ({@code F.interpolate}, {@code align_corners=False}) and then resizes
 * the id map with nearest neighbour to the target size; callers do the mask resize (on the device)
 * and ask for processed size == target size, which makes the nearest-neighbour step an identity.
 * The arrays are not copied.
 *
 * @param logits {@code pred_logits} {@code [queries, classes + 1]}, row-major; the last column is
 *     "no object"
 * @param masks {@code pred_masks} {@code [queries, height, width]}, row-major mask logits
 * @param queries number of queries, {@code > 0}
 * @param logitsPerQuery number of classes + 1, {@code >= 2}
 * @param height mask height, {@code > 0}
 * @param width mask width, {@code > 0}
 */
public record DetrRawOutput(
    float[] logits, float[] masks, int queries, int logitsPerQuery, int height, int width) {

  /** Validates the shapes. */
  public DetrRawOutput {
    if (logits == null || masks == null || queries <= 0 || logitsPerQuery < 2) {
      throw new IllegalArgumentException(
          "Cannot create DETR output: logits, masks, queries > 0 and classes + 1 >= 2 are required ("
              + queries
              + "x"
              + logitsPerQuery
              + ")");
    }
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "Cannot create DETR output: mask size must be positive (" + height + "x" + width + ")");
    }
    if ((long) queries * logitsPerQuery != logits.length) {
      throw new IllegalArgumentException(
          "Cannot create DETR output: pred_logits length must be queries * (classes + 1) ("
              + logits.length
              + " vs "
              + queries
              + "x"
              + logitsPerQuery
              + ")");
    }
    if ((long) queries * height * width != masks.length) {
      throw new IllegalArgumentException(
          "Cannot create DETR output: pred_masks length must be queries * height * width ("
              + masks.length
              + " vs "
              + queries
              + "x"
              + height
              + "x"
              + width
              + ")");
    }
  }
}
