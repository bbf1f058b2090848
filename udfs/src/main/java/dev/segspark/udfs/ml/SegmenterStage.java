package dev.segspark.udfs.ml;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segspark.udfs.model.ModelSpec;
import dev.segspark.udfs.model.ModelSpecs;
import dev.segspark.udfs.partition.SegmentTablePartition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What both segmenters share: the params, the schema checks and the transform. The input column
 * holds encoded images (PNG, JPEG, ...: the {@code content} of {@code
 * spark.read().format("binaryFile")}) or their paths / URIs (strings); the output columns are
 * appended:
 *
 * <ul>
 *   <li>{@code ids} (binary): the mask as a PNG of the dataset's label ids, the bytes {@code
 *       segspark label} writes under {@code ids/};
 *   <li>{@code histogram} (array&lt;bigint&gt;): pixels per model class (index = the model's output
 *       index; the last entry counts pixels without a class);
 *   <li>{@code confidence} (double): mean top-class probability (DETR: mean segment score);
 *   <li>{@code error} (string): why the image could not be segmented, {@code null} when it was
 *       (only with {@code onError = skip}; under {@code fail} a bad image fails the job, naming
 *       it).
 * </ul>
 *
 * Rows keep their order and partitioning; within a partition consecutive rows share a forward pass
 * (up to {@code batchSize}).
 *
 * @param <T> the concrete stage, so that setters chain
 */
