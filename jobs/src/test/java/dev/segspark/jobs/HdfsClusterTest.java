package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segspark.jobs.actions.EvalSpec;
import dev.segspark.jobs.actions.LabelAction;
import dev.segspark.jobs.actions.LabelResult;
import dev.segspark.jobs.actions.LabelSpec;
import dev.segspark.jobs.actions.SegActions;
import dev.segspark.jobs.synth.SynthSpec;
import dev.segspark.udfs.io.fs.FsPaths;
import dev.segspark.udfs.model.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real HDFS (NameNode + DataNode on loopback) under a real standalone cluster (two one-core
 * executor JVMs): images, ground truth and outputs on {@code hdfs://} give the masks and the report
 * of local paths in local mode; an executor killed in the middle of a labelling job into HDFS
 * leaves every mask, byte for byte, and no partial or hidden object; {@code --resume} on HDFS
 * writes only what is missing.
 */
class HdfsClusterTest {
  private static final int FRAMES = 48;

  @TempDir Path tmp;

  @Test
  void jobsOnHdfsMatchLocalAndSurviveAnExecutorKill() throws Exception {
    ModelSpec model = SparkTestBase.model("segformer-synth");
    Path data = tmp.resolve("data");
    SparkSession local =
        SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
    try {
      SegActions.get(local)
          .synth(new SynthSpec(data, FRAMES, 2031, 256, 512, false, "val", 0))
          .execute();
      label(local, model, data.resolve("leftImg8bit/val"), tmp.resolve("local-masks"), 4, false);
      SegActions.get(local)
          .evaluate(SparkTestBase.modelSpec(data, tmp.resolve("local-report"), model, 4))
          .execute();
    } finally {
      local.stop();
    }
    Map<String, String> expected = SparkTestBase.fileDigests(tmp.resolve("local-masks/ids"));
    assertThat(expected).hasSize(FRAMES);

    MiniDFSCluster dfs = startHdfs(tmp.resolve("dfs"));
    try (LocalCluster cluster = LocalCluster.start(tmp.resolve("cluster"), "1536m")) {
      String hdfs = "hdfs://127.0.0.1:" + dfs.getNameNodePort();
      dfs.getFileSystem()
          .copyFromLocalFile(
              new org.apache.hadoop.fs.Path(data.toUri()), new org.apache.hadoop.fs.Path("/data"));
      SparkSession spark = cluster.spark();
      Path images = FsPaths.of(hdfs + "/data/leftImg8bit/val");

      Path masks = FsPaths.of(hdfs + "/out/masks");
      label(spark, model, images, masks, 12, false);
      assertThat(SparkTestBase.fileDigests(masks.resolve("ids"))).isEqualTo(expected);

      Path report = FsPaths.of(hdfs + "/out/report");
      SegActions.get(spark)
          .evaluate(SparkTestBase.modelSpec(FsPaths.of(hdfs + "/data"), report, model, 6))
          .execute();
      assertThat(withoutRoot(SparkTestBase.reportWithoutRun(report)))
          .isEqualTo(withoutRoot(SparkTestBase.reportWithoutRun(tmp.resolve("local-report"))));

      // kill one executor JVM once the first masks of a new run appear in HDFS
      Path killed = FsPaths.of(hdfs + "/out/killed");
      CompletableFuture<LabelResult> job =
          CompletableFuture.supplyAsync(() -> label(spark, model, images, killed, 24, false));
      LocalCluster.awaitMasks(killed.resolve("ids"), 2, job);
      assertThat(job).isNotDone();
      cluster.killOneExecutor();
      LabelResult result = job.get(5, TimeUnit.MINUTES);
      assertThat(result.errors()).isEmpty();
      assertThat(result.labelled()).isEqualTo(FRAMES);
      assertThat(SparkTestBase.fileDigests(killed.resolve("ids"))).isEqualTo(expected);
      assertThat(hiddenNames(killed)).isEmpty();
      List<Row> manifest =
          spark.read().parquet(killed.resolve(LabelAction.MANIFEST).toString()).collectAsList();
      assertThat(manifest).hasSize(FRAMES);
      assertThat(manifest.stream().map(r -> r.getString(0)).distinct()).hasSize(FRAMES);

      // --resume on HDFS: three masks gone, three written again, the rest kept
      List<String> gone = expected.keySet().stream().limit(3).toList();
      for (String name : gone) {
        Files.delete(killed.resolve("ids").resolve(name));
      }
      LabelResult resumed = label(spark, model, images, killed, 6, true);
      assertThat(resumed.labelled()).isEqualTo(3);
      assertThat(resumed.resumed()).isEqualTo(FRAMES - 3);
      assertThat(SparkTestBase.fileDigests(killed.resolve("ids"))).isEqualTo(expected);
    } finally {
      dfs.shutdown();
    }
  }

  static MiniDFSCluster startHdfs(Path base) throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    MiniDFSCluster dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    dfs.waitActive();
    return dfs;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> withoutRoot(Map<String, Object> report) {
    ((Map<String, Object>) report.get("dataset")).remove("root");
    return report;
  }

  private static LabelResult label(
      SparkSession spark, ModelSpec model, Path images, Path out, int partitions, boolean resume) {
    LabelSpec spec =
        new LabelSpec(
            model,
            images.toString(),
            out,
            List.of("ids"),
            resume,
            null,
            partitions,
            EvalSpec.DEFAULT_MAX_PIXELS);
    return SegActions.get(spark).label(spec).option("progress", "false").execute();
  }

  private static List<String> hiddenNames(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
    }
  }
}
