package dev.segspark.jobs.actions;

import dev.segspark.jobs.synth.SynthSpec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Entry point for callers (spark-submit, Java, notebooks): {@code
 * SegActions.get(spark).evaluate(spec).execute()}.
 */
public final class SegActions {
  private final Runner spark;

  private SegActions(Runner runner) {
    this.spark = runner;
  }

  /** Actions on a session. */
  public static SegActions get(SparkSession spark) {
    return new SegActions(Runner.spark(spark));
  }

  /**
   * Actions whose partitions run where {@code runner} says: {@link Runner#inProcess} runs small
   * local evaluations on this JVM's threads without starting a Spark session (see {@link Runner}).
   */
  public static SegActions get(Runner runner) {
    return new SegActions(runner);
  }

  /** Evaluate predictions already on disk. */
  public EvaluateAction evaluate(EvalSpec spec) {
    return new EvaluateAction(spark, spec);
  }

  /**
   * Evaluate a table whose rows hold an image key, ground truth and prediction (PNG bytes or
   * paths): the same report as {@link #evaluate(EvalSpec)} over the same label maps.
   */
  public EvaluateTableAction evaluate(Dataset<Row> table, TableEvalSpec spec) {
    return new EvaluateTableAction(spark, table, spec);
  }

  /** Evaluate panoptic predictions (COCO-panoptic layout) with PQ / SQ / RQ. */
  public EvaluatePanopticAction evaluatePanoptic(PanopticSpec spec) {
    return new EvaluatePanopticAction(spark, spec);
  }

  /** Label images with a model: masks, manifest.parquet (and COCO panoptic for DETR). */
  public LabelAction label(LabelSpec spec) {
    return new LabelAction(spark, spec);
  }

  /** Generate a synthetic Cityscapes-layout dataset. */
  public SynthAction synth(SynthSpec spec) {
    return new SynthAction(spark, spec);
  }
}
