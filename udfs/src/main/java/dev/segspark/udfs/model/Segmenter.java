package dev.segspark.udfs.model;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.image.LabelMap;
import dev.segspark.evaluation.labels.Label;
import dev.segspark.evaluation.metrics.PredictionIds;
import dev.segspark.evaluation.panoptic.DetrPanopticOutput;
import dev.segspark.evaluation.panoptic.DetrPanopticPostProcessor;
import dev.segspark.evaluation.panoptic.DetrSegment;
import dev.segspark.udfs.io.DecodedImage;
import dev.segspark.udfs.model.ModelSpec.Adapter;
import dev.segspark.udfs.model.ModelSpec.Precision;
import dev.segspark.udfs.model.ModelSpec.Resize;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs one model for one task: the shared model from {@link ModelCache}, this task's own {@link
 * Predictor}, and the device-side pre- and post-processing. Not thread-safe; close it when the
 * partition ends.
 *
 * <p>Per batch (images of one shape): upload the RGB bytes, convert to float, swap channels if the
 * model wants BGR, resize to the input size (bilinear, {@code align_corners=False}) or cut sliding
 * windows, normalise with mean/std, forward, then resize the logits to the image size, arg-max on
 * the device and copy back only the label map. On the CPU the low-resolution logits are read
 * directly and {@link BilinearArgmax} computes the same label map without materialising the
 * upsampled logits ({@code -Dsegspark.postprocess=device} forces the tensor path everywhere).
 */
public final class Segmenter implements AutoCloseable {
  private static final int BILINEAR = 1;

  private final ModelSpec spec;
  private final Device device;
  private final NDManager manager;
  private final Predictor<NDList, NDList> predictor;
  private final DetrPanopticPostProcessor detr;
  private final boolean upsampleInJvm;
  private final boolean withConfidence;
  private long preprocessNanos;
  private long inferenceNanos;
  private long postprocessNanos;

  /** A segmenter on the current task's device (its Spark GPU, else the CPU). */
  public Segmenter(ModelSpec spec) {
    this(spec, Devices.forCurrentTask(), true);
  }

  /**
   * A segmenter on the current task's device.
   *
   * @param withConfidence whether to compute {@link Segmentation#confidence()} (else NaN)
   */
  public Segmenter(ModelSpec spec, boolean withConfidence) {
    this(spec, Devices.forCurrentTask(), withConfidence);
  }

  /** A segmenter on {@code device}. */
  public Segmenter(ModelSpec spec, Device device, boolean withConfidence) {
    this.spec = spec;
    this.device = device;
    this.withConfidence = withConfidence;
    ZooModel<NDList, NDList> model = ModelCache.get(spec, device);
    this.manager = model.getNDManager().newSubManager(device);
    this.predictor = model.newPredictor(new Forward());
    this.detr =
        spec.adapter() == Adapter.DETR_PANOPTIC
            ? new DetrPanopticPostProcessor(thingClasses(spec), spec.detrThreshold())
            : null;
    this.upsampleInJvm =
        !device.isGpu() && !"device".equals(System.getProperty("segspark.postprocess"));
  }

  /** The device the model runs on. */
  public Device device() {
    return device;
  }

  /** The spec. */
  public ModelSpec spec() {
    return spec;
  }

  /**
   * Segments a batch of images of one shape (at most {@link ModelSpec#batchSize()} for the speed
   * the spec was tuned for, but any number works).
   */
  public List<Segmentation> segment(List<DecodedImage> batch) {
    if (batch.isEmpty()) {
      return List.of();
    }
    DecodedImage first = batch.get(0);
    for (DecodedImage image : batch) {
      if (!image.sameShape(first)) {
        throw new IllegalArgumentException(
            "Cannot segment a batch of mixed shapes ("
                + first.source()
                + ", "
                + image.source()
                + ")");
      }
    }
    try (NDManager scope = manager.newSubManager()) {
      long t0 = System.nanoTime();
      NDArray x = upload(scope, batch);
      long t1 = System.nanoTime();
      preprocessNanos += t1 - t0;
      List<Segmentation> out =
          spec.input().resize() == Resize.SLIDE && spec.adapter() != Adapter.DETR_PANOPTIC
              ? slide(scope, x, first.height(), first.width())
              : whole(scope, x, first.height(), first.width());
      return out;
    } catch (TranslateException e) {
      throw new InvalidInputException(
          spec.model(), "Cannot run model " + spec.model() + ": " + firstLine(e), e);
    }
  }

  /** Nanoseconds spent so far in preprocessing, inference and postprocessing. */
  public StageTimes times() {
    return new StageTimes(0, preprocessNanos, inferenceNanos, postprocessNanos);
  }

