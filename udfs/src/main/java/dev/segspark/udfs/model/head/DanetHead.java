package dev.segspark.udfs.model.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.segspark.udfs.model.Segmentation;
import java.util.List;

/**
 * {@code adapter: danet}: three {@code [B,K,h,w]} outputs (fused, PAM, CAM heads); the fused one is
 * the prediction, as in mmsegmentation's DANet.
 */
public final class DanetHead implements Head {
  @Override
  public String name() {
    return "danet";
  }

  @Override
  public List<Segmentation> decode(NDList outputs, HeadContext context, int height, int width) {
    return ClassScores.decode(scores(outputs, context), context, height, width);
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

  @Override
  public boolean slides() {
    return true;
  }
}
