package dev.segspark.jobs.actions;

import dev.segspark.evaluation.image.PixelLimits;
import dev.segspark.jobs.data.ImageLister;
import dev.segspark.jobs.data.PathChecks;
import dev.segspark.udfs.model.ModelSpec;
import dev.segspark.udfs.partition.LabelLayout;
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
 * @param partitions Spark partitions; 0 = automatic; never more than the batches of images
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
      if (!LabelLayout.FORMATS.contains(f)) {
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

  /**
   * Checks the paths on the driver's filesystem, before any Spark work: {@code images} exists and
   * {@code out} is a folder that can be written or created, and is not the folder {@code images}
   * searches. The CLI runs it before it builds the Spark session; {@link LabelAction#execute()}
   * runs it first.
   *
   * <p>An {@code out} below the searched folder is fine: the listing leaves it out (see {@link
   * LabelInputs}). {@code out} equal to that folder is refused: the masks would sit among the
   * inputs, and leaving the whole output folder out of the listing would leave out every input.
   *
   * @throws IllegalArgumentException if a path names nothing or the wrong kind of thing (bad usage)
   * @throws dev.segspark.evaluation.InvalidInputException if {@code out} cannot be written
   */
  public void checkPaths() {
    Path folder = ImageLister.folder(images);
    PathChecks.requireWritableFolder(out, "--out", "label");
    if (folder != null && PathChecks.samePlace(out, folder)) {
      throw new IllegalArgumentException(
          "Cannot label: --out is the folder --images searches, so the next run would label the"
              + " masks as images; choose an --out outside it or a sub-folder ("
              + out
              + ")");
    }
  }
}
