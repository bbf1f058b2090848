package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segspark.evaluation.metrics.Convention;
import dev.segspark.evaluation.metrics.PredictionIds;
import dev.segspark.evaluation.report.SemanticReport;
import dev.segspark.jobs.actions.EvalSpec;
import dev.segspark.jobs.actions.EvaluateAction;
import dev.segspark.jobs.data.DatasetSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateJobTest extends SparkTestBase {
  @TempDir static Path tmp;
  static Path data;

  @BeforeAll
  static void data() {
    data = synth(tmp.resolve("data"), 20, 5, 96, 192);
  }

  @Test
  void sameReportForOneThreeAndSeventeenPartitions() {
    Map<String, Object> one = run(1);
    assertThat(run(3)).isEqualTo(one);
    assertThat(run(17)).isEqualTo(one);
    assertThat(((Map<?, ?>) one.get("dataset")).get("images")).isEqualTo(20);
  }

  private Map<String, Object> run(int partitions) {
    Path out = tmp.resolve("p" + partitions);
    actions().evaluate(cityscapesSpec(data, out).withPartitions(partitions)).execute();
    return reportWithoutRun(out);
  }

  @Test
  void writesEveryReportFileAndPerImageRows() throws Exception {
    Path out = tmp.resolve("files");
    SemanticReport report = actions().evaluate(cityscapesSpec(data, out)).execute().report();
    for (String f : List.of("report.json", "report.md", "per_class.csv", "confusion_matrix.csv")) {
      assertThat(out.resolve(f)).isNotEmptyFile();
    }
    assertThat(Files.readString(out.resolve("report.md"))).contains("| car |");
    assertThat(Files.readAllLines(out.resolve("per_class.csv"))).hasSize(20);
    Dataset<Row> perImage = spark.read().parquet(out.resolve(EvaluateAction.PER_IMAGE).toString());
    assertThat(perImage.count()).isEqualTo(20);
    Row sums =
        perImage
            .selectExpr(
                "sum(countedPixels + ignoredPixels)", "sum(width * height)", "sum(correctPixels)")
            .first();
    assertThat(sums.getLong(0)).isEqualTo(20L * 96 * 192).isEqualTo(sums.getLong(1));
    long tp = report.scores().classes().stream().mapToLong(c -> c.tp()).sum();
    assertThat(sums.getLong(2)).isGreaterThanOrEqualTo(tp);
    assertThat(report.matrix().total() + report.matrix().ignored()).isEqualTo(20L * 96 * 192);
  }

  @Test
  void trainIdAndLabelIdPredictionsGiveTheSameMmsegReport() {
    Path a = tmp.resolve("mm-labelids");
    Path b = tmp.resolve("mm-trainids");
    DatasetSpec cs = DatasetSpec.of("cityscapes", data, "val");
    actions()
        .evaluate(
            new EvalSpec(
                cs,
                data.resolve("predictions/labelIds"),
                PredictionIds.LABEL_IDS,
                Convention.MMSEG,
                a,
                null,
                0,
                EvalSpec.DEFAULT_MAX_PIXELS))
        .execute();
    actions()
        .evaluate(
            new EvalSpec(
                cs,
                data.resolve("predictions/trainIds"),
                PredictionIds.TRAIN_IDS,
                Convention.MMSEG,
                b,
                null,
                0,
                EvalSpec.DEFAULT_MAX_PIXELS))
        .execute();
    assertThat(reportWithoutRun(b)).isEqualTo(reportWithoutRun(a));
  }

  @Test
  void everyConventionWritesAReport() {
    for (Convention c : Convention.values()) {
      Path out = tmp.resolve("conv-" + c.id());
      PredictionIds ids =
          c == Convention.CITYSCAPES ? PredictionIds.LABEL_IDS : PredictionIds.TRAIN_IDS;
      Path preds =
          data.resolve(
              ids == PredictionIds.LABEL_IDS ? "predictions/labelIds" : "predictions/trainIds");
      SemanticReport r =
          actions()
              .evaluate(
                  new EvalSpec(
                      DatasetSpec.of("cityscapes", data, "val"),
                      preds,
                      ids,
                      c,
                      out,
                      null,
                      0,
                      EvalSpec.DEFAULT_MAX_PIXELS))
              .execute()
              .report();
      assertThat(r.scores().summary().mIoU()).as(c.id()).isBetween(0.3, 0.95);
      assertThat(reportWithoutRun(out).get("convention")).isEqualTo(c.id());
    }
  }

  @Test
  void synthIsDeterministicForASeed() throws Exception {
    Path again = synth(tmp.resolve("again"), 3, 5, 96, 192);
    String name = "gtFine/val/lindau/lindau_000000_000019_gtFine_instanceIds.png";
    assertThat(Files.readAllBytes(again.resolve(name)))
        .isEqualTo(Files.readAllBytes(data.resolve(name)));
    String pred = "predictions/labelIds/frankfurt/frankfurt_000000_000019_pred_labelIds.png";
    assertThat(Files.readAllBytes(again.resolve(pred)))
        .isEqualTo(Files.readAllBytes(data.resolve(pred)));
  }
}
