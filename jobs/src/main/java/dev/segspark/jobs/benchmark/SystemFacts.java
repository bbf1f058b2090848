package dev.segspark.jobs.benchmark;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The system a benchmark ran on, as MLPerf puts one next to each result: hardware, Spark's
 * executors and task slots, software versions, segspark's version and commit, and the time.
 */
final class SystemFacts {
  private SystemFacts() {}

  static Map<String, Object> of(SparkSession spark) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("cpu", cpuModel());
    s.put("cores", Runtime.getRuntime().availableProcessors());
    s.put("memoryBytes", memoryBytes());
    s.put("gpus", gpus());
    SparkConf conf = spark.sparkContext().getConf();
    String master = spark.sparkContext().master();
    int executors = spark.sparkContext().getExecutorMemoryStatus().size();
    s.put("master", master);
    s.put("executors", master.startsWith("local") ? 0 : Math.max(0, executors - 1));
    s.put(
        "coresPerExecutor",
        master.startsWith("local")
            ? spark.sparkContext().defaultParallelism()
            : conf.getInt("spark.executor.cores", 1));
    s.put("taskCpus", conf.getInt("spark.task.cpus", 1));
    s.put("taskGpus", conf.getDouble("spark.task.resource.gpu.amount", 0));
    s.put("defaultParallelism", spark.sparkContext().defaultParallelism());
    s.put("spark", spark.version());
    s.put("djl", Engine.getDjlVersion());
    s.put("libtorch", engineVersion("PyTorch"));
    s.put("onnxruntime", engineVersion("OnnxRuntime"));
    s.put(
        "java",
        System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
    s.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    Package p = SystemFacts.class.getPackage();
    s.put(
        "segspark",
        p.getImplementationVersion() == null ? "0.1.0-SNAPSHOT" : p.getImplementationVersion());
    s.put("commit", gitCommit());
    s.put("time", Instant.now().toString());
    return s;
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: fall through
    }
    return System.getProperty("os.arch");
  }

  private static long memoryBytes() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getTotalMemorySize()
        : -1;
  }

  private static String engineVersion(String name) {
    try {
      return Engine.getEngine(name).getVersion();
    } catch (RuntimeException | LinkageError e) {
      return "unavailable";
    }
  }

  /** GPU names from {@code nvidia-smi}, or an empty list where there is none. */
  private static List<String> gpus() {
    List<String> out = run("nvidia-smi", "--query-gpu=name", "--format=csv,noheader");
    return out == null ? List.of() : out.stream().filter(l -> !l.isBlank()).toList();
  }

  private static String gitCommit() {
    String root = System.getProperty("segspark.repo.root", ".");
    List<String> out = run("git", "-C", root, "rev-parse", "HEAD");
    return out == null || out.isEmpty() ? "unknown" : out.get(0).trim();
  }

  private static List<String> run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return null;
      }
      return new String(out, java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
