package dev.segspark.jobs.actions;

import dev.segspark.jobs.synth.SynthPartition;
import dev.segspark.jobs.synth.SynthSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** Generates a synthetic Cityscapes-layout dataset in parallel. */
public final class SynthAction extends BaseAction<SynthAction, SynthSpec, SynthResult> {
  SynthAction(SparkSession spark, SynthSpec spec) {
    super(spark, spec, "synth", OnError.FAIL);
  }

  /** The number of frames and the output folder. */
  @Override
  String subject() {
    return spec.images() + " " + spec.out();
  }

  /** Writes the dataset; the result holds the wall-clock seconds. */
  @Override
  SynthResult run() {
    spec.checkPaths();
    List<Integer> indices = new ArrayList<>(spec.images());
    for (int i = 0; i < spec.images(); i++) {
      indices.add(i);
    }
    int partitions = partitions(spec.partitions(), spec.images());
    try (ProgressLine line = progress(spec.images())) {
      jsc().parallelize(indices, partitions).foreachPartition(new SynthPartition(spec, images()));
    }
    return new SynthResult(spec, seconds());
  }
}
