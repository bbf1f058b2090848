package dev.segspark.jobs.actions;

import dev.segspark.evaluation.image.PixelLimits;
import dev.segspark.evaluation.metrics.Convention;
import dev.segspark.evaluation.metrics.PredictionIds;
import dev.segspark.jobs.data.DatasetSpec;
import dev.segspark.jobs.data.Layout;
import dev.segspark.udfs.partition.EvaluateTablePartition;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * An evaluation of a table whose rows hold an image key, its ground truth and its prediction (and,
 * for Cityscapes iIoU, its instance map), each as label-map PNG bytes (binary) or a path / URI
 * (string). The same numbers and report files as {@code evaluate --predictions} over the same
 * files; see {@link EvaluateTableAction}.
 *
 * @param dataset label table and layout (the convention's default); its name, root and split are
 *     what the report shows
 * @param keyCol the image key column (string), the report's image name
 * @param groundTruthCol the ground-truth column
 * @param predictionCol the prediction column; a null cell is a missing prediction
 * @param instancesCol the instance-map column, or {@code null} for none (no iIoU)
 * @param predictionIds what prediction values mean ({@code null}: as {@link EvalSpec})
 * @param convention the reference tool to reproduce ({@code null}: as {@link EvalSpec})
 * @param out report folder
 * @param onError fail or skip bad rows
 * @param partitions Spark partitions; 0 = the table's own
 * @param maxPixels larger label maps are rejected
 */
public record TableEvalSpec(
    DatasetSpec dataset,
    String keyCol,
    String groundTruthCol,
    String predictionCol,
    String instancesCol,
    PredictionIds predictionIds,
    Convention convention,
    Path out,
    OnError onError,
    int partitions,
    long maxPixels) {

  public TableEvalSpec {
    if (dataset == null || out == null) {
      throw new IllegalArgumentException("Cannot evaluate a table: dataset and out are required");
    }
    keyCol = requireName(keyCol, "keyCol");
    groundTruthCol = requireName(groundTruthCol, "groundTruthCol");
    predictionCol = requireName(predictionCol, "predictionCol");
    if (instancesCol != null) {
      requireName(instancesCol, "instancesCol");
    }
    Set<String> names = new HashSet<>();
    for (String c : Arrays.asList(keyCol, groundTruthCol, predictionCol, instancesCol)) {
      if (c != null && !names.add(c)) {
        throw new IllegalArgumentException(
            "Cannot evaluate a table: column " + c + " is given for two roles");
      }
    }
    if (partitions < 0) {
      throw new IllegalArgumentException(
          "Cannot evaluate a table: partitions must be >= 0 (" + partitions + ")");
    }
    PixelLimits.requireMaxPixels("evaluate", maxPixels, PixelLimits.LABEL_MAP_PIXELS);
    boolean cityscapes = dataset.layout() == Layout.CITYSCAPES;
    convention =
        convention != null ? convention : cityscapes ? Convention.CITYSCAPES : Convention.MMSEG;
    predictionIds =
        predictionIds != null
            ? predictionIds
            : cityscapes && convention == Convention.CITYSCAPES
                ? PredictionIds.LABEL_IDS
                : PredictionIds.TRAIN_IDS;
    onError = onError == null ? OnError.FAIL : onError;
  }

  private static String requireName(String name, String role) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("Cannot evaluate a table: " + role + " is empty");
    }
    return name;
  }

  /**
   * Columns {@code image}, {@code groundTruth} and {@code prediction}, no instance maps, with the
   * dataset's defaults.
   */
  public static TableEvalSpec of(DatasetSpec dataset, Path out) {
    return new TableEvalSpec(
        dataset,
        "image",
        "groundTruth",
        "prediction",
        null,
        null,
        null,
        out,
        null,
        0,
        EvalSpec.DEFAULT_MAX_PIXELS);
  }

  /** The same spec with other key, ground-truth and prediction columns. */
  public TableEvalSpec withColumns(String key, String groundTruth, String prediction) {
    return new TableEvalSpec(
        dataset,
        key,
        groundTruth,
        prediction,
        instancesCol,
        predictionIds,
        convention,
        out,
        onError,
        partitions,
        maxPixels);
  }

  /** The same spec with an instance-map column (Cityscapes iIoU). */
  public TableEvalSpec withInstancesCol(String column) {
    return new TableEvalSpec(
        dataset,
        keyCol,
        groundTruthCol,
        predictionCol,
        column,
        predictionIds,
        convention,
        out,
        onError,
        partitions,
        maxPixels);
  }

  /** The same spec with another error policy. */
  public TableEvalSpec withOnError(OnError policy) {
    return new TableEvalSpec(
        dataset,
        keyCol,
        groundTruthCol,
        predictionCol,
        instancesCol,
        predictionIds,
        convention,
        out,
        policy,
        partitions,
        maxPixels);
  }

  /** The columns the evaluation reads, in the order of {@link #columns}. */
  List<String> columnNames() {
    return instancesCol == null
        ? List.of(keyCol, groundTruthCol, predictionCol)
        : List.of(keyCol, groundTruthCol, predictionCol, instancesCol);
  }

  /**
   * Where the cells are once the table is reduced to {@link #columnNames()}.
   *
   * @throws IllegalArgumentException if a column is missing or of the wrong type
   */
  EvaluateTablePartition.Columns columns(StructType schema) {
    List<String> have = Arrays.asList(schema.fieldNames());
    for (String c : columnNames()) {
      if (!have.contains(c)) {
        throw new IllegalArgumentException(
            "Cannot evaluate a table: no column "
                + c
                + " (columns: "
                + String.join(", ", have)
                + ")");
      }
    }
    if (!schema.apply(keyCol).dataType().equals(DataTypes.StringType)) {
      throw new IllegalArgumentException(
          "Cannot evaluate a table: key column "
              + keyCol
              + " must be a string, not "
              + schema.apply(keyCol).dataType().simpleString());
    }
    return new EvaluateTablePartition.Columns(
        0,
        1,
        isPath(schema, groundTruthCol),
        2,
        isPath(schema, predictionCol),
        instancesCol == null ? -1 : 3,
        instancesCol != null && isPath(schema, instancesCol));
  }

  private static boolean isPath(StructType schema, String column) {
    DataType type = schema.apply(column).dataType();
    if (type.equals(DataTypes.StringType)) {
      return true;
    }
    if (type.equals(DataTypes.BinaryType)) {
      return false;
    }
    throw new IllegalArgumentException(
        "Cannot evaluate a table: column "
            + column
            + " must hold PNG bytes (binary) or paths (string), not "
            + type.simpleString());
  }
}
