package dev.segspark.evaluation.metrics;

import java.io.Serializable;

/**
 * One image's confusion counts in sparse form: {@code cells[i] = row * (size + 1) + col} with
 * {@code counts[i]} pixels, cells ascending. {@code ignored} counts pixels dropped by the ignore
 * rule; {@code counted + ignored} is the image's pixel count. {@code swappedCorrect} counts the
 * pixels of scored rows that would be right if the predicted values were read as the other {@link
 * PredictionIds} kind (see {@link PredictionIdCheck}). The figures a report gives per image come
 * from {@link SemanticMetrics#image}, under the run's convention.
 */
public record ImageCounts(
    int size, int[] cells, long[] counts, long counted, long ignored, long swappedCorrect)
    implements Serializable {

  public ImageCounts {
    if (cells.length != counts.length) {
      throw new IllegalArgumentException("Cannot create image counts: cells and counts differ");
    }
  }
}
