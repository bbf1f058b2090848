package dev.segspark.udfs.partition;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.udfs.io.DecodedImage;
import dev.segspark.udfs.io.ImageDecoder;
import dev.segspark.udfs.io.SampleFiles;
import dev.segspark.udfs.model.ModelSpec;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Segments the rows of a partition of a table (the Spark ML transformers in {@code
 * dev.segspark.udfs.ml}): each row's image (encoded bytes, or a path or URI to read) goes through
 * {@link SegmentRows}, and the row comes out with the {@link SegmentOutput} columns appended:
 * {@code ids} PNG, histogram, mean confidence, error and, for panoptic output, {@code
 * segments_info} JSON and COCO-panoptic PNG.
 *
 * <p>Rows are read lazily, a few batches at a time (consecutive rows, cut at the spec's batch
 * size), so a partition never sits in memory whole. The task's model is closed when the rows run
 * out or the task ends.
 */
public final class SegmentTablePartition implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  /** Batches decoded and predicted per step: enough for the prefetch thread to run ahead. */
  private static final int BATCHES_PER_STEP = 4;

  /**
   * Where the image is and what to append.
   *
   * @param input index of the image column
   * @param isPath whether it holds a path or URI (else encoded bytes)
   * @param key index of the column that names the image in errors, or -1 (then the path, or the
   *     row's position in the partition)
   * @param panoptic whether to append the segments and the COCO-panoptic PNG
   * @param skip whether a bad image gives an error column (else it fails the task)
   * @param maxPixels larger images are rejected
   */
  public record Options(
      int input, boolean isPath, int key, boolean panoptic, boolean skip, long maxPixels)
      implements Serializable {}

  private final ModelSpec model;
  private final Options options;

  public SegmentTablePartition(ModelSpec model, Options options) {
    this.model = model;
    this.options = options;
  }

  /** The columns appended, in order, for {@code panoptic} output or not. */
  public static int appended(boolean panoptic) {
    return panoptic ? 6 : 4;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    SegmentRows segment = new SegmentRows(model);
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((TaskContext t) -> segment.close());
    }
    return new Segmented(rows, segment);
  }

  private record Item(Row row, String name) {}

  /** The output rows, made a step at a time. */
  private final class Segmented implements Iterator<Row> {
    private final Iterator<Row> in;
    private final SegmentRows segment;
    private final Deque<Row> out = new ArrayDeque<>();
    private long position;

    Segmented(Iterator<Row> in, SegmentRows segment) {
      this.in = in;
      this.segment = segment;
    }

    @Override
    public boolean hasNext() {
      while (out.isEmpty() && in.hasNext()) {
        step();
      }
      if (out.isEmpty()) {
        segment.close();
      }
      return !out.isEmpty();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return out.poll();
    }

    private void step() {
      int batchSize = model.batchSize();
      List<List<Item>> batches = new ArrayList<>();
      for (int b = 0; b < BATCHES_PER_STEP && in.hasNext(); b++) {
        List<Item> batch = new ArrayList<>(batchSize);
        while (batch.size() < batchSize && in.hasNext()) {
          Row row = in.next();
          batch.add(new Item(row, name(row, position++)));
        }
        batches.add(batch);
      }
      segment.run(batches, this::decode, r -> out.add(row(r)));
    }

    private String name(Row row, long index) {
      int at = options.key() >= 0 ? options.key() : options.isPath() ? options.input() : -1;
      Object value = at >= 0 ? row.get(at) : null;
      return value != null ? value.toString() : "row " + index + " of its partition";
    }

    private DecodedImage decode(Item item) {
      Object value = item.row().get(options.input());
      if (value == null) {
        throw new InvalidInputException(
            item.name(), "Cannot segment " + item.name() + ": no image (null)");
      }
      byte[] bytes = options.isPath() ? SampleFiles.read(value.toString()) : (byte[]) value;
      return ImageDecoder.decode(bytes, item.name(), options.maxPixels());
    }

    private Row row(SegmentRows.Result<Item> r) {
      if (r.error() != null && !options.skip()) {
        throw new InvalidInputException(r.item().name(), r.error());
      }
      Row in = r.item().row();
      int n = in.length();
      Object[] values = Arrays.copyOf(values(in), n + appended(options.panoptic()));
      SegmentOutput o = r.output();
      if (o != null) {
        values[n] = o.idsPng();
        values[n + 1] = boxed(o.histogram());
        values[n + 2] = o.confidence();
      }
      values[n + 3] = r.error();
      if (options.panoptic() && o != null) {
        values[n + 4] = o.segments();
        values[n + 5] = o.panopticPng();
      }
      return RowFactory.create(values);
    }
  }

  private static Object[] values(Row row) {
    Object[] values = new Object[row.length()];
    for (int i = 0; i < values.length; i++) {
      values[i] = row.get(i);
    }
    return values;
  }

  private static Long[] boxed(long[] histogram) {
    Long[] out = new Long[histogram.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = histogram[i];
    }
    return out;
  }
}
