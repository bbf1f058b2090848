package dev.segspark.udfs.model.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.segspark.evaluation.image.LabelMap;
import dev.segspark.udfs.model.Segmentation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Label maps out of class indices: 8-bit up to 255 classes, else 16-bit. */
public final class LabelMaps {
  private LabelMaps() {}

  /** A label map from {@code width * height} class indices starting at {@code offset}. */
  public static LabelMap of(int[] values, int offset, int width, int height, boolean wide) {
    int n = width * height;
    if (wide) {
      short[] v = new short[n];
      for (int i = 0; i < n; i++) {
        v[i] = (short) values[offset + i];
      }
      return LabelMap.of16(width, height, v);
    }
    byte[] v = new byte[n];
    for (int i = 0; i < n; i++) {
      v[i] = (byte) values[offset + i];
    }
    return LabelMap.of8(width, height, v);
  }

  /** One segmentation per image of a {@code [B,H,W]} tensor of class indices. */
  public static List<Segmentation> of(
      NDArray labels, int numClasses, int height, int width, float[] confidence) {
    int batch = confidence.length;
    int n = height * width;
    List<Segmentation> out = new ArrayList<>(batch);
    if (numClasses > 255) {
      int[] all = labels.toType(DataType.INT32, false).toIntArray();
      for (int b = 0; b < batch; b++) {
        out.add(new Segmentation(of(all, b * n, width, height, true), confidence[b], null));
      }
    } else {
      byte[] all = labels.toType(DataType.UINT8, false).toByteArray();
      for (int b = 0; b < batch; b++) {
        byte[] s = Arrays.copyOfRange(all, b * n, (b + 1) * n);
        out.add(new Segmentation(LabelMap.of8(width, height, s), confidence[b], null));
      }
    }
    return out;
  }
}
