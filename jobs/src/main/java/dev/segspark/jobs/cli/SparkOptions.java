package dev.segspark.jobs.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Options every Spark command shares ({@code --on-error} is {@link OnErrorOption}). */
final class SparkOptions {
  @Option(
      names = "--master",
      paramLabel = "URL",
      description = "Spark master URL (default: spark-submit's master, else local[*])")
  String master;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      converter = Converters.PositiveCountConverter.class,
      description = "Spark partitions (default: 4 per core, at most one per image)")
  int partitions; // 0 when not given: automatic

  @Option(names = "--verbose", description = "Show Spark's INFO logging")
  boolean verbose;

  /** A session for {@code command}: the given master, else spark-submit's, else local[*]. */
  SparkSession session(String command) {
    SparkSession.Builder builder =
        SparkSession.builder()
            .appName("segspark " + command)
            .config("spark.ui.showConsoleProgress", "false");
    if (master != null) {
      builder.master(master);
    } else if (!new SparkConf().contains("spark.master")) {
      builder.master("local[*]");
    }
    SparkSession spark = builder.getOrCreate();
    spark.sparkContext().setLogLevel(verbose ? "INFO" : "WARN");
    return spark;
  }
}
