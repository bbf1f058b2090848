package dev.segspark.udfs.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segspark.evaluation.metrics.PredictionIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model specs: defaults, resolution of relative paths, and every kind of bad field. */
class ModelSpecsTest {
  @TempDir Path tmp;

  private Path spec(String yaml) throws IOException {
    Path p = tmp.resolve("m.yaml");
    Files.writeString(p, yaml);
    return p;
  }

  private static final String BASE =
      "model: m.pt\nclasses: cityscapes\nnumClasses: 19\ninput: {height: 64, width: 128}\n";

  @Test
  void readsFieldsAndDefaults() throws IOException {
    ModelSpec s =
        ModelSpecs.load(
            spec(
                BASE
                    + "adapter: danet\nchannels: BGR\nmean: [1, 2, 3]\nstd: [4, 5, 6]\n"
                    + "batchSize: 8\nprecision: fp16\n"));
    assertThat(s.name()).isEqualTo("m");
    assertThat(s.model()).isEqualTo(tmp.resolve("m.pt").toString());
    assertThat(s.adapter()).isEqualTo(ModelSpec.Adapter.DANET);
    assertThat(s.outputIds()).isEqualTo(PredictionIds.TRAIN_IDS);
    assertThat(s.bgr()).isTrue();
    assertThat(s.mean()).containsExactly(1f, 2f, 3f);
    assertThat(s.std()).containsExactly(4f, 5f, 6f);
    assertThat(s.batchSize()).isEqualTo(8);
    assertThat(s.precision()).isEqualTo(ModelSpec.Precision.FP16);
    assertThat(s.input().resize()).isEqualTo(ModelSpec.Resize.WHOLE);
    assertThat(s.detrThreshold()).isEqualTo(0.85);
  }

  @Test
  void slideNeedsAStrideNoLargerThanTheWindow() throws IOException {
    ModelSpec s =
        ModelSpecs.load(
            spec(BASE.replace("width: 128}", "width: 128, resize: slide, stride: [32, 96]}")));
    assertThat(s.input().strideHeight()).isEqualTo(32);
    assertThat(s.input().strideWidth()).isEqualTo(96);
    assertThatThrownBy(
            () -> ModelSpecs.load(spec(BASE.replace("width: 128}", "width: 128, resize: slide}"))))
        .hasMessageContaining("needs input.stride");
    assertThatThrownBy(
            () ->
                ModelSpecs.load(spec(BASE.replace("width: 128}", "width: 128, stride: [65, 10]}"))))
        .hasMessageContaining("leaves gaps");
  }

  @Test
  void hadoopUrisAreKeptAsGiven() throws IOException {
    ModelSpec s = ModelSpecs.load(spec(BASE.replace("m.pt", "hdfs://nn:8020/models/m.pt")));
    assertThat(s.model()).isEqualTo("hdfs://nn:8020/models/m.pt");
  }

  @Test
  void badFieldsNameTheSpecFile() throws IOException {
    String file = tmp.resolve("m.yaml").toString();
    assertThatThrownBy(() -> ModelSpecs.load(spec(BASE + "adapter: segformer\n")))
        .hasMessageContaining(file)
        .hasMessageContaining("unknown adapter 'segformer'");
    assertThatThrownBy(() -> ModelSpecs.load(spec(BASE + "colour: RGB\n")))
        .hasMessageContaining("unknown field 'colour'");
    assertThatThrownBy(
            () -> ModelSpecs.load(spec(BASE.replace("numClasses: 19", "numClasses: 150"))))
        .hasMessageContaining(file)
        .hasMessageContaining(
            "numClasses 150 does not match the cityscapes table (19 train classes)");
    assertThatThrownBy(() -> ModelSpecs.load(spec(BASE + "std: [1, 0, 1]\n")))
        .hasMessageContaining("none zero");
    assertThatThrownBy(() -> ModelSpecs.load(spec(BASE.replace("model: m.pt\n", ""))))
        .hasMessageContaining("'model' is required");
    assertThatThrownBy(() -> ModelSpecs.load(spec("just text")))
        .hasMessageContaining("not a YAML mapping");
    assertThatThrownBy(() -> ModelSpecs.load(tmp.resolve("absent.yaml")))
        .hasMessageContaining("absent.yaml")
        .hasMessageContaining("no such file");
  }
}
