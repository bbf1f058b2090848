package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segspark.jobs.data.Layout;
import dev.segspark.udfs.model.ModelSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code segspark benchmark} end to end: a plan with a synthetic dataset (generated on first use)
 * and two models, one with a spec override; each pair's report equals {@code evaluate --model}'s
 * exactly; the JSON carries every documented field; a failing pair is recorded and, under skip, the
 * others still run.
 */
class BenchmarkJobTest extends SparkTestBase {
  @TempDir Path tmp;

  private Path plan(String models) throws IOException {
    return Files.writeString(
        tmp.resolve("plan.yaml"),
        "name: test-plan\nrepeats: 2\nwarmup: 1\ndatasets:\n"
            + "  - {name: frames, dataset: cityscapes, root: "
            + tmp.resolve("data")
            + ", synth: {images: 6, seed: 2030, size: 256x512}}\n"
            + "models:\n"
            + models);
  }

  @Test
  void pairsEqualEvaluateWithModelAndTheJsonHasEveryField() throws IOException {
    Path plan =
        plan(
            "  - segformer-synth\n"
                + "  - {spec: detr-panoptic-synth, name: detr-t0.9,"
                + " overrides: {detr: {threshold: 0.9}}}\n");
    Path out = tmp.resolve("bench");
    CliRun run = CliRun.of("benchmark", "--plan", plan.toString(), "--out", out.toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("| segformer-synth | frames |")
        .contains("| detr-t0.9 | frames |");
    assertThat(run.err()).contains("benchmark [1/2] segformer-synth@frames run 2/2");
    assertThat(tmp.resolve("data/gtFine/val")).isDirectory();

    // each pair is the evaluate --model job: same report, figure for figure
    actions()
        .evaluate(
            modelSpec(tmp.resolve("data"), tmp.resolve("direct-seg"), model("segformer-synth"), 0))
        .execute();
    var overrides =
        new ObjectMapper().readTree("{\"name\": \"detr-t0.9\", \"detr\": {\"threshold\": 0.9}}");
    actions()
        .evaluate(
            modelSpec(
                tmp.resolve("data"),
                tmp.resolve("direct-detr"),
                ModelSpecs.resolve("detr-panoptic-synth", overrides),
                0))
        .execute();
    assertThat(reportWithoutRun(out.resolve("pairs/segformer-synth@frames")))
        .isEqualTo(reportWithoutRun(tmp.resolve("direct-seg")));
    assertThat(reportWithoutRun(out.resolve("pairs/detr-t0.9@frames")))
        .isEqualTo(reportWithoutRun(tmp.resolve("direct-detr")));
    JsonNode detrRun =
        new ObjectMapper().readTree(out.resolve("pairs/detr-t0.9@frames/report.json").toFile());
    assertThat(detrRun.at("/run/model").asText()).isEqualTo("detr-t0.9");

    JsonNode json = new ObjectMapper().readTree(out.resolve("benchmark.json").toFile());
    assertThat(json.get("schema").asText()).isEqualTo("segspark-benchmark/1");
    for (String key :
        List.of(
            "cpu",
            "cores",
            "memoryBytes",
            "gpus",
            "executors",
            "coresPerExecutor",
            "taskCpus",
            "spark",
            "djl",
            "libtorch",
            "onnxruntime",
            "java",
            "segspark",
            "commit",
            "time")) {
      assertThat(json.get("system").has(key)).as("system." + key).isTrue();
    }
    assertThat(json.get("pairs")).hasSize(2);
    JsonNode seg = json.get("pairs").get(0);
    JsonNode direct = new ObjectMapper().readTree(tmp.resolve("direct-seg/report.json").toFile());
    assertThat(seg.at("/accuracy/mIoU").asDouble())
        .isEqualTo(direct.at("/summary/mIoU").asDouble());
    assertThat(seg.at("/imagesPerSecond/runs")).hasSize(2);
    assertThat(seg.at("/imagesPerSecond/mean").asDouble()).isPositive();
    assertThat(seg.at("/forwardImagesPerSecond/mean").asDouble()).isPositive();
    assertThat(seg.at("/modelFacts/parameters").asLong()).isEqualTo(457_011L);
    assertThat(seg.at("/modelFacts/fileBytes").asLong())
        .isEqualTo(Files.size(repoRoot().resolve("conf/models/segformer-synth.pt")));
    double p50 = seg.at("/latencyMillis/p50").asDouble();
    assertThat(p50).isPositive().isLessThanOrEqualTo(seg.at("/latencyMillis/p95").asDouble());
    assertThat(seg.at("/latencyMillis/p95").asDouble())
        .isLessThanOrEqualTo(seg.at("/latencyMillis/p99").asDouble());
    for (String stage : List.of("decode", "preprocess", "inference", "postprocess", "metrics")) {
      assertThat(seg.at("/stageMillisPerImage/" + stage).asDouble()).as(stage).isPositive();
    }
    assertThat(json.get("errors")).isEmpty();

    List<Row> rows =
        spark.read().parquet(out.resolve("results.parquet").toString()).collectAsList();
    assertThat(rows).hasSize(4);
    assertThat(Files.readString(out.resolve("benchmark.md")))
        .contains(
            "| model | dataset | mIoU | PQ | img/s ± std | forward img/s | ms/img p50 / p95 | params | device |");
  }

  @Test
  void aPanopticPairRecordsThePqOfLabelThenEvaluatePanoptic() throws IOException {
    Path plan =
        Files.writeString(
            tmp.resolve("pq-plan.yaml"),
            "name: pq-plan\nrepeats: 1\nwarmup: 0\ndatasets:\n"
                + "  - {name: frames, dataset: cityscapes, root: "
                + tmp.resolve("pq-data")
                + ", synth: {images: 4, seed: 2031, size: 256x512}}\n"
                + "models:\n  - segformer-synth\n  - detr-panoptic-synth\n");
    Path out = tmp.resolve("pq-bench");
    CliRun run = CliRun.of("benchmark", "--plan", plan.toString(), "--out", out.toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.err()).contains("benchmark [2/2] detr-panoptic-synth@frames PQ ");

    // the same two jobs by hand: label, then evaluate --task panoptic against synth's GT
    Path data = tmp.resolve("pq-data");
    Path labels = tmp.resolve("pq-labels");
    actions()
        .label(labelSpec(model("detr-panoptic-synth"), data.resolve("leftImg8bit/val"), labels, 0))
        .execute();
    Path gtJson = Layout.panopticJson(data, "val");
    JsonNode predictions = new ObjectMapper().readTree(labels.resolve("panoptic.json").toFile());
    JsonNode truth = new ObjectMapper().readTree(gtJson.toFile());
    assertThat(ids(predictions)).isEqualTo(ids(truth)).hasSize(4);
    CliRun direct =
        CliRun.of(
            "evaluate",
            "--task",
            "panoptic",
            "--gt-json",
            gtJson.toString(),
            "--gt-dir",
            Layout.panopticDir(data, "val").toString(),
            "--pred-json",
            labels.resolve("panoptic.json").toString(),
            "--pred-dir",
            labels.resolve("panoptic").toString(),
            "--out",
            tmp.resolve("pq-direct").toString());
    assertThat(direct.code()).as(direct.err()).isZero();
    JsonNode report = new ObjectMapper().readTree(tmp.resolve("pq-direct/report.json").toFile());

    JsonNode json = new ObjectMapper().readTree(out.resolve("benchmark.json").toFile());
    assertThat(json.at("/pairs/0/pq").isNull()).as("segformer has no PQ").isTrue();
    JsonNode pq = json.at("/pairs/1/pq");
    for (String[] group :
        new String[][] {{"all", "All"}, {"things", "Things"}, {"stuff", "Stuff"}}) {
      for (String figure : List.of("pq", "sq", "rq", "n")) {
        JsonNode expected = report.at("/summary/" + group[1] + "/" + figure);
        assertThat(expected.isNumber()).as(group[1] + " " + figure).isTrue();
        assertThat(pq.at("/" + group[0] + "/" + figure))
            .as(group[0] + " " + figure)
            .isEqualTo(expected);
      }
    }
    assertThat(pq.at("/all/pq").asDouble()).isBetween(0.0, 1.0).isPositive();
    assertThat(pq.get("reports").asText()).isEqualTo("pairs/detr-panoptic-synth@frames/panoptic");
    assertThat(reportWithoutRun(out.resolve(pq.get("reports").asText())))
        .isEqualTo(reportWithoutRun(tmp.resolve("pq-direct")));
    try (var pairs = Files.list(out.resolve("pairs"))) {
      assertThat(pairs.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("segformer-synth@frames", "detr-panoptic-synth@frames");
    }
    assertThat(Files.readString(out.resolve("benchmark.md")))
        .contains(
            String.format(
                Locale.ROOT,
                "| detr-panoptic-synth | frames | %.2f | %.2f |",
                json.at("/pairs/1/accuracy/mIoU").asDouble() * 100,
                pq.at("/all/pq").asDouble() * 100));
  }

  /** The image ids of a COCO-panoptic JSON's annotations. */
  private static Set<String> ids(JsonNode json) {
    Set<String> ids = new TreeSet<>();
    json.get("annotations").forEach(a -> ids.add(a.get("image_id").asText()));
    return ids;
  }

  @Test
  void aFailingPairIsRecordedAndSkipRunsTheOthers() throws IOException {
    Path plan = plan("  - no-such-model\n  - segformer-synth\n");
    CliRun skip =
        CliRun.of(
            "benchmark",
            "--plan",
            plan.toString(),
            "--out",
            tmp.resolve("skip").toString(),
            "--repeats",
            "1",
            "--warmup",
            "0",
            "--on-error",
            "skip");
    assertThat(skip.code()).as(skip.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(tmp.resolve("skip/benchmark.json").toFile());
    assertThat(json.get("pairs")).hasSize(1);
    assertThat(json.at("/errors/0/model").asText()).isEqualTo("no-such-model");
    assertThat(json.at("/errors/0/error").asText()).contains("no-such-model");

    CliRun fail =
        CliRun.of(
            "benchmark",
            "--plan",
            plan.toString(),
            "--out",
            tmp.resolve("fail").toString(),
            "--repeats",
            "1",
            "--warmup",
            "0");
    assertThat(fail.code()).isEqualTo(1);
    assertThat(fail.err()).contains("Benchmark pair no-such-model@frames failed");
    assertThat(
            new ObjectMapper().readTree(tmp.resolve("fail/benchmark.json").toFile()).get("errors"))
        .hasSize(1);

    CliRun bad =
        CliRun.of(
            "benchmark",
            "--plan",
            tmp.resolve("absent.yaml").toString(),
            "--out",
            tmp.resolve("x").toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("absent.yaml: no such file");
  }
}
