package dev.segspark.jobs.actions;

import dev.segspark.evaluation.metrics.EvalSpace;
import dev.segspark.evaluation.metrics.ImageScores;
import dev.segspark.evaluation.metrics.SemanticMetrics;
import dev.segspark.udfs.partition.ImageResult;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One {@code per_image.parquet} row of a semantic evaluation. The figures are the run's convention
 * applied to the image alone ({@link SemanticMetrics#image}): {@code countedPixels} are the pixels
 * the report scores (summed over images: Σ gtPixels of the report's classes), {@code correctPixels}
 * their true positives (Σ tp), {@code classIoU} follows the report's class order. A failed image
 * has zero counts, null scores and its {@code error}.
 */
final class PerImageRow implements Function<ImageResult, Row> {
  private static final long serialVersionUID = 1L;

  /** The columns, in the order {@link #call} fills them. */
  static final StructType SCHEMA =
      new StructType()
          .add("image", DataTypes.StringType, false)
          .add("groundTruth", DataTypes.StringType, false)
          .add("prediction", DataTypes.StringType, true)
          .add("width", DataTypes.IntegerType, false)
          .add("height", DataTypes.IntegerType, false)
          .add("countedPixels", DataTypes.LongType, false)
          .add("ignoredPixels", DataTypes.LongType, false)
          .add("correctPixels", DataTypes.LongType, false)
          .add("pixelAccuracy", DataTypes.DoubleType, true)
          .add("meanIoU", DataTypes.DoubleType, true)
          .add("classIoU", DataTypes.createArrayType(DataTypes.DoubleType, true), true)
          .add("instances", DataTypes.IntegerType, false)
          .add("error", DataTypes.StringType, true)
          .add("decodeMillis", DataTypes.DoubleType, false)
          .add("metricsMillis", DataTypes.DoubleType, false)
          .add("preprocessMillis", DataTypes.DoubleType, false)
          .add("inferenceMillis", DataTypes.DoubleType, false)
          .add("postprocessMillis", DataTypes.DoubleType, false);

  private final EvalSpace space;

  PerImageRow(EvalSpace space) {
    this.space = space;
  }

  @Override
  public Row call(ImageResult r) {
    ImageScores s = r.counts() == null ? null : SemanticMetrics.image(space, r.counts());
    return RowFactory.create(
        r.sample().id(),
        r.sample().groundTruth(),
        r.sample().prediction(),
        r.width(),
        r.height(),
        s == null ? 0L : s.evaluatedPixels(),
        s == null ? 0L : s.ignoredPixels(),
        s == null ? 0L : s.correctPixels(),
        s == null ? null : s.pixelAccuracy(),
        s == null ? null : s.meanIoU(),
        s == null ? null : s.classIoU().toArray(new Double[0]),
        r.instances().count(),
        r.error(),
        r.decodeNanos() / 1e6,
        r.metricsNanos() / 1e6,
        r.model().preprocess() / 1e6,
        r.model().inference() / 1e6,
        r.model().postprocess() / 1e6);
  }
}
