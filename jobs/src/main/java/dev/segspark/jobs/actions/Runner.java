package dev.segspark.jobs.actions;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.AccumulatorV2;
import org.apache.spark.util.LongAccumulator;

/**
 * Where an action's partitions run: on a Spark session's executors ({@link #spark}), or on threads
 * of this JVM without a Spark session ({@link #inProcess}). The partition functions are the same
 * plain Java either way; what the in-process runner saves is the fixed cost of a Spark session and
 * its jobs (seconds in a fresh JVM), which dominates a small local evaluation.
 *
 * <p>An in-process runner starts its Spark session only when an action asks for one ({@link
 * #session()}: label, synth, tables, models, inputs too large to hold on the driver), and then
 * registers the run's counter and job group with it, so that action runs exactly as on a session.
 */
public abstract sealed class Runner permits Runner.OnSpark, Runner.InProcess {
  /** The name of the run's counter of finished images. */
  static final String COUNTER = "segspark.images";

  private Runner() {}

  /** Partitions run as Spark tasks of {@code spark}. */
  public static Runner spark(SparkSession spark) {
    return new OnSpark(spark);
  }

  /**
   * Partitions run on {@code threads} threads of this JVM; {@code session} starts the Spark session
   * of an action that needs one (called at most once, when first needed).
   */
  public static Runner inProcess(int threads, Supplier<SparkSession> session) {
    return new InProcess(threads, session);
  }

  /** The Spark session, started now if the runner has none yet. */
  abstract SparkSession session();

  /** Whether partitions run as Spark tasks (else on this JVM's threads). */
  abstract boolean onSpark();

  /** The task slots: Spark's default parallelism, or the threads. */
  abstract int parallelism();

  /** The master the report names: Spark's, or {@code in-process[N]}. */
  abstract String master();

  /** A counter of finished images that tasks add to and the progress line reads. */
  abstract LongAccumulator counter();

  /**
   * Runs {@code work} within a job group described as {@code description} (the Spark UI's), and
   * restores the calling thread's job properties afterwards.
   */
  abstract <R> R inJobGroup(String group, String description, Supplier<R> work);

  /**
   * Runs {@code function} on {@code items} split into {@code partitions} consecutive slices (as
   * Spark's {@code parallelize} slices them) and returns each slice's output, in slice order. Only
   * for the in-process runner; on Spark, actions build their RDDs themselves.
   */
  <T, S> List<S> mapPartitions(
      List<T> items, int partitions, FlatMapFunction<Iterator<T>, S> function) {
    throw new IllegalStateException("Runs on Spark: use the session's RDDs");
  }

  /** On a Spark session. */
  static final class OnSpark extends Runner {
    private final SparkSession spark;

    OnSpark(SparkSession spark) {
      this.spark = spark;
    }

    @Override
    SparkSession session() {
      return spark;
    }

    @Override
    boolean onSpark() {
      return true;
    }

    @Override
    int parallelism() {
      return spark.sparkContext().defaultParallelism();
    }

    @Override
    String master() {
      return spark.sparkContext().master();
    }

    @Override
    LongAccumulator counter() {
      return spark.sparkContext().longAccumulator(COUNTER);
    }

    @Override
    <R> R inJobGroup(String group, String description, Supplier<R> work) {
      return JobGroup.run(spark.sparkContext(), group, description, work);
    }
  }

  /** On threads of this JVM; a Spark session only when an action asks for one. */
  static final class InProcess extends Runner {
    private final int threads;
    private final Supplier<SparkSession> start;
    private SparkSession spark;
    private SharedCounter counter;
    private String group;
    private String description;

    InProcess(int threads, Supplier<SparkSession> start) {
      if (threads < 1) {
        throw new IllegalArgumentException("Cannot run in process: threads must be >= 1");
      }
      this.threads = threads;
      this.start = start;
    }

    @Override
    synchronized SparkSession session() {
      if (spark == null) {
        spark = start.get();
        SparkContext sc = spark.sparkContext();
        if (counter != null && !counter.isRegistered()) {
          sc.register(counter, COUNTER);
        }
        if (group != null) {
          sc.setJobGroup(group, description, false);
        }
      }
      return spark;
    }

    @Override
    boolean onSpark() {
      return false;
    }

    @Override
    int parallelism() {
      return threads;
    }

    @Override
    String master() {
      return "in-process[" + threads + "]";
    }

    @Override
    synchronized LongAccumulator counter() {
      counter = new SharedCounter();
      if (spark != null) {
        spark.sparkContext().register(counter, COUNTER);
      }
      return counter;
    }

    @Override
    <R> R inJobGroup(String group, String description, Supplier<R> work) {
      SparkSession running;
      synchronized (this) {
        running = spark;
        this.group = group;
        this.description = description;
      }
      if (running != null) {
        return JobGroup.run(running.sparkContext(), group, description, work);
      }
      try {
        return work.get();
      } finally {
        synchronized (this) {
          this.group = null;
          this.description = null;
          if (spark != null) { // started during the run: its job group ends with it
            JobGroup.PROPERTIES.forEach(p -> spark.sparkContext().setLocalProperty(p, null));
          }
        }
      }
    }

    @Override
    <T, S> List<S> mapPartitions(
        List<T> items, int partitions, FlatMapFunction<Iterator<T>, S> function) {
      int n = Math.max(1, partitions);
      ExecutorService pool =
          Executors.newFixedThreadPool(
              Math.min(threads, n),
              r -> {
                Thread t = new Thread(r, "segspark-task");
                t.setDaemon(true);
                return t;
              });
      try {
        List<Future<List<S>>> slices = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          // Spark's ParallelCollectionRDD slice bounds, so slices hold the same items
          int from = (int) ((long) i * items.size() / n);
          int to = (int) ((long) (i + 1) * items.size() / n);
          List<T> slice = items.subList(from, to);
          slices.add(pool.submit(() -> drain(function.call(slice.iterator()))));
        }
        List<S> out = new ArrayList<>();
        for (Future<List<S>> f : slices) {
          out.addAll(JobSupport.value(f, "partitions ran"));
        }
        return out;
      } finally {
        pool.shutdownNow();
      }
    }

    private static <S> List<S> drain(Iterator<S> it) {
      List<S> out = new ArrayList<>();
      it.forEachRemaining(out::add);
      return out;
    }
  }

  /** A counter that several threads add to (Spark's is added to by one task thread at a time). */
  static final class SharedCounter extends LongAccumulator {
    private static final long serialVersionUID = 1L;

    @Override
    public synchronized void add(long v) {
      super.add(v);
    }

    @Override
    public synchronized void add(Long v) {
      super.add(v);
    }

    @Override
    public synchronized void merge(AccumulatorV2<Long, Long> other) {
      super.merge(other);
    }

    @Override
    public synchronized Long value() {
      return super.value();
    }

    @Override
    public synchronized long sum() {
      return super.sum();
    }
  }

  /** A job group set on the calling thread for a run, and the thread's previous one restored. */
  private static final class JobGroup {
    private static final List<String> PROPERTIES =
        List.of("spark.jobGroup.id", "spark.job.description", "spark.job.interruptOnCancel");

    static <R> R run(SparkContext sc, String group, String description, Supplier<R> work) {
      List<String> before = PROPERTIES.stream().map(sc::getLocalProperty).toList();
      sc.setJobGroup(group, description, false);
      try {
        return work.get();
      } finally {
        for (int i = 0; i < PROPERTIES.size(); i++) {
          sc.setLocalProperty(PROPERTIES.get(i), before.get(i));
        }
      }
    }
  }
}
