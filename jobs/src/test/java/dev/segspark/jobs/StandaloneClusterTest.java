package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segspark.jobs.actions.SegActions;
import dev.segspark.jobs.synth.SynthSpec;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone cluster on loopback, started from the Maven jars: a master and one worker whose
 * two executor JVMs run the evaluation. The report must equal local mode's.
 */
class StandaloneClusterTest {
  @TempDir Path tmp;
  private final List<Process> daemons = new ArrayList<>();
  private SparkSession spark;

  @AfterEach
  void tearDown() throws InterruptedException, IOException {
    if (spark != null) {
      spark.stop();
    }
    for (Process p : daemons) {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    Path jars = tmp.resolve("spark-home/jars");
    if (Files.isDirectory(jars)) {
      try (var links = Files.list(jars)) {
        for (Path link : links.toList()) {
          Files.delete(link); // the links, not the jars in the Maven repository
        }
      }
    }
  }

  @Test
  void clusterReportEqualsLocalReport() throws Exception {
    Path data = tmp.resolve("data");
    spark =
        SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
    SegActions.get(spark).synth(new SynthSpec(data, 12, 21, 64, 128, true, "val", 0)).execute();
    SegActions.get(spark)
        .evaluate(SparkTestBase.cityscapesSpec(data, tmp.resolve("local")))
        .execute();
    spark.stop();
    spark = null;

    String master = startCluster();
    spark =
        SparkSession.builder()
            .master(master)
            .appName("segspark-cluster-test")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.executor.cores", "1")
            .config("spark.executor.memory", "768m")
            .config("spark.cores.max", "2")
            .config("spark.executor.extraClassPath", classDirectories())
            .config("spark.scheduler.minRegisteredResourcesRatio", "1.0")
            .config("spark.scheduler.maxRegisteredResourcesWaitingTime", "120s")
            .getOrCreate();
    awaitExecutors(2);
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
    Map<String, Object> cluster = SparkTestBase.reportWithoutRun(tmp.resolve("cluster"));
    assertThat(cluster).isEqualTo(SparkTestBase.reportWithoutRun(tmp.resolve("local")));
    assertThat(((Map<?, ?>) cluster.get("dataset")).get("images")).isEqualTo(12);
  }

  private String startCluster() throws IOException {
    Path home = sparkHome();
    int port = freePort();
    daemons.add(
        launch(
            home,
            "master",
            "org.apache.spark.deploy.master.Master",
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(port),
            "--webui-port",
            Integer.toString(freePort())));
    String url = "spark://127.0.0.1:" + port;
    daemons.add(
        launch(
            home,
            "worker",
            "org.apache.spark.deploy.worker.Worker",
            "--host",
            "127.0.0.1",
            "--cores",
            "2",
            "--memory",
            "2g",
            "--webui-port",
            Integer.toString(freePort()),
            "--work-dir",
            tmp.resolve("work").toString(),
            url));
    return url;
  }

  /** A SPARK_HOME whose jars/ holds every jar of this test's classpath (Spark included). */
  private Path sparkHome() throws IOException {
    Path home = tmp.resolve("spark-home");
    Path jars = Files.createDirectories(home.resolve("jars"));
    Files.createFile(home.resolve("RELEASE"));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
        Path link = jars.resolve(p.getFileName());
        if (!Files.exists(link)) {
          Files.createSymbolicLink(link, p.toAbsolutePath());
        }
      }
    }
    return home;
  }

  /** Class folders of the classpath (our modules before packaging), for the executors. */
  private static String classDirectories() {
    List<String> dirs = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (Files.isDirectory(Path.of(entry))) {
        dirs.add(entry);
      }
    }
    return String.join(File.pathSeparator, dirs);
  }

  private Process launch(Path home, String name, String mainClass, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens") || arg.startsWith("-XX:+IgnoreUnrecognized")) {
        cmd.add(arg);
      }
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve(name + ".log").toFile());
    pb.environment().put("SPARK_HOME", home.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return pb.start();
  }

  private void awaitExecutors(int n) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (spark.sparkContext().statusTracker().getExecutorInfos().length < n + 1) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "executors did not register; worker log:\n"
                + Files.readString(tmp.resolve("worker.log")));
      }
      Thread.sleep(250);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
