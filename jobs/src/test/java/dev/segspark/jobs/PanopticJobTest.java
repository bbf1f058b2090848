package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segspark.evaluation.image.Png;
import dev.segspark.evaluation.panoptic.ClassPq;
import dev.segspark.evaluation.report.PanopticReport;
import dev.segspark.jobs.actions.JobFailedException;
import dev.segspark.jobs.actions.OnError;
import dev.segspark.jobs.actions.PanopticSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate --task panoptic} on the coco-panoptic-mini test data. */
class PanopticJobTest extends SparkTestBase {
  /** The small COCO-panoptic ground truth kept in the evaluation module's test resources. */
  static final Path MINI = repoRoot().resolve("evaluation/src/test/resources/coco-panoptic-mini");

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private static PanopticSpec self(Path out, int partitions, OnError onError, boolean semantic) {
    return new PanopticSpec(
        MINI.resolve("panoptic.json"),
        MINI.resolve("panoptic"),
        MINI.resolve("panoptic.json"),
        MINI.resolve("panoptic"),
        out,
        semantic,
        onError,
        partitions,
        1L << 26);
  }

  @Test
  void groundTruthAgainstItselfIsPerfect() {
    PanopticReport r =
        actions().evaluatePanoptic(self(tmp.resolve("self"), 0, null, true)).execute();
    assertThat(r.dataset().images()).isEqualTo(8);
    assertThat(r.result().all().pq()).isEqualTo(1.0);
    assertThat(r.result().things().n()).isPositive();
    assertThat(r.result().stuff().n()).isPositive();
    for (ClassPq c : r.result().classes()) {
      if (c.isPresent()) {
        assertThat(c.pq()).as(c.name()).isEqualTo(1.0);
        assertThat(c.fp() + c.fn()).isZero();
      }
    }
    assertThat(r.semantic().scores().summary().mIoU()).isEqualTo(1.0);
    assertThat(tmp.resolve("self/report.md")).content().contains("| All | 100.00 |");
    Row sums =
        spark
            .read()
            .parquet(tmp.resolve("self/per_image.parquet").toString())
            .selectExpr("count(*)", "sum(fp + fn)", "sum(tp)")
            .first();
    assertThat(sums.getLong(0)).isEqualTo(8);
    assertThat(sums.getLong(1)).isZero();
    assertThat(sums.getLong(2))
        .isEqualTo(r.result().classes().stream().mapToLong(ClassPq::tp).sum());
  }

  @Test
  void sameReportForOneTwoAndEightPartitions() throws IOException {
    Path pred = perturbed();
    Map<String, Object> one = run(pred, 1);
    assertThat(run(pred, 2)).isEqualTo(one);
    assertThat(run(pred, 8)).isEqualTo(one);
  }

  private Map<String, Object> run(Path pred, int partitions) {
    Path out = tmp.resolve("p" + partitions);
    actions()
        .evaluatePanoptic(
            new PanopticSpec(
                MINI.resolve("panoptic.json"),
                MINI.resolve("panoptic"),
                pred.resolve("pred.json"),
                pred.resolve("pred"),
                out,
                true,
                null,
                partitions,
                1L << 26))
        .execute();
    return reportWithoutRun(out);
  }

  /** A prediction where one image's segments are relabelled (so scores are not all 1). */
  private Path perturbed() throws IOException {
    Path dir = Files.createTempDirectory(tmp, "perturbed");
    Files.createDirectories(dir.resolve("pred"));
    try (var pngs = Files.list(MINI.resolve("panoptic"))) {
      for (Path p : pngs.toList()) {
        Files.copy(p, dir.resolve("pred").resolve(p.getFileName()));
      }
    }
    ObjectNode json = (ObjectNode) JSON.readTree(MINI.resolve("panoptic.json").toFile());
    ArrayNode annotations = (ArrayNode) json.get("annotations");
    for (JsonNode segment : annotations.get(0).get("segments_info")) {
      ((ObjectNode) segment).put("category_id", 1); // everything becomes "person"
    }
    JSON.writeValue(dir.resolve("pred.json").toFile(), json);
    return dir;
  }

  @Test
  void segmentMissingFromTheJsonNamesTheImage() throws IOException {
    Path dir = perturbed();
    ObjectNode json = (ObjectNode) JSON.readTree(dir.resolve("pred.json").toFile());
    JsonNode first = json.get("annotations").get(0);
    ((ArrayNode) first.get("segments_info")).remove(0);
    JSON.writeValue(dir.resolve("pred.json").toFile(), json);
    String file = first.get("file_name").asText();
    PanopticSpec spec =
        new PanopticSpec(
            MINI.resolve("panoptic.json"),
            MINI.resolve("panoptic"),
            dir.resolve("pred.json"),
            dir.resolve("pred"),
            tmp.resolve("bad"),
            false,
            OnError.FAIL,
            0,
            1L << 26);
    assertThatThrownBy(() -> actions().evaluatePanoptic(spec).execute())
        .isInstanceOf(JobFailedException.class)
        .hasMessageContaining(file);
    PanopticReport skipped =
        actions()
            .evaluatePanoptic(
                new PanopticSpec(
                    spec.gtJson(),
                    spec.gtDir(),
                    spec.predJson(),
                    spec.predDir(),
                    spec.out(),
                    false,
                    OnError.SKIP,
                    0,
                    1L << 26))
            .execute();
    assertThat(skipped.errors()).hasSize(1);
    assertThat(skipped.errors().get(0).image()).isEqualTo(file);
    assertThat(skipped.dataset().images()).isEqualTo(7);
  }

  @Test
  void missingPredictionAndSizeMismatch() throws IOException {
    Path dir = perturbed();
    ObjectNode json = (ObjectNode) JSON.readTree(dir.resolve("pred.json").toFile());
    String dropped = json.get("annotations").get(1).get("file_name").asText();
    ((ArrayNode) json.get("annotations")).remove(1);
    JSON.writeValue(dir.resolve("pred.json").toFile(), json);
    PanopticSpec spec =
        new PanopticSpec(
            MINI.resolve("panoptic.json"),
            MINI.resolve("panoptic"),
            dir.resolve("pred.json"),
            dir.resolve("pred"),
            tmp.resolve("missing"),
            false,
            OnError.FAIL,
            0,
            1L << 26);
    assertThatThrownBy(() -> actions().evaluatePanoptic(spec).execute())
        .hasMessageContaining("no annotation for image")
        .hasMessageContaining(dropped);

    Path dir2 = perturbed();
    String first =
        JSON.readTree(dir2.resolve("pred.json").toFile())
            .get("annotations")
            .get(0)
            .get("file_name")
            .asText();
    Files.write(dir2.resolve("pred").resolve(first), Png.encodeRgb(4, 4, new byte[48]));
    PanopticSpec spec2 =
        new PanopticSpec(
            MINI.resolve("panoptic.json"),
            MINI.resolve("panoptic"),
            dir2.resolve("pred.json"),
            dir2.resolve("pred"),
            tmp.resolve("size"),
            false,
            OnError.FAIL,
            0,
            1L << 26);
    assertThatThrownBy(() -> actions().evaluatePanoptic(spec2).execute())
        .hasMessageContaining(first);
  }
}
