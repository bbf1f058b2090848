package dev.segspark.udfs.model;

import dev.segspark.udfs.io.DecodedImage;
import dev.segspark.udfs.model.Prefetcher.Decoded;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The inference loop of one partition: a prefetch thread decodes ahead, consecutive images of one
 * shape are batched up to the spec's batch size, the {@link Segmenter} runs each batch, and every
 * item reaches {@code sink} with its segmentation or its decode error, in input order.
 */
public final class InferenceLoop {
  private InferenceLoop() {}

  /**
   * One item's outcome.
   *
   * @param item the item
   * @param input its decoded form ({@code null} on error)
   * @param segmentation the model output ({@code null} on error)
   * @param error the decode error, {@code null} on success
   * @param times this item's share of the stage times
   */
  public record Outcome<T, D>(
      T item, D input, Segmentation segmentation, String error, StageTimes times) {}

  /**
   * Runs the loop.
   *
   * @param segmenter the task's segmenter
   * @param items the partition's items
   * @param decode reads one item (on the prefetch thread)
   * @param imageOf the image inside a decoded item
   * @param sink receives every outcome (on the calling thread)
   */
  public static <T, D> void run(
      Segmenter segmenter,
      List<T> items,
      Function<T, D> decode,
      Function<D, DecodedImage> imageOf,
      Consumer<Outcome<T, D>> sink) {
    int batchSize = segmenter.spec().batchSize();
    List<Decoded<T, D>> pending = new ArrayList<>(batchSize);
    try (Prefetcher<T, D> prefetch = new Prefetcher<>(items, decode, 2 * batchSize)) {
      while (prefetch.hasNext()) {
        Decoded<T, D> next = prefetch.next();
        if (next.error() != null) {
          sink.accept(
              new Outcome<>(
                  next.item(), null, null, next.error(), new StageTimes(next.nanos(), 0, 0, 0)));
          continue;
        }
        if (!pending.isEmpty()
            && !imageOf.apply(pending.get(0).value()).sameShape(imageOf.apply(next.value()))) {
          flush(segmenter, pending, imageOf, sink);
        }
        pending.add(next);
        if (pending.size() == batchSize) {
          flush(segmenter, pending, imageOf, sink);
        }
      }
      flush(segmenter, pending, imageOf, sink);
    }
  }

  private static <T, D> void flush(
      Segmenter segmenter,
      List<Decoded<T, D>> pending,
      Function<D, DecodedImage> imageOf,
      Consumer<Outcome<T, D>> sink) {
    if (pending.isEmpty()) {
      return;
    }
    List<DecodedImage> images = new ArrayList<>(pending.size());
    for (Decoded<T, D> d : pending) {
      images.add(imageOf.apply(d.value()));
    }
    StageTimes before = segmenter.times();
    List<Segmentation> out = segmenter.segment(images);
    StageTimes after = segmenter.times();
    StageTimes share =
        new StageTimes(
                0,
                after.preprocess() - before.preprocess(),
                after.inference() - before.inference(),
                after.postprocess() - before.postprocess())
            .share(pending.size());
    for (int i = 0; i < pending.size(); i++) {
      Decoded<T, D> d = pending.get(i);
      sink.accept(
          new Outcome<>(
              d.item(),
              d.value(),
              out.get(i),
              null,
              share.plus(new StageTimes(d.nanos(), 0, 0, 0))));
    }
    pending.clear();
  }
}
