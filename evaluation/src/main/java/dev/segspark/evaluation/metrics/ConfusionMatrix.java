package dev.segspark.evaluation.metrics;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A ground-truth × prediction pixel count matrix over an {@link EvalSpace}: {@code size} rows,
 * {@code size + 1} columns (the last holds predictions outside the class range). Mergeable sums
 * only; every metric is derived from the total.
 */
public final class ConfusionMatrix implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int size;
  private final long[] counts;
  private long ignored;
  private long swappedCorrect;

  public ConfusionMatrix(int size) {
    if (size <= 0) {
      throw new IllegalArgumentException("Cannot create confusion matrix: size " + size);
    }
    this.size = size;
    this.counts = new long[size * (size + 1)];
  }

  /** Classes (rows). */
  public int size() {
    return size;
  }

  /**
   * Pixels at (ground truth {@code row}, prediction {@code col}); {@code col == size} = out of
   * range.
   */
  public long get(int row, int col) {
    return counts[row * (size + 1) + col];
  }

  /** Adds one image's counts. */
  public ConfusionMatrix add(ImageCounts image) {
    if (image.size() != size) {
      throw new IllegalArgumentException(
          "Cannot add image counts: size " + image.size() + " into a matrix of size " + size);
    }
    int[] cells = image.cells();
    long[] n = image.counts();
    for (int i = 0; i < cells.length; i++) {
      counts[cells[i]] += n[i];
    }
    ignored += image.ignored();
    swappedCorrect += image.swappedCorrect();
    return this;
  }

  /** Adds another matrix (same size) into this one and returns this. */
  public ConfusionMatrix merge(ConfusionMatrix other) {
    if (other.size != size) {
      throw new IllegalArgumentException(
          "Cannot merge confusion matrices of sizes " + size + " and " + other.size);
    }
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    ignored += other.ignored;
    swappedCorrect += other.swappedCorrect;
    return this;
  }

  /** Adds {@code n} pixels at a cell. */
  public void add(int row, int col, long n) {
    counts[row * (size + 1) + col] += n;
  }

  /** Sum of all counted cells (ignored pixels excluded). */
  public long total() {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    return total;
  }

  /** Pixels dropped because their ground truth is ignored. */
  public long ignored() {
    return ignored;
  }

  /**
   * Pixels of scored rows that would be right were the predicted values read as the other {@link
   * PredictionIds} kind (see {@link PredictionIdCheck}).
   */
  public long swappedCorrect() {
    return swappedCorrect;
  }

  /** Row sum including the out-of-range column. */
  public long rowSum(int row) {
    long sum = 0;
    for (int col = 0; col <= size; col++) {
      sum += get(row, col);
    }
    return sum;
  }

  /** A copy of the K×K block (without the out-of-range column). */
  public long[][] square() {
    long[][] m = new long[size][];
    for (int r = 0; r < size; r++) {
      m[r] = Arrays.copyOfRange(counts, r * (size + 1), r * (size + 1) + size);
    }
    return m;
  }

  /** Per-row counts of predictions outside the class range. */
  public long[] outOfRange() {
    long[] out = new long[size];
    for (int r = 0; r < size; r++) {
      out[r] = get(r, size);
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfusionMatrix m
        && m.size == size
        && m.ignored == ignored
        && m.swappedCorrect == swappedCorrect
        && Arrays.equals(m.counts, counts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(counts) * 31 + size;
  }
}
