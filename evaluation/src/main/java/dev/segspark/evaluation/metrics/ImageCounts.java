package dev.segspark.evaluation.metrics;

import java.io.Serializable;

/**
 * One image's confusion counts in sparse form: {@code cells[i] = row * (size + 1) + col} with
 * {@code counts[i]} pixels, cells ascending. {@code ignored} counts pixels dropped by the ignore
 * rule; {@code counted + ignored} is the image's pixel count.
 */
public record ImageCounts(int size, int[] cells, long[] counts, long counted, long ignored)
    implements Serializable {

  public ImageCounts {
    if (cells.length != counts.length) {
      throw new IllegalArgumentException("Cannot create image counts: cells and counts differ");
    }
  }

  /** Pixels whose prediction equals the ground truth. */
  public long correct() {
    long correct = 0;
    for (int i = 0; i < cells.length; i++) {
      if (cells[i] / (size + 1) == cells[i] % (size + 1)) {
        correct += counts[i];
      }
    }
    return correct;
  }

  /**
   * Mean IoU of this image alone over the classes present in its ground truth or prediction (the
   * per-image score for sorting and spotting failures, not a benchmark number); null if none.
   */
  public Double meanIoU() {
    long[] tp = new long[size];
    long[] gt = new long[size];
    long[] pred = new long[size];
    for (int i = 0; i < cells.length; i++) {
      int row = cells[i] / (size + 1);
      int col = cells[i] % (size + 1);
      gt[row] += counts[i];
      if (col < size) {
        pred[col] += counts[i];
        if (col == row) {
          tp[row] += counts[i];
        }
      }
    }
    double sum = 0;
    int n = 0;
    for (int c = 0; c < size; c++) {
      long union = gt[c] + pred[c] - tp[c];
      if (union > 0) {
        sum += (double) tp[c] / union;
        n++;
      }
    }
    return n == 0 ? null : sum / n;
  }
}