  @Override
  public void close() {
    predictor.close();
    manager.close();
  }

  /**
   * The batch as normalised float {@code [B,3,H,W]} in the model's channel order. On a GPU the
   * bytes are uploaded and converted there; on the CPU one pass in Java writes the final floats
   * (the same IEEE operations, {@code (v - mean) / std} in float, as the tensor path).
   */
  private NDArray upload(NDManager scope, List<DecodedImage> batch) {
    DecodedImage first = batch.get(0);
    int h = first.height();
    int w = first.width();
    if (upsampleInJvm) {
      return scope.create(normalise(batch, spec), new Shape(batch.size(), 3, h, w));
    }
    ByteBuffer buf = ByteBuffer.allocateDirect(first.rgb().length * batch.size());
    for (DecodedImage image : batch) {
      buf.put(image.rgb());
    }
    buf.flip();
    NDArray x =
        scope
            .create(buf, new Shape(batch.size(), h, w, 3), DataType.UINT8)
            .toType(DataType.FLOAT32, false);
    if (spec.bgr()) {
      x = x.flip(3);
    }
    NDArray mean = scope.create(spec.mean(), new Shape(1, 1, 1, 3));
    NDArray std = scope.create(spec.std(), new Shape(1, 1, 1, 3));
    // normalise channels-last, then one contiguous NCHW copy: a bare transpose would hand the model
    // channels-last strides, a layout it was not traced with. Flattening the permuted tensor cannot
    // be a view, so it copies into contiguous memory; the second reshape is a view of that copy.
    return x.sub(mean)
        .div(std)
        .transpose(0, 3, 1, 2)
        .reshape(batch.size(), 3L * h * w)
        .reshape(batch.size(), 3, h, w);
  }

  /**
   * A batch of equal-shape images as the model's contiguous {@code [B,3,H,W]} input: channels in
   * the model's order, {@code (v - mean) / std} in float. The CPU path feeds exactly this.
   */
  public static float[] normalise(List<DecodedImage> batch, ModelSpec spec) {
    DecodedImage first = batch.get(0);
    int plane = first.height() * first.width();
    float[] out = new float[batch.size() * 3 * plane];
    float[] mean = spec.mean();
    float[] std = spec.std();
    for (int b = 0; b < batch.size(); b++) {
      byte[] rgb = batch.get(b).rgb();
      for (int c = 0; c < 3; c++) {
        int src = spec.bgr() ? 2 - c : c;
        int base = (b * 3 + c) * plane;
        float m = mean[c];
        float sd = std[c];
        for (int i = 0; i < plane; i++) {
          out[base + i] = ((rgb[3 * i + src] & 255) - m) / sd;
        }
      }
    }
    return out;
  }

  private NDArray precision(NDArray x) {
    return spec.precision() == Precision.FP16 ? x.toType(DataType.FLOAT16, false) : x;
  }

  private List<Segmentation> whole(NDManager scope, NDArray x, int height, int width)
      throws TranslateException {
    long t0 = System.nanoTime();
    int ih = spec.input().height();
    int iw = spec.input().width();
    if (ih != height || iw != width) {
      x = resize(x, ih, iw);
    }
    NDArray input = precision(x);
    long t1 = System.nanoTime();
    preprocessNanos += t1 - t0;
    NDList out = predictor.predict(new NDList(input));
    long t2 = System.nanoTime();
    inferenceNanos += t2 - t1;
    List<Segmentation> result =
        switch (spec.adapter()) {
          case LOGITS, DANET -> fromLogits(logitsOf(out), height, width);
          case LABELS -> fromLabels(out.get(0), height, width);
          case DETR_PANOPTIC -> fromDetr(out, height, width);
        };
    postprocessNanos += System.nanoTime() - t2;
    return result;
  }

