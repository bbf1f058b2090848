package dev.segspark.udfs.model;

import dev.segspark.evaluation.InvalidInputException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;

/**
 * Decodes the next items on a background thread while the caller runs the model: at most {@code
 * depth} decoded items wait in memory. Items come out in order; a decode error travels with its
 * item ({@link Decoded#error()}) instead of stopping the stream.
 *
 * @param <T> the item (paths)
 * @param <D> the decoded form (pixels)
 */
public final class Prefetcher<T, D> implements AutoCloseable {

  /**
   * One item and its decoded form or error.
   *
   * @param item the item
   * @param value the decoded form, {@code null} on error
   * @param error the error message, {@code null} on success
   * @param nanos time spent decoding it
   */
  public record Decoded<T, D>(T item, D value, String error, long nanos) {}

  private static final Object END = new Object();

  private final BlockingQueue<Object> queue;
  private final Thread thread;
  private final int total;
  private int taken;
  private volatile Throwable failure;

  /**
   * Starts decoding.
   *
   * @param items the items, in order
   * @param decode decodes one item; an {@link InvalidInputException} becomes that item's error
   * @param depth how many decoded items may wait
   */
  public Prefetcher(List<T> items, Function<T, D> decode, int depth) {
    this.queue = new ArrayBlockingQueue<>(Math.max(1, depth));
    this.total = items.size();
    this.thread =
        new Thread(
            () -> {
              try {
                for (T item : items) {
                  long start = System.nanoTime();
                  Decoded<T, D> d;
                  try {
                    d = new Decoded<>(item, decode.apply(item), null, System.nanoTime() - start);
                  } catch (InvalidInputException e) {
                    d = new Decoded<>(item, null, e.getMessage(), System.nanoTime() - start);
                  }
                  queue.put(d);
                }
                queue.put(END);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (Throwable t) {
                failure = t;
                queue.offer(END);
              }
            },
            "segspark-prefetch");
    thread.setDaemon(true);
    thread.start();
  }

  /** Whether another item follows. */
  public boolean hasNext() {
    return taken < total;
  }

  /** The next decoded item, waiting for the decoder if needed. */
  @SuppressWarnings("unchecked")
  public Decoded<T, D> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Object o;
    try {
      o = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the image decoder", e);
    }
    if (o == END) {
      Throwable t = failure;
      throw new IllegalStateException(
          "Image decoder stopped: " + (t == null ? "no more items" : t.toString()), t);
    }
    taken++;
    return (Decoded<T, D>) o;
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
