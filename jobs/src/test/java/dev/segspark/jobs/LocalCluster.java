package dev.segspark.jobs;

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
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;

/**
 * A real standalone Spark cluster on loopback, started from the test classpath's jars: one master
 * and one worker with two cores, whose executor JVMs (one core each) run the jobs. {@link #close}
 * stops the session and both daemons and removes the jar links.
 */
final class LocalCluster implements AutoCloseable {
  private final Path dir;
  private final List<Process> daemons = new ArrayList<>();
  private final Path home;
  private final int port;
  private SparkSession spark;

  private LocalCluster(Path dir) throws IOException {
    this.dir = dir;
    this.home = sparkHome();
    this.port = freePort();
  }

  /**
   * Starts master and worker, then a session with two one-core executors, and waits for them. On
   * failure everything started so far is stopped again, so no daemon, session or jar link outlives
   * the test.
   */
  static LocalCluster start(Path dir, String executorMemory) throws Exception {
    LocalCluster c = new LocalCluster(dir);
    try {
      c.launchDaemons();
      c.connect(executorMemory);
    } catch (Exception | Error e) {
      c.close();
      throw e;
    }
    return c;
  }

  private void launchDaemons() throws IOException {
    daemons.add(
        launch(
            "master",
            "org.apache.spark.deploy.master.Master",
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(port),
            "--webui-port",
            Integer.toString(freePort())));
    awaitMaster();
    daemons.add(
        launch(
            "worker",
            "org.apache.spark.deploy.worker.Worker",
            "--host",
            "127.0.0.1",
            "--cores",
            "2",
            "--memory",
            "4g",
            "--webui-port",
            Integer.toString(freePort()),
            "--work-dir",
            workDir().toString(),
            url()));
  }

  private String url() {
    return "spark://127.0.0.1:" + port;
  }

  private void connect(String executorMemory) throws InterruptedException, IOException {
    spark =
        SparkSession.builder()
            .master(url())
            .appName("segspark-cluster-test")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.executor.cores", "1")
            .config("spark.executor.memory", executorMemory)
            .config("spark.cores.max", "2")
            .config("spark.executor.extraClassPath", classDirectories())
            .config("spark.executor.extraJavaOptions", "-Dai.djl.offline=true")
            .config("spark.scheduler.minRegisteredResourcesRatio", "1.0")
            .config("spark.scheduler.maxRegisteredResourcesWaitingTime", "120s")
            .getOrCreate();
    awaitExecutors(2);
  }

  SparkSession spark() {
    return spark;
  }

  /** The worker's work folder: {@code app-*}/{@code <executor id>}/stderr per executor. */
  Path workDir() {
    return dir.resolve("work");
  }

  /** Kills one executor JVM (as a lost machine would end) and waits until it is gone. */
  void killOneExecutor() throws Exception {
    ProcessHandle executor =
        worker()
            .descendants()
            .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutor"))
            .findFirst()
            .orElseThrow();
    executor.destroyForcibly();
    executor.onExit().get(30, TimeUnit.SECONDS);
  }

  /**
   * Waits until {@code n} PNG masks are under {@code dir} (any store), failing if {@code job} ends
   * first or nothing comes in 120 s.
   */
  static void awaitMasks(Path dir, int n, java.util.concurrent.Future<?> job) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (pngs(dir) < n) {
      if (job.isDone()) {
        job.get(); // surfaces the job's failure
        throw new AssertionError("job ended before " + n + " masks appeared");
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no masks after 120 s");
      }
      Thread.sleep(20);
    }
  }

  private static long pngs(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (var files = Files.walk(dir)) {
      return files.filter(p -> p.toString().endsWith(".png")).count();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0; // a folder listed while the job writes it
    }
  }

  /** The worker daemon (its children are the executor JVMs). */
  ProcessHandle worker() {
    return daemons.get(1).toHandle();
  }

  @Override
  public void close() throws Exception {
    if (spark != null) {
      spark.stop();
    }
    for (Process p : daemons) {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    Path jars = dir.resolve("spark-home/jars");
    if (Files.isDirectory(jars)) {
      try (var links = Files.list(jars)) {
        for (Path link : links.toList()) {
          Files.delete(link); // the links, not the jars in the Maven repository
        }
      }
    }
  }

  /** A SPARK_HOME whose jars/ holds every jar of this test's classpath (Spark included). */
  private Path sparkHome() throws IOException {
    Path home = dir.resolve("spark-home");
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

  private Process launch(String name, String mainClass, String... args) throws IOException {
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
            .redirectOutput(dir.resolve(name + ".log").toFile());
    pb.environment().put("SPARK_HOME", home.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return pb.start();
  }

  /**
   * Waits until the master accepts connections. Spark's client gives up on a master after three 20
   * s attempts, each logging a connection-refused stack trace, and a loaded machine can take longer
   * than that to start a JVM.
   */
  private void awaitMaster() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        return;
      } catch (IOException refused) {
        if (!daemons.get(0).isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError(
              "master did not start; master log:\n" + Files.readString(dir.resolve("master.log")));
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the master", e);
        }
      }
    }
  }

  private void awaitExecutors(int n) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (spark.sparkContext().statusTracker().getExecutorInfos().length < n + 1) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "executors did not register; worker log:\n"
                + Files.readString(dir.resolve("worker.log")));
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
