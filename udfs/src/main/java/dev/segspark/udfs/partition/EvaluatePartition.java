package dev.segspark.udfs.partition;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.image.LabelMap;
import dev.segspark.evaluation.metrics.EvalSpace;
import dev.segspark.evaluation.metrics.ImageCounts;
import dev.segspark.evaluation.metrics.InstanceCounter;
import dev.segspark.evaluation.metrics.InstanceCounts;
import dev.segspark.evaluation.metrics.PairCounter;
import dev.segspark.udfs.io.SampleFiles;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.util.LongAccumulator;

/**
 * Evaluates the predictions of one partition's samples: decode, count the confusion matrix (and
 * instances), one {@link ImageResult} per sample. Bad input becomes a result with an error (the
 * driver decides to fail or skip); the counters' buffers are reused across the partition.
 */
public final class EvaluatePartition implements FlatMapFunction<Iterator<Sample>, ImageResult> {
  private static final long serialVersionUID = 1L;

  private final EvalSpace space;
  private final boolean withInstances;
  private final long maxPixels;
  private final LongAccumulator progress;

  /**
   * @param space the matrix space (convention, table, prediction ids)
   * @param withInstances whether to read instance maps for iIoU
   * @param maxPixels images with more pixels are rejected
   * @param progress incremented per image, for the driver's progress line (may be null)
   */
  public EvaluatePartition(
      EvalSpace space, boolean withInstances, long maxPixels, LongAccumulator progress) {
    this.space = space;
    this.withInstances = withInstances;
    this.maxPixels = maxPixels;
    this.progress = progress;
  }

  @Override
  public Iterator<ImageResult> call(Iterator<Sample> samples) {
    PairCounter pairs = new PairCounter(space);
    InstanceCounter instances = withInstances ? new InstanceCounter(space) : null;
    Spares spares = new Spares();
    List<ImageResult> results = new ArrayList<>();
    while (samples.hasNext()) {
      results.add(evaluate(samples.next(), pairs, instances, spares));
      if (progress != null) {
        progress.add(1);
      }
    }
    return results.iterator();
  }

  /**
   * The label maps of the previous image, whose arrays the next image's maps are decoded into: an
   * image's maps are no longer read once it is counted, and a partition's images mostly share one
   * size, so the partition reuses three arrays instead of allocating megabytes per image.
   */
  private static final class Spares {
    LabelMap gt;
    LabelMap pred;
    LabelMap inst;
  }

  private ImageResult evaluate(
      Sample sample, PairCounter pairs, InstanceCounter instanceCounter, Spares spares) {
    return evaluate(
        sample,
        () -> spares.gt = SampleFiles.labelMap(sample.groundTruth(), maxPixels, spares.gt),
        () -> spares.pred = SampleFiles.labelMap(sample.prediction(), maxPixels, spares.pred),
        sample.instances() == null
            ? null
            : () -> spares.inst = SampleFiles.labelMap(sample.instances(), maxPixels, spares.inst),
        pairs,
        instanceCounter);
  }

  /**
   * Evaluates one sample whose label maps come from {@code gt}, {@code pred} and {@code inst}
   * (files here, a table's cells in {@link EvaluateTablePartition}): the one counting path of both.
   *
   * @param inst the instance map, or {@code null} when the sample has none
   * @param instanceCounter counts instances for iIoU, or {@code null}
   */
  static ImageResult evaluate(
      Sample sample,
      Supplier<LabelMap> gt,
      Supplier<LabelMap> pred,
      Supplier<LabelMap> inst,
      PairCounter pairs,
      InstanceCounter instanceCounter) {
    long start = System.nanoTime();
    if (sample.prediction() == null) {
      return ImageResult.failed(sample, missingPrediction(sample), 0);
    }
    try {
      LabelMap truth = gt.get();
      LabelMap predicted = pred.get();
      LabelMap instances = instanceCounter != null && inst != null ? inst.get() : null;
      long decoded = System.nanoTime();
      ImageCounts counts = pairs.count(truth, predicted, pairName(sample));
      InstanceCounts instCounts =
          instances == null
              ? InstanceCounts.NONE
              : instanceCounter.count(instances, predicted, sample.instances());
      return new ImageResult(
          sample,
          truth.width(),
          truth.height(),
          counts,
          instCounts,
          null,
          decoded - start,
          System.nanoTime() - decoded);
    } catch (InvalidInputException e) {
      return ImageResult.failed(sample, e.getMessage(), System.nanoTime() - start);
    }
  }

  /** How errors name a prediction / ground-truth pair. */
  static String pairName(Sample sample) {
    return sample.prediction() + " (ground truth " + sample.groundTruth() + ")";
  }

  /** The message for a ground truth without prediction. */
  public static String missingPrediction(Sample sample) {
    return "Cannot evaluate " + sample.groundTruth() + ": no prediction found for " + sample.id();
  }
}
