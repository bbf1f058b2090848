package dev.segspark.udfs.partition;

import java.io.Serializable;
import java.util.List;

/**
 * What labelling one image produced: a {@code manifest.parquet} row.
 *
 * @param image the input's relative path
 * @param source the input's absolute path
 * @param masks written files, relative to the output folder, one per format
 * @param histogram pixels per model class (index = output index), {@code null} on error
 * @param width image width (0 on error)
 * @param height image height (0 on error)
 * @param confidence mean top-class probability, {@code null} on error (resumed rows keep the one
 *     recorded when the masks were written)
 * @param resumed whether existing masks were kept ({@code --resume})
 * @param millis time spent on this image (decode + its share of the batch + writes)
 * @param segments DETR segments as COCO {@code segments_info} JSON, {@code null} otherwise
 * @param error the error message, {@code null} on success
 */
public record LabelRow(
    String image,
    String source,
    List<String> masks,
    long[] histogram,
    int width,
    int height,
    Double confidence,
    boolean resumed,
    double millis,
    String segments,
    String error)
    implements Serializable {

  /** A failed image. */
  static LabelRow failed(LabelItem item, String error, double millis) {
    return new LabelRow(
        item.relative(), item.image(), List.of(), null, 0, 0, null, false, millis, null, error);
  }
}