public abstract class SegmenterStage<T extends SegmenterStage<T>> extends Transformer
    implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final Param<String> modelSpec;
  private final IntParam batchSize;
  private final LongParam maxPixels;
  private final Param<String> onError;
  private final Param<String> inputCol;
  private final Param<String> keyCol;
  private final Param<String> idsCol;
  private final Param<String> histogramCol;
  private final Param<String> confidenceCol;
  private final Param<String> errorCol;

  SegmenterStage(String uid) {
    this.uid = uid;
    modelSpec =
        new Param<>(
            this,
            "modelSpec",
            "the model: a shipped name (segformer-synth, ...) or the path of a model spec YAML");
    batchSize =
        new IntParam(
            this,
            "batchSize",
            "images per forward pass; 0 = the model spec's",
            ParamValidators.gtEq(0));
    maxPixels =
        new LongParam(
            this, "maxPixels", "larger images are rejected (an error)", ParamValidators.gt(0));
    onError =
        new Param<>(
            this,
            "onError",
            "what a bad image does: fail (the job) or skip (an error in the error column)",
            ParamValidators.inArray(new String[] {"fail", "skip"}));
    inputCol = new Param<>(this, "inputCol", "image column: encoded bytes, or a path / URI string");
    keyCol = new Param<>(this, "keyCol", "column naming the image in errors, if the table has it");
    idsCol = new Param<>(this, "idsCol", "output: the ids mask PNG");
    histogramCol = new Param<>(this, "histogramCol", "output: pixels per model class");
    confidenceCol = new Param<>(this, "confidenceCol", "output: mean top-class probability");
    errorCol = new Param<>(this, "errorCol", "output: the error, null when segmented");
    setDefault(batchSize, 0);
    setDefault(maxPixels, 64L << 20);
    setDefault(onError, "fail");
    setDefault(inputCol, "content");
    setDefault(keyCol, "path");
    setDefault(idsCol, "ids");
    setDefault(histogramCol, "histogram");
    setDefault(confidenceCol, "confidence");
    setDefault(errorCol, "error");
  }

  /** A fresh uid with the stage's prefix. */
  static String newUid(String prefix) {
    return Identifiable$.MODULE$.randomUID(prefix);
  }

  @Override
  public String uid() {
    return uid;
  }

  @SuppressWarnings("unchecked")
  private T self() {
    return (T) this;
  }

  /** Whether the stage appends the panoptic columns. */
  abstract boolean panoptic();

  /** The panoptic columns' names, in order (none for semantic output). */
  List<String> panopticColumns() {
    return List.of();
  }

  // ---- params (public getters: ML finds params by reflection on them)

  /** The model: a shipped name or a model spec path. */
  public Param<String> modelSpec() {
    return modelSpec;
  }

  /** Images per forward pass (0 = the spec's). */
  public IntParam batchSize() {
    return batchSize;
  }

  /** Largest image, in pixels. */
  public LongParam maxPixels() {
    return maxPixels;
  }

  /** {@code fail} or {@code skip}. */
  public Param<String> onError() {
    return onError;
  }

  /** The image column. */
  public Param<String> inputCol() {
    return inputCol;
  }

  /** The column naming images in errors. */
  public Param<String> keyCol() {
    return keyCol;
  }

  /** Output column of the ids PNG. */
  public Param<String> idsCol() {
    return idsCol;
  }

  /** Output column of the histogram. */
  public Param<String> histogramCol() {
    return histogramCol;
  }

  /** Output column of the mean confidence. */
  public Param<String> confidenceCol() {
    return confidenceCol;
  }

  /** Output column of the error. */
  public Param<String> errorCol() {
    return errorCol;
  }

  // ---- Java-friendly setters and getters

  /** Sets the model: a shipped name ({@code segformer-synth}) or a model spec YAML path. */
  public T setModelSpec(String value) {
    set(modelSpec, value);
    return self();
  }

  public String getModelSpec() {
    return isDefined(modelSpec) ? $(modelSpec) : null;
  }

  /** Sets the images per forward pass (0 = the model spec's). */
  public T setBatchSize(int value) {
    if (value < 0) {
      throw new IllegalArgumentException("Cannot set batchSize: must be >= 0 (" + value + ")");
    }
    set(batchSize, value);
    return self();
  }

  public int getBatchSize() {
    return (Integer) $(batchSize);
  }

  /** Sets the largest image, in pixels. */
  public T setMaxPixels(long value) {
    if (value <= 0) {
      throw new IllegalArgumentException("Cannot set maxPixels: must be > 0 (" + value + ")");
    }
    set(maxPixels, value);
    return self();
  }

  public long getMaxPixels() {
    return (Long) $(maxPixels);
  }

  /** Sets what a bad image does: {@code fail} (default) or {@code skip}. */
  public T setOnError(String value) {
    if (!"fail".equals(value) && !"skip".equals(value)) {
      throw new IllegalArgumentException(
          "Cannot set onError: expected fail or skip (" + value + ")");
    }
    set(onError, value);
    return self();
  }

  public String getOnError() {
    return $(onError);
  }

  public T setInputCol(String value) {
    set(inputCol, value);
    return self();
  }

  public String getInputCol() {
    return $(inputCol);
  }

  public T setKeyCol(String value) {
    set(keyCol, value);
    return self();
  }

  public String getKeyCol() {
    return $(keyCol);
  }

  public T setIdsCol(String value) {
    set(idsCol, value);
    return self();
  }

  public String getIdsCol() {
    return $(idsCol);
  }

  public T setHistogramCol(String value) {
    set(histogramCol, value);
    return self();
  }

  public String getHistogramCol() {
    return $(histogramCol);
  }

  public T setConfidenceCol(String value) {
    set(confidenceCol, value);
    return self();
  }

  public String getConfidenceCol() {
    return $(confidenceCol);
  }

  public T setErrorCol(String value) {
    set(errorCol, value);
    return self();
  }

  public String getErrorCol() {
    return $(errorCol);
  }

  // ---- the stage

  /**
   * The input schema with the output columns appended.
   *
   * @throws IllegalArgumentException if no model is set, the input column is missing or neither
   *     binary nor string, or an output column exists already or is named twice
   */
  @Override
  public StructType transformSchema(StructType schema) {
    String name = getClass().getSimpleName();
    if (getModelSpec() == null || getModelSpec().isBlank()) {
      throw new IllegalArgumentException(
          "Cannot segment with "
              + name
              + ": no model (setModelSpec: a shipped name such as segformer-synth, or a model"
              + " spec YAML path)");
    }
    String input = getInputCol();
    if (!Arrays.asList(schema.fieldNames()).contains(input)) {
      throw new IllegalArgumentException(
          "Cannot segment with "
              + name
              + ": no input column "
              + input
              + " (columns: "
              + String.join(", ", schema.fieldNames())
              + ")");
    }
    DataType type = schema.apply(input).dataType();
    if (!type.equals(DataTypes.BinaryType) && !type.equals(DataTypes.StringType)) {
      throw new IllegalArgumentException(
          "Cannot segment with "
              + name
              + ": input column "
              + input
              + " must hold image bytes (binary) or paths (string), not "
              + type.simpleString());
    }
    StructType out = schema;
    Set<String> seen = new HashSet<>(Arrays.asList(schema.fieldNames()));
    for (StructField f : outputFields()) {
      if (!seen.add(f.name())) {
        throw new IllegalArgumentException(
            "Cannot segment with "
                + name
                + ": output column "
                + f.name()
                + " exists already (set another name)");
      }
      out = out.add(f);
    }
    return out;
  }

  private List<StructField> outputFields() {
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField(getIdsCol(), DataTypes.BinaryType, true));
    fields.add(
        DataTypes.createStructField(
            getHistogramCol(), DataTypes.createArrayType(DataTypes.LongType, false), true));
    fields.add(DataTypes.createStructField(getConfidenceCol(), DataTypes.DoubleType, true));
    fields.add(DataTypes.createStructField(getErrorCol(), DataTypes.StringType, true));
    List<String> extra = panopticColumns();
    if (!extra.isEmpty()) {
      fields.add(DataTypes.createStructField(extra.get(0), DataTypes.StringType, true));
      fields.add(DataTypes.createStructField(extra.get(1), DataTypes.BinaryType, true));
    }
    return fields;
  }

  /** The model spec, with this stage's batch size when set; checked on the driver. */
  ModelSpec model() {
    ObjectNode overrides = null;
    if (getBatchSize() > 0) {
      overrides = JsonNodeFactory.instance.objectNode().put("batchSize", getBatchSize());
    }
    return ModelSpecs.resolve(getModelSpec(), overrides);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType schema = dataset.schema();
    StructType out = transformSchema(schema);
    ModelSpec model = model();
    checkModel(model);
    String key = getKeyCol();
    int keyIndex =
        key != null && Arrays.asList(schema.fieldNames()).contains(key)
            ? schema.fieldIndex(key)
            : -1;
    SegmentTablePartition.Options options =
        new SegmentTablePartition.Options(
            schema.fieldIndex(getInputCol()),
            schema.apply(getInputCol()).dataType().equals(DataTypes.StringType),
            keyIndex,
            panoptic(),
            getOnError().equals("skip"),
            getMaxPixels());
    return dataset
        .toDF()
        .mapPartitions(new SegmentTablePartition(model, options), Encoders.row(out));
  }

  /** Checks the model suits the stage (on the driver). */
  void checkModel(ModelSpec model) {}

  @Override
  public T copy(ParamMap extra) {
    return defaultCopy(extra);
  }
}
