package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segspark.evaluation.report.ReportJson;
import dev.segspark.jobs.actions.EvalSpec;
import dev.segspark.jobs.actions.JobFailedException;
import dev.segspark.jobs.actions.OnError;
import dev.segspark.jobs.actions.PanopticSpec;
import dev.segspark.jobs.actions.Runner;
import dev.segspark.jobs.actions.SegActions;
import dev.segspark.jobs.data.DatasetSpec;
import dev.segspark.jobs.synth.SynthSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An evaluation without a Spark session ({@link Runner#inProcess}, what {@code bin/segspark
 * evaluate} does without --master) writes the same report set as the same evaluation on Spark:
 * report.json (less its timings), every per-image row, the worst images, the error policy's
 * outcome; and it never starts a session unless an action needs one.
 */
class InProcessRunnerTest extends SparkTestBase {
  @TempDir static Path tmp;
  static Path data;

  /** An in-process runner whose session must never start. */
  private static SegActions inProcess() {
    return SegActions.get(
        Runner.inProcess(
            2,
            () -> {
              throw new AssertionError("the in-process runner started a Spark session");
            }));
  }

  @BeforeAll
  static void data() throws IOException {
    data = synth(tmp.resolve("data"), 7, 47, 64, 128);
    // one prediction that cannot be decoded: an image error under both runners
    try (var files = Files.walk(data.resolve("predictions/labelIds"))) {
      Path victim = files.filter(p -> p.toString().endsWith(".png")).sorted().toList().get(2);
      Files.write(victim, new byte[] {(byte) 137, 80, 78, 71, 1, 2, 3});
    }
  }

  private static EvalSpec spec(Path out, OnError onError, int partitions) {
    return new EvalSpec(
        DatasetSpec.of("cityscapes", data, "val"),
        data.resolve("predictions/labelIds"),
        null,
        null,
        out,
        onError,
        partitions,
        EvalSpec.DEFAULT_MAX_PIXELS);
  }

  /** The table's rows, without the columns of timings. */
  private static List<Row> rows(Path table) {
    Dataset<Row> t = spark.read().parquet(table.toString());
    Column[] kept =
        Arrays.stream(t.columns())
            .filter(c -> !c.endsWith("Millis"))
            .map(functions::col)
            .toArray(Column[]::new);
    return t.select(kept).collectAsList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> run(Path out) throws IOException {
    return (Map<String, Object>)
        ((Map<String, Object>) ReportJson.read(Files.readString(out.resolve("report.json"))))
            .get("run");
  }

  @Test
  void semanticReportsEqualSparkAndRecordTheRunner() throws IOException {
    Path onSpark = tmp.resolve("spark");
    Path here = tmp.resolve("here");
    actions().evaluate(spec(onSpark, OnError.SKIP, 3)).execute();
    inProcess().evaluate(spec(here, OnError.SKIP, 3)).execute();

    assertThat(reportWithoutRun(here)).isEqualTo(reportWithoutRun(onSpark));
    assertThat(reportWithoutRun(here).get("errors").toString()).contains("Cannot decode PNG");
    List<Row> rows = rows(here.resolve("per_image.parquet"));
    assertThat(rows).hasSize(7).isEqualTo(rows(onSpark.resolve("per_image.parquet")));
    // the worst images (report.md lists them) and every other line but the run's timings
    assertThat(reportLines(here)).isEqualTo(reportLines(onSpark));
    assertThat(run(here)).containsEntry("master", "in-process[2]").containsEntry("images", 6);
    assertThat(run(onSpark).get("master").toString()).startsWith("local[");
  }

  @Test
  void partitionsDoNotChangeTheReport() throws IOException {
    Path one = tmp.resolve("one");
    Path seven = tmp.resolve("seven");
    inProcess().evaluate(spec(one, OnError.SKIP, 1)).execute();
    inProcess().evaluate(spec(seven, OnError.SKIP, 7)).execute();
    assertThat(reportWithoutRun(seven)).isEqualTo(reportWithoutRun(one));
    assertThat(rows(seven.resolve("per_image.parquet")))
        .isEqualTo(rows(one.resolve("per_image.parquet")));
  }

  @Test
  void failPolicyFailsAsOnSparkAndLeavesNoReport() {
    Path out = tmp.resolve("failed");
    Throwable onSpark =
        catchFailure(() -> actions().evaluate(spec(out, OnError.FAIL, 3)).execute());
    assertThatThrownBy(() -> inProcess().evaluate(spec(out, OnError.FAIL, 3)).execute())
        .isInstanceOf(JobFailedException.class)
        .hasMessage(onSpark.getMessage());
    assertThat(out.resolve("report.json")).doesNotExist();
    assertThat(out.resolve("per_image.parquet")).doesNotExist();
  }

  @Test
  void panopticReportsEqualSpark() throws IOException {
    Path mini = repoRoot().resolve("evaluation/src/test/resources/coco-panoptic-mini");
    Path onSpark = tmp.resolve("pq-spark");
    Path here = tmp.resolve("pq-here");
    actions().evaluatePanoptic(panoptic(mini, onSpark)).execute();
    inProcess().evaluatePanoptic(panoptic(mini, here)).execute();
    assertThat(reportWithoutRun(here)).isEqualTo(reportWithoutRun(onSpark));
    assertThat(rows(here.resolve("per_image.parquet")))
        .hasSize(8)
        .isEqualTo(rows(onSpark.resolve("per_image.parquet")));
    assertThat(run(here)).containsEntry("master", "in-process[2]");
  }

  @Test
  void anActionThatNeedsSparkStartsTheSessionOnceAndCountsItsImages() {
    AtomicInteger starts = new AtomicInteger();
    SegActions actions =
        SegActions.get(
            Runner.inProcess(
                2,
                () -> {
                  starts.incrementAndGet();
                  return spark;
                }));
    Path out = tmp.resolve("synth-lazy");
    actions.synth(new SynthSpec(out, 3, 5, 32, 64, true, "val", 0)).execute();
    assertThat(starts).hasValue(1);
    assertThat(out.resolve("gtFine/val")).isDirectory();
  }

  private static PanopticSpec panoptic(Path mini, Path out) {
    return new PanopticSpec(
        mini.resolve("panoptic.json"),
        mini.resolve("panoptic"),
        mini.resolve("panoptic.json"),
        mini.resolve("panoptic"),
        out,
        true,
        null,
        3,
        1L << 26);
  }

  private static List<String> reportLines(Path out) throws IOException {
    return Files.readAllLines(out.resolve("report.md")).stream()
        .filter(
            l -> !l.matches("(?i).*(seconds|img/s|images/s|master|partitions|decode|metrics).*"))
        .toList();
  }

  private static Throwable catchFailure(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("expected the run to fail");
  }
}
