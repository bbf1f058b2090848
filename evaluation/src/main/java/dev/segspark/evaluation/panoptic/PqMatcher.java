package dev.segspark.evaluation.panoptic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches the segments of one image's prediction to its ground truth, exactly as panopticapi's
 * {@code pq_compute_single_core}.
 *
 * <ul>
 *   <li>A ground-truth segment and a predicted segment of the same category match when their IoU is
 *       strictly above 0.5, with {@code union = predArea + gtArea - intersection - predOnVoid}: the
 *       ground-truth area is the JSON's, the predicted area is counted in the PNG, and predicted
 *       pixels lying on ground-truth VOID do not count. Crowd ground truth never matches. Each
 *       match is a true positive with its IoU.
 *   <li>An unmatched non-crowd ground-truth segment is a false negative.
 *   <li>An unmatched prediction is ignored when more than half of its area lies on VOID plus the
 *       crowd region of its category, else it is a false positive. As in panopticapi, the crowd
 *       region of a category is the <em>last</em> crowd segment of that category in the
 *       ground-truth segments info (COCO has at most one per category and image).
 * </ul>
 *
 * <p>Stricter than panopticapi, which trusts the ground truth: ground-truth ids in the PNG missing
 * from the JSON, JSON segments missing from the PNG, unknown ground-truth categories and a listed
 * ground-truth segment with id 0 are errors too.
 */
public final class PqMatcher {

  /** Largest joint histogram (ground-truth slots times predicted slots) one image may need. */
  static final long MAX_HISTOGRAM_CELLS = 1L << 22;

  private PqMatcher() {}

  /**
   * Matches one image and returns its statistics; the totals give the per-image TP / FP / FN.
   *
   * @param gt ground truth, with areas from the JSON
   * @param pred prediction; its segment areas are counted from {@code ids}
   * @param categories the dataset's categories
   * @return the statistics of this image
   * @throws IllegalArgumentException on a size mismatch, a segment id in a PNG that the JSON does
   *     not list or the reverse, an unknown category id (message names the image)
   */
  public static PqStats match(PanopticImage gt, PanopticImage pred, PanopticCategories categories) {
    requireSameSize(gt, pred);
    requireValidGroundTruth(gt, categories);
    SegmentIndex gtIndex = new SegmentIndex(gt.segments());
    SegmentIndex predIndex = new SegmentIndex(pred.segments());
    requireHistogramSize(gt, gtIndex, predIndex);
    JointHistogram joint = JointHistogram.count(gt, pred, gtIndex, predIndex);
    requireGroundTruthPresent(gt, joint);
    requirePredictionsPresent(pred, joint, categories);

    PqStats stats = new PqStats();
    boolean[] gtMatched = new boolean[joint.rows()];
    boolean[] predMatched = new boolean[joint.cols()];
    countMatches(gt, pred, joint, stats, gtMatched, predMatched);
    Map<Integer, Integer> crowdRows = countFalseNegatives(gt, stats, gtMatched);
    countFalsePositives(pred, joint, crowdRows, stats, predMatched);
    return stats;
  }

  private static void countMatches(
      PanopticImage gt,
      PanopticImage pred,
      JointHistogram joint,
      PqStats stats,
      boolean[] gtMatched,
      boolean[] predMatched) {
    for (int g = 1; g < joint.rows(); g++) {
      Segment gtSegment = gt.segments().get(g - 1);
      if (gtSegment.isCrowd()) {
        continue;
      }
      for (int p = 1; p < joint.cols(); p++) {
        long intersection = joint.get(g, p);
        if (intersection == 0
            || pred.segments().get(p - 1).categoryId() != gtSegment.categoryId()) {
          continue;
        }
        long union = joint.colSum(p) + gtSegment.area() - intersection - joint.get(0, p);
        if (union <= 0) {
          throw new IllegalArgumentException(
              "Cannot match panoptic segments of image "
                  + gt.name()
                  + ": ground-truth area in the JSON is smaller than its pixels ("
                  + gtSegment.id()
                  + ")");
        }
        if ((double) intersection / union > 0.5) {
          stats.addTruePositive(gtSegment.categoryId(), intersection, union);
          gtMatched[g] = true;
          predMatched[p] = true;
        }
      }
    }
  }

