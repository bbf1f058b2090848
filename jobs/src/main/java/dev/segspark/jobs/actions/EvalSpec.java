package dev.segspark.jobs.actions;

import dev.segspark.evaluation.image.PixelLimits;
import dev.segspark.evaluation.metrics.Convention;
import dev.segspark.evaluation.metrics.PredictionIds;
import dev.segspark.jobs.data.DatasetSpec;
import dev.segspark.jobs.data.Layout;
import dev.segspark.jobs.data.PathChecks;
import dev.segspark.jobs.data.SampleLister;
import dev.segspark.udfs.model.ModelSpec;
import java.nio.file.Path;

/**
 * An evaluation of predictions already on disk, or of a model's predictions made on the fly.
 *
 * @param dataset ground truth and label table
 * @param predictions folder searched (recursively) for prediction PNGs; {@code null} with a model
 * @param predictionIds what prediction values mean
 * @param convention the reference tool to reproduce
 * @param out report folder
 * @param onError fail or skip bad images
 * @param partitions Spark partitions; 0 = automatic (several per core); never more than the samples
 *     (with a model, the batches)
 * @param maxPixels larger images are rejected
 * @param model the model that predicts the dataset's images, or {@code null}
 */
public record EvalSpec(
    DatasetSpec dataset,
    Path predictions,
    PredictionIds predictionIds,
    Convention convention,
    Path out,
    OnError onError,
    int partitions,
    long maxPixels,
    ModelSpec model) {

  /** Default largest image: 64 Mpixels. */
  public static final long DEFAULT_MAX_PIXELS = 64L << 20;

  public EvalSpec {
    if (dataset == null || out == null || (predictions == null) == (model == null)) {
      throw new IllegalArgumentException(
          "Cannot evaluate: dataset, out and either predictions or a model are required");
    }
    if (partitions < 0) {
      throw new IllegalArgumentException(
          "Cannot evaluate: --partitions must be >= 0 (" + partitions + ")");
    }
    PixelLimits.requireMaxPixels(
        "evaluate",
        maxPixels,
        model == null ? PixelLimits.LABEL_MAP_PIXELS : PixelLimits.IMAGE_PIXELS);
    boolean cityscapes = dataset.layout() == Layout.CITYSCAPES;
    convention =
        convention != null ? convention : cityscapes ? Convention.CITYSCAPES : Convention.MMSEG;
    predictionIds =
        model != null
            ? model.outputIds()
            : predictionIds != null
                ? predictionIds
                : cityscapes && convention == Convention.CITYSCAPES
                    ? PredictionIds.LABEL_IDS
                    : PredictionIds.TRAIN_IDS;
    onError = onError == null ? OnError.FAIL : onError;
  }

  /**
   * Checks the paths on the driver's filesystem, before any Spark work: the data root, its
   * ground-truth folder and the predictions (with a model, the images) folder exist, and {@code
   * out} is a folder that can be written or created. The CLI runs it before it builds the Spark
   * session; {@link EvaluateAction#execute()} runs it first.
   *
   * @throws IllegalArgumentException if a path names nothing or the wrong kind of thing (bad usage)
   * @throws dev.segspark.evaluation.InvalidInputException if {@code out} cannot be written
   */
  public void checkPaths() {
    SampleLister.checkFolders(dataset, predictions);
    PathChecks.requireWritableFolder(out, "--out", "evaluate");
  }

  /** A predictions-on-disk evaluation. */
  public EvalSpec(
      DatasetSpec dataset,
      Path predictions,
      PredictionIds predictionIds,
      Convention convention,
      Path out,
      OnError onError,
      int partitions,
      long maxPixels) {
    this(
        dataset, predictions, predictionIds, convention, out, onError, partitions, maxPixels, null);
  }

  /** A spec with defaults for the convention, prediction ids and error policy. */
  public static EvalSpec of(DatasetSpec dataset, Path predictions, Path out) {
    return new EvalSpec(dataset, predictions, null, null, out, null, 0, DEFAULT_MAX_PIXELS);
  }

  /** The same spec with another number of partitions. */
  public EvalSpec withPartitions(int n) {
    return new EvalSpec(
        dataset, predictions, predictionIds, convention, out, onError, n, maxPixels, model);
  }

  /** The same spec with another error policy. */
  public EvalSpec withOnError(OnError policy) {
    return new EvalSpec(
        dataset, predictions, predictionIds, convention, out, policy, partitions, maxPixels, model);
  }
}
