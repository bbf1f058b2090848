package dev.segspark.udfs.partition;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.image.LabelMap;
import dev.segspark.evaluation.metrics.EvalSpace;
import dev.segspark.evaluation.metrics.ImageCounts;
import dev.segspark.evaluation.metrics.InstanceCounter;
import dev.segspark.evaluation.metrics.InstanceCounts;
import dev.segspark.evaluation.metrics.PairCounter;
import dev.segspark.udfs.io.DecodedImage;
import dev.segspark.udfs.io.ImageDecoder;
import dev.segspark.udfs.io.SampleFiles;
import dev.segspark.udfs.model.InferenceLoop;
import dev.segspark.udfs.model.InferenceLoop.Outcome;
import dev.segspark.udfs.model.ModelSpec;
import dev.segspark.udfs.model.Segmenter;
import dev.segspark.udfs.model.StageTimes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.util.LongAccumulator;

/**
 * Inference and evaluation in one pass over a partition: the model predicts each sample's image
 * ({@link Sample#prediction()} holds the image path), and the label map is counted against the
 * ground truth without ever being written. Images, ground truth and instance maps are decoded ahead
 * on the prefetch thread.
 */
public final class EvaluateModelPartition
    implements FlatMapFunction<Iterator<List<Sample>>, ImageResult> {
  private static final long serialVersionUID = 1L;

  private final ModelSpec model;
  private final EvalSpace space;
  private final boolean withInstances;
  private final long maxPixels;
  private final LongAccumulator progress;

  /**
   * @param model the model
   * @param space the matrix space; its prediction ids are the model's output ids
   * @param withInstances whether to read instance maps for iIoU
   * @param maxPixels larger images are rejected
   * @param progress incremented per image (may be null)
   */
  public EvaluateModelPartition(
      ModelSpec model,
      EvalSpace space,
      boolean withInstances,
      long maxPixels,
      LongAccumulator progress) {
    this.model = model;
    this.space = space;
    this.withInstances = withInstances;
    this.maxPixels = maxPixels;
    this.progress = progress;
  }

  private record Inputs(DecodedImage image, LabelMap gt, LabelMap instances) {}

  @Override
  public Iterator<ImageResult> call(Iterator<List<Sample>> it) {
    List<List<Sample>> samples = new ArrayList<>();
    it.forEachRemaining(samples::add);
    List<ImageResult> results = new ArrayList<>();
    if (samples.isEmpty()) {
      return results.iterator();
    }
    PairCounter pairs = new PairCounter(space);
    InstanceCounter instances = withInstances ? new InstanceCounter(space) : null;
    try (Segmenter segmenter = new Segmenter(model, false)) {
      InferenceLoop.run(
          segmenter,
          samples,
          this::decode,
          Inputs::image,
          outcome -> {
            results.add(count(outcome, pairs, instances));
            if (progress != null) {
              progress.add(1);
            }
          });
    }
    return results.iterator();
  }

  /** The message for a ground truth without input image. */
  public static String missingImage(Sample sample) {
    return "Cannot evaluate " + sample.groundTruth() + ": no input image found for " + sample.id();
  }

  private Inputs decode(Sample s) {
    if (s.prediction() == null) {
      throw new InvalidInputException(s.groundTruth(), missingImage(s));
    }
    DecodedImage image = ImageDecoder.read(s.prediction(), maxPixels);
    LabelMap gt = SampleFiles.labelMap(s.groundTruth(), maxPixels);
    LabelMap inst =
        withInstances && s.instances() != null
            ? SampleFiles.labelMap(s.instances(), maxPixels)
            : null;
    return new Inputs(image, gt, inst);
  }

  private static ImageResult count(
      Outcome<Sample, Inputs> o, PairCounter pairs, InstanceCounter instanceCounter) {
    Sample s = o.item();
    StageTimes t = o.times();
    if (o.error() != null) {
      return new ImageResult(s, 0, 0, null, InstanceCounts.NONE, o.error(), t.decode(), 0, t);
    }
    long start = System.nanoTime();
    try {
      LabelMap pred = o.segmentation().labels();
      LabelMap gt = o.input().gt();
      ImageCounts counts = pairs.count(gt, pred, EvaluatePartition.pairName(s));
      InstanceCounts inst =
          o.input().instances() == null
              ? InstanceCounts.NONE
              : instanceCounter.count(o.input().instances(), pred, s.instances());
      return new ImageResult(
          s, gt.width(), gt.height(), counts, inst, null, t.decode(), System.nanoTime() - start, t);
    } catch (InvalidInputException e) {
      return new ImageResult(s, 0, 0, null, InstanceCounts.NONE, e.getMessage(), t.decode(), 0, t);
    }
  }
}
