package dev.segspark.benchmarks;

import dev.segspark.jobs.actions.EvalSpec;
import dev.segspark.jobs.actions.EvaluateResult;
import dev.segspark.jobs.actions.SegActions;
import dev.segspark.jobs.data.DatasetSpec;
import dev.segspark.jobs.synth.SynthSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code evaluate --predictions} end to end on local Spark (all cores): {@code images} synthetic
 * 2048×1024 Cityscapes frames (labelIds + instanceIds + prediction PNGs), generated once into
 * {@code -Dsegspark.bench.dir} (default /tmp/segspark-bench) and reused. One op = one full
 * evaluation; images/s = images / (s/op). Run it with bin/benchmark, whose JVM arguments (the Java
 * 17 module openings Spark needs) the fork inherits.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx6g")
public class EvaluateJobBenchmark {
  @Param({"500"})
  public int images;

  private SparkSession spark;
  private Path data;
  private EvalSpec spec;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    spark =
        SparkSession.builder()
            .master("local[*]")
            .appName("segspark-bench")
            .config("spark.ui.enabled", "false")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    data =
        Path.of(System.getProperty("segspark.bench.dir", "/tmp/segspark-bench"))
            .resolve("cityscapes-" + images);
    if (!Files.exists(data.resolve("DONE"))) {
      SegActions.get(spark)
          .synth(new SynthSpec(data, images, 1, 1024, 2048, true, "val", 0))
          .execute();
      Files.createFile(data.resolve("DONE"));
    }
    spec =
        EvalSpec.of(
            DatasetSpec.of("cityscapes", data, "val"),
            data.resolve("predictions/labelIds"),
            data.resolve("report"));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    spark.stop();
  }

  /** One full evaluation (cityscapes convention, iIoU included). */
  @Benchmark
  public EvaluateResult evaluate() {
    return SegActions.get(spark).evaluate(spec).option("progress", "false").execute();
  }
}
