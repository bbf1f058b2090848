package dev.segspark.evaluation.report;

import java.util.Objects;

/**
 * One row of the "worst images" table of {@code report.html}: an image and its scores alone, as
 * {@code per_image.parquet} holds them.
 *
 * @param image the image id
 * @param meanIoU the report's mIoU definition on this image alone, or null when undefined
 * @param pixelAccuracy correct / counted pixels of this image, or null when nothing was counted
 */
public record WorstImage(String image, Double meanIoU, Double pixelAccuracy) {
  /** Validates the image id. */
  public WorstImage {
    Objects.requireNonNull(image, "image");
  }
}
