package dev.segspark.evaluation.panoptic;

/**
 * Pixel counts of (ground-truth slot, predicted slot) pairs of one image, with row and column sums:
 * panopticapi's {@code np.unique(gt_id * OFFSET + pred_id)} on dense slots.
 */
final class JointHistogram {

  private final int rows;
  private final int cols;
  private final int[] counts;
  private final long[] rowSums;
  private final long[] colSums;

  private JointHistogram(int rows, int cols, int[] counts) {
    this.rows = rows;
    this.cols = cols;
    this.counts = counts;
    this.rowSums = new long[rows];
    this.colSums = new long[cols];
    for (int g = 0; g < rows; g++) {
      for (int p = 0; p < cols; p++) {
        rowSums[g] += counts[g * cols + p];
        colSums[p] += counts[g * cols + p];
      }
    }
  }

  static JointHistogram count(
      PanopticImage gt, PanopticImage pred, SegmentIndex gtIndex, SegmentIndex predIndex) {
    int cols = predIndex.slots();
    int[] counts = new int[gtIndex.slots() * cols];
    int[] gtIds = gt.ids();
    int[] predIds = pred.ids();
    int lastGtId = gtIds[0];
    int lastPredId = predIds[0];
    int gtSlot = requireListed(gtIndex.slot(lastGtId), lastGtId, gt.name(), "ground-truth");
    int predSlot = requireListed(predIndex.slot(lastPredId), lastPredId, pred.name(), "predicted");
    int cell = gtSlot * cols + predSlot;
    int run = 0;
    int n = gtIds.length;
    for (int i = 0; i < n; ) {
      // Neighbouring pixels mostly share both segments: count the run in a register, four pixels
      // at a time while all four continue it, and look an id up only when it changes.
      if (i + 4 <= n
          && ((gtIds[i] ^ lastGtId)
                  | (gtIds[i + 1] ^ lastGtId)
                  | (gtIds[i + 2] ^ lastGtId)
                  | (gtIds[i + 3] ^ lastGtId)
                  | (predIds[i] ^ lastPredId)
                  | (predIds[i + 1] ^ lastPredId)
                  | (predIds[i + 2] ^ lastPredId)
                  | (predIds[i + 3] ^ lastPredId))
              == 0) {
        run += 4;
        i += 4;
        continue;
      }
      for (int stop = Math.min(n, i + 4); i < stop; i++) {
        int gtId = gtIds[i];
        int predId = predIds[i];
        if (gtId == lastGtId && predId == lastPredId) {
          run++;
          continue;
        }
        counts[cell] += run;
        run = 1;
        if (gtId != lastGtId) {
          lastGtId = gtId;
          gtSlot = requireListed(gtIndex.slot(gtId), gtId, gt.name(), "ground-truth");
        }
        if (predId != lastPredId) {
          lastPredId = predId;
          predSlot = requireListed(predIndex.slot(predId), predId, pred.name(), "predicted");
        }
        cell = gtSlot * cols + predSlot;
      }
    }
    counts[cell] += run;
    return new JointHistogram(gtIndex.slots(), cols, counts);
  }

  private static int requireListed(int slot, int id, String image, String side) {
    if (slot == SegmentIndex.NOT_LISTED) {
      throw new IllegalArgumentException(
          "Cannot match panoptic segments of image "
              + image
              + ": "
              + side
              + " segment id is in the PNG but not in the JSON ("
              + id
              + ")");
    }
    return slot;
  }

  int rows() {
    return rows;
  }

  int cols() {
    return cols;
  }

  long get(int gtSlot, int predSlot) {
    return counts[gtSlot * cols + predSlot];
  }

  long rowSum(int gtSlot) {
    return rowSums[gtSlot];
  }

  long colSum(int predSlot) {
    return colSums[predSlot];
  }
}
