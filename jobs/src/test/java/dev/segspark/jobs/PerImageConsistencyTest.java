package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.metrics.Convention;
import dev.segspark.evaluation.metrics.PredictionIds;
import dev.segspark.evaluation.panoptic.ClassPq;
import dev.segspark.evaluation.report.PanopticReport;
import dev.segspark.evaluation.report.ReportJson;
import dev.segspark.jobs.actions.EvalSpec;
import dev.segspark.jobs.actions.EvaluateAction;
import dev.segspark.jobs.actions.OnError;
import dev.segspark.jobs.actions.PanopticSpec;
import dev.segspark.jobs.data.DatasetSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * per_image.parquet follows the run's convention: its counts sum to the report's totals under all
 * four conventions, and an image evaluated alone gets the report's own mIoU, aAcc and class IoUs.
 * Plus the two silent failures of the inputs: a prediction set of the other id kind, and a missing
 * instance map.
 */
class PerImageConsistencyTest extends SparkTestBase {
  @TempDir static Path tmp;
  static Path data;

  @BeforeAll
  static void data() {
    data = synth(tmp.resolve("data"), 6, 31, 64, 128);
  }

  private static EvalSpec spec(Path root, Convention c, Path out) {
    boolean labelIds = c == Convention.CITYSCAPES;
    return spec(
        root,
        labelIds ? "predictions/labelIds" : "predictions/trainIds",
        labelIds ? PredictionIds.LABEL_IDS : PredictionIds.TRAIN_IDS,
        c,
        out);
  }

