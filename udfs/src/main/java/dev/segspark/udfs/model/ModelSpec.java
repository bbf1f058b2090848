package dev.segspark.udfs.model;

import dev.segspark.evaluation.labels.LabelTable;
import dev.segspark.evaluation.labels.LabelTables;
import dev.segspark.evaluation.metrics.PredictionIds;
import dev.segspark.udfs.io.fs.FsPaths;
import dev.segspark.udfs.model.head.Head;
import dev.segspark.udfs.model.head.Heads;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;

/**
 * A segmentation model as {@code conf/models/*.yaml} describes it (see {@link ModelSpecs#load}):
 * what file to load, how to feed it and how to read its output. Immutable and serialisable: the
 * driver validates it once and ships it to executors.
 *
 * @param name model name used in reports and manifests
 * @param source the spec file it came from (for messages)
 * @param model model file location (TorchScript or ONNX): an absolute local path or any Hadoop-FS
 *     URI
 * @param engine the runtime of the forward pass ({@code null}: pytorch)
 * @param architecture informational family name (segformer, danet, detr-panoptic, ...); {@code
 *     null}: the adapter's name
 * @param adapter how to read the model output: the name of a registered {@link Head} (any case)
 * @param classes label table name or YAML path as given
 * @param table the resolved label table
 * @param outputIds what output index {@code k} means: the k-th train class or label id k
 * @param numClasses classes K the model scores ({@code detr-panoptic}: without "no object")
 * @param input input size and resize mode
 * @param bgr whether the model wants BGR channel order
 * @param mean per-channel mean in pixel units (0..255), in the model's channel order: 3 finite
 *     values, required (there is no neutral default: a wrong one gives wrong masks, not an error)
 * @param std per-channel standard deviation in pixel units: 3 finite values {@code > 0}, required
 * @param batchSize images per forward pass
 * @param precision fp32, or fp16 on GPUs
 * @param detrThreshold DETR class-probability threshold ({@code detr-panoptic} only)
 */
