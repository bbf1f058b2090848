package dev.segspark.evaluation.metrics;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.image.LabelMap;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Counts one image's (ground truth, prediction) pixel pairs into {@link ImageCounts}. Not thread
 * safe: keep one per task or thread and reuse it, its buffers are large.
 *
 * <p>For 8-bit maps the hot loop only bumps a joint histogram of raw value pairs; the lookups into
 * the {@link EvalSpace}, the ignore rule and the unknown-id checks run once per distinct pair
 * afterwards, so they cost nothing per pixel.
 */
public final class PairCounter {
  private static final VarHandle EIGHT_BYTES =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private final EvalSpace space;
  private final int[] gtLookup;
  private final int[] predLookup;
  private final int[] swappedLookup;
  private final boolean[] evaluated;
  private final int columns;
  private final int[] joint = new int[1 << 16];
  private final long[] scratch;
  private final int[] touched;
  private int touchedCount;
  private long swappedCorrect;

  public PairCounter(EvalSpace space) {
    this.space = space;
    this.gtLookup = space.gtLookup();
    this.predLookup = space.predLookup();
    this.swappedLookup = space.swappedPredLookup();
    this.evaluated = space.evaluatedRows();
    this.columns = space.size() + 1;
    this.scratch = new long[space.size() * (space.size() + 1)];
    this.touched = new int[scratch.length];
  }

  /** Counts a pair of equally sized maps; {@code source} names the image in errors. */
  public ImageCounts count(LabelMap gt, LabelMap pred, String source) {
    if (gt.width() != pred.width() || gt.height() != pred.height()) {
      throw new InvalidInputException(
          source,
          "Cannot compare "
              + source
              + ": ground truth is "
              + gt.width()
              + "x"
              + gt.height()
              + " but the prediction is "
              + pred.width()
              + "x"
              + pred.height());
    }
    try {
      long ignored =
          gt.is8Bit() && pred.is8Bit()
              ? countJoint(gt.bytes(), pred.bytes(), source)
              : countWide(gt, pred, source);
      return drain(ignored);
    } catch (RuntimeException e) {
      reset();
      throw e;
    }
  }

  private long countJoint(byte[] g, byte[] p, String source) {
    histogram(g, p, joint);
    int[] h = joint;
    long ignored = 0;
    for (int gv = 0; gv < 256; gv++) {
      int base = gv << 8;
      for (int pv = 0; pv < 256; pv++) {
        int c = h[base | pv];
        if (c != 0) {
          h[base | pv] = 0;
          ignored += place(gv, pv, c, source);
        }
      }
    }
    return ignored;
  }

  /**
   * Adds each pixel's pair {@code (g << 8 | p)} to {@code h}. Label maps are runs: eight pixels at
   * a time, a block that repeats the previous block's last pair (both maps' eight bytes equal to
   * it) only lengthens the current run, counted once when it ends; other blocks are counted pixel
   * by pixel. About 3.5 times faster than one increment per pixel on label maps (less than 1% of
   * pixels start a new pair), about half as fast on noise.
   */
  static void histogram(byte[] g, byte[] p, int[] h) {
    int n = g.length;
    int i = 0;
    // the run's pair and its bytes eight times over; it starts as (255, 255) with a run of none
    int pair = 0xFFFF;
    int run = 0;
    long gRepeat = -1L;
    long pRepeat = -1L;
    for (int end = n - 8; i <= end; i += 8) {
      if ((long) EIGHT_BYTES.get(g, i) == gRepeat && (long) EIGHT_BYTES.get(p, i) == pRepeat) {
        run += 8;
        continue;
      }
      h[pair] += run;
      run = 0;
      for (int j = i; j < i + 8; j++) {
        h[((g[j] & 0xFF) << 8) | (p[j] & 0xFF)]++;
      }
      int last = i + 7;
      pair = ((g[last] & 0xFF) << 8) | (p[last] & 0xFF);
      gRepeat = (g[last] & 0xFFL) * 0x0101010101010101L;
      pRepeat = (p[last] & 0xFFL) * 0x0101010101010101L;
    }
    h[pair] += run;
    for (; i < n; i++) {
      h[((g[i] & 0xFF) << 8) | (p[i] & 0xFF)]++;
    }
  }

  private long countWide(LabelMap gt, LabelMap pred, String source) {
    long ignored = 0;
    for (int i = 0, n = gt.size(); i < n; i++) {
      ignored += place(gt.get(i), pred.get(i), 1, source);
    }
    return ignored;
  }

  /** Adds {@code c} pixels of raw pair (gv, pv); returns the number ignored. */
  private long place(int gv, int pv, long c, String source) {
    int row = gtLookup[gv];
    if (row == EvalSpace.IGNORE) {
      return c;
    }
    if (row == EvalSpace.UNKNOWN) {
      throw unknown(source, "ground-truth", gv);
    }
    int col = predLookup[pv];
    if (col == EvalSpace.IGNORE) {
      return c;
    }
    if (col == EvalSpace.UNKNOWN) {
      throw unknown(source, "predicted", pv);
    }
    if (evaluated[row] && swappedLookup[pv] == row) {
      swappedCorrect += c;
    }
    int cell = row * columns + col;
    if (scratch[cell] == 0) {
      touched[touchedCount++] = cell;
    }
    scratch[cell] += c;
    return 0;
  }

  private InvalidInputException unknown(String source, String what, int value) {
    boolean predicted = what.equals("predicted");
    boolean trainIds = predicted && space.predictionIds() == PredictionIds.TRAIN_IDS;
    return new InvalidInputException(
        source,
        "Cannot evaluate "
            + source
            + ": "
            + what
            + (trainIds ? " train id " : " id ")
            + value
            + " is not in the '"
            + space.table().name()
            + "' label table"
            + (predicted ? " (" + PredictionIdCheck.hint(space.predictionIds()) + ")" : ""));
  }

  private ImageCounts drain(long ignored) {
    int[] cells = Arrays.copyOf(touched, touchedCount);
    Arrays.sort(cells);
    long[] counts = new long[cells.length];
    long counted = 0;
    for (int i = 0; i < cells.length; i++) {
      counts[i] = scratch[cells[i]];
      counted += counts[i];
      scratch[cells[i]] = 0;
    }
    touchedCount = 0;
    long swapped = swappedCorrect;
    swappedCorrect = 0;
    return new ImageCounts(space.size(), cells, counts, counted, ignored, swapped);
  }

  private void reset() {
    Arrays.fill(joint, 0);
    Arrays.fill(scratch, 0);
    touchedCount = 0;
    swappedCorrect = 0;
  }
}
