package dev.segspark.jobs.actions;

import dev.segspark.evaluation.metrics.EvalSpace;
import dev.segspark.evaluation.metrics.ImageScores;
import dev.segspark.evaluation.metrics.SemanticMetrics;
import dev.segspark.jobs.actions.TableSchema.ColumnType;
import dev.segspark.udfs.partition.ImageResult;
import org.apache.spark.sql.Row;

/**
 * One {@code per_image.parquet} row of a semantic evaluation. The figures are the run's convention
 * applied to the image alone ({@link SemanticMetrics#image}): {@code countedPixels} are the pixels
 * the report scores (summed over images: Σ gtPixels of the report's classes), {@code correctPixels}
 * their true positives (Σ tp), {@code classIoU} follows the report's class order. A failed image
 * has zero counts, null scores and its {@code error}.
 */
final class PerImageRow {
  /** What a row is made of: the image's outcome and its scores, {@code null} if it failed. */
  private record Scored(ImageResult r, ImageScores s) {}

  private static final Columns<Scored> COLUMNS =
      Columns.<Scored>of()
          .add("image", ColumnType.STRING, false, x -> x.r().sample().id())
          .add("groundTruth", ColumnType.STRING, false, x -> x.r().sample().groundTruth())
          .add("prediction", ColumnType.STRING, true, x -> x.r().sample().prediction())
          .add("width", ColumnType.INT, false, x -> x.r().width())
          .add("height", ColumnType.INT, false, x -> x.r().height())
          .add(
              "countedPixels",
              ColumnType.LONG,
              false,
              x -> x.s() == null ? 0L : x.s().evaluatedPixels())
          .add(
              "ignoredPixels",
              ColumnType.LONG,
              false,
              x -> x.s() == null ? 0L : x.s().ignoredPixels())
          .add(
              "correctPixels",
              ColumnType.LONG,
              false,
              x -> x.s() == null ? 0L : x.s().correctPixels())
          .add(
              "pixelAccuracy",
              ColumnType.DOUBLE,
              true,
              x -> x.s() == null ? null : x.s().pixelAccuracy())
          .add("meanIoU", ColumnType.DOUBLE, true, x -> x.s() == null ? null : x.s().meanIoU())
          .add(
              "classIoU",
              ColumnType.arrayOf(ColumnType.DOUBLE, true),
              true,
              x -> x.s() == null ? null : x.s().classIoU().toArray(new Double[0]))
          .add("instances", ColumnType.INT, false, x -> x.r().instances().count())
          .add("error", ColumnType.STRING, true, x -> x.r().error())
          .add("decodeMillis", ColumnType.DOUBLE, false, x -> x.r().decodeNanos() / 1e6)
          .add("metricsMillis", ColumnType.DOUBLE, false, x -> x.r().metricsNanos() / 1e6)
          .add("preprocessMillis", ColumnType.DOUBLE, false, x -> x.r().model().preprocess() / 1e6)
          .add("inferenceMillis", ColumnType.DOUBLE, false, x -> x.r().model().inference() / 1e6)
          .add(
              "postprocessMillis",
              ColumnType.DOUBLE,
              false,
              x -> x.r().model().postprocess() / 1e6);

  /** The table's schema. */
  static final TableSchema SCHEMA = COLUMNS.schema();

  private PerImageRow() {}

  /** The row of one image scored in {@code space}. */
  static Row of(ImageResult r, EvalSpace space) {
    return COLUMNS.row(
        new Scored(r, r.counts() == null ? null : SemanticMetrics.image(space, r.counts())));
  }
}
