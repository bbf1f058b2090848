package dev.segspark.udfs.model.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.segspark.udfs.model.Segmentation;
import java.util.List;

/**
 * A head whose outputs are per-pixel class scores: sliding-window inference averages them over
 * overlapping windows, and a whole image's label map is their bilinear resize and arg-max ({@link
 * ClassScores}).
 */
public interface SlidingHead extends Head {
  /** The class scores {@code [B,K,h,w]} of a forward pass, checked against the spec. */
  NDArray scores(NDList outputs, HeadContext context);

  @Override
  default List<Segmentation> decode(NDList outputs, HeadContext context, int height, int width) {
    return ClassScores.decode(scores(outputs, context), context, height, width);
  }
}
