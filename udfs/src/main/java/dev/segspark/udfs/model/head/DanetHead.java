package dev.segspark.udfs.model.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * {@code adapter: danet}: three {@code [B,K,h,w]} outputs (fused, PAM, CAM heads); the fused one is
 * the prediction, as in mmsegmentation's DANet.
 */
public final class DanetHead implements SlidingHead {
  @Override
  public String name() {
    return "danet";
  }

  @Override
  public NDArray scores(NDList outputs, HeadContext context) {
    if (outputs.size() < 3) {
      throw context.error(
          "adapter danet expects three outputs (fused, PAM, CAM), the model returned "
              + outputs.size());
    }
    NDArray fused = outputs.get(0);
    context.checkAxis(fused, 4, 1, context.spec().numClasses(), "classes");
    return fused;
  }
}
