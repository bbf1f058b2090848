package dev.segspark.jobs.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segspark.evaluation.metrics.Convention;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Benchmark plans: defaults, the shipped plan, and every bad key named by its path. */
class BenchmarkPlanTest {
  @TempDir Path tmp;

  private static final String PLAN =
      "name: p\n"
          + "datasets:\n"
          + "  - {name: d, dataset: cityscapes, root: /data/cs, convention: mmseg,"
          + " synth: {images: 4, seed: 9, size: 64x128}}\n"
          + "models:\n"
          + "  - segformer-synth\n"
          + "  - {spec: detr-panoptic-synth, name: detr-t0.9, overrides: {detr: {threshold: 0.9}}}\n";

  private BenchmarkPlan load(String yaml) throws IOException {
    return BenchmarkPlan.load(Files.writeString(tmp.resolve("plan.yaml"), yaml));
  }

  @Test
  void readsDatasetsModelsAndDefaults() throws IOException {
    BenchmarkPlan p = load(PLAN);
    assertThat(p.name()).isEqualTo("p");
    assertThat(p.repeats()).isEqualTo(3);
    assertThat(p.warmup()).isEqualTo(1);
    assertThat(p.datasets()).hasSize(1);
    var d = p.datasets().get(0);
    assertThat(d.root()).isEqualTo(Path.of("/data/cs"));
    assertThat(d.convention()).isEqualTo(Convention.MMSEG);
    assertThat(d.split()).isNull();
    assertThat(d.synth()).isEqualTo(new BenchmarkPlan.Synth(4, 9, 64, 128));
    assertThat(p.models()).hasSize(2);
    assertThat(p.models().get(0).spec()).isEqualTo("segformer-synth");
    assertThat(p.models().get(1).name()).isEqualTo("detr-t0.9");
    assertThat(p.models().get(1).overrides().at("/detr/threshold").asDouble()).isEqualTo(0.9);
    assertThat(p.with(5, 0).repeats()).isEqualTo(5);
    assertThat(p.with(null, null)).isEqualTo(p);
    assertThatThrownBy(() -> p.with(0, null)).hasMessageContaining("--repeats must be >= 1");
  }

  @Test
  void theShippedPlanLoads() {
    Path root = Path.of(System.getProperty("segspark.repo.root", "..")).toAbsolutePath();
    BenchmarkPlan p = BenchmarkPlan.load(root.resolve("conf/benchmarks/seed-models.yaml"));
    assertThat(p.models()).extracting(BenchmarkPlan.Model::spec).contains("segformer-synth");
  }

  @Test
  void badPlansNameTheFileAndTheKey() throws IOException {
    String file = tmp.resolve("plan.yaml").toString();
    assertThatThrownBy(() -> load(PLAN.replace("synth: {", "synht: {")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file)
        .hasMessageContaining("datasets[0].synht is not a known key");
    assertThatThrownBy(() -> load(PLAN + "repeat: 3\n"))
        .hasMessageContaining("repeat is not a known key");
    assertThatThrownBy(() -> load(PLAN + "repeats: 0\n"))
        .hasMessageContaining("repeats must be an integer >= 1 (0)");
    assertThatThrownBy(() -> load(PLAN.replace("name: p\n", "")))
        .hasMessageContaining("name is required");
    assertThatThrownBy(() -> load(PLAN.replace("root: /data/cs, ", "")))
        .hasMessageContaining("datasets[0].root is required");
    assertThatThrownBy(() -> load(PLAN.replace("64x128", "big")))
        .hasMessageContaining("datasets[0].synth.size must be HEIGHTxWIDTH");
    assertThatThrownBy(() -> load(PLAN.replace("convention: mmseg", "convention: coco")))
        .hasMessageContaining("datasets[0].convention");
    assertThatThrownBy(
            () -> load(PLAN.replace("overrides: {detr: {threshold: 0.9}}", "overrides: 3")))
        .hasMessageContaining("models[1].overrides must be a mapping");
    assertThatThrownBy(() -> load(PLAN.replace("name: detr-t0.9", "name: segformer-synth")))
        .hasMessageContaining("two models are named segformer-synth");
    assertThatThrownBy(
            () ->
                load(
                    PLAN.replace("models:\n  - segformer-synth\n", "models: []\n")
                        .replaceAll("  - \\{spec.*\\n", "")))
        .hasMessageContaining("models must be a non-empty list");
    assertThatThrownBy(() -> load("name: [unclosed\n")).hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> BenchmarkPlan.load(tmp.resolve("absent.yaml")))
        .hasMessageContaining("absent.yaml: no such file");
  }
}
