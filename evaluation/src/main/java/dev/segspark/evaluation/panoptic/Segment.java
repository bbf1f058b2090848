package dev.segspark.evaluation.panoptic;

import java.io.Serializable;

/**
 * One entry of a COCO panoptic {@code segments_info} list.
 *
 * <p>For ground truth, {@code area} is the area written in the JSON and is the one used in the IoU
 * union, as panopticapi does. For predictions the area is ignored: the matcher counts the segment's
 * pixels in the segment-id map.
 *
 * @param id segment id as written in the PNG ({@code R + 256*G + 256^2*B}), in {@code [0, 2^24)}
 * @param categoryId category id, looked up in {@link PanopticCategories}
 * @param isCrowd {@code iscrowd == 1}: a crowd region (ground truth only; ignored for predictions)
 * @param area area in pixels from the JSON, {@code >= 0}
 * @param bbox bounding box from the JSON, or {@code null} when the JSON has none
 */
public record Segment(int id, int categoryId, boolean isCrowd, long area, BoundingBox bbox)
    implements Serializable {

  /** Largest segment id a 24-bit RGB PNG can hold, plus one. */
  public static final int ID_LIMIT = 1 << 24;

  /** Validates the id range and the area. */
  public Segment {
    if (id < 0 || id >= ID_LIMIT) {
      throw new IllegalArgumentException(
          "Cannot create segment: id must be in [0, 2^24) (" + id + ")");
    }
    if (area < 0) {
      throw new IllegalArgumentException(
          "Cannot create segment " + id + ": area must be >= 0 (" + area + ")");
    }
  }

  /**
   * A segment without bounding box.
   *
   * @param id segment id
   * @param categoryId category id
   * @param isCrowd whether it is a crowd region
   * @param area area in pixels from the JSON
   */
  public Segment(int id, int categoryId, boolean isCrowd, long area) {
    this(id, categoryId, isCrowd, area, null);
  }

  /**
   * A COCO bounding box {@code [x, y, width, height]} in pixels.
   *
   * @param x left edge
   * @param y top edge
   * @param width width, {@code >= 0}
   * @param height height, {@code >= 0}
   */
  public record BoundingBox(double x, double y, double width, double height)
      implements Serializable {

    /** Validates the extent. */
    public BoundingBox {
      if (!(width >= 0) || !(height >= 0)) {
        throw new IllegalArgumentException(
            "Cannot create bounding box: width and height must be >= 0 ("
                + width
                + "x"
                + height
                + ")");
      }
    }
  }
}
