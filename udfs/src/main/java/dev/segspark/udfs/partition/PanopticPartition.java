package dev.segspark.udfs.partition;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.image.LabelMap;
import dev.segspark.evaluation.image.PackedRgb;
import dev.segspark.evaluation.image.Png;
import dev.segspark.evaluation.image.PngImage;
import dev.segspark.evaluation.metrics.EvalSpace;
import dev.segspark.evaluation.metrics.ImageCounts;
import dev.segspark.evaluation.metrics.PairCounter;
import dev.segspark.evaluation.panoptic.PanopticCategories;
import dev.segspark.evaluation.panoptic.PanopticCategory;
import dev.segspark.evaluation.panoptic.PanopticImage;
import dev.segspark.evaluation.panoptic.PqMatcher;
import dev.segspark.evaluation.panoptic.PqStats;
import dev.segspark.evaluation.panoptic.Segment;
import dev.segspark.udfs.io.SampleFiles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.util.LongAccumulator;

/**
 * Evaluates one partition of panoptic samples: decode both segment-id PNGs (id = R + 256·G +
 * 256²·B), match them as panopticapi does, and optionally paint each segment's category per pixel
 * to count a semantic confusion matrix over categories from the same pair.
 */
public final class PanopticPartition
    implements FlatMapFunction<Iterator<PanopticSample>, PanopticResult> {
  private static final long serialVersionUID = 1L;

  private final PanopticCategories categories;
  private final EvalSpace semanticSpace;
  private final long maxPixels;
  private final LongAccumulator progress;

  /**
   * @param categories the dataset's categories
   * @param semanticSpace the category space for semantic counts, or {@code null} for none
   * @param maxPixels larger images are rejected
   * @param progress incremented per image (may be null)
   */
  public PanopticPartition(
      PanopticCategories categories,
      EvalSpace semanticSpace,
      long maxPixels,
      LongAccumulator progress) {
    this.categories = categories;
    this.semanticSpace = semanticSpace;
    this.maxPixels = maxPixels;
    this.progress = progress;
  }

  @Override
  public Iterator<PanopticResult> call(Iterator<PanopticSample> samples) {
    PairCounter pairs = semanticSpace == null ? null : new PairCounter(semanticSpace);
    Map<Integer, Integer> categoryIndex = new HashMap<>();
    List<PanopticCategory> list = categories.list();
    for (int i = 0; i < list.size(); i++) {
      categoryIndex.put(list.get(i).id(), i);
    }
    List<PanopticResult> results = new ArrayList<>();
    int[][] buffers = new int[2][];
    while (samples.hasNext()) {
      results.add(evaluate(samples.next(), pairs, categoryIndex, buffers));
      if (progress != null) {
        progress.add(1);
      }
    }
    return results.iterator();
  }

  /**
   * @param buffers the id arrays of the previous image's ground truth and prediction, reused when
   *     this image has the same size (no image outlives its evaluation)
   */
  private PanopticResult evaluate(
      PanopticSample s, PairCounter pairs, Map<Integer, Integer> categoryIndex, int[][] buffers) {
    long start = System.nanoTime();
    try {
      if (s.error() != null) {
        throw new InvalidInputException(s.fileName(), s.error());
      }
      PanopticImage gt = image(s.groundTruth(), s.fileName(), s.gtSegments(), buffers[0]);
      buffers[0] = gt.ids();
      PanopticImage pred = image(s.prediction(), s.fileName(), s.predSegments(), buffers[1]);
      buffers[1] = pred.ids();
      long decoded = System.nanoTime();
      PqStats stats = PqMatcher.match(gt, pred, categories);
      ImageCounts semantic =
          pairs == null
              ? null
              : pairs.count(paint(gt, categoryIndex), paint(pred, categoryIndex), s.prediction());
      return new PanopticResult(
          s,
          gt.width(),
          gt.height(),
          stats,
          semantic,
          null,
          decoded - start,
          System.nanoTime() - decoded);
    } catch (InvalidInputException e) {
      return failed(s, e.getMessage(), start);
    } catch (IllegalArgumentException e) {
      // the panoptic model's checks (PanopticImage, PqMatcher) name the image, not the files
      return failed(s, inconsistent(s, e), start);
    }
  }

  private static PanopticResult failed(PanopticSample s, String error, long start) {
    return new PanopticResult(s, 0, 0, null, null, error, System.nanoTime() - start, 0);
  }

  private static String inconsistent(PanopticSample s, IllegalArgumentException e) {
    return "Cannot evaluate "
        + s.fileName()
        + " (ground truth "
        + s.groundTruth()
        + ", prediction "
        + s.prediction()
        + "): "
        + e.getMessage();
  }

  /** The message for a ground-truth image without prediction. */
  public static String missingPrediction(String imageId, String fileName, String groundTruth) {
    return "Cannot evaluate "
        + groundTruth
        + ": the prediction JSON has no annotation for image "
        + imageId
        + " ("
        + fileName
        + ")";
  }

  private PanopticImage image(String path, String name, List<Segment> segments, int[] reuse) {
    byte[] bytes = SampleFiles.readPng(path, maxPixels);
    int[] header = Png.header(bytes, path);
    if (header[3] == 8 && (header[2] == PngImage.RGB || header[2] == PngImage.RGBA)) {
      // the segment id R + 256*G + 256^2*B is the packed pixel: decoded straight into ints
      PackedRgb rgb = Png.decodePackedRgb(bytes, path, reuse);
      return new PanopticImage(name, rgb.width(), rgb.height(), rgb.pixels(), segments);
    }
    PngImage png = Png.decode(bytes, path);
    throw new InvalidInputException(
        path,
        "Cannot read panoptic PNG "
            + path
            + ": it is a "
            + png.describe()
            + " image; expected 8-bit RGB segment ids (R + 256*G + 256^2*B)");
  }

  /** Category index per pixel; VOID and unlisted ids become 65535 (ignored / out of range). */
  private static LabelMap paint(PanopticImage image, Map<Integer, Integer> categoryIndex) {
    Map<Integer, Integer> bySegment = new HashMap<>();
    for (Segment segment : image.segments()) {
      bySegment.put(segment.id(), categoryIndex.getOrDefault(segment.categoryId(), 65535));
    }
    int[] ids = image.ids();
    short[] out = new short[ids.length];
    int lastId = -1;
    int lastValue = 65535;
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] != lastId) {
        lastId = ids[i];
        lastValue = bySegment.getOrDefault(lastId, 65535);
      }
      out[i] = (short) lastValue;
    }
    return LabelMap.of16(image.width(), image.height(), out);
  }
}