  /** Counts false negatives and returns the crowd row of each category that has one. */
  private static Map<Integer, Integer> countFalseNegatives(
      PanopticImage gt, PqStats stats, boolean[] gtMatched) {
    Map<Integer, Integer> crowdRows = new HashMap<>();
    for (int g = 1; g < gtMatched.length; g++) {
      Segment segment = gt.segments().get(g - 1);
      if (gtMatched[g]) {
        continue;
      }
      if (segment.isCrowd()) {
        crowdRows.put(segment.categoryId(), g);
      } else {
        stats.addFalseNegative(segment.categoryId());
      }
    }
    return crowdRows;
  }

  private static void countFalsePositives(
      PanopticImage pred,
      JointHistogram joint,
      Map<Integer, Integer> crowdRows,
      PqStats stats,
      boolean[] predMatched) {
    for (int p = 1; p < predMatched.length; p++) {
      if (predMatched[p]) {
        continue;
      }
      int categoryId = pred.segments().get(p - 1).categoryId();
      long ignored = joint.get(0, p);
      Integer crowdRow = crowdRows.get(categoryId);
      if (crowdRow != null) {
        ignored += joint.get(crowdRow, p);
      }
      if ((double) ignored / joint.colSum(p) <= 0.5) {
        stats.addFalsePositive(categoryId);
      }
    }
  }

  private static void requireSameSize(PanopticImage gt, PanopticImage pred) {
    if (gt.width() != pred.width() || gt.height() != pred.height()) {
      throw new IllegalArgumentException(
          "Cannot match panoptic segments of image "
              + gt.name()
              + ": prediction size differs from ground truth ("
              + pred.width()
              + "x"
              + pred.height()
              + " vs "
              + gt.width()
              + "x"
              + gt.height()
              + ")");
    }
  }

  private static void requireValidGroundTruth(PanopticImage gt, PanopticCategories categories) {
    for (Segment segment : gt.segments()) {
      if (segment.id() == PanopticImage.VOID) {
        throw new IllegalArgumentException(
            "Cannot match panoptic segments of image "
                + gt.name()
                + ": ground-truth segment id 0 is reserved for VOID ("
                + segment.id()
                + ")");
      }
      if (!categories.contains(segment.categoryId())) {
        throw new IllegalArgumentException(
            "Cannot match panoptic segments of image "
                + gt.name()
                + ": ground-truth segment "
                + segment.id()
                + " has an unknown category_id ("
                + segment.categoryId()
                + ")");
      }
    }
  }

  private static void requireHistogramSize(
      PanopticImage gt, SegmentIndex gtIndex, SegmentIndex predIndex) {
    long cells = (long) gtIndex.slots() * predIndex.slots();
    if (cells > MAX_HISTOGRAM_CELLS) {
      throw new IllegalArgumentException(
          "Cannot match panoptic segments of image "
              + gt.name()
              + ": too many segments (ground truth x prediction = "
              + cells
              + ")");
    }
  }

  private static void requireGroundTruthPresent(PanopticImage gt, JointHistogram joint) {
    List<Integer> missing = new ArrayList<>();
    for (int g = 1; g < joint.rows(); g++) {
      if (joint.rowSum(g) == 0) {
        missing.add(gt.segments().get(g - 1).id());
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot match panoptic segments of image "
              + gt.name()
              + ": ground-truth segment ids are in the JSON but not in the PNG ("
              + missing
              + ")");
    }
  }

  private static void requirePredictionsPresent(
      PanopticImage pred, JointHistogram joint, PanopticCategories categories) {
    List<Integer> missing = new ArrayList<>();
    for (int p = 1; p < joint.cols(); p++) {
      Segment segment = pred.segments().get(p - 1);
      if (joint.colSum(p) == 0) {
        missing.add(segment.id());
      } else if (!categories.contains(segment.categoryId())) {
        throw new IllegalArgumentException(
            "Cannot match panoptic segments of image "
                + pred.name()
                + ": predicted segment "
                + segment.id()
                + " has an unknown category_id ("
                + segment.categoryId()
                + ")");
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot match panoptic segments of image "
              + pred.name()
              + ": predicted segment ids are in the JSON but not in the PNG ("
              + missing
              + ")");
    }
  }
}
