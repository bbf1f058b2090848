package dev.segspark.udfs.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segspark.evaluation.image.LabelMap;
import dev.segspark.evaluation.panoptic.DetrSegment;
import dev.segspark.udfs.io.DecodedImage;
import dev.segspark.udfs.io.ImageDecoder;
import dev.segspark.udfs.io.SampleFiles;
import dev.segspark.udfs.model.Segmenter.Postprocess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each bundled model through the Java pipeline (DJL + libtorch 2.7.1, our pre- and post-processing)
 * against the label maps its training script saved with Python (torch 1.13) on four fixed frames:
 * at least 99.9% of pixels agree, in one batch of four and one at a time, on the JVM and on the
 * tensor post-processing paths.
 */
class ModelParityTest {
  private static final Path RESOURCES = Path.of("src/test/resources/models");

  static Path repoRoot() {
    return Path.of(System.getProperty("segspark.repo.root", "..")).toAbsolutePath().normalize();
  }

  private static List<Path> frames() throws IOException {
    try (Stream<Path> files = Files.list(RESOURCES.resolve("frames"))) {
      return files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
  }

  private static String prefix(Path frame) {
    return frame.getFileName().toString().replace("_leftImg8bit.png", "");
  }

  @ParameterizedTest
  @ValueSource(strings = {"segformer-synth", "danet-synth", "detr-panoptic-synth"})
  void javaPipelineMatchesPythonReference(String name) throws IOException {
    ModelSpec spec = ModelSpecs.load(repoRoot().resolve("conf/models/" + name + ".yaml"));
    List<Path> frames = frames();
    assertThat(frames).hasSize(4);
    List<DecodedImage> images = new ArrayList<>();
    for (Path f : frames) {
      images.add(ImageDecoder.read(f.toString(), 1 << 30));
    }
    for (Postprocess postprocess : List.of(Postprocess.JVM, Postprocess.DEVICE)) {
      try (Segmenter segmenter = new Segmenter(spec, Device.cpu(), true, postprocess)) {
        List<Segmentation> batched = segmenter.segment(images);
        for (int i = 0; i < frames.size(); i++) {
          Segmentation single = segmenter.segment(List.of(images.get(i))).get(0);
          Path ref =
              RESOURCES.resolve(
                  "reference/" + name + "/" + prefix(frames.get(i)) + "_trainIds.png");
          LabelMap expected = SampleFiles.labelMap(ref.toString(), 1 << 30);
          String what = name + " " + prefix(frames.get(i)) + " (" + postprocess + ")";
          assertThat(agreement(batched.get(i).labels(), expected)).as(what).isGreaterThan(0.999);
          assertThat(agreement(single.labels(), expected)).as(what).isGreaterThan(0.999);
          if (spec.head().panoptic()) {
            assertSameSegments(
                batched.get(i), ref.resolveSibling(prefix(frames.get(i)) + "_segments.json"));
          }
        }
      }
    }
  }

  /**
   * A BGR spec given the image with red and blue swapped feeds the model the very tensor the RGB
   * spec feeds it from the original image: same label maps, on both pre-processing paths.
   */
  @Test
  void bgrChannelOrderIsAppliedOnBothPaths() throws IOException {
    ModelSpec rgb = ModelSpecs.load(repoRoot().resolve("conf/models/segformer-synth.yaml"));
    ModelSpec bgr =
        new ModelSpec(
            rgb.name(),
            rgb.source(),
            rgb.model(),
            rgb.engine(),
            rgb.architecture(),
            rgb.adapter(),
            rgb.classes(),
            rgb.table(),
            rgb.outputIds(),
            rgb.numClasses(),
            rgb.input(),
            true,
            rgb.mean(),
            rgb.std(),
            rgb.batchSize(),
            rgb.precision(),
            rgb.detrThreshold());
    List<DecodedImage> images = new ArrayList<>();
    List<DecodedImage> swapped = new ArrayList<>();
    for (Path f : frames()) {
      DecodedImage image = ImageDecoder.read(f.toString(), 1 << 30);
      byte[] s = image.rgb().clone();
      for (int i = 0; i < s.length; i += 3) {
        byte r = s[i];
        s[i] = s[i + 2];
        s[i + 2] = r;
      }
      images.add(image);
      swapped.add(new DecodedImage(image.source(), image.width(), image.height(), s));
    }
    for (Postprocess postprocess : List.of(Postprocess.JVM, Postprocess.DEVICE)) {
      try (Segmenter a = new Segmenter(rgb, Device.cpu(), true, postprocess);
          Segmenter b = new Segmenter(bgr, Device.cpu(), true, postprocess)) {
        List<Segmentation> expected = a.segment(images);
        List<Segmentation> actual = b.segment(swapped);
        for (int i = 0; i < images.size(); i++) {
          assertThat(agreement(actual.get(i).labels(), expected.get(i).labels()))
              .as(postprocess + " " + images.get(i).source())
              .isEqualTo(1.0);
        }
      }
    }
  }

  private static void assertSameSegments(Segmentation s, Path json) throws IOException {
    JsonNode expected = new ObjectMapper().readTree(json.toFile());
    List<DetrSegment> segments = s.panoptic().segments();
    assertThat(segments).hasSize(expected.size());
    for (int i = 0; i < segments.size(); i++) {
      JsonNode e = expected.get(i);
      assertThat(segments.get(i).categoryId()).isEqualTo(e.get("category").asInt());
      assertThat(segments.get(i).isThing()).isEqualTo(e.get("isthing").asBoolean());
      double area = e.get("area").asDouble();
      assertThat((double) segments.get(i).area())
          .isCloseTo(area, org.assertj.core.data.Offset.offset(area * 0.01 + 2));
    }
  }

  static double agreement(LabelMap a, LabelMap b) {
    assertThat(a.width()).isEqualTo(b.width());
    assertThat(a.height()).isEqualTo(b.height());
    int same = 0;
    for (int i = 0; i < a.size(); i++) {
      same += a.get(i) == b.get(i) ? 1 : 0;
    }
    return (double) same / a.size();
  }
}
