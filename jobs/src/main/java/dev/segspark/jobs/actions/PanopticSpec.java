package dev.segspark.jobs.actions;

import dev.segspark.evaluation.image.PixelLimits;
import dev.segspark.jobs.data.PathChecks;
import java.nio.file.Path;

/**
 * A panoptic evaluation in COCO-panoptic layout (Cityscapes-panoptic uses the same format).
 *
 * @param gtJson ground-truth JSON (images, annotations with segments_info, categories)
 * @param gtDir folder of ground-truth PNGs
 * @param predJson prediction JSON (annotations with segments_info)
 * @param predDir folder of predicted PNGs
 * @param out report folder
 * @param semantic also report semantic IoU over categories from the same pair
 * @param onError fail or skip bad images
 * @param partitions Spark partitions; 0 = automatic, at most one per image
 * @param maxPixels larger images are rejected
 */
public record PanopticSpec(
    Path gtJson,
    Path gtDir,
    Path predJson,
    Path predDir,
    Path out,
    boolean semantic,
    OnError onError,
    int partitions,
    long maxPixels) {
  public PanopticSpec {
    if (gtJson == null || gtDir == null || predJson == null || predDir == null || out == null) {
      throw new IllegalArgumentException(
          "Cannot evaluate: --gt-json, --gt-dir, --pred-json, --pred-dir and --out are required");
    }
    if (partitions < 0) {
      throw new IllegalArgumentException(
          "Cannot evaluate: --partitions must be >= 0 (" + partitions + ")");
    }
    if (maxPixels <= 0) {
      throw new IllegalArgumentException(
          "Cannot evaluate: --max-pixels must be positive (" + maxPixels + ")");
    }
    PixelLimits.requireMaxPixels("evaluate", maxPixels, PixelLimits.IMAGE_PIXELS);
    onError = onError == null ? OnError.FAIL : onError;
  }

  /**
   * Checks the paths on the driver's filesystem, before any Spark work: the JSON files and PNG
   * folders exist, and {@code out} is a folder that can be written or created. The CLI runs it
   * before it builds the Spark session; {@link EvaluatePanopticAction#execute()} runs it first.
   *
   * @throws IllegalArgumentException if a path names nothing or the wrong kind of thing (bad usage)
   * @throws dev.segspark.evaluation.InvalidInputException if {@code out} cannot be written
   */
  public void checkPaths() {
    PathChecks.requireFile(gtJson, "--gt-json", "evaluate");
    PathChecks.requireFolder(gtDir, "--gt-dir", "evaluate");
    PathChecks.requireFile(predJson, "--pred-json", "evaluate");
    PathChecks.requireFolder(predDir, "--pred-dir", "evaluate");
    PathChecks.requireWritableFolder(out, "--out", "evaluate");
  }

  /** The same spec with another number of partitions and output folder. */
  public PanopticSpec with(int newPartitions, Path newOut) {
    return new PanopticSpec(
        gtJson, gtDir, predJson, predDir, newOut, semantic, onError, newPartitions, maxPixels);
  }
}
