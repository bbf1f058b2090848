package dev.segspark.jobs.actions;

import dev.segspark.evaluation.metrics.EvalSpace;
import dev.segspark.evaluation.metrics.ImageScores;
import dev.segspark.evaluation.metrics.SemanticMetrics;
import dev.segspark.udfs.partition.ImageResult;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

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
          .add("image", DataTypes.StringType, false, x -> x.r().sample().id())
          .add("groundTruth", DataTypes.StringType, false, x -> x.r().sample().groundTruth())
          .add("prediction", DataTypes.StringType, true, x -> x.r().sample().prediction())
          .add("width", DataTypes.IntegerType, false, x -> x.r().width())
          .add("height", DataTypes.IntegerType, false, x -> x.r().height())
          .add(
              "countedPixels",
              DataTypes.LongType,
              false,
              x -> x.s() == null ? 0L : x.s().evaluatedPixels())
          .add(
              "ignoredPixels",
              DataTypes.LongType,
              false,
              x -> x.s() == null ? 0L : x.s().ignoredPixels())
          .add(
              "correctPixels",
              DataTypes.LongType,
              false,
              x -> x.s() == null ? 0L : x.s().correctPixels())
          .add(
              "pixelAccuracy",
              DataTypes.DoubleType,
              true,
              x -> x.s() == null ? null : x.s().pixelAccuracy())
          .add("meanIoU", DataTypes.DoubleType, true, x -> x.s() == null ? null : x.s().meanIoU())
          .add(
              "classIoU",
              DataTypes.createArrayType(DataTypes.DoubleType, true),
              true,
              x -> x.s() == null ? null : x.s().classIoU().toArray(new Double[0]))
          .add("instances", DataTypes.IntegerType, false, x -> x.r().instances().count())
          .add("error", DataTypes.StringType, true, x -> x.r().error())
          .add("decodeMillis", DataTypes.DoubleType, false, x -> x.r().decodeNanos() / 1e6)
          .add("metricsMillis", DataTypes.DoubleType, false, x -> x.r().metricsNanos() / 1e6)
          .add(
              "preprocessMillis",
              DataTypes.DoubleType,
              false,
              x -> x.r().model().preprocess() / 1e6)
          .add("inferenceMillis", DataTypes.DoubleType, false, x -> x.r().model().inference() / 1e6)
          .add(
              "postprocessMillis",
              DataTypes.DoubleType,
              false,
              x -> x.r().model().postprocess() / 1e6);

  /** The table's schema. */
  static final StructType SCHEMA = COLUMNS.schema();

  private PerImageRow() {}

  /** The row of one image scored in {@code space}. */
  static Row of(ImageResult r, EvalSpace space) {
    return COLUMNS.row(
        new Scored(r, r.counts() == null ? null : SemanticMetrics.image(space, r.counts())));
  }
}
