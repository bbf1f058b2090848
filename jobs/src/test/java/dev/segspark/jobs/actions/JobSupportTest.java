package dev.segspark.jobs.actions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segspark.jobs.SparkTestBase;
import org.junit.jupiter.api.Test;

/** Partitioning: never more partitions than units of work. */
class JobSupportTest extends SparkTestBase {
  @Test
  void requestedPartitionsAreCappedAtTheUnitsOfWork() {
    assertThat(JobSupport.partitions(spark.sparkContext().defaultParallelism(), 1_000_000, 24, 32))
        .isEqualTo(24);
    assertThat(JobSupport.partitions(spark.sparkContext().defaultParallelism(), 5, 24, 32))
        .isEqualTo(5);
    assertThat(JobSupport.partitions(spark.sparkContext().defaultParallelism(), 1_000_000, 0, 32))
        .isEqualTo(1);
  }

  @Test
  void automaticPartitionsAreFourPerCoreAndAtMostOnePerUnit() {
    int cores = spark.sparkContext().defaultParallelism();
    assertThat(JobSupport.partitions(cores, 0, 1_000, Integer.MAX_VALUE)).isEqualTo(4 * cores);
    assertThat(JobSupport.partitions(cores, 0, 3, Integer.MAX_VALUE))
        .isEqualTo(Math.min(3, 4 * cores));
  }

  @Test
  void bigModelJobsGetTasksOfAtMost32Batches() {
    int max = JobSupport.MAX_BATCHES_PER_PARTITION;
    assertThat(max).isEqualTo(32);
    // 8192 frames in batches of 4 on 2 cores: 64 tasks of 32 batches, not 8 of 256
    assertThat(JobSupport.partitions(2, 0, 2048, max)).isEqualTo(64);
    assertThat(JobSupport.partitions(2, 0, 2049, max)).isEqualTo(65);
    assertThat(JobSupport.partitions(2, 0, 100, max)).isEqualTo(8);
    assertThat(JobSupport.partitions(2, 0, 1_000_000, max)).isEqualTo(31_250);
    // a requested count is kept
    assertThat(JobSupport.partitions(2, 3, 2048, max)).isEqualTo(3);
  }
}
