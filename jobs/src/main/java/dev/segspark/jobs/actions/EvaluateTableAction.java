package dev.segspark.jobs.actions;

import dev.segspark.evaluation.metrics.Convention;
import dev.segspark.evaluation.metrics.EvalSpace;
import dev.segspark.evaluation.report.ReportFiles;
import dev.segspark.jobs.data.PathChecks;
import dev.segspark.udfs.partition.EvaluateTablePartition;
import dev.segspark.udfs.partition.ImageResult;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Evaluates a table of ground truth and predictions (see {@link TableEvalSpec}): the rows are
 * counted where they are (no listing, no shuffle unless {@code partitions} asks for one), then the
 * aggregation, error policy, scores and report files are {@link EvaluateAction}'s ({@link
 * SemanticRun}), so the same label maps give the same {@code report.json} numbers as {@code
 * evaluate --predictions}. Rows with a null prediction are missing predictions; under {@code fail}
 * any bad row stops the run after the counting.
 */
public final class EvaluateTableAction
    extends BaseAction<EvaluateTableAction, TableEvalSpec, EvaluateResult> {
  private final Dataset<Row> table;

  EvaluateTableAction(Runner runner, Dataset<Row> table, TableEvalSpec spec) {
    super(runner, spec, "evaluate", spec.onError());
    if (table == null) {
      throw new IllegalArgumentException("Cannot evaluate a table: the table is null");
    }
    this.table = table;
  }

  /** The dataset and the prediction column. */
  @Override
  String subject() {
    return spec.dataset().name() + " table column " + spec.predictionCol();
  }

  /**
   * Checks the columns, then evaluates and writes the reports into {@code spec.out()} as a unit
   * (the previous report set there is removed first).
   */
  @Override
  EvaluateResult run() {
    EvaluateTablePartition.Columns columns = spec.columns(table.schema());
    PathChecks.requireWritableFolder(spec.out(), "out", "evaluate");
    return committed(ReportFiles.open(spec.out()), staging -> evaluate(columns, staging));
  }

  private EvaluateResult evaluate(EvaluateTablePartition.Columns columns, Path staging) {
    Column[] selected = spec.columnNames().stream().map(functions::col).toArray(Column[]::new);
    Dataset<Row> rows = table.select(selected);
    if (spec.partitions() > 0) {
      rows = rows.repartition(spec.partitions());
    }
    JavaRDD<Row> input = rows.javaRDD();
    int count = Math.toIntExact(input.count());
    boolean withInstances =
        spec.convention() == Convention.CITYSCAPES && spec.instancesCol() != null;
    EvalSpace space = EvalSpace.of(spec.convention(), spec.dataset().table(), spec.predictionIds());
    JavaRDD<ImageResult> results =
        input.mapPartitions(
            new EvaluateTablePartition(columns, space, withInstances, spec.maxPixels(), images()));
    SemanticRun run =
        new SemanticRun(
            spec.dataset(),
            space,
            withInstances,
            List.of(),
            count,
            count,
            input.getNumPartitions(),
            "column " + spec.predictionCol(),
            null);
    return run.finish(this, Partitions.of(results), staging, spec.out());
  }
}
