package dev.segspark.udfs.model.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import dev.segspark.udfs.model.Segmentation;
import java.util.Arrays;
import java.util.List;

/**
 * A head added the way a user adds one: this class plus its name in {@code
 * META-INF/services/dev.segspark.udfs.model.head.Head}. {@code adapter: coarse} takes the arg-max
 * at the model's output stride and enlarges it by nearest neighbour (no bilinear interpolation of
 * the scores).
 */
public final class CoarseHead implements Head {
  @Override
  public String name() {
    return "coarse";
  }

  @Override
  public List<Segmentation> decode(NDList outputs, HeadContext context, int height, int width) {
    NDArray logits = outputs.get(0);
    context.checkAxis(logits, 4, 1, context.spec().numClasses(), "classes");
    NDArray coarse = logits.argMax(1).toType(DataType.FLOAT32, false).expandDims(1);
    NDArray labels =
        coarse.getNDArrayInternal().interpolation(new long[] {height, width}, 0, false).squeeze(1);
    float[] confidence = new float[(int) logits.getShape().get(0)];
    Arrays.fill(confidence, Float.NaN);
    return LabelMaps.of(labels, context.spec().numClasses(), height, width, confidence);
  }
}
