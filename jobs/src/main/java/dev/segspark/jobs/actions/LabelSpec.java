package dev.segspark.jobs.actions;

import dev.segspark.evaluation.image.PixelLimits;
import dev.segspark.udfs.model.ModelSpec;
import dev.segspark.udfs.partition.LabelPartition;
import java.nio.file.Path;
import java.util.List;

/**
 * Labelling a set of images with a model.
 *
 * @param model the model
 * @param images folder, glob or file of input images
 * @param out output folder: one sub-folder per mask format, {@code manifest.parquet}
 * @param formats mask formats ({@code ids}, {@code color}, {@code overlay})
 * @param resume skip images whose masks all exist
 * @param onError fail (default) or skip bad images
 * @param partitions Spark partitions; 0 = automatic
 * @param maxPixels larger images are rejected
 */
public record LabelSpec(
    ModelSpec model,
    String images,
    Path out,
    List<String> formats,
    boolean resume,
    OnError onError,
    int partitions,
    long maxPixels) {

  public LabelSpec {
    if (model == null || images == null || out == null) {
      throw new IllegalArgumentException("Cannot label: --model, --images and --out are required");
    }
    formats = formats == null || formats.isEmpty() ? List.of("ids") : List.copyOf(formats);
    for (String f : formats) {
      if (!LabelPartition.FORMATS.contains(f)) {
        throw new IllegalArgumentException(
            "Cannot label: unknown --format " + f + " (expected ids, color, overlay)");
      }
    }
    if (formats.stream().distinct().count() != formats.size()) {
      throw new IllegalArgumentException("Cannot label: --format lists a format twice");
    }
    if (partitions < 0) {
      throw new IllegalArgumentException(
          "Cannot label: --partitions must be >= 0 (" + partitions + ")");
    }
    PixelLimits.requireMaxPixels("label", maxPixels, PixelLimits.IMAGE_PIXELS);
    onError = onError == null ? OnError.FAIL : onError;
  }
}
