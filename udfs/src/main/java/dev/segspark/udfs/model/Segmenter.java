package dev.segspark.udfs.model;

import ai.djl.Device;
import ai.djl.engine.EngineException;
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
import dev.segspark.udfs.io.DecodedImage;
import dev.segspark.udfs.model.ModelSpec.Engine;
import dev.segspark.udfs.model.ModelSpec.Precision;
import dev.segspark.udfs.model.ModelSpec.Resize;
import dev.segspark.udfs.model.head.ClassScores;
import dev.segspark.udfs.model.head.Head;
import dev.segspark.udfs.model.head.HeadContext;
import dev.segspark.udfs.model.head.SlidingHead;
import dev.segspark.udfs.model.head.Tensors;
import java.util.List;

/**
 * Runs one model for one task: the shared model from {@link ModelCache}, this task's own {@link
 * Predictor}, batching, pre-processing and whole-image or sliding-window inference; the spec's
 * {@link Head} turns outputs into label maps. Not thread-safe; close it when the partition ends.
 *
 * <p>Per batch (images of one shape): channels in the model's order, resize to the input size
 * (bilinear, {@code align_corners=False}) or cut sliding windows, {@code (v - mean) / std},
 * forward, then the head. Tensor work runs in the PyTorch engine whatever engine runs the forward
 * pass (ONNX Runtime's arrays support few operators): on the CPU the input is normalised in one
 * Java pass and heads post-process in the JVM from the low-resolution outputs; on a GPU both run as
 * tensor operations on the device. {@link Postprocess} forces either path (tests compare them).
 */
public final class Segmenter implements AutoCloseable {
  /** Where pre- and post-processing run. */
  public enum Postprocess {
    /** The JVM on CPUs, tensor operations on GPUs. */
    AUTO,
    /** In the JVM (the CPU default). */
    JVM,
    /** Tensor operations on the model's device (the GPU default). */
    DEVICE
  }

  private final ModelSpec spec;
  private final Device device;
  private final NDManager manager;
  private final Predictor<NDList, NDList> predictor;
  private final Head head;
  private final HeadContext context;
  // the CPU input tensor's memory, reused batch after batch (the tensor lives within segment())
  private final ModelInputs.Staging staging = new ModelInputs.Staging();
  private long preprocessNanos;
  private long inferenceNanos;
  private long postprocessNanos;

  /** A segmenter on the current task's device (its Spark GPU, else the CPU). */
  public Segmenter(ModelSpec spec) {
    this(spec, Devices.forCurrentTask(), true, Postprocess.AUTO);
  }

  /**
   * A segmenter on the current task's device.
   *
   * @param withConfidence whether to compute {@link Segmentation#confidence()} (else NaN)
   */
  public Segmenter(ModelSpec spec, boolean withConfidence) {
    this(spec, Devices.forCurrentTask(), withConfidence, Postprocess.AUTO);
  }

  /**
   * A segmenter on {@code device}.
   *
   * @param withConfidence whether to compute {@link Segmentation#confidence()} (else NaN)
   * @param where where pre- and post-processing run
   */
  public Segmenter(ModelSpec spec, Device device, boolean withConfidence, Postprocess where) {
    this.spec = spec;
    this.device = device;
    this.head = spec.head();
    boolean inJvm = where == Postprocess.AUTO ? !device.isGpu() : where == Postprocess.JVM;
    this.context = new HeadContext(spec, inJvm, withConfidence);
    ZooModel<NDList, NDList> model = ModelCache.get(spec, device);
    this.manager =
        spec.engine() == Engine.PYTORCH
            ? model.getNDManager().newSubManager(device)
            : NDManager.newBaseManager(device, Engine.PYTORCH.djlName());
    this.predictor = model.newPredictor(new Forward());
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
      NDArray x = ModelInputs.upload(scope, batch, spec, context.inJvm(), staging);
      preprocessNanos += System.nanoTime() - t0;
      return spec.input().resize() == Resize.SLIDE && head instanceof SlidingHead sliding
          ? slide(scope, sliding, x, first.height(), first.width())
          : whole(scope, x, first.height(), first.width());
    } catch (TranslateException | EngineException e) {
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

  /** One forward pass; outputs in the PyTorch engine, in {@code scope}. */
  private NDList forward(NDManager scope, NDArray input) throws TranslateException {
    if (spec.precision() == Precision.FP16) {
      input = input.toType(DataType.FLOAT16, false);
    }
    long t0 = System.nanoTime();
    NDList out = predictor.predict(new NDList(input));
    inferenceNanos += System.nanoTime() - t0;
    if (spec.engine() == Engine.PYTORCH) {
      return out;
    }
    NDList own = new NDList(out.size());
    for (NDArray array : out) {
      own.add(scope.from(array));
    }
    return own;
  }

  private List<Segmentation> whole(NDManager scope, NDArray x, int height, int width)
      throws TranslateException {
    long t0 = System.nanoTime();
    int ih = spec.input().height();
    int iw = spec.input().width();
    if (ih != height || iw != width) {
      x = Tensors.resize(x, ih, iw);
    }
    preprocessNanos += System.nanoTime() - t0;
    NDList out = forward(scope, x);
    long t1 = System.nanoTime();
    List<Segmentation> result = head.decode(out, context, height, width);
    postprocessNanos += System.nanoTime() - t1;
    return result;
  }

  /** mmseg's slide inference: windows of the input size, scores averaged where they overlap. */
  private List<Segmentation> slide(
      NDManager scope, SlidingHead sliding, NDArray x, int height, int width)
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
        NDArray crop = x.get(window);
        preprocessNanos += System.nanoTime() - t0;
        NDList out = forward(scope, crop);
        long t1 = System.nanoTime();
        NDArray scores = sliding.scores(out, context).toType(DataType.FLOAT32, false);
        if (scores.getShape().get(2) != y2 - y1 || scores.getShape().get(3) != x2 - x1) {
          scores = Tensors.resize(scores, y2 - y1, x2 - x1);
        }
        sum.set(window, sum.get(window).add(scores));
        for (int y = y1; y < y2; y++) {
          for (int xx = x1; xx < x2; xx++) {
            count[y * width + xx]++;
          }
        }
        postprocessNanos += System.nanoTime() - t1;
      }
    }
    long t2 = System.nanoTime();
    NDArray mean = sum.div(scope.create(count, new Shape(1, 1, height, width)));
    List<Segmentation> result = ClassScores.argmax(mean, mean, context);
    postprocessNanos += System.nanoTime() - t2;
    return result;
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

  /** Hands our own tensors to the model and keeps its outputs in the caller's scope. */
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
