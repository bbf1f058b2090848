package dev.segspark.jobs.actions;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * An action's per-image results, partitioned: a Spark RDD, or slices of the samples that run on
 * this JVM's threads ({@link Runner#inProcess}). What the driver needs of them, the aggregate and
 * the per-image rows, comes back in one pass: each partition is reduced where it ran ({@link
 * #summarise}), and only its summary travels.
 *
 * @param <R> one image's result
 */
abstract sealed class Partitions<R> implements AutoCloseable {
  private Partitions() {}

  /** The results of a Spark RDD. */
  static <R> Partitions<R> of(JavaRDD<R> rdd) {
    return new OfRdd<>(rdd);
  }

  /**
   * The results of {@code function} over {@code items} in {@code partitions} slices, in process.
   */
  static <T, R> Partitions<R> inProcess(
      Runner runner, List<T> items, int partitions, FlatMapFunction<Iterator<T>, R> function) {
    return new InProcess<>(runner, items, partitions, function);
  }

  /** Whether the rows of a partition may be collected with its summary (else see {@link #rows}). */
  abstract boolean collectsRows(long images);

  /** Each partition reduced by {@code summary}, in partition order: one Spark job. */
  abstract <S> List<S> summarise(FlatMapFunction<Iterator<R>, S> summary);

  /**
   * The rows of every result, in partition order, streamed a partition at a time, for a table too
   * large to collect; the results are kept (persisted) after {@link #summarise} for this.
   */
  abstract Iterator<Row> rows(Function<R, Row> row);

  /**
   * Writes {@code per_image.parquet} into {@code staging}: the rows the summaries collected, or
   * (when {@code collected} is false) the rows streamed from the kept results.
   */
  final <A> void writePerImage(
      List<Summary<A>> parts,
      boolean collected,
      Function<R, Row> row,
      TableSchema schema,
      Path staging) {
    Iterator<Row> rows =
        collected ? parts.stream().flatMap(p -> p.rows().stream()).iterator() : rows(row);
    ParquetRows.write(staging.resolve(EvaluateAction.PER_IMAGE), schema, rows, true);
  }

  /** Drops what {@link #rows} kept. */
  @Override
  public void close() {}

  /** A Spark RDD: rows are collected up to {@link JobSupport#COLLECT_LIMIT} images. */
  private static final class OfRdd<R> extends Partitions<R> {
    private final JavaRDD<R> rdd;
    private boolean persisted;

    OfRdd(JavaRDD<R> rdd) {
      this.rdd = rdd;
    }

    @Override
    boolean collectsRows(long images) {
      boolean collect = images <= JobSupport.COLLECT_LIMIT;
      if (!collect && !persisted) {
        rdd.persist(StorageLevel.MEMORY_AND_DISK());
        persisted = true;
      }
      return collect;
    }

    @Override
    <S> List<S> summarise(FlatMapFunction<Iterator<R>, S> summary) {
      return rdd.mapPartitions(summary).collect();
    }

    @Override
    Iterator<Row> rows(Function<R, Row> row) {
      return rdd.map(row).toLocalIterator();
    }

    @Override
    public void close() {
      if (persisted) {
        rdd.unpersist(false);
      }
    }
  }

  /** Slices run on this JVM's threads; their rows are always collected (they are here). */
  private static final class InProcess<T, R> extends Partitions<R> {
    private final Runner runner;
    private final List<T> items;
    private final int partitions;
    private final FlatMapFunction<Iterator<T>, R> function;

    InProcess(
        Runner runner, List<T> items, int partitions, FlatMapFunction<Iterator<T>, R> function) {
      this.runner = runner;
      this.items = items;
      this.partitions = partitions;
      this.function = function;
    }

    @Override
    boolean collectsRows(long images) {
      return true;
    }

    @Override
    <S> List<S> summarise(FlatMapFunction<Iterator<R>, S> summary) {
      return runner.mapPartitions(items, partitions, it -> summary.call(function.call(it)));
    }

    @Override
    Iterator<Row> rows(Function<R, Row> row) {
      throw new IllegalStateException("In-process results collect their rows");
    }
  }

  /**
   * One partition's summary: its aggregate, its rows (if collected) and its candidates for the
   * report's worst images.
   *
   * @param <A> the aggregate
   */
  record Summary<A>(A aggregate, List<Row> rows, List<Ranked> lowest) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** An image ranked by a score (ascending), ties by name. */
  record Ranked(String image, double score, Double other) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The {@code n} lowest of {@code all}: by score, then image. */
    static List<Ranked> lowest(List<Ranked> all, int n) {
      List<Ranked> sorted = new ArrayList<>(all);
      sorted.sort(
          (a, b) -> {
            int c = Double.compare(a.score(), b.score());
            return c != 0 ? c : a.image().compareTo(b.image());
          });
      return new ArrayList<>(sorted.subList(0, Math.min(n, sorted.size())));
    }
  }

  /**
   * Reduces a partition's results: the aggregate ({@code add} from {@code zero}), the rows (when
   * {@code keepRows}) and the {@code lowest} lowest-ranked images ({@code rank} of an image's row
   * gives {@code null} for an image that is not ranked; {@code rank} may be {@code null}).
   */
  static <R, A> FlatMapFunction<Iterator<R>, Summary<A>> summary(
      Function<Integer, A> zero,
      int size,
      Function2<A, R, A> add,
      Function<R, Row> row,
      boolean keepRows,
      Function<Row, Ranked> rank,
      int lowest) {
    return results -> {
      A aggregate = zero.call(size);
      List<Row> rows = new ArrayList<>();
      List<Ranked> ranked = new ArrayList<>();
      while (results.hasNext()) {
        R r = results.next();
        aggregate = add.call(aggregate, r);
        Row x = keepRows || rank != null ? row.call(r) : null;
        if (keepRows) {
          rows.add(x);
        }
        Ranked k = rank == null ? null : rank.call(x);
        if (k != null) {
          ranked.add(k);
          if (ranked.size() > 4 * lowest + 64) {
            ranked = Ranked.lowest(ranked, lowest);
          }
        }
      }
      return List.of(new Summary<>(aggregate, rows, Ranked.lowest(ranked, lowest))).iterator();
    };
  }
}
