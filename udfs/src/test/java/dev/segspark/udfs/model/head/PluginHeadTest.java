package dev.segspark.udfs.model.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segspark.evaluation.image.LabelMap;
import dev.segspark.udfs.io.DecodedImage;
import dev.segspark.udfs.io.ImageDecoder;
import dev.segspark.udfs.io.SampleFiles;
import dev.segspark.udfs.model.ModelSpec;
import dev.segspark.udfs.model.ModelSpecs;
import dev.segspark.udfs.model.Segmentation;
import dev.segspark.udfs.model.Segmenter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adding a head is one class ({@link CoarseHead}) plus one line registering it (this module's test
 * {@code META-INF/services}): a spec names it as its adapter, and the segmenter runs it.
 */
class PluginHeadTest {
  private static final Path MODELS = Path.of("src/test/resources/models");

  @TempDir Path tmp;

  @Test
  void aRegisteredHeadIsASpecAdapter() throws IOException {
    assertThat(Heads.names()).contains("coarse", "logits", "danet", "detr-panoptic", "labels");
    Path root = Path.of(System.getProperty("segspark.repo.root", "..")).toAbsolutePath();
    String yaml =
        Files.readString(root.resolve("conf/models/segformer-synth.yaml"))
            .replace("adapter: logits", "adapter: coarse")
            .replace(
                "model: segformer-synth.pt",
                "model: " + root.resolve("conf/models/segformer-synth.pt"));
    Path specFile = Files.writeString(tmp.resolve("coarse.yaml"), yaml);
    ModelSpec spec = ModelSpecs.load(specFile);
    assertThat(spec.head()).isInstanceOf(CoarseHead.class);
    assertThat(spec.head()).isNotInstanceOf(SlidingHead.class);

    String frame = "frankfurt_000000_000019";
    DecodedImage image =
        ImageDecoder.read(
            MODELS.resolve("frames/" + frame + "_leftImg8bit.png").toString(), 1 << 30);
    LabelMap bilinear =
        SampleFiles.labelMap(
            MODELS.resolve("reference/segformer-synth/" + frame + "_trainIds.png").toString(),
            1 << 30);
    try (Segmenter segmenter = new Segmenter(spec)) {
      Segmentation s = segmenter.segment(List.of(image)).get(0);
      LabelMap coarse = s.labels();
      assertThat(coarse.width()).isEqualTo(image.width());
      int same = 0;
      for (int i = 0; i < coarse.size(); i++) {
        same += coarse.get(i) == bilinear.get(i) ? 1 : 0;
      }
      double agreement = same / (double) coarse.size();
      // the same scores, cut at the output stride: most pixels agree, edges move
      assertThat(agreement).isGreaterThan(0.9).isLessThan(1.0);
      assertThat(s.confidence()).isNaN();
    }
  }

  @Test
  void anUnknownAdapterNamesTheRegisteredOnes() {
    assertThatThrownBy(() -> Heads.get("segformer"))
        .hasMessageContaining("unknown adapter 'segformer'")
        .hasMessageContaining("coarse|danet|detr-panoptic|labels|logits");
  }
}
