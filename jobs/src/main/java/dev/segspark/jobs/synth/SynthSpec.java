package dev.segspark.jobs.synth;

import dev.segspark.jobs.data.PathChecks;
import java.nio.file.Path;

/**
 * What {@code segspark synth} generates.
 *
 * @param out output root (Cityscapes layout below it)
 * @param images number of frames
 * @param seed random seed; the same seed gives byte-identical files
 * @param height frame height in pixels
 * @param width frame width in pixels
 * @param withPredictions also write corrupted predictions (labelIds and trainIds)
 * @param split split folder name
 * @param partitions Spark partitions (0 = automatic); never more than the images
 */
public record SynthSpec(
    Path out,
    int images,
    long seed,
    int height,
    int width,
    boolean withPredictions,
    String split,
    int partitions) {
  public SynthSpec {
    if (out == null) {
      throw new IllegalArgumentException("Cannot synthesise: --out is required");
    }
    if (partitions < 0) {
      throw new IllegalArgumentException(
          "Cannot synthesise: --partitions must be >= 0 (" + partitions + ")");
    }
    if (images <= 0) {
      throw new IllegalArgumentException(
          "Cannot synthesise: --images must be positive (" + images + ")");
    }
    if (height < 16 || width < 16 || (long) height * width > 64L << 20) {
      throw new IllegalArgumentException(
          "Cannot synthesise: size must be between 16x16 and 64 Mpixels ("
              + height
              + "x"
              + width
              + ")");
    }
    split = split == null ? "val" : split;
  }

  /**
   * Checks, before any Spark work, that {@code out} is a folder that can be written or created. The
   * CLI runs it before it builds the Spark session; the synth action runs it first.
   *
   * @throws IllegalArgumentException if {@code out} is a file (bad usage)
   * @throws dev.segspark.evaluation.InvalidInputException if {@code out} cannot be written
   */
  public void checkPaths() {
    PathChecks.requireWritableFolder(out, "--out", "synthesise");
  }

  /** Parses {@code HxW}, e.g. {@code 1024x2048}. */
  public static int[] parseSize(String size) {
    String[] parts = size.toLowerCase().split("x");
    try {
      if (parts.length == 2) {
        return new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new IllegalArgumentException(
        "Cannot parse size: expected HxW, e.g. 1024x2048 (" + size + ")");
  }
}
