package dev.segspark.udfs.model.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.segspark.evaluation.image.LabelMap;
import dev.segspark.udfs.model.BilinearArgmax;
import dev.segspark.udfs.model.Segmentation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Label maps from class scores {@code [B,K,h,w]} at any stride: bilinear resize to the image size
 * ({@code align_corners=False}), then arg-max over classes. In the JVM, {@link BilinearArgmax}
 * gives the same label map from the low-resolution scores without materialising the upsampled ones.
 */
public final class ClassScores {
  private ClassScores() {}

  /** Label maps (and confidences) of {@code scores} at {@code height x width}. */
  public static List<Segmentation> decode(
      NDArray scores, HeadContext context, int height, int width) {
    NDArray small = scores.toType(DataType.FLOAT32, false);
    if (context.inJvm()) {
      return inJvm(small, context, height, width);
    }
    NDArray full =
        small.getShape().get(2) == height && small.getShape().get(3) == width
            ? small
            : Tensors.resize(small, height, width);
    return argmax(full, small, context);
  }

  /** Arg-max over classes of {@code full}; confidence from the softmax of {@code small}. */
  public static List<Segmentation> argmax(NDArray full, NDArray small, HeadContext context) {
    int batch = (int) full.getShape().get(0);
    int height = (int) full.getShape().get(2);
    int width = (int) full.getShape().get(3);
    float[] confidence = new float[batch];
    if (context.withConfidence()) {
      confidence =
          small.softmax(1).max(new int[] {1}).reshape(batch, -1).mean(new int[] {1}).toFloatArray();
    } else {
      Arrays.fill(confidence, Float.NaN);
    }
    NDArray labels = full.argMax(1);
    return LabelMaps.of(labels, context.spec().numClasses(), height, width, confidence);
  }

  private static List<Segmentation> inJvm(
      NDArray small, HeadContext context, int height, int width) {
    Shape shape = small.getShape();
    int batch = (int) shape.get(0);
    int k = (int) shape.get(1);
    int h = (int) shape.get(2);
    int w = (int) shape.get(3);
    float[] all = small.toFloatArray();
    int[] channels = new int[k];
    for (int c = 0; c < k; c++) {
      channels[c] = c;
    }
    BilinearArgmax up = new BilinearArgmax(h, w, height, width);
    List<Segmentation> out = new ArrayList<>(batch);
    for (int b = 0; b < batch; b++) {
      int offset = b * k * h * w;
      LabelMap map = LabelMaps.of(up.argmax(all, offset, channels), 0, width, height, k > 255);
      double confidence =
          context.withConfidence() ? meanTopProbability(all, offset, k, h * w) : Double.NaN;
      out.add(new Segmentation(map, confidence, null));
    }
    return out;
  }

  /** Mean over pixels of the softmax's top probability, {@code 1 / sum(exp(l - max))}. */
  private static double meanTopProbability(float[] all, int offset, int k, int plane) {
    double sum = 0;
    for (int i = 0; i < plane; i++) {
      float max = Float.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        max = Math.max(max, all[offset + c * plane + i]);
      }
      double z = 0;
      for (int c = 0; c < k; c++) {
        z += Math.exp(all[offset + c * plane + i] - max);
      }
      sum += 1 / z;
    }
    return sum / plane;
  }
}