public record ModelSpec(
    String name,
    String source,
    String model,
    Engine engine,
    String architecture,
    String adapter,
    String classes,
    LabelTable table,
    PredictionIds outputIds,
    int numClasses,
    InputSpec input,
    boolean bgr,
    float[] mean,
    float[] std,
    int batchSize,
    Precision precision,
    double detrThreshold)
    implements Serializable {

  /** The runtime that runs the forward pass; pre- and post-processing are the same for all. */
  public enum Engine {
    /** TorchScript files through DJL's PyTorch engine (libtorch). */
    PYTORCH("PyTorch"),
    /** ONNX files through DJL's ONNX Runtime engine. */
    ONNXRUNTIME("OnnxRuntime");

    private final String djlName;

    Engine(String djlName) {
      this.djlName = djlName;
    }

    /** DJL's engine name. */
    public String djlName() {
      return djlName;
    }

    /** The spelling in spec files. */
    public String yamlName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The engine of a spec's {@code engine} value (any case; {@code onnx} = onnxruntime). */
    public static Engine parse(String name) {
      return switch (name.trim().toLowerCase(Locale.ROOT)) {
        case "pytorch", "torchscript" -> PYTORCH;
        case "onnxruntime", "onnx", "ort" -> ONNXRUNTIME;
        default ->
            throw new IllegalArgumentException(
                "engine must be pytorch or onnxruntime (" + name + ")");
      };
    }
  }

  /** Numeric precision of the forward pass. */
  public enum Precision {
    FP32,
    FP16
  }

  /** How images reach the model's input size. */
  public enum Resize {
    /** The whole image is resized (bilinear) to the input size. */
    WHOLE,
    /** Windows of the input size slide over the image; overlapping logits are averaged. */
    SLIDE
  }

  /**
   * Input geometry.
   *
   * @param height input height (window height for {@code slide})
   * @param width input width (window width for {@code slide})
   * @param resize whole-image resize or sliding window
   * @param strideHeight vertical window stride ({@code slide} only)
   * @param strideWidth horizontal window stride ({@code slide} only)
   */
  public record InputSpec(int height, int width, Resize resize, int strideHeight, int strideWidth)
      implements Serializable {}

  /**
   * Validates every field, so that a spec built in Java (a notebook calling {@code new
   * ModelSpec(...)}) gets the checks of the YAML loader; fills the documented defaults ({@code
   * null} engine: pytorch, architecture: the adapter, outputIds: trainIds, precision: fp32, table:
   * resolved from {@code classes}). The normalisation has no default: a model fed other pixel
   * statistics than it was trained with still returns masks, just wrong ones.
   *
   * @throws IllegalArgumentException naming {@code source} (else the name) and the spec field
   */
  public ModelSpec {
    String spec = source != null ? source : name != null ? name : "(unnamed)";
    name = required(spec, "name", name);
    model = required(spec, "model", model);
    engine = engine == null ? Engine.PYTORCH : engine;
    adapter = adapter == null ? "logits" : adapter;
    if (!Heads.contains(adapter)) {
      throw invalid(
          spec,
          "unknown adapter '" + adapter + "' (expected " + String.join("|", Heads.names()) + ")");
    }
    adapter = Heads.canonical(adapter);
    architecture = architecture == null || architecture.isBlank() ? adapter : architecture;
    classes = required(spec, "classes", classes);
    table = table == null ? LabelTables.resolve(classes, FsPaths::of) : table;
    outputIds = outputIds == null ? PredictionIds.TRAIN_IDS : outputIds;
    if (numClasses <= 0) {
      throw invalid(spec, "'numClasses' must be a positive integer (" + numClasses + ")");
    }
    int expected = outputClasses(table, outputIds);
    if (numClasses != expected) {
      throw invalid(
          spec,
          "numClasses "
              + numClasses
              + " does not match the "
              + table.name()
              + " table ("
              + expected
              + " "
              + (outputIds == PredictionIds.TRAIN_IDS ? "train classes" : "label ids")
              + ")");
    }
    checkInput(spec, input);
    mean = normalisation(spec, "mean", mean, false);
    std = normalisation(spec, "std", std, true);
    if (looksLikeUnitScale(mean, std)) {
      throw invalid(
          spec,
          "mean and std look like 0..1 units ("
              + Arrays.toString(mean)
              + ", "
              + Arrays.toString(std)
              + "); give them in pixel units 0..255, e.g. multiplied by 255");
    }
    if (batchSize <= 0) {
      throw invalid(spec, "'batchSize' must be a positive integer (" + batchSize + ")");
    }
    precision = precision == null ? Precision.FP32 : precision;
    if (precision == Precision.FP16 && engine == Engine.ONNXRUNTIME) {
      throw invalid(
          spec,
          "precision fp16 needs engine pytorch; an ONNX file fixes its input type (export it in"
              + " fp16 and give precision fp32 here)");
    }
    if (!(detrThreshold >= 0 && detrThreshold < 1)) {
      throw invalid(spec, "detr.threshold must be in [0, 1) (" + detrThreshold + ")");
    }
  }

  /** The head that reads this model's outputs. */
  public Head head() {
    return Heads.get(adapter);
  }

  private static IllegalArgumentException invalid(String spec, String reason) {
    return new IllegalArgumentException("Cannot load model spec " + spec + ": " + reason);
  }

  private static String required(String spec, String field, String value) {
    if (value == null || value.isBlank()) {
      throw invalid(spec, "'" + field + "' is required");
    }
    return value;
  }

  private static void checkInput(String spec, InputSpec input) {
    if (input == null) {
      throw invalid(spec, "'input: {height: H, width: W}' is required");
    }
    if (input.height() <= 0 || input.width() <= 0) {
      throw invalid(
          spec,
          "input height and width must be positive integers ("
              + input.height()
              + "x"
              + input.width()
              + ")");
    }
    if (input.resize() == null) {
      throw invalid(spec, "input.resize must be whole or slide");
    }
    if (input.strideHeight() <= 0 || input.strideWidth() <= 0) {
      throw invalid(spec, "input.stride must be [height, width] > 0");
    }
    if (input.strideHeight() > input.height() || input.strideWidth() > input.width()) {
      throw invalid(spec, "input.stride larger than the window leaves gaps");
    }
  }

  private static float[] normalisation(String spec, String field, float[] v, boolean positive) {
    String prefix = "Cannot load model spec " + spec + ": " + field;
    if (v == null) {
      throw new IllegalArgumentException(
          prefix + " is required (3 values in pixel units, in the model's channel order)");
    }
    if (v.length != 3) {
      throw new IllegalArgumentException(
          prefix
              + " must have 3 values, one per channel in the model's channel order ("
              + v.length
              + " given)");
    }
    for (float x : v) {
      if (!Float.isFinite(x) || (positive && x <= 0)) {
        throw new IllegalArgumentException(
            prefix
                + " must be 3 finite numbers"
                + (positive ? ", each > 0" : "")
                + " ("
                + Arrays.toString(v)
                + ")");
      }
    }
    return v.clone();
  }

  /** ImageNet's [0.485, 0.456, 0.406] / [0.229, 0.224, 0.225] copied without the factor 255. */
  private static boolean looksLikeUnitScale(float[] mean, float[] std) {
    for (int c = 0; c < 3; c++) {
      if (mean[c] > 1 || std[c] >= 1) {
        return false;
      }
    }
    return true;
  }

  /** Number of classes of the model's output space in its own label table. */
  public int tableClasses() {
    return outputClasses(table, outputIds);
  }

  /** Size of an output space over {@code table}: its train classes, or its largest label id + 1. */
  public static int outputClasses(LabelTable table, PredictionIds ids) {
    if (ids == PredictionIds.TRAIN_IDS) {
      return table.numClasses();
    }
    int[] annotated = table.annotatedIds();
    return annotated.length == 0 ? 1 : annotated[annotated.length - 1] + 1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelSpec s
        && s.name.equals(name)
        && s.model.equals(model)
        && s.engine == engine
        && s.adapter.equals(adapter)
        && s.classes.equalsIgnoreCase(classes)
        && s.table.name().equals(table.name())
        && s.outputIds == outputIds
        && s.numClasses == numClasses
        && s.input.equals(input)
        && s.bgr == bgr
        && Arrays.equals(s.mean, mean)
        && Arrays.equals(s.std, std)
        && s.batchSize == batchSize
        && s.precision == precision
        && s.detrThreshold == detrThreshold;
  }

  @Override
  public int hashCode() {
    return model.hashCode() * 31 + name.hashCode();
  }

  @Override
  public String toString() {
    return "ModelSpec["
        + name
        + ", "
        + model
        + ", "
        + adapter
        + ", "
        + engine.yamlName()
        + ", "
        + numClasses
        + " classes, input "
        + input.height()
        + "x"
        + input.width()
        + " "
        + input.resize().name().toLowerCase(Locale.ROOT)
        + "]";
  }
}
