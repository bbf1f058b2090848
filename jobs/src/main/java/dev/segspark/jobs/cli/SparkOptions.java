package dev.segspark.jobs.cli;

import dev.segspark.jobs.actions.OnError;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Options every Spark command shares. */
final class SparkOptions {
  @Option(
      names = "--master",
      paramLabel = "URL",
      description = "Spark master (default: spark-submit's, else local[*])")
  String master;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      converter = Converters.PositiveCountConverter.class,
      description = "Spark partitions (default: 4 per core, at most one per image)")
  int partitions; // 0 when not given: automatic

  @Option(
      names = "--on-error",
      paramLabel = "fail|skip",
      defaultValue = "fail",
      converter = Converters.OnErrorConverter.class,
      description =
          "Bad image: fail the job (exit 1) or record it under 'errors' and carry on "
              + "(default: ${DEFAULT-VALUE})")
  OnError onError;

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
