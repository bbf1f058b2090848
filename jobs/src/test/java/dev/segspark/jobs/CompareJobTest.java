package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code segspark compare} as a CI gate: two runs of the same benchmark plan pass (exit 0), a
 * degraded model (DETR with threshold 0.99) fails (exit 1) naming the figure; report folders get
 * per-class and per-image deltas; folders that score different things are refused (exit 2).
 */
class CompareJobTest extends SparkTestBase {
  @TempDir static Path tmp;
  static Path data;

  @BeforeAll
  static void data() {
    data = synth(tmp.resolve("data"), 4, 2031, 256, 512);
  }

  private static Path bench(String name, String model) throws IOException {
    Path plan =
        Files.writeString(
            tmp.resolve(name + ".yaml"),
            "name: "
                + name
                + "\nrepeats: 1\nwarmup: 0\ndatasets:\n  - {name: frames, dataset: cityscapes, root: "
                + data
                + "}\nmodels:\n  - "
                + model
                + "\n");
    Path out = tmp.resolve(name);
    CliRun run = CliRun.of("benchmark", "--plan", plan.toString(), "--out", out.toString());
    assertThat(run.code()).as(run.err()).isZero();
    return out;
  }

  @Test
  void sameBenchmarkPassesADegradedOneFails() throws IOException {
    Path a = bench("a", "detr-panoptic-synth");
    Path b = bench("b", "detr-panoptic-synth");
    Path worse =
        bench(
            "worse",
            "{spec: detr-panoptic-synth, name: detr-panoptic-synth,"
                + " overrides: {detr: {threshold: 0.99}}}");
    CliRun same =
        CliRun.of("compare", a.toString(), b.toString(), "--out", tmp.resolve("c1").toString());
    assertThat(same.code()).as(same.err()).isZero();
    assertThat(same.out()).contains("No regression");
    JsonNode json = new ObjectMapper().readTree(tmp.resolve("c1/compare.json").toFile());
    assertThat(json.get("passed").asBoolean()).isTrue();
    assertThat(json.at("/pairs/0/accuracy/mIoU/delta").asDouble()).isZero();

    CliRun degraded =
        CliRun.of("compare", a.toString(), worse.toString(), "--out", tmp.resolve("c2").toString());
    assertThat(degraded.code()).isEqualTo(1);
    assertThat(degraded.err()).contains("detr-panoptic-synth@frames: mIoU dropped");
    assertThat(Files.readString(tmp.resolve("c2/compare.md"))).contains("**Regressed**");
    CliRun loose =
        CliRun.of(
            "compare",
            a.toString(),
            worse.toString(),
            "--out",
            tmp.resolve("c3").toString(),
            "--max-drop",
            "mIoU=100");
    assertThat(loose.code()).as(loose.err()).isZero();
  }

  @Test
  void reportsGetClassAndImageDeltasAndMismatchesAreRefused() throws IOException {
    Path base = tmp.resolve("r-base");
    Path worse = tmp.resolve("r-worse");
    Path mmseg = tmp.resolve("r-mmseg");
    assertThat(evaluate(base, "segformer-synth", "cityscapes").code()).isZero();
    assertThat(evaluate(worse, "detr-panoptic-synth", "cityscapes").code()).isZero();
    assertThat(evaluate(mmseg, "segformer-synth", "mmseg").code()).isZero();
    CliRun run =
        CliRun.of(
            "compare",
            base.toString(),
            worse.toString(),
            "--out",
            tmp.resolve("rc").toString(),
            "--max-drop",
            "mIoU=100");
    assertThat(run.code()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(tmp.resolve("rc/compare.json").toFile());
    assertThat(json.get("classes")).hasSize(19);
    double first = json.at("/classes/0/delta").asDouble();
    double last = json.at("/classes/18/delta").asDouble(Double.NaN);
    assertThat(first).isLessThanOrEqualTo(Double.isNaN(last) ? first : last);
    assertThat(json.get("images")).hasSize(4);
    assertThat(json.at("/images/0/image").asText()).isNotEmpty();
    // report.html lists the worst images from the per-image scores (all 4 here)
    String html = Files.readString(base.resolve("report.html"));
    for (JsonNode image : json.get("images")) {
      assertThat(html).contains(image.get("image").asText());
    }
    assertThat(html).doesNotContain("No per-image scores in this report.");
    CliRun mismatch =
        CliRun.of(
            "compare", base.toString(), mmseg.toString(), "--out", tmp.resolve("rm").toString());
    assertThat(mismatch.code()).isEqualTo(2);
    assertThat(mismatch.err()).contains("Cannot compare: the reports score different");
    CliRun neither =
        CliRun.of(
            "compare", base.toString(), tmp.toString(), "--out", tmp.resolve("rn").toString());
    assertThat(neither.code()).isEqualTo(2);
    assertThat(neither.err()).contains("holds neither report.json");
    CliRun typo =
        CliRun.of(
            "compare",
            base.toString(),
            worse.toString(),
            "--out",
            tmp.resolve("rt").toString(),
            "--max-drop",
            "miou=1");
    assertThat(typo.code()).isEqualTo(2);
    assertThat(typo.err())
        .contains("--max-drop names figures these folders do not have (miou;")
        .contains("mIoU");
    assertThat(tmp.resolve("rt")).doesNotExist();
  }

  private static CliRun evaluate(Path out, String model, String convention) {
    return CliRun.of(
        "evaluate",
        "--dataset",
        "cityscapes",
        "--data-root",
        data.toString(),
        "--model",
        model.equals("{detr}") ? "detr-panoptic-synth" : model,
        "--convention",
        convention,
        "--out",
        out.toString());
  }
}
