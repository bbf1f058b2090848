package dev.segspark.udfs.model.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.segspark.udfs.model.Segmentation;
import java.util.List;

/**
 * How a model's output becomes label maps: one implementation per spec {@code adapter}, registered
 * in {@link Heads}. A head owns the checks of its output shapes, its post-processing on the device
 * and in the JVM ({@link HeadContext#inJvm()}), and what it adds when labelling ({@link
 * #panoptic()}).
 *
 * <p>Implementations are stateless and shared by every task of a JVM; they need a public
 * no-argument constructor when registered as a plug-in (a line in {@code
 * META-INF/services/dev.segspark.udfs.model.head.Head}).
 */
public interface Head {
  /** The spelling in spec files ({@code adapter: <name>}), lower case. */
  String name();

  /**
   * Label maps of a batch of images of one size from one forward pass.
   *
   * @param outputs the model's outputs, in the segmenter's tensor engine
   * @param context the spec and how to post-process
   * @param height image height
   * @param width image width
   * @return one segmentation per image, in batch order
   */
  List<Segmentation> decode(NDList outputs, HeadContext context, int height, int width);

  /**
   * Per-pixel class scores {@code [B,K,h,w]} of a forward pass, for sliding-window inference (their
   * overlaps are averaged). Heads whose output is not class scores do not slide.
   *
   * @throws UnsupportedOperationException for heads that do not slide
   */
  default NDArray scores(NDList outputs, HeadContext context) {
    throw new UnsupportedOperationException("adapter " + name() + " does not slide");
  }

  /** Whether this head's outputs can be averaged over sliding windows ({@link #scores}). */
  default boolean slides() {
    return false;
  }

  /**
   * Whether segmentations carry panoptic segments ({@link Segmentation#panoptic()}): labelling then
   * writes {@link PanopticFiles} beside the masks.
   */
  default boolean panoptic() {
    return false;
  }
}
