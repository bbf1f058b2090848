package dev.segspark.udfs.model.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.segspark.udfs.model.Segmentation;
import java.util.Arrays;
import java.util.List;

/**
 * {@code adapter: labels}: the model returns its label map, {@code [B,H,W]} or {@code [B,1,H,W]}
 * (e.g. mmdeploy's default export); a map of another size is resized by nearest neighbour.
 * Confidence is 1.
 */
public final class LabelsHead implements Head {
  @Override
  public String name() {
    return "labels";
  }

  @Override
  public List<Segmentation> decode(NDList outputs, HeadContext context, int height, int width) {
    NDArray labels = outputs.get(0);
    Shape shape = labels.getShape();
    if (shape.dimension() == 4 && shape.get(1) == 1) {
      labels = labels.squeeze(1);
    }
    if (labels.getShape().dimension() != 3) {
      throw context.error("adapter labels expects [B,H,W], got " + shape);
    }
    int batch = (int) labels.getShape().get(0);
    if (labels.getShape().get(1) != height || labels.getShape().get(2) != width) {
      NDArray f = labels.toType(DataType.FLOAT32, false).expandDims(1);
      labels =
          f.getNDArrayInternal().interpolation(new long[] {height, width}, 0, false).squeeze(1);
    }
    float[] ones = new float[batch];
    Arrays.fill(ones, 1f);
    return LabelMaps.of(labels, context.spec().numClasses(), height, width, ones);
  }
}
