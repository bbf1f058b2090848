package dev.segspark.jobs.synth;

import dev.segspark.evaluation.labels.Label;
import dev.segspark.evaluation.labels.LabelTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cityscapes instance-id maps to Cityscapes-panoptic ground truth, by the rules of
 * cityscapesScripts' {@code createPanopticImgs.py}: every distinct value of the instance map is a
 * segment whose id is that value (label id for stuff, {@code labelId * 1000 + k} for instances);
 * values of labels ignored in evaluation are left out and their pixels stay 0 (void); a value below
 * 1000 of a class with instances is a crowd region. The category id is the label id.
 */
final class PanopticPainter {
  private static final int VALUES = 1 << 16;

  private final LabelTable table;
  // per-frame scratch, reused: one painter per partition
  private final long[] area = new long[VALUES];
  private final int[] x0 = new int[VALUES];
  private final int[] y0 = new int[VALUES];
  private final int[] x1 = new int[VALUES];
  private final int[] y1 = new int[VALUES];

  PanopticPainter(LabelTable table) {
    this.table = table;
  }

  /** The frame's segments and, in {@code rgb} (3 bytes per pixel, zeroed), its panoptic colours. */
  List<PanopticFrame.Segment> paint(short[] instances, int width, byte[] rgb) {
    Arrays.fill(area, 0);
    int height = instances.length / width;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = y * width + x;
        int v = instances[i] & 0xFFFF;
        Label label = label(v);
        if (label != null && !label.ignoreInEval()) {
          count(v, x, y);
          rgb[3 * i] = (byte) v;
          rgb[3 * i + 1] = (byte) (v >> 8);
        }
      }
    }
    List<PanopticFrame.Segment> segments = new ArrayList<>();
    for (int v = 0; v < VALUES; v++) {
      if (area[v] > 0) {
        Label label = label(v);
        boolean crowd = v < 1000 && label.hasInstances();
        segments.add(
            new PanopticFrame.Segment(
                v, label.id(), area[v], x0[v], y0[v], x1[v] - x0[v] + 1, y1[v] - y0[v] + 1, crowd));
      }
    }
    return segments;
  }

  /** Adds pixel (x, y) to segment {@code v}; rows arrive in order, so its first row is y0. */
  private void count(int v, int x, int y) {
    if (area[v]++ == 0) {
      x0[v] = x;
      x1[v] = x;
      y0[v] = y;
    }
    x0[v] = Math.min(x0[v], x);
    x1[v] = Math.max(x1[v], x);
    y1[v] = y;
  }

  private Label label(int value) {
    return table.byId(value < 1000 ? value : value / 1000);
  }
}
