package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segspark.evaluation.report.SemanticReport;
import dev.segspark.jobs.actions.JobFailedException;
import dev.segspark.jobs.actions.OnError;
import dev.segspark.jobs.actions.TableEvalSpec;
import dev.segspark.jobs.data.DatasetSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code SegActions.evaluate(table, spec)}: a table of the files {@code evaluate --predictions}
 * reads (as paths, or as bytes from {@code binaryFile}) gives the same report numbers; bad tables
 * fail with clear messages.
 */
class EvaluateTableTest extends SparkTestBase {
  private static final StructType PATHS =
      new StructType()
          .add("image", DataTypes.StringType)
          .add("groundTruth", DataTypes.StringType)
          .add("prediction", DataTypes.StringType)
          .add("instances", DataTypes.StringType);

  @TempDir static Path tmp;
  static Path root;
  static DatasetSpec dataset;
  static Path fromFiles;

  @BeforeAll
  static void data() {
    root = synth(tmp.resolve("synth"), 9, 41, 64, 128);
    dataset = DatasetSpec.of("cityscapes", root, "val");
    fromFiles = tmp.resolve("files");
    actions().evaluate(cityscapesSpec(root, fromFiles)).execute();
  }

  /** One row per ground-truth frame: key, gt labelIds, prediction, instanceIds (paths). */
  private static Dataset<Row> pathTable() throws IOException {
    List<Row> rows = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root.resolve("gtFine/val"))) {
      for (Path gt : files.filter(p -> p.toString().endsWith("_gtFine_labelIds.png")).toList()) {
        String name = gt.getFileName().toString();
        String key = name.substring(0, name.length() - "_gtFine_labelIds.png".length());
        String city = gt.getParent().getFileName().toString();
        Path pred =
            root.resolve("predictions/labelIds").resolve(city).resolve(key + "_pred_labelIds.png");
        Path inst = gt.resolveSibling(key + "_gtFine_instanceIds.png");
        rows.add(RowFactory.create(key, gt.toString(), pred.toString(), inst.toString()));
      }
    }
    assertThat(rows).hasSize(9);
    return spark.createDataFrame(rows, PATHS);
  }

  private static SemanticReport evaluate(Dataset<Row> table, TableEvalSpec spec) {
    return actions().evaluate(table, spec).execute().report();
  }

  @Test
  void tableOfPathsGivesTheReportOfEvaluatePredictions() throws IOException {
    Path out = tmp.resolve("paths");
    SemanticReport report =
        evaluate(pathTable(), TableEvalSpec.of(dataset, out).withInstancesCol("instances"));
    assertThat(reportWithoutRun(out)).isEqualTo(reportWithoutRun(fromFiles));
    assertThat(report.dataset().images()).isEqualTo(9);
    assertThat(report.scores().summary().iIoU()).isNotNull();
    assertThat(spark.read().parquet(out.resolve("per_image.parquet").toString()).count())
        .isEqualTo(9);
    Map<String, Object> summary = reportSummary(out);
    assertThat(summary).isEqualTo(reportSummary(fromFiles));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> reportSummary(Path out) {
    return (Map<String, Object>) reportWithoutRun(out).get("summary");
  }

  @Test
  void tableOfBytesFromBinaryFilesGivesTheSameNumbers() throws IOException {
    Dataset<Row> gt =
        binaryFiles(root.resolve("gtFine/val"), "*_gtFine_labelIds.png", "_gtFine_labelIds.png")
            .withColumnRenamed("content", "truth");
    Dataset<Row> inst =
        binaryFiles(
                root.resolve("gtFine/val"), "*_gtFine_instanceIds.png", "_gtFine_instanceIds.png")
            .withColumnRenamed("content", "inst");
    Dataset<Row> pred =
        binaryFiles(root.resolve("predictions/labelIds"), "*.png", "_pred_labelIds.png")
            .withColumnRenamed("content", "pred");
    Dataset<Row> table = gt.join(pred, "key").join(inst, "key").repartition(3);
    Path out = tmp.resolve("bytes");
    TableEvalSpec spec =
        TableEvalSpec.of(dataset, out).withColumns("key", "truth", "pred").withInstancesCol("inst");
    evaluate(table, spec);
    assertThat(reportWithoutRun(out)).isEqualTo(reportWithoutRun(fromFiles));
  }

  /** key = the file name without {@code suffix}; content = the file's bytes. */
  private static Dataset<Row> binaryFiles(Path folder, String glob, String suffix) {
    return spark
        .read()
        .format("binaryFile")
        .option("recursiveFileLookup", "true")
        .option("pathGlobFilter", glob)
        .load(folder.toString())
        .select(
            functions
                .regexp_extract(
                    functions.col("path"), "([^/]+)" + suffix.replace(".", "\\.") + "$", 1)
                .as("key"),
            functions.col("content"));
  }

  @Test
  void missingPredictionFailsNamingItOrIsSkipped() throws IOException {
    Dataset<Row> table =
        pathTable()
            .withColumn(
                "prediction",
                functions
                    .when(functions.col("image").equalTo("frankfurt_000000_000019"), null)
                    .otherwise(functions.col("prediction")));
    assertThat(table.filter("prediction IS NULL").count()).isEqualTo(1);
    TableEvalSpec spec = TableEvalSpec.of(dataset, tmp.resolve("missing"));
    assertThatThrownBy(() -> evaluate(table, spec))
        .isInstanceOf(JobFailedException.class)
        .hasMessageContaining("no prediction found for frankfurt_000000_000019");
    SemanticReport skipped = evaluate(table, spec.withOnError(OnError.SKIP));
    assertThat(skipped.errors()).hasSize(1);
    assertThat(skipped.errors().get(0).image()).isEqualTo("frankfurt_000000_000019");
    assertThat(skipped.dataset().images()).isEqualTo(8);
  }

  @Test
  void missingOrMistypedColumnsAreClearErrors() throws IOException {
    Dataset<Row> table = pathTable();
    Path out = tmp.resolve("bad");
    assertThatThrownBy(
            () ->
                evaluate(
                    table, TableEvalSpec.of(dataset, out).withColumns("image", "gt", "prediction")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot evaluate a table: no column gt")
        .hasMessageContaining("image, groundTruth, prediction, instances");
    assertThatThrownBy(
            () ->
                evaluate(
                    table.withColumn("image", functions.lit(1)), TableEvalSpec.of(dataset, out)))
        .hasMessageContaining("key column image must be a string, not int");
    assertThatThrownBy(
            () ->
                evaluate(
                    table.withColumn("prediction", functions.lit(2.5)),
                    TableEvalSpec.of(dataset, out)))
        .hasMessageContaining(
            "column prediction must hold PNG bytes (binary) or paths (string), not double");
    assertThatThrownBy(
            () -> TableEvalSpec.of(dataset, out).withColumns("image", "image", "prediction"))
        .hasMessageContaining("column image is given for two roles");
    assertThatThrownBy(() -> TableEvalSpec.of(dataset, out).withColumns("image", " ", "p"))
        .hasMessageContaining("groundTruthCol is empty");
    assertThat(Files.exists(out)).isFalse();
  }
}
