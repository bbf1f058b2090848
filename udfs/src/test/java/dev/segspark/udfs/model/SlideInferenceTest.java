package dev.segspark.udfs.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segspark.udfs.io.DecodedImage;
import dev.segspark.udfs.io.ImageDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sliding-window inference (mmseg's slide mode) with the bundled SegFormer. */
class SlideInferenceTest {
  @TempDir Path tmp;

  private ModelSpec spec(String input) throws IOException {
    Path model = ModelParityTest.repoRoot().resolve("conf/models/segformer-synth.pt");
    Path yaml = tmp.resolve("slide-" + input.hashCode() + ".yaml");
    Files.writeString(
        yaml,
        "model: "
            + model
            + "\nadapter: logits\nclasses: cityscapes\nnumClasses: 19\ninput: "
            + input
            + "\nmean: [123.675, 116.28, 103.53]\nstd: [58.395, 57.12, 57.375]\n");
    return ModelSpecs.load(yaml);
  }

  private static DecodedImage frame() {
    return ImageDecoder.read(
        "src/test/resources/models/frames/frankfurt_000000_000019_leftImg8bit.png", 1 << 30);
  }

  @Test
  void oneWindowCoveringTheImageEqualsWholeImageInference() throws IOException {
    DecodedImage image = frame();
    byte[] whole;
    try (Segmenter s = new Segmenter(spec("{height: 256, width: 512}"))) {
      whole = s.segment(List.of(image)).get(0).labels().bytes();
    }
    try (Segmenter s =
        new Segmenter(spec("{height: 256, width: 512, resize: slide, stride: [256, 512]}"))) {
      assertThat(s.segment(List.of(image)).get(0).labels().bytes()).isEqualTo(whole);
    }
  }

  @Test
  void overlappingWindowsCoverTheImageAndMostlyAgreeWithWholeImageInference() throws IOException {
    DecodedImage image = frame();
    byte[] whole;
    try (Segmenter s = new Segmenter(spec("{height: 256, width: 512}"))) {
      whole = s.segment(List.of(image, image)).get(1).labels().bytes();
    }
    // windows of 256x384 every 128 px: 2 columns (0..384, 128..512) averaged in the overlap
    try (Segmenter s =
        new Segmenter(spec("{height: 256, width: 384, resize: slide, stride: [256, 128]}"))) {
      var out = s.segment(List.of(image, image));
      byte[] slide = out.get(1).labels().bytes();
      assertThat(out.get(0).labels().bytes()).isEqualTo(slide);
      assertThat(slide).hasSize(256 * 512);
      int same = 0;
      for (int i = 0; i < slide.length; i++) {
        same += slide[i] == whole[i] ? 1 : 0;
      }
      // a fully convolutional + attention model sees less context per window: most, not all
      assertThat((double) same / slide.length).isGreaterThan(0.9);
    }
  }
}
