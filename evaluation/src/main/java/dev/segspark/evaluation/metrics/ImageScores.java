package dev.segspark.evaluation.metrics;

import java.io.Serializable;
import java.util.List;

/**
 * One image's figures under the run's convention: the image's own confusion matrix put through
 * {@link SemanticMetrics#compute}, so the evaluated classes and the ignore rule are the report's.
 * Summed over images, {@code evaluatedPixels} and {@code correctPixels} give the report's {@code Σ
 * gtPixels} and {@code Σ tp}.
 *
 * @param evaluatedPixels pixels whose ground truth is an evaluated class (the report's gtPixels)
 * @param ignoredPixels the image's other pixels (ignored ground truth, void ids under cityscapes,
 *     detectron2's ignore slot)
 * @param correctPixels evaluated pixels predicted as their ground-truth class
 * @param pixelAccuracy {@code correctPixels / evaluatedPixels} (the report's aAcc), null if 0/0
 * @param meanIoU the report's mIoU definition on this image alone, null if no class is defined
 * @param classIoU per class, in the order of the report's {@code classes}; null where undefined
 */
public record ImageScores(
    long evaluatedPixels,
    long ignoredPixels,
    long correctPixels,
    Double pixelAccuracy,
    Double meanIoU,
    List<Double> classIoU)
    implements Serializable {

  public ImageScores {
    if (evaluatedPixels < 0 || ignoredPixels < 0 || correctPixels > evaluatedPixels) {
      throw new IllegalArgumentException(
          "Cannot create image scores: pixel counts do not add up ("
              + evaluatedPixels
              + ", "
              + ignoredPixels
              + ", "
              + correctPixels
              + ")");
    }
    classIoU = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(classIoU));
  }
}
