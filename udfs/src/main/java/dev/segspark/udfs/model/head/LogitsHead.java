package dev.segspark.udfs.model.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/** {@code adapter: logits}: the first output is {@code [B,K,h,w]} class scores at any stride. */
public final class LogitsHead implements SlidingHead {
  @Override
  public String name() {
    return "logits";
  }

  @Override
  public NDArray scores(NDList outputs, HeadContext context) {
    NDArray logits = outputs.get(0);
    context.checkAxis(logits, 4, 1, context.spec().numClasses(), "classes");
    return logits;
  }
}
