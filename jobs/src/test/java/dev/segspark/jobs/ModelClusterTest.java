package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segspark.jobs.actions.LabelAction;
import dev.segspark.jobs.actions.LabelResult;
import dev.segspark.jobs.actions.SegActions;
import dev.segspark.jobs.synth.SynthSpec;
import dev.segspark.udfs.model.ModelCache;
import dev.segspark.udfs.model.ModelSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

/**
 * The bundled SegFormer on a real standalone cluster (master + worker, two one-core executor JVMs,
 * from the Maven jars): each executor JVM loads the model once however many tasks it runs; masks
 * and reports equal local mode's; and killing one executor JVM in the middle of a labelling job
 * still ends with every mask, byte for byte, and no partial or duplicate file. Its ONNX twin runs
 * on the same cluster with the same masks as in local mode.
 */
class ModelClusterTest {
  private static final int FRAMES = 96;
  private static final String LOAD_LINE = "segspark model load #";

  @TempDir Path tmp;

  @Test
  void loadsOncePerExecutorMatchesLocalAndSurvivesAnExecutorKill() throws Exception {
    ModelSpec model = SparkTestBase.model("segformer-synth");
    ModelSpec onnx = SparkTestBase.model("segformer-synth-onnx");
    Path data = tmp.resolve("data");
    Path images = data.resolve("leftImg8bit/val");
    SparkSession local =
        SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
    try {
      SegActions.get(local)
          .synth(new SynthSpec(data, FRAMES, 2029, 256, 512, false, "val", 0))
          .execute();
      label(local, model, images, tmp.resolve("local-masks"), 4);
      label(local, onnx, images, tmp.resolve("local-onnx-masks"), 4);
      SegActions.get(local)
          .evaluate(SparkTestBase.modelSpec(data, tmp.resolve("local-report"), model, 4))
          .execute();
    } finally {
      local.stop();
    }
    Map<String, String> expected = SparkTestBase.fileDigests(tmp.resolve("local-masks/ids"));
    assertThat(expected).hasSize(FRAMES);

    try (LocalCluster cluster = LocalCluster.start(tmp.resolve("cluster"), "1536m")) {
      SparkSession spark = cluster.spark();
      // 12 tasks over 2 executors, then a probe of every executor JVM's load counter
      label(spark, model, images, tmp.resolve("cluster-masks"), 12);
      List<Tuple2<Long, Integer>> loads =
          JavaSparkContext.fromSparkContext(spark.sparkContext())
              .parallelize(IntStream.range(0, 40).boxed().toList(), 40)
              .map(i -> new Tuple2<>(ModelCache.pid(), ModelCache.loads()))
              .distinct()
              .collect();
      assertThat(loads).hasSize(2).allSatisfy(t -> assertThat(t._2()).isEqualTo(1));
      assertThat(loadLines(cluster.workDir())).isEqualTo(2);
      assertThat(SparkTestBase.fileDigests(tmp.resolve("cluster-masks/ids"))).isEqualTo(expected);

      SegActions.get(spark)
          .evaluate(SparkTestBase.modelSpec(data, tmp.resolve("cluster-report"), model, 6))
          .execute();
      assertThat(SparkTestBase.reportWithoutRun(tmp.resolve("cluster-report")))
          .isEqualTo(SparkTestBase.reportWithoutRun(tmp.resolve("local-report")));

      // the same ONNX spec on the cluster: ONNX Runtime in both executor JVMs, same masks
      label(spark, onnx, images, tmp.resolve("cluster-onnx-masks"), 6);
      assertThat(SparkTestBase.fileDigests(tmp.resolve("cluster-onnx-masks/ids")))
          .isEqualTo(SparkTestBase.fileDigests(tmp.resolve("local-onnx-masks/ids")))
          .hasSize(FRAMES);

      // kill one executor JVM once the first masks of a new run appear
      Path killed = tmp.resolve("killed-masks");
      CompletableFuture<LabelResult> job =
          CompletableFuture.supplyAsync(() -> label(spark, model, images, killed, 24));
      LocalCluster.awaitMasks(killed.resolve("ids"), 2, job);
      assertThat(job).isNotDone();
      cluster.killOneExecutor();
      LabelResult result = job.get(5, TimeUnit.MINUTES);
      assertThat(result.errors()).isEmpty();
      assertThat(result.labelled()).isEqualTo(FRAMES);
      assertThat(SparkTestBase.fileDigests(killed.resolve("ids"))).isEqualTo(expected);
      try (Stream<Path> all = Files.walk(killed)) {
        assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
      }
      List<Row> manifest =
          spark.read().parquet(killed.resolve(LabelAction.MANIFEST).toString()).collectAsList();
      assertThat(manifest).hasSize(FRAMES);
      assertThat(manifest.stream().map(r -> r.getString(0)).distinct()).hasSize(FRAMES);
    }
  }

  private static LabelResult label(
      SparkSession spark, ModelSpec model, Path images, Path out, int partitions) {
    return SegActions.get(spark)
        .label(SparkTestBase.labelSpec(model, images, out, partitions, "ids"))
        .option("progress", "false")
        .execute();
  }

  /** Model-load log lines in the executors' stderr files. */
  private static long loadLines(Path work) throws IOException {
    try (Stream<Path> files = Files.walk(work)) {
      return files
          .filter(p -> p.getFileName().toString().equals("stderr"))
          .mapToLong(
              p -> {
                try {
                  return Files.readAllLines(p).stream().filter(l -> l.contains(LOAD_LINE)).count();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .sum();
    }
  }
}
