package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segspark.jobs.cli.ExecutorJars;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line against a real standalone cluster, as {@code bin/segspark --master
 * spark://HOST:PORT} runs it: a master and two one-core workers in child JVMs on loopback that hold
 * only Spark's jars ({@code target/spark-classpath.txt}, what {@code bin/local-cluster} gives
 * them), so every segspark, DJL and ONNX Runtime class the executors run came with the jars the CLI
 * shipped. The shipped model name resolves without a checkout, from the class path, and the report
 * equals a {@code local[2]} run's.
 */
class CliClusterTest {
  private static final String ROOT_PROPERTY = "segspark.repo.root";
  private static final List<Process> DAEMONS = new ArrayList<>();
  private static final List<ProcessHandle> CHILDREN = new ArrayList<>();

  @TempDir static Path tmp;
  private static int port;

  @BeforeAll
  static void startCluster() throws Exception {
    stopSessions();
    Path home = sparkHome(tmp.resolve("spark-home"));
    port = freePort();
    DAEMONS.add(
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
    await("master listening", CliClusterTest::masterListening);
    for (int i = 1; i <= 2; i++) {
      DAEMONS.add(
          launch(
              home,
              "worker-" + i,
              "org.apache.spark.deploy.worker.Worker",
              "--host",
              "127.0.0.1",
              "--cores",
              "1",
              "--memory",
              "1536m",
              "--webui-port",
              Integer.toString(freePort()),
              "--work-dir",
              tmp.resolve("work").toString(),
              url()));
    }
    // the workers register while the test makes its data and local report
  }

  /** Stops the daemons by PID (the workers first), then any executor JVM they left. */
  @AfterAll
  static void stopCluster() throws Exception {
    stopSessions();
    for (int i = DAEMONS.size() - 1; i >= 0; i--) {
      Process p = DAEMONS.get(i);
      p.descendants().forEach(CHILDREN::add);
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    for (ProcessHandle child : CHILDREN) {
      child.destroyForcibly();
    }
  }

  @Test
  void evaluateWithAShippedModelOnTheClusterEqualsLocal() throws Exception {
    Path data = tmp.resolve("data");
    assertThat(
            CliRun.of(
                    "synth",
                    "--master",
                    "local[2]",
                    "--out",
                    data + "",
                    "--images",
                    "6",
                    "--with-predictions")
                .code())
        .isZero();
    CliRun local = evaluate("local[2]", data, tmp.resolve("local"), "--model", "segformer-synth");
    assertThat(local.code()).as(local.err()).isZero();
    CliRun localFiles = evaluate("local[2]", data, tmp.resolve("local-files"), predictions(data));
    assertThat(localFiles.code()).as(localFiles.err()).isZero();
    stopSessions();

    await("two workers registered", () -> log("master").split("Registering worker").length > 2);
    String root = System.clearProperty(ROOT_PROPERTY); // as under spark-submit: no checkout
    CliRun cluster;
    CliRun clusterFiles;
    try {
      cluster = evaluate(url(), data, tmp.resolve("cluster"), "--model", "segformer-synth");
      stopSessions();
      clusterFiles = evaluate(url(), data, tmp.resolve("cluster-files"), predictions(data));
    } finally {
      stopSessions();
      System.setProperty(ROOT_PROPERTY, root);
    }
    assertThat(cluster.code()).as(cluster.err()).isZero();
    Map<String, Object> report = SparkTestBase.reportWithoutRun(tmp.resolve("cluster"));
    assertThat(report).isEqualTo(SparkTestBase.reportWithoutRun(tmp.resolve("local")));
    assertThat(((Map<?, ?>) report.get("dataset")).get("images")).isEqualTo(6);
    // the model ran in the executor JVMs, from the shipped jar's copy
    assertThat(executorLogs())
        .contains("segspark model load #1")
        .contains("/segspark-models/")
        .doesNotContain("ClassNotFoundException");

    // predictions on disk: the same report without any model engine on the executors
    assertThat(clusterFiles.code()).as(clusterFiles.err()).isZero();
    assertThat(SparkTestBase.reportWithoutRun(tmp.resolve("cluster-files")))
        .isEqualTo(SparkTestBase.reportWithoutRun(tmp.resolve("local-files")));
    assertThat(executorLogs()).doesNotContain("NoClassDefFoundError");
    // each application's executors got the jars of its command only (app ids sort by start)
    List<List<String>> apps = executorJarsByApp();
    assertThat(apps).hasSize(2);
    assertThat(apps.get(0))
        .anyMatch(n -> n.startsWith("pytorch-native-cpu-"))
        .anyMatch(n -> n.startsWith("udfs-classes") || n.startsWith("segspark-udfs-"))
        .noneMatch(n -> n.startsWith("onnxruntime"));
    assertThat(apps.get(1))
        .anyMatch(n -> n.startsWith("udfs-classes") || n.startsWith("segspark-udfs-"))
        .noneMatch(n -> n.startsWith("pytorch-") || n.startsWith("onnxruntime"))
        .noneMatch(n -> n.startsWith("api-") || n.startsWith("jna-"));
  }

  private static String predictions(Path data) {
    return "--predictions=" + data.resolve("predictions/labelIds");
  }

  /** The jar names in the executor folders of each application, in application order. */
  private static List<List<String>> executorJarsByApp() throws IOException {
    TreeMap<String, TreeSet<String>> byApp = new TreeMap<>();
    try (Stream<Path> files = Files.walk(tmp.resolve("work"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".jar")).toList()) {
        // work/<app-id>/<executor id>/<jar>
        String app = f.getParent().getParent().getFileName().toString();
        byApp.computeIfAbsent(app, a -> new TreeSet<>()).add(f.getFileName() + "");
      }
    }
    return byApp.values().stream().map(List::copyOf).toList();
  }

  @Test
  void onlySparkJarsReachTheWorkersAndTheCliShipsTheRest() throws IOException {
    List<String> spark = sparkJars();
    assertThat(spark)
        .noneMatch(j -> j.contains("segspark") || j.contains("/ai/djl/") || j.contains("picocli"));
    List<String> shipped = ExecutorJars.ofThisJvm();
    assertThat(shipped.stream().map(j -> Path.of(j).getFileName().toString()))
        .anyMatch(n -> n.startsWith("pytorch-native-cpu-"))
        .anyMatch(n -> n.startsWith("pytorch-jni-"))
        .anyMatch(n -> n.startsWith("onnxruntime-1"))
        .anyMatch(n -> n.startsWith("api-"))
        .anyMatch(n -> n.startsWith("snakeyaml-"))
        // the udfs module: its class folder packed (mvn test) or its jar (mvn verify)
        .anyMatch(n -> n.startsWith("udfs-classes") || n.startsWith("segspark-udfs-"))
        // (under mvn test every class folder is packed, the picocli module's too: its jar is
        // what stays behind)
        .noneMatch(n -> n.matches("(segspark-)?picocli-\\d.*") || n.startsWith("echarts-"))
        .noneMatch(n -> n.startsWith("spark-") || n.startsWith("jackson-databind"));
  }

  private static CliRun evaluate(String master, Path data, Path out, String... what) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "evaluate",
                "--master",
                master,
                "--dataset",
                "cityscapes",
                "--data-root",
                data.toString(),
                "--partitions",
                "4",
                "--out",
                out.toString()));
    args.addAll(List.of(what));
    return CliRun.of(args.toArray(String[]::new));
  }

  /** The in-process CLI leaves its session open (as its JVM exits): stop it before the next. */
  private static void stopSessions() {
    scala.Option<SparkSession> s = SparkSession.getDefaultSession();
    if (s.isDefined()) {
      s.get().stop();
    }
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }

  private static String url() {
    return "spark://127.0.0.1:" + port;
  }

  /** Spark's jars only, as {@code mvn package} lists them for bin/local-cluster. */
  private static List<String> sparkJars() throws IOException {
    Path root = Path.of(System.getProperty(ROOT_PROPERTY, ".."));
    String cp = Files.readString(root.resolve("jobs/target/spark-classpath.txt")).trim();
    return List.of(cp.split(File.pathSeparator));
  }

  /**
   * A SPARK_HOME whose jars/ links Spark's jars: the workers build executor class paths from it.
   */
  private static Path sparkHome(Path home) throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    Files.createFile(home.resolve("RELEASE"));
    for (String jar : sparkJars()) {
      Path p = Path.of(jar);
      Path link = jars.resolve(p.getFileName());
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, p);
      }
    }
    return home;
  }

  private static Process launch(Path home, String name, String main, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens") || arg.startsWith("-XX:+IgnoreUnrecognized")) {
        cmd.add(arg);
      }
    }
    cmd.addAll(List.of("-cp", home.resolve("jars") + "/*", main));
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

  private static String log(String name) {
    try {
      Path f = tmp.resolve(name + ".log");
      return Files.exists(f) ? Files.readString(f) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static String executorLogs() throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(tmp.resolve("work"))) {
      for (Path f : files.filter(p -> p.endsWith("stderr")).toList()) {
        all.append(Files.readString(f));
      }
    }
    return all.toString();
  }

  private static boolean masterListening() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  private interface Check {
    boolean done();
  }

  private static void await(String what, Check check) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!check.done()) {
      if (System.nanoTime() > deadline || DAEMONS.stream().anyMatch(p -> !p.isAlive())) {
        throw new AssertionError(
            what + " did not happen; logs:\n" + log("master") + log("worker-1") + log("worker-2"));
      }
      Thread.sleep(200);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
