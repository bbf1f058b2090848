package dev.segspark.udfs.partition;

import dev.segspark.evaluation.panoptic.Segment;
import java.io.Serializable;
import java.util.List;

/**
 * One panoptic sample: the two PNG paths and both segment lists (from the JSON files, read once on
 * the driver).
 *
 * @param imageId the COCO image id
 * @param fileName the annotation PNG name (reports and errors)
 * @param groundTruth ground-truth PNG path
 * @param prediction predicted PNG path, or {@code null} when no prediction lists the image
 * @param gtSegments ground-truth segments (areas from the JSON)
 * @param predSegments predicted segments (areas are counted from the PNG)
 * @param error why the sample cannot be evaluated, found on the driver from the JSON files (no
 *     prediction, two annotations for the image, a segment id listed twice), or {@code null}
 */
public record PanopticSample(
    String imageId,
    String fileName,
    String groundTruth,
    String prediction,
    List<Segment> gtSegments,
    List<Segment> predSegments,
    String error)
    implements Serializable {
  public PanopticSample {
    gtSegments = List.copyOf(gtSegments);
    predSegments = predSegments == null ? List.of() : List.copyOf(predSegments);
  }
}
