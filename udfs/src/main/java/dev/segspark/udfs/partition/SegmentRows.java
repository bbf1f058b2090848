package dev.segspark.udfs.partition;

import dev.segspark.udfs.io.DecodedImage;
import dev.segspark.udfs.io.ImageDecoder;
import dev.segspark.udfs.io.MaskEncoder;
import dev.segspark.udfs.model.InferenceLoop;
import dev.segspark.udfs.model.ModelSpec;
import dev.segspark.udfs.model.Segmenter;
import dev.segspark.udfs.model.StageTimes;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one segmentation path of a task, shared by {@code segspark label} ({@link LabelPartition}),
 * the Spark ML transformers ({@code dev.segspark.udfs.ml}) and the {@code segment()} SQL function:
 * the task's {@link Segmenter} (created on first use, closed with {@link #close()}), the {@link
 * InferenceLoop} (prefetching decode, batches of one shape) and one {@link SegmentOutput} per
 * image. Not thread-safe: one per task.
 */
public final class SegmentRows implements AutoCloseable {
  /**
   * One item's outcome.
   *
   * @param item the item
   * @param image its decoded image ({@code null} on error)
   * @param output what the model made of it ({@code null} on error)
   * @param error why the image could not be read, {@code null} on success
   * @param times this item's share of the stage times
   */
  public record Result<T>(
      T item, DecodedImage image, SegmentOutput output, String error, StageTimes times) {}

  private final ModelSpec model;
  private final MaskEncoder encoder;
  private Segmenter segmenter;

  /** Rows segmented by {@code model}. */
  public SegmentRows(ModelSpec model) {
    this.model = model;
    this.encoder = encoder(model);
  }

  /** The encoder of the model's masks (output indices to dataset label ids). */
  public static MaskEncoder encoder(ModelSpec model) {
    return new MaskEncoder(model.table(), model.outputIds(), model.numClasses());
  }

  /** The model. */
  public ModelSpec model() {
    return model;
  }

  /**
   * Segments {@code batches} (each at most the spec's batch size; see {@link InferenceLoop} for why
   * the caller cuts them): every item reaches {@code sink}, in input order, with its output or the
   * error that stopped its decoding.
   *
   * @param decode reads one item, on the prefetch thread; throws {@link
   *     dev.segspark.evaluation.InvalidInputException} for an unreadable image
   */
  public <T> void run(
      List<? extends List<T>> batches, Function<T, DecodedImage> decode, Consumer<Result<T>> sink) {
    InferenceLoop.run(
        segmenter(),
        batches,
        decode,
        image -> image,
        o ->
            sink.accept(
                new Result<>(
                    o.item(),
                    o.input(),
                    o.error() == null ? SegmentOutput.of(o.segmentation(), encoder) : null,
                    o.error(),
                    o.times())));
  }

  /**
   * Segments one encoded image.
   *
   * @param source names the image in errors
   * @throws dev.segspark.evaluation.InvalidInputException if it cannot be decoded
   */
  public SegmentOutput one(byte[] content, String source, long maxPixels) {
    DecodedImage image = ImageDecoder.decode(content, source, maxPixels);
    return SegmentOutput.of(segmenter().segment(List.of(image)).get(0), encoder);
  }

  private Segmenter segmenter() {
    if (segmenter == null) {
      segmenter = new Segmenter(model);
    }
    return segmenter;
  }

  @Override
  public void close() {
    if (segmenter != null) {
      segmenter.close();
      segmenter = null;
    }
  }
}
