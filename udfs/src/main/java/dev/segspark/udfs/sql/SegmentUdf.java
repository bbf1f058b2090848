package dev.segspark.udfs.sql;

import dev.segspark.udfs.model.ModelSpec;
import dev.segspark.udfs.partition.SegmentRows;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code segment(content BINARY) -> BINARY}: a Spark SQL function that runs a model on an encoded
 * image (PNG, JPEG, ...) and returns its mask as a PNG of the dataset's label ids, for users who
 * live in SQL:
 *
 * <pre>
 * SegmentUdf.register(spark, "segment", ModelSpecs.load(Path.of("conf/models/segformer-synth.yaml")));
 * spark.read().format("binaryFile").load("images/").createOrReplaceTempView("images");
 * spark.sql("SELECT path, segment(content) AS mask FROM images");
 * </pre>
 *
 * The model comes from the executor's {@link dev.segspark.udfs.model.ModelCache} (loaded once per
 * JVM); each task gets its own {@link SegmentRows} (the segmentation path {@code segspark label}
 * and the ML transformers take), closed when the task ends. Rows are predicted one at a time (no
 * batching: use {@link dev.segspark.udfs.ml.SemanticSegmenter} or {@code segspark label} for bulk
 * labelling). A {@code null} input gives {@code null}; an undecodable image fails the query with a
 * message naming the problem.
 */
public final class SegmentUdf implements UDF1<byte[], byte[]> {
  private static final long serialVersionUID = 1L;
  private static final ThreadLocal<TaskSegmenter> CURRENT = new ThreadLocal<>();

  private final ModelSpec model;
  private final long maxPixels;

  private record TaskSegmenter(long taskAttempt, ModelSpec model, SegmentRows segmenter) {}

  /**
   * @param model the model
   * @param maxPixels larger images are rejected
   */
  public SegmentUdf(ModelSpec model, long maxPixels) {
    this.model = model;
    this.maxPixels = maxPixels;
  }

  /** Registers {@code name(content)} on the session (64-Mpixel image limit). */
  public static void register(SparkSession spark, String name, ModelSpec model) {
    spark.udf().register(name, new SegmentUdf(model, 64L << 20), DataTypes.BinaryType);
  }

  @Override
  public byte[] call(byte[] content) {
    if (content == null) {
      return null;
    }
    return segmenter().one(content, "segment() input", maxPixels).idsPng();
  }

  private SegmentRows segmenter() {
    TaskContext task = TaskContext.get();
    long attempt = task == null ? -1 : task.taskAttemptId();
    TaskSegmenter current = CURRENT.get();
    if (current != null && current.taskAttempt() == attempt && current.model().equals(model)) {
      return current.segmenter();
    }
    if (current != null && task == null) {
      current.segmenter().close();
    }
    SegmentRows segmenter = new SegmentRows(model);
    CURRENT.set(new TaskSegmenter(attempt, model, segmenter));
    if (task != null) {
      task.addTaskCompletionListener(
          (TaskContext t) -> {
            segmenter.close();
            CURRENT.remove();
          });
    }
    return segmenter;
  }
}
