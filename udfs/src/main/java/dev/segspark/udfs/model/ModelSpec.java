package dev.segspark.udfs.model;

import dev.segspark.evaluation.labels.LabelTable;
import dev.segspark.evaluation.metrics.PredictionIds;
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
 * @param model TorchScript location: an absolute local path or any Hadoop-FS URI
 * @param architecture informational family name (segformer, danet, detr-panoptic, ...)
 * @param adapter how to read the model output
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
    String architecture,
    Adapter adapter,
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

  /** How the model output is read. */
  public enum Adapter {
    /** {@code [B,K,h,w]} logits at any stride: bilinear resize, then argmax. */
    LOGITS,
    /** A tuple of three {@code [B,K,h,w]}; the first (fused PAM + CAM head) is the prediction. */
    DANET,
    /** {@code (pred_logits [B,Q,K+1], pred_masks [B,Q,h,w])}: DETR panoptic post-processing. */
    DETR_PANOPTIC,
    /** The model returns a label map {@code [B,H,W]} or {@code [B,1,H,W]}. */
    LABELS;

    static Adapter parse(String name, String source) {
      return switch (name.toLowerCase(Locale.ROOT)) {
        case "logits" -> LOGITS;
        case "danet" -> DANET;
        case "detr-panoptic", "detr_panoptic" -> DETR_PANOPTIC;
        case "labels" -> LABELS;
        default ->
            throw new IllegalArgumentException(
                "Cannot load model spec "
                    + source
                    + ": unknown adapter '"
                    + name
                    + "' (expected logits|danet|detr-panoptic|labels)");
      };
    }

    /** The spelling used in spec files. */
    public String yamlName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
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
   * Checks the normalisation, which has no safe default: a model fed other pixel statistics than it
   * was trained with still returns masks, just wrong ones.
   *
   * @throws IllegalArgumentException naming {@code source} and the field when {@code mean} or
   *     {@code std} is missing, has other than 3 values, is not finite, or {@code std} is not
   *     positive
   */
  public ModelSpec {
    String spec = source == null ? name : source;
    mean = normalisation(spec, "mean", mean, false);
    std = normalisation(spec, "std", std, true);
    if (looksLikeUnitScale(mean, std)) {
      throw new IllegalArgumentException(
          "Cannot load model spec "
              + spec
              + ": mean and std look like 0..1 units ("
              + Arrays.toString(mean)
              + ", "
              + Arrays.toString(std)
              + "); give them in pixel units 0..255, e.g. multiplied by 255");
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
        && s.adapter == adapter
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
        + adapter.yamlName()
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
