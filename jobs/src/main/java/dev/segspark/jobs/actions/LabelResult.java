package dev.segspark.jobs.actions;

import dev.segspark.evaluation.report.ImageError;
import java.nio.file.Path;
import java.util.List;

/**
 * What a labelling run did.
 *
 * @param images images listed
 * @param labelled images predicted and written in this run
 * @param resumed images whose existing masks were kept
 * @param errors images that failed (skipped under {@code --on-error skip})
 * @param seconds wall time
 * @param out output folder
 */
public record LabelResult(
    int images, long labelled, long resumed, List<ImageError> errors, double seconds, Path out) {

  /** Images per second over the images predicted in this run. */
  public double imagesPerSecond() {
    return labelled / seconds;
  }
}
