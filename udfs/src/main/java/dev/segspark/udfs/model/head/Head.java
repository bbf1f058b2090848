package dev.segspark.udfs.model.head;

import ai.djl.ndarray.NDList;
import dev.segspark.udfs.model.Segmentation;
import java.util.List;

/**
 * How a model's output becomes label maps: one implementation per spec {@code adapter}, registered
 * in {@link Heads}. A head owns the checks of its output shapes, its post-processing on the device
 * and in the JVM ({@link HeadContext#inJvm()}), and what it adds when labelling ({@link
 * #panoptic()}). Heads whose outputs are class scores implement {@link SlidingHead}.
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
   * Whether segmentations carry panoptic segments ({@link Segmentation#panoptic()}): labelling then
   * writes {@link PanopticFiles} beside the masks.
   */
  default boolean panoptic() {
    return false;
  }
}
