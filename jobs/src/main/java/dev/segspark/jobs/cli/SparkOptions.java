package dev.segspark.jobs.cli;

import dev.segspark.jobs.actions.Runner;
import dev.segspark.udfs.model.EngineCheck;
import dev.segspark.udfs.model.ModelSpec.Engine;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Options every Spark command shares ({@code --on-error} is {@link OnErrorOption}). */
final class SparkOptions {
  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark master URL (default: spark-submit's master, else local[*]; without a master,"
              + " evaluate runs local inputs on this JVM's threads, with no Spark session)")
  String master;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      converter = Converters.PositiveCountConverter.class,
      description =
          "Spark partitions (default: 4 per core, at most one per image; model jobs: at"
              + " most 32 batches each, so big inputs get more)")
  int partitions; // 0 when not given: automatic

  @Option(names = "--verbose", description = "Show Spark's INFO logging")
  boolean verbose;

  /**
   * Where {@code command}'s partitions run. With a master (--master, spark-submit's or {@code
   * spark.master}), on a Spark session of it. Without one, small local evaluations run on this
   * JVM's threads without a Spark session ({@link Runner#inProcess}: the seconds of a session's
   * start and its jobs are most of a small run); whatever needs Spark starts a local[*] session
   * then, as {@link #session} does.
   */
  Runner runner(String command, Set<Engine> engines) {
    return masterGiven()
        ? Runner.spark(session(command, engines))
        : Runner.inProcess(
            Runtime.getRuntime().availableProcessors(), () -> session(command, engines));
  }

  /** Whether a master is given: --master, spark-submit's, or the {@code spark.master} property. */
  private boolean masterGiven() {
    return master != null || masterFromEnvironment();
  }

  /** Whether spark-submit or the {@code spark.master} property gives this JVM a master. */
  static boolean masterFromEnvironment() {
    // SparkConf reads the spark.* system properties, but its first use initialises Spark's
    // utilities and logging (a quarter second): the property itself says the same
    return Boolean.getBoolean("SPARK_SUBMIT") || System.getProperty("spark.master") != null;
  }

  /**
   * A session for {@code command}, whose executors may run models of any engine: see {@link
   * #session(String, Set)}.
   */
  SparkSession session(String command) {
    return session(command, ExecutorJars.ANY_MODEL);
  }

  /**
   * A session for {@code command}: the given master, else spark-submit's, else local[*]. On a
   * cluster master the executors get what the driver's JVM has and a cluster lacks for running
   * models of {@code engines} (empty: no model; see {@link #forCluster}).
   */
  SparkSession session(String command, Set<Engine> engines) {
    SparkSession.Builder builder =
        SparkSession.builder()
            .appName("segspark " + command)
            .config("spark.ui.showConsoleProgress", "false");
    SparkConf conf = new SparkConf(); // spark-submit's settings and -Dspark.* properties
    if (master != null) {
      builder.master(master);
    } else if (!conf.contains("spark.master")) {
      builder.master("local[*]");
    }
    String effective = master != null ? master : conf.get("spark.master", "local[*]");
    if (!effective.equals("local") && !effective.startsWith("local[")) {
      forCluster(builder, conf, engines);
    }
    SparkSession spark = builder.getOrCreate();
    spark.sparkContext().setLogLevel(verbose ? "INFO" : "WARN");
    return spark;
  }

  /**
   * Executors in other JVMs need segspark's jars, unless spark-submit started this JVM (it ships
   * its application jar and {@code --jars}): {@link ExecutorJars} of this JVM for {@code engines}
   * are appended to {@code spark.jars}. They also need the driver's {@code ONEDNN_MAX_CPU_ISA} (see
   * {@link EngineCheck}), unless {@code spark.executorEnv} sets it.
   */
  private static void forCluster(
      SparkSession.Builder builder, SparkConf conf, Set<Engine> engines) {
    if (!Boolean.getBoolean("SPARK_SUBMIT")) {
      builder.config(
          "spark.jars",
          ExecutorJars.append(conf.get("spark.jars", ""), ExecutorJars.ofThisJvm(engines)));
    }
    String isa = System.getenv(EngineCheck.ISA_VARIABLE);
    String key = "spark.executorEnv." + EngineCheck.ISA_VARIABLE;
    if (isa != null && !conf.contains(key)) {
      builder.config(key, isa);
    }
  }
}
