package dev.segspark.udfs.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.image.LabelMap;
import dev.segspark.udfs.io.DecodedImage;
import dev.segspark.udfs.io.ImageDecoder;
import dev.segspark.udfs.io.SampleFiles;
import dev.segspark.udfs.model.ModelSpec.Engine;
import dev.segspark.udfs.model.Segmenter.Postprocess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX twin of the bundled SegFormer ({@code segformer-synth-onnx}, exported from the same
 * weights by {@code notebooks/models/export_onnx.py}) through ONNX Runtime: the same pre- and
 * post-processing as the TorchScript model, so the label maps agree with the TorchScript twin and
 * with Python's own forward pass; a file of the other engine's kind, or a corrupt one, is refused
 * on load with a message naming the file and the fix.
 */
class OnnxEngineTest {
  private static final Path RESOURCES = Path.of("src/test/resources/models");

  @TempDir Path tmp;

  private static ModelSpec spec(String name) {
    return ModelSpecs.load(ModelParityTest.repoRoot().resolve("conf/models/" + name + ".yaml"));
  }

  @Test
  void onnxTwinAgreesWithTorchScriptAndWithPython() throws IOException {
    ModelSpec onnx = spec("segformer-synth-onnx");
    ModelSpec torch = spec("segformer-synth");
    assertThat(onnx.engine()).isEqualTo(Engine.ONNXRUNTIME);
    assertThat(onnx.model()).endsWith(".onnx");
    List<Path> frames;
    try (Stream<Path> files = Files.list(RESOURCES.resolve("frames"))) {
      frames = files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
    List<DecodedImage> images = new ArrayList<>();
    for (Path f : frames) {
      images.add(ImageDecoder.read(f.toString(), 1 << 30));
    }
    for (Postprocess where : List.of(Postprocess.JVM, Postprocess.DEVICE)) {
      try (Segmenter o = new Segmenter(onnx, Device.cpu(), true, where);
          Segmenter t = new Segmenter(torch, Device.cpu(), true, where)) {
        List<Segmentation> batched = o.segment(images);
        List<Segmentation> twin = t.segment(images);
        for (int i = 0; i < images.size(); i++) {
          String frame = frames.get(i).getFileName().toString().replace("_leftImg8bit.png", "");
          LabelMap python =
              SampleFiles.labelMap(
                  RESOURCES
                      .resolve("reference/segformer-synth/" + frame + "_trainIds.png")
                      .toString(),
                  1 << 30);
          Segmentation single = o.segment(List.of(images.get(i))).get(0);
          String what = frame + " (" + where + ")";
          assertThat(ModelParityTest.agreement(batched.get(i).labels(), python))
              .as("onnx vs python " + what)
              .isGreaterThan(0.999);
          assertThat(ModelParityTest.agreement(single.labels(), python))
              .as("onnx one image vs python " + what)
              .isGreaterThan(0.999);
          assertThat(ModelParityTest.agreement(batched.get(i).labels(), twin.get(i).labels()))
              .as("onnx vs torchscript " + what)
              .isGreaterThan(0.999);
          assertThat(batched.get(i).confidence())
              .as("confidence " + what)
              .isCloseTo(twin.get(i).confidence(), org.assertj.core.data.Offset.offset(1e-4));
        }
      }
    }
  }

  @Test
  void aFileOfTheOtherEngineIsRefusedNamingTheEngine() {
    ModelSpec torch = spec("segformer-synth");
    ModelSpec onnx = spec("segformer-synth-onnx");
    assertThatThrownBy(
            () ->
                ModelChecks.verify(
                    ModelSpecsTest.with(torch, "engine", Engine.ONNXRUNTIME),
                    torch.table(),
                    "cityscapes"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(torch.model())
        .hasMessageContaining("engine onnxruntime needs an ONNX file, this is a zip archive");
    assertThatThrownBy(
            () ->
                ModelChecks.verify(
                    ModelSpecsTest.with(onnx, "engine", Engine.PYTORCH),
                    onnx.table(),
                    "cityscapes"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(onnx.model())
        .hasMessageContaining("not a readable TorchScript file (engine pytorch needs a zip archive")
        .hasMessageContaining("set engine: onnxruntime");
  }

  @Test
  void aCorruptOnnxFileIsAClearError() throws IOException {
    ModelSpec onnx = spec("segformer-synth-onnx");
    byte[] bytes = Files.readAllBytes(Path.of(onnx.model()));
    Path truncated = tmp.resolve("truncated.onnx");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
    Path garbage = tmp.resolve("garbage.onnx");
    Files.writeString(garbage, "this is not a model\n");
    for (Path bad : List.of(truncated, garbage)) {
      assertThatThrownBy(
              () ->
                  ModelChecks.verify(
                      ModelSpecsTest.with(onnx, "model", bad.toString()),
                      onnx.table(),
                      "cityscapes"))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("Cannot load model " + bad)
          .hasMessageContaining("not a readable ONNX file");
    }
  }
}