  /** An evaluation of {@code root}'s predictions under {@code folder}, read as {@code ids}. */
  private static EvalSpec spec(
      Path root, String folder, PredictionIds ids, Convention c, Path out) {
    return new EvalSpec(
        DatasetSpec.of("cityscapes", root, "val"),
        root.resolve(folder),
        ids,
        c,
        out,
        null,
        3,
        EvalSpec.DEFAULT_MAX_PIXELS);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> report(Path out) throws IOException {
    return (Map<String, Object>) ReportJson.read(Files.readString(out.resolve("report.json")));
  }

  @SuppressWarnings("unchecked")
  private static long classSum(Map<String, Object> report, String field) {
    return ((List<Map<String, Object>>) report.get("classes"))
        .stream().mapToLong(c -> ((Number) c.get(field)).longValue()).sum();
  }

  @ParameterizedTest
  @EnumSource(Convention.class)
  void perImageCountsSumToTheReportTotals(Convention c) throws IOException {
    Path out = tmp.resolve("sum-" + c.id());
    actions().evaluate(spec(data, c, out)).execute();
    Map<String, Object> report = report(out);
    Row sums =
        spark
            .read()
            .parquet(out.resolve(EvaluateAction.PER_IMAGE).toString())
            .selectExpr(
                "sum(countedPixels)",
                "sum(correctPixels)",
                "sum(countedPixels + ignoredPixels)",
                "count(*)")
            .first();
    assertThat(sums.getLong(0)).as("Σ countedPixels").isEqualTo(classSum(report, "gtPixels"));
    assertThat(sums.getLong(1)).as("Σ correctPixels").isEqualTo(classSum(report, "tp"));
    assertThat(sums.getLong(2)).isEqualTo(6L * 64 * 128);
    assertThat(((Number) ((Map<?, ?>) report.get("run")).get("pixels")).longValue())
        .isEqualTo(6L * 64 * 128);
    assertThat(sums.getLong(3)).isEqualTo(6);
  }

  @ParameterizedTest
  @EnumSource(Convention.class)
  @SuppressWarnings("unchecked")
  void anImageAloneGetsTheReportsOwnScores(Convention c) throws IOException {
    Path one = tmp.resolve("one-" + c.id());
    String prefix = prefix(firstFile(data.resolve("gtFine/val"), "_gtFine_labelIds.png"));
    copyFiles(data, one, p -> p.getFileName().toString().startsWith(prefix));
    Path out = tmp.resolve("alone-" + c.id());
    actions().evaluate(spec(one, c, out)).execute();
    Map<String, Object> report = report(out);
    Map<String, Object> summary = (Map<String, Object>) report.get("summary");
    Row row =
        spark
            .read()
            .parquet(out.resolve(EvaluateAction.PER_IMAGE).toString())
            .collectAsList()
            .get(0);
    assertThat(row.<Double>getAs("meanIoU"))
        .isCloseTo(((Number) summary.get("mIoU")).doubleValue(), within(1e-15));
    assertThat(row.<Double>getAs("pixelAccuracy"))
        .isCloseTo(((Number) summary.get("aAcc")).doubleValue(), within(1e-15));
    List<Object> classIoU = row.getList(row.fieldIndex("classIoU"));
    List<Map<String, Object>> classes = (List<Map<String, Object>>) report.get("classes");
    assertThat(classIoU).hasSize(classes.size());
    for (int i = 0; i < classes.size(); i++) {
      Object expected = classes.get(i).get("iou");
      if (expected == null) {
        assertThat(classIoU.get(i)).as(c.id() + " class " + i).isNull();
      } else {
        assertThat((Double) classIoU.get(i))
            .as(c.id() + " class " + i)
            .isCloseTo(((Number) expected).doubleValue(), within(1e-15));
      }
    }
  }

  @Test
  void trainIdPredictionsDeclaredAsLabelIdsFail() {
    EvalSpec wrong =
        spec(
            data,
            "predictions/trainIds",
            PredictionIds.LABEL_IDS,
            Convention.CITYSCAPES,
            tmp.resolve("wrong-kind"));
    // synth's train-id maps hold 255 on void pixels: no label id, so each image fails by itself
    assertThatThrownBy(() -> actions().evaluate(wrong).execute())
        .hasMessageContaining("predicted id 255 is not in the 'cityscapes' label table")
        .hasMessageContaining("predictions are read as --prediction-ids labelIds")
        .hasMessageContaining("pass --prediction-ids trainIds");
    assertThat(tmp.resolve("wrong-kind/report.json")).doesNotExist();
  }

  @Test
  void labelIdPredictionsDeclaredAsTrainIdsFail() {
    EvalSpec wrong =
        spec(
            data,
            "predictions/labelIds",
            PredictionIds.TRAIN_IDS,
            Convention.MMSEG,
            tmp.resolve("wrong-kind-mm"));
    assertThatThrownBy(() -> actions().evaluate(wrong).execute())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("do not hold what --prediction-ids trainIds declares")
        .hasMessageContaining("pass --prediction-ids labelIds");
  }

  @Test
  @SuppressWarnings("unchecked")
  void aMissingInstanceMapIsAnErrorOfThatImage() throws IOException {
    Path copy = tmp.resolve("no-instances");
    copyFiles(data, copy, p -> true);
    Path gone = firstFile(copy.resolve("gtFine/val"), "_gtFine_instanceIds.png");
    Files.delete(gone);
    EvalSpec spec =
        EvalSpec.of(
            DatasetSpec.of("cityscapes", copy, "val"),
            copy.resolve("predictions/labelIds"),
            tmp.resolve("ni-fail"));
    assertThatThrownBy(() -> actions().evaluate(spec).execute())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("its instance map is missing (" + gone);
    Path skipped = tmp.resolve("ni-skip");
    actions()
        .evaluate(
            EvalSpec.of(
                    DatasetSpec.of("cityscapes", copy, "val"),
                    copy.resolve("predictions/labelIds"),
                    skipped)
                .withOnError(OnError.SKIP))
        .execute();
    Map<String, Object> report = report(skipped);
    List<Map<String, Object>> errors = (List<Map<String, Object>>) report.get("errors");
    assertThat(errors).hasSize(1);
    assertThat((String) errors.get(0).get("error")).contains("its instance map is missing");
    assertThat(((Map<?, ?>) report.get("dataset")).get("images")).isEqualTo(5);
    // the other five images are scored exactly as a dataset without the sixth
    String prefix = prefix(gone);
    try (Stream<Path> files = Files.walk(copy)) {
      for (Path p : files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
        Files.delete(p);
      }
    }
    Path five = tmp.resolve("ni-five");
    actions().evaluate(cityscapesSpec(copy, five)).execute();
    assertThat(report(skipped).get("summary")).isEqualTo(report(five).get("summary"));
  }

  /** The parity fixture's predictions exercise every matching rule of panopticapi. */
  @Test
  void panopticPerImageCountsSumToTheReportTotals() {
    Path fixture = repoRoot().resolve("jobs/src/test/resources/panoptic");
    Path out = tmp.resolve("panoptic");
    PanopticReport report =
        actions()
            .evaluatePanoptic(
                new PanopticSpec(
                    PanopticJobTest.MINI.resolve("panoptic.json"),
                    PanopticJobTest.MINI.resolve("panoptic"),
                    fixture.resolve("pred.json"),
                    fixture.resolve("pred"),
                    out,
                    false,
                    null,
                    3,
                    EvalSpec.DEFAULT_MAX_PIXELS))
            .execute();
    Row sums =
        spark
            .read()
            .parquet(out.resolve(EvaluateAction.PER_IMAGE).toString())
            .selectExpr("sum(tp)", "sum(fp)", "sum(fn)", "count(*)")
            .first();
    List<ClassPq> classes = report.result().classes();
    assertThat(sums.getLong(0)).isEqualTo(classes.stream().mapToLong(ClassPq::tp).sum());
    assertThat(sums.getLong(1)).isEqualTo(classes.stream().mapToLong(ClassPq::fp).sum());
    assertThat(sums.getLong(2)).isEqualTo(classes.stream().mapToLong(ClassPq::fn).sum());
    assertThat(sums.getLong(1) + sums.getLong(2))
        .as("the fixture has errors to count")
        .isPositive();
    assertThat(sums.getLong(3)).isEqualTo(report.dataset().images());
  }

  /** The first file (in path order) under {@code dir} whose name ends with {@code suffix}. */
  private static Path firstFile(Path dir, String suffix) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.toString().endsWith(suffix)).sorted().findFirst().orElseThrow();
    }
  }

  /** {@code <city>_<seq>_<frame>} of a Cityscapes file. */
  private static String prefix(Path file) {
    String[] parts = file.getFileName().toString().split("_");
    return parts[0] + "_" + parts[1] + "_" + parts[2];
  }

  /** Copies the regular files under {@code from} that {@code which} accepts, keeping the tree. */
  private static void copyFiles(Path from, Path to, Predicate<Path> which) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.filter(Files::isRegularFile).filter(which).toList()) {
        Path target = to.resolve(from.relativize(p));
        Files.createDirectories(target.getParent());
        Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
