package dev.segspark.jobs.synth;

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
 * @param partitions Spark partitions (0 = one per two images, at most the default parallelism × 4)
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
