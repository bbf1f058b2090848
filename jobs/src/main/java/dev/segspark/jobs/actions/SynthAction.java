package dev.segspark.jobs.actions;

import dev.segspark.jobs.synth.SynthPartition;
import dev.segspark.jobs.synth.SynthSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** Generates a synthetic Cityscapes-layout dataset in parallel. */
public final class SynthAction {
  private final SparkSession spark;
  private final SynthSpec spec;

  SynthAction(SparkSession spark, SynthSpec spec) {
    this.spark = spark;
    this.spec = spec;
  }

  /** Writes the dataset; returns the wall-clock seconds. */
  public SynthResult execute() {
    long start = System.nanoTime();
    spec.checkPaths();
    List<Integer> indices = new ArrayList<>(spec.images());
    for (int i = 0; i < spec.images(); i++) {
      indices.add(i);
    }
    int partitions = JobSupport.partitions(spark, spec.partitions(), spec.images());
    JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(indices, partitions)
        .foreachPartition(new SynthPartition(spec));
    return new SynthResult(spec, (System.nanoTime() - start) / 1e9);
  }
}
