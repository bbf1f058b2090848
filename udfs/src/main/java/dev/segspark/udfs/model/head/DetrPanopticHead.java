package dev.segspark.udfs.model.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.segspark.evaluation.image.LabelMap;
import dev.segspark.evaluation.labels.Label;
import dev.segspark.evaluation.metrics.PredictionIds;
import dev.segspark.evaluation.panoptic.DetrPanopticOutput;
import dev.segspark.evaluation.panoptic.DetrPanopticPostProcessor;
import dev.segspark.evaluation.panoptic.DetrSegment;
import dev.segspark.udfs.model.BilinearArgmax;
import dev.segspark.udfs.model.ModelSpec;
import dev.segspark.udfs.model.Segmentation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code adapter: detr-panoptic}: {@code (pred_logits [B,Q,K+1], pred_masks [B,Q,h,w])}, read by
 * DETR's panoptic post-processing ({@link DetrPanopticPostProcessor}). The semantic map is each
 * pixel's segment class, 255 where no query is kept; labelling also writes the panoptic PNG and
 * {@code segments_info} ({@link PanopticFiles}).
 */
public final class DetrPanopticHead implements Head {
  @Override
  public String name() {
    return "detr-panoptic";
  }

  @Override
  public boolean panoptic() {
    return true;
  }

  @Override
  public List<Segmentation> decode(NDList outputs, HeadContext context, int height, int width) {
    ModelSpec spec = context.spec();
    if (outputs.size() < 2) {
      throw context.error(
          "adapter detr-panoptic expects (pred_logits, pred_masks), the model returned "
              + outputs.size()
              + " output(s)");
    }
    NDArray logits = outputs.get(0).toType(DataType.FLOAT32, false);
    context.checkAxis(logits, 3, 2, spec.numClasses() + 1, "classes + 1 (no object)");
    NDArray masks = outputs.get(1).toType(DataType.FLOAT32, false);
    int batch = (int) logits.getShape().get(0);
    int queries = (int) logits.getShape().get(1);
    int perQuery = (int) logits.getShape().get(2);
    if (masks.getShape().dimension() != 4 || masks.getShape().get(1) != queries) {
      throw context.error(
          "pred_masks shape " + masks.getShape() + " does not match " + queries + " queries");
    }
    DetrPanopticPostProcessor detr =
        new DetrPanopticPostProcessor(thingClasses(spec), spec.detrThreshold());
    float[] all = logits.toFloatArray();
    List<Segmentation> result = new ArrayList<>(batch);
    if (context.inJvm()) {
      int h = (int) masks.getShape().get(2);
      int w = (int) masks.getShape().get(3);
      float[] small = masks.toFloatArray();
      BilinearArgmax up = new BilinearArgmax(h, w, height, width);
      for (int b = 0; b < batch; b++) {
        float[] mine =
            Arrays.copyOfRange(all, b * queries * perQuery, (b + 1) * queries * perQuery);
        int offset = b * queries * h * w;
        result.add(
            semantic(
                detr.process(
                    mine, queries, perQuery, height, width, q -> up.argmax(small, offset, q))));
      }
      return result;
    }
    NDArray full = Tensors.resize(masks, height, width);
    for (int b = 0; b < batch; b++) {
      float[] mine = Arrays.copyOfRange(all, b * queries * perQuery, (b + 1) * queries * perQuery);
      NDArray imageMasks = full.get(b);
      result.add(
          semantic(
              detr.process(
                  mine,
                  queries,
                  perQuery,
                  height,
                  width,
                  q -> assign(imageMasks, q, height, width))));
    }
    return result;
  }

  /** Arg-max over the chosen queries' masks, on the device; positions in {@code queries}. */
  private static int[] assign(NDArray masks, int[] queries, int height, int width) {
    if (queries.length == 1) {
      return new int[height * width];
    }
    NDManager m = masks.getManager();
    long[] idx = Arrays.stream(queries).asLongStream().toArray();
    NDArray chosen = masks.get(m.create(idx));
    NDArray winner = chosen.argMax(0);
    return winner.toType(DataType.INT32, false).toIntArray();
  }

  private static Segmentation semantic(DetrPanopticOutput panoptic) {
    int n = panoptic.width() * panoptic.height();
    byte[] labels = new byte[n];
    List<DetrSegment> segments = panoptic.segments();
    if (segments.isEmpty()) {
      Arrays.fill(labels, (byte) 255);
      return new Segmentation(
          LabelMap.of8(panoptic.width(), panoptic.height(), labels), 0, panoptic);
    }
    byte[] classOf = new byte[segments.size()];
    double score = 0;
    for (DetrSegment s : segments) {
      classOf[s.id()] = (byte) s.categoryId();
      score += s.score();
    }
    int[] map = panoptic.ids();
    for (int i = 0; i < n; i++) {
      labels[i] = classOf[map[i]];
    }
    return new Segmentation(
        LabelMap.of8(panoptic.width(), panoptic.height(), labels),
        score / segments.size(),
        panoptic);
  }

  /** DETR class indices that are things: train classes with instances. */
  private static Set<Integer> thingClasses(ModelSpec spec) {
    Set<Integer> things = new HashSet<>();
    for (Label label : spec.table().labels()) {
      if (!label.hasInstances()) {
        continue;
      }
      int index = spec.outputIds() == PredictionIds.TRAIN_IDS ? label.trainId() : label.id();
      if (index >= 0 && index < spec.numClasses()) {
        things.add(index);
      }
    }
    return things;
  }
}
