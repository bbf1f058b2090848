package dev.segspark.udfs.model.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.segspark.udfs.model.Segmentation;
import java.util.List;

/** {@code adapter: logits}: the first output is {@code [B,K,h,w]} class scores at any stride. */
public final class LogitsHead implements Head {
  @Override
  public String name() {
    return "logits";
  }

  @Override
  public List<Segmentation> decode(NDList outputs, HeadContext context, int height, int width) {
    return ClassScores.decode(scores(outputs, context), context, height, width);
  }

  @Override
  public NDArray scores(NDList outputs, HeadContext context) {
    NDArray logits = outputs.get(0);
    context.checkAxis(logits, 4, 1, context.spec().numClasses(), "classes");
    return logits;
  }

  @Override
  public boolean slides() {
    return true;
  }
}
