package dev.segspark.udfs.model;

import dev.segspark.udfs.io.DecodedImage;
import dev.segspark.udfs.model.Prefetcher.Decoded;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The inference loop of one partition: a prefetch thread decodes ahead, the {@link Segmenter} runs
 * one forward pass per batch, and every item reaches {@code sink} with its segmentation or its
 * decode error, in input order.
 *
 * <p>Batches are given by the caller (the driver cuts the dataset into consecutive groups of the
 * spec's batch size before partitioning), and a group is split only where the image shape changes
 * or an image fails to decode. So which images share a forward pass, and therefore every
 * floating-point result, does not depend on the number of partitions or executors.
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
   * @param batches the partition's items in batches (each at most the spec's batch size)
   * @param decode reads one item (on the prefetch thread)
   * @param imageOf the image inside a decoded item
   * @param sink receives every outcome (on the calling thread)
   */
  public static <T, D> void run(
      Segmenter segmenter,
      List<? extends List<T>> batches,
      Function<T, D> decode,
      Function<D, DecodedImage> imageOf,
      Consumer<Outcome<T, D>> sink) {
    int batchSize = segmenter.spec().batchSize();
    List<T> items = new ArrayList<>();
    List<Integer> batchOf = new ArrayList<>();
    for (int b = 0; b < batches.size(); b++) {
      for (T item : batches.get(b)) {
        items.add(item);
        batchOf.add(b);
      }
    }
    List<Decoded<T, D>> pending = new ArrayList<>(batchSize);
    int currentBatch = -1;
    try (Prefetcher<T, D> prefetch = new Prefetcher<>(items, decode, 2 * batchSize)) {
      for (int i = 0; prefetch.hasNext(); i++) {
        Decoded<T, D> next = prefetch.next();
        if (batchOf.get(i) != currentBatch) {
          flush(segmenter, pending, imageOf, sink);
          currentBatch = batchOf.get(i);
        }
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
