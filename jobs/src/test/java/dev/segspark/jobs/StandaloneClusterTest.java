package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segspark.jobs.actions.SegActions;
import dev.segspark.jobs.synth.SynthSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone cluster on loopback, started from the Maven jars: a master and one worker whose
 * two executor JVMs run the evaluation. The report must equal local mode's.
 */
class StandaloneClusterTest {
  @TempDir Path tmp;

  @Test
  void clusterReportEqualsLocalReport() throws Exception {
    Path data = tmp.resolve("data");
    SparkSession local =
        SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
    try {
      SegActions.get(local).synth(new SynthSpec(data, 12, 21, 64, 128, true, "val", 0)).execute();
      SegActions.get(local)
          .evaluate(SparkTestBase.cityscapesSpec(data, tmp.resolve("local")))
          .execute();
    } finally {
      local.stop();
    }

    try (LocalCluster cluster = LocalCluster.start(tmp.resolve("cluster-dirs"), "768m")) {
      SparkSession spark = cluster.spark();
      List<String> executorIds =
          JavaSparkContext.fromSparkContext(spark.sparkContext())
              .parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), 8)
              .map(i -> SparkEnv.get().executorId())
              .distinct()
              .collect();
      assertThat(executorIds).hasSize(2).doesNotContain("driver");

      SegActions.get(spark)
          .evaluate(SparkTestBase.cityscapesSpec(data, tmp.resolve("cluster")).withPartitions(6))
          .execute();
    }
    Map<String, Object> cluster = SparkTestBase.reportWithoutRun(tmp.resolve("cluster"));
    assertThat(cluster).isEqualTo(SparkTestBase.reportWithoutRun(tmp.resolve("local")));
    assertThat(((Map<?, ?>) cluster.get("dataset")).get("images")).isEqualTo(12);
  }
}
