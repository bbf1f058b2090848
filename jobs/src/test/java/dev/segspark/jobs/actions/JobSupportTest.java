package dev.segspark.jobs.actions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segspark.jobs.SparkTestBase;
import org.junit.jupiter.api.Test;

/** Partitioning: never more partitions than units of work. */
class JobSupportTest extends SparkTestBase {
  @Test
  void requestedPartitionsAreCappedAtTheUnitsOfWork() {
    assertThat(JobSupport.partitions(spark.sparkContext().defaultParallelism(), 1_000_000, 24))
        .isEqualTo(24);
    assertThat(JobSupport.partitions(spark.sparkContext().defaultParallelism(), 5, 24))
        .isEqualTo(5);
    assertThat(JobSupport.partitions(spark.sparkContext().defaultParallelism(), 1_000_000, 0))
        .isEqualTo(1);
  }

  @Test
  void automaticPartitionsAreFourPerCoreAndAtMostOnePerUnit() {
    int cores = spark.sparkContext().defaultParallelism();
    assertThat(JobSupport.partitions(spark.sparkContext().defaultParallelism(), 0, 1_000))
        .isEqualTo(4 * cores);
    assertThat(JobSupport.partitions(spark.sparkContext().defaultParallelism(), 0, 3))
        .isEqualTo(Math.min(3, 4 * cores));
  }
}
