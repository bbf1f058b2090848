package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segspark.evaluation.metrics.Convention;
import dev.segspark.evaluation.metrics.PredictionIds;
import dev.segspark.jobs.actions.EvalSpec;
import dev.segspark.jobs.actions.PanopticSpec;
import dev.segspark.jobs.data.DatasetSpec;
import dev.segspark.udfs.model.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/report-contract.md names every field the jobs write: each key of a semantic (cityscapes,
 * torchmetrics, with a model) and a panoptic ({@code --semantic}) report.json, and each column of
 * per_image.parquet and manifest.parquet; and each file an evaluation writes into its output
 * folder.
 */
class ReportContractDocTest extends SparkTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void everyWrittenFieldIsDocumented() throws IOException {
    Path data = synth(tmp.resolve("data"), 2, 5, 32, 64);
    Set<String> written = new TreeSet<>();
    Set<String> files = new TreeSet<>();
    actions().evaluate(cityscapesSpec(data, tmp.resolve("cityscapes"))).execute();
    collect(tmp.resolve("cityscapes"), written, files);
    actions()
        .evaluate(
            new EvalSpec(
                DatasetSpec.of("cityscapes", data, "val"),
                data.resolve("predictions/trainIds"),
                PredictionIds.TRAIN_IDS,
                Convention.TORCHMETRICS,
                tmp.resolve("torchmetrics"),
                null,
                0,
                EvalSpec.DEFAULT_MAX_PIXELS))
        .execute();
    collect(tmp.resolve("torchmetrics"), written, files);
    ModelSpec segformer = model("segformer-synth");
    actions().evaluate(modelSpec(data, tmp.resolve("model"), segformer, 1)).execute();
    collect(tmp.resolve("model"), written, files);
    Path mini = PanopticJobTest.MINI;
    actions()
        .evaluatePanoptic(
            new PanopticSpec(
                mini.resolve("panoptic.json"),
                mini.resolve("panoptic"),
                mini.resolve("panoptic.json"),
                mini.resolve("panoptic"),
                tmp.resolve("panoptic"),
                true,
                null,
                0,
                EvalSpec.DEFAULT_MAX_PIXELS))
        .execute();
    collect(tmp.resolve("panoptic"), written, files);
    Path masks = tmp.resolve("masks");
    actions()
        .label(labelSpec(segformer, data.resolve("leftImg8bit/val"), masks, 1, "ids"))
        .execute();
    written.addAll(columns(masks.resolve("manifest.parquet")));

    assertThat(written).contains("microIoU", "inferenceSeconds", "semantic", "meanConfidence");
    assertThat(files).contains("report.html", "confusion_matrix.csv", "per_image.parquet");
    String doc = Files.readString(repoRoot().resolve("docs/report-contract.md"));
    assertThat(files)
        .allSatisfy(
            file -> assertThat(doc.contains("`" + file + "`")).as(file + " documented").isTrue());
    assertThat(written)
        .allSatisfy(
            field ->
                assertThat(doc.contains("`" + field + "`") || doc.contains("\"" + field + "\""))
                    .as(field + " documented")
                    .isTrue());
  }

  /**
   * Keys of report.json (all levels; first element of arrays) and per_image.parquet columns into
   * {@code written}; the names of the folder's files (hidden ones aside) into {@code files}.
   */
  private static void collect(Path out, Set<String> written, Set<String> files) throws IOException {
    keys(JSON.readTree(out.resolve("report.json").toFile()), written);
    written.addAll(columns(out.resolve("per_image.parquet")));
    try (Stream<Path> list = Files.list(out)) {
      list.map(p -> p.getFileName().toString())
          .filter(name -> !name.startsWith("."))
          .forEach(files::add);
    }
  }

  private static void keys(JsonNode node, Set<String> written) {
    if (node.isArray() && !node.isEmpty()) {
      keys(node.get(0), written);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      written.add(field.getKey());
      keys(field.getValue(), written);
    }
  }

  private static Set<String> columns(Path parquet) {
    return Set.of(spark.read().parquet(parquet.toString()).schema().fieldNames());
  }
}
