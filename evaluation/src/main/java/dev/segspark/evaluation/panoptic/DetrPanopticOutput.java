package dev.segspark.evaluation.panoptic;

import java.util.ArrayList;
import java.util.List;

/**
 * The panoptic prediction of one image after DETR's post-processing.
 *
 * <p>Every pixel belongs to a segment, numbered from 0; when no query survives, the map is all 0
 * and {@code segments} is empty (then 0 is VOID).
 *
 * @param width map width
 * @param height map height
 * @param ids segment id per pixel, row-major
 * @param segments segments in id order
 */
public record DetrPanopticOutput(int width, int height, int[] ids, List<DetrSegment> segments) {

  /** Validates the map length and copies the segment list. */
  public DetrPanopticOutput {
    if (ids == null || width <= 0 || height <= 0 || (long) width * height != ids.length) {
      throw new IllegalArgumentException(
          "Cannot create DETR panoptic output: ids length must equal width*height ("
              + width
              + "x"
              + height
              + ")");
    }
    segments = List.copyOf(segments);
  }

  /**
   * Wraps the output as a prediction for {@link PqMatcher}.
   *
   * @param name image name for error messages
   * @return the prediction; shares {@code ids}
   */
  public PanopticImage toPanopticImage(String name) {
    List<Segment> list = new ArrayList<>(segments.size());
    for (DetrSegment segment : segments) {
      list.add(segment.toSegment());
    }
    return new PanopticImage(name, width, height, ids, list);
  }
}
