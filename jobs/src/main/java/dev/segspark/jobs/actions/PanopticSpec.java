package dev.segspark.jobs.actions;

import dev.segspark.evaluation.image.PixelLimits;
import java.nio.file.Files;
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
 * @param partitions Spark partitions; 0 = automatic
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
    requireFile(gtJson, "--gt-json");
    requireFile(predJson, "--pred-json");
    requireDir(gtDir, "--gt-dir");
    requireDir(predDir, "--pred-dir");
    if (out == null) {
      throw new IllegalArgumentException("Cannot evaluate: --out is required");
    }
    PixelLimits.requireMaxPixels("evaluate", maxPixels, PixelLimits.IMAGE_PIXELS);
    onError = onError == null ? OnError.FAIL : onError;
  }

  private static void requireFile(Path p, String option) {
    if (p == null || !Files.isRegularFile(p)) {
      throw new IllegalArgumentException(
          "Cannot evaluate: " + option + " is not a file (" + p + ")");
    }
  }

  private static void requireDir(Path p, String option) {
    if (p == null || !Files.isDirectory(p)) {
      throw new IllegalArgumentException(
          "Cannot evaluate: " + option + " is not a folder (" + p + ")");
    }
  }

  /** The same spec with another number of partitions and output folder. */
  public PanopticSpec with(int newPartitions, Path newOut) {
    return new PanopticSpec(
        gtJson, gtDir, predJson, predDir, newOut, semantic, onError, newPartitions, maxPixels);
  }
}