  /** mmseg's slide inference: windows of the input size, logits averaged where they overlap. */
  private List<Segmentation> slide(NDManager scope, NDArray x, int height, int width)
      throws TranslateException {
    int ch = spec.input().height();
    int cw = spec.input().width();
    int sh = spec.input().strideHeight();
    int sw = spec.input().strideWidth();
    int rows = Math.max(height - ch + sh - 1, 0) / sh + 1;
    int cols = Math.max(width - cw + sw - 1, 0) / sw + 1;
    int batch = (int) x.getShape().get(0);
    NDArray sum = scope.zeros(new Shape(batch, spec.numClasses(), height, width));
    float[] count = new float[height * width];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        long t0 = System.nanoTime();
        int y2 = Math.min(r * sh + ch, height);
        int x2 = Math.min(c * sw + cw, width);
        int y1 = Math.max(y2 - ch, 0);
        int x1 = Math.max(x2 - cw, 0);
        NDIndex window = new NDIndex(":, :, {}:{}, {}:{}", y1, y2, x1, x2);
        NDArray crop = precision(x.get(window));
        long t1 = System.nanoTime();
        preprocessNanos += t1 - t0;
        NDList out = predictor.predict(new NDList(crop));
        long t2 = System.nanoTime();
        inferenceNanos += t2 - t1;
        NDArray logits = logitsOf(out).toType(DataType.FLOAT32, false);
        if (logits.getShape().get(2) != y2 - y1 || logits.getShape().get(3) != x2 - x1) {
          logits = resize(logits, y2 - y1, x2 - x1);
        }
        sum.set(window, sum.get(window).add(logits));
        for (int y = y1; y < y2; y++) {
          for (int xx = x1; xx < x2; xx++) {
            count[y * width + xx]++;
          }
        }
        postprocessNanos += System.nanoTime() - t2;
      }
    }
    long t3 = System.nanoTime();
    NDArray mean = sum.div(scope.create(count, new Shape(1, 1, height, width)));
    List<Segmentation> result = argmax(mean, mean);
    postprocessNanos += System.nanoTime() - t3;
    return result;
  }

  private NDArray logitsOf(NDList out) {
    if (spec.adapter() == Adapter.DANET && out.size() < 3) {
      throw new InvalidInputException(
          spec.model(),
          "Cannot use model "
              + spec.model()
              + ": adapter danet expects three outputs (fused, PAM, CAM), the model returned "
              + out.size());
    }
    NDArray logits = out.get(0);
    checkClasses(logits, 1, spec.numClasses());
    return logits;
  }

  private void checkClasses(NDArray logits, int axis, int expected) {
    Shape shape = logits.getShape();
    if (shape.dimension() != (axis == 1 ? 4 : 3) || shape.get(axis) != expected) {
      throw new InvalidInputException(
          spec.model(),
          "Cannot use model "
              + spec.model()
              + ": output shape "
              + shape
              + " does not match "
              + expected
              + (spec.adapter() == Adapter.DETR_PANOPTIC ? " classes + 1 (no object)" : " classes")
              + " of spec "
              + spec.source());
    }
  }

  private List<Segmentation> fromLogits(NDArray logits, int height, int width) {
    NDArray small = logits.toType(DataType.FLOAT32, false);
    if (upsampleInJvm) {
      return argmaxInJvm(small, height, width);
    }
    NDArray full =
        small.getShape().get(2) == height && small.getShape().get(3) == width
            ? small
            : resize(small, height, width);
    return argmax(full, small);
  }

  /** Arg-max over classes of {@code full}; confidence from the softmax of {@code small}. */
  private List<Segmentation> argmax(NDArray full, NDArray small) {
    int batch = (int) full.getShape().get(0);
    int height = (int) full.getShape().get(2);
    int width = (int) full.getShape().get(3);
    float[] confidence = new float[batch];
    if (withConfidence) {
      confidence =
          small.softmax(1).max(new int[] {1}).reshape(batch, -1).mean(new int[] {1}).toFloatArray();
    } else {
      Arrays.fill(confidence, Float.NaN);
    }
    NDArray labels = full.argMax(1);
    return maps(labels, batch, height, width, confidence);
  }

  /** {@link BilinearArgmax} on the low-resolution logits; confidence from the same values. */
  private List<Segmentation> argmaxInJvm(NDArray small, int height, int width) {
    Shape shape = small.getShape();
    int batch = (int) shape.get(0);
    int k = (int) shape.get(1);
    int h = (int) shape.get(2);
    int w = (int) shape.get(3);
    float[] all = small.toFloatArray();
    int[] channels = new int[k];
    for (int c = 0; c < k; c++) {
      channels[c] = c;
    }
    BilinearArgmax up = new BilinearArgmax(h, w, height, width);
    List<Segmentation> out = new ArrayList<>(batch);
    for (int b = 0; b < batch; b++) {
      int offset = b * k * h * w;
      LabelMap map = labelMap(up.argmax(all, offset, channels), 0, width, height, k > 255);
      double confidence = withConfidence ? meanTopProbability(all, offset, k, h * w) : Double.NaN;
      out.add(new Segmentation(map, confidence, null));
    }
    return out;
  }

  /** A label map from {@code width * height} class indices starting at {@code offset}. */
  private static LabelMap labelMap(int[] values, int offset, int width, int height, boolean wide) {
    int n = width * height;
    if (wide) {
      short[] v = new short[n];
      for (int i = 0; i < n; i++) {
        v[i] = (short) values[offset + i];
      }
      return LabelMap.of16(width, height, v);
    }
    byte[] v = new byte[n];
    for (int i = 0; i < n; i++) {
      v[i] = (byte) values[offset + i];
    }
    return LabelMap.of8(width, height, v);
  }

  /** Mean over pixels of the softmax's top probability, {@code 1 / sum(exp(l - max))}. */
  private static double meanTopProbability(float[] all, int offset, int k, int plane) {
    double sum = 0;
    for (int i = 0; i < plane; i++) {
      float max = Float.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        max = Math.max(max, all[offset + c * plane + i]);
      }
      double z = 0;
      for (int c = 0; c < k; c++) {
        z += Math.exp(all[offset + c * plane + i] - max);
      }
      sum += 1 / z;
    }
    return sum / plane;
  }

  private List<Segmentation> maps(
      NDArray labels, int batch, int height, int width, float[] confidence) {
    int n = height * width;
    List<Segmentation> out = new ArrayList<>(batch);
    if (spec.numClasses() > 255) {
      int[] all = labels.toType(DataType.INT32, false).toIntArray();
      for (int b = 0; b < batch; b++) {
        out.add(new Segmentation(labelMap(all, b * n, width, height, true), confidence[b], null));
      }
    } else {
      byte[] all = labels.toType(DataType.UINT8, false).toByteArray();
      for (int b = 0; b < batch; b++) {
        byte[] s = Arrays.copyOfRange(all, b * n, (b + 1) * n);
        out.add(new Segmentation(LabelMap.of8(width, height, s), confidence[b], null));
      }
    }
    return out;
  }

  private List<Segmentation> fromLabels(NDArray labels, int height, int width) {
    Shape shape = labels.getShape();
    if (shape.dimension() == 4 && shape.get(1) == 1) {
      labels = labels.squeeze(1);
    }
    if (labels.getShape().dimension() != 3) {
      throw new InvalidInputException(
          spec.model(),
          "Cannot use model " + spec.model() + ": adapter labels expects [B,H,W], got " + shape);
    }
    int batch = (int) labels.getShape().get(0);
    if (labels.getShape().get(1) != height || labels.getShape().get(2) != width) {
      NDArray f = labels.toType(DataType.FLOAT32, false).expandDims(1);
      labels =
          f.getNDArrayInternal().interpolation(new long[] {height, width}, 0, false).squeeze(1);
    }
    float[] ones = new float[batch];
    Arrays.fill(ones, 1f);
    return maps(labels, batch, height, width, ones);
  }

  private List<Segmentation> fromDetr(NDList out, int height, int width) {
    if (out.size() < 2) {
      throw new InvalidInputException(
          spec.model(),
          "Cannot use model "
              + spec.model()
              + ": adapter detr-panoptic expects (pred_logits, pred_masks), the model returned "
              + out.size()
              + " output(s)");
    }
    NDArray logits = out.get(0).toType(DataType.FLOAT32, false);
    checkClasses(logits, 2, spec.numClasses() + 1);
    NDArray masks = out.get(1).toType(DataType.FLOAT32, false);
    int batch = (int) logits.getShape().get(0);
    int queries = (int) logits.getShape().get(1);
    int perQuery = (int) logits.getShape().get(2);
    if (masks.getShape().dimension() != 4 || masks.getShape().get(1) != queries) {
      throw new InvalidInputException(
          spec.model(),
          "Cannot use model "
              + spec.model()
              + ": pred_masks shape "
              + masks.getShape()
              + " does not match "
              + queries
              + " queries");
    }
    float[] all = logits.toFloatArray();
    List<Segmentation> result = new ArrayList<>(batch);
    if (upsampleInJvm) {
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
    NDArray full = resize(masks, height, width);
    for (int b = 0; b < batch; b++) {
      float[] mine = Arrays.copyOfRange(all, b * queries * perQuery, (b + 1) * queries * perQuery);
      NDArray imageMasks = full.get(b);
      DetrPanopticOutput panoptic =
          detr.process(
              mine, queries, perQuery, height, width, q -> assign(imageMasks, q, height, width));
      result.add(semantic(panoptic));
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

  private Segmentation semantic(DetrPanopticOutput panoptic) {
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

  private static NDArray resize(NDArray x, int height, int width) {
    return x.getNDArrayInternal().interpolation(new long[] {height, width}, BILINEAR, false);
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

  private static String firstLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String m = root.getMessage() == null ? root.toString() : root.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /** Hands our own device tensors to the model and keeps its outputs in the caller's scope. */
  private static final class Forward implements NoBatchifyTranslator<NDList, NDList> {
    @Override
    public NDList processInput(TranslatorContext ctx, NDList input) {
      return input;
    }

    @Override
    public NDList processOutput(TranslatorContext ctx, NDList output) {
      return output;
    }
  }
}
