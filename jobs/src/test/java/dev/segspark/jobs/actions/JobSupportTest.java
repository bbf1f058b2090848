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
    assertThat(JobSupport.partitions(cores, 0, 4 * cores * 32)).isEqualTo(4 * cores);
    assertThat(JobSupport.partitions(cores, 0, 3)).isEqualTo(Math.min(3, 4 * cores));
  }

  @Test
  void bigInputsGetTasksOfAtMost32Units() {
    // 8192 frames in batches of 4 on 2 cores: 64 tasks of 32 batches, not 8 of 256
    assertThat(JobSupport.partitions(2, 0, 2048)).isEqualTo(64);
    assertThat(JobSupport.partitions(2, 0, 2049)).isEqualTo(65);
    assertThat(JobSupport.partitions(2, 0, 1_000_000)).isEqualTo(31_250);
    // a requested count is kept
    assertThat(JobSupport.partitions(2, 3, 2048)).isEqualTo(3);
  }
}
