package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segspark.evaluation.image.LabelMap;
import dev.segspark.udfs.io.SampleFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX twin of the bundled SegFormer through the command line: {@code label} and {@code
 * evaluate --model} agree with the TorchScript model on at least 99.9% of the pixels; a corrupt
 * ONNX file or one given to the other engine fails on the driver (exit 1) naming the file.
 */
class OnnxJobTest extends SparkTestBase {
  @TempDir static Path tmp;
  static Path data;

  @BeforeAll
  static void data() {
    data = synth(tmp.resolve("data"), 8, 2028, 256, 512);
  }

  private static CliRun label(String model, Path out) {
    return CliRun.of(
        "label",
        "--model",
        model,
        "--images",
        data.resolve("leftImg8bit/val").toString(),
        "--out",
        out.toString(),
        "--format",
        "ids");
  }

  private static CliRun evaluate(String model, Path out) {
    return CliRun.of(
        "evaluate",
        "--dataset",
        "cityscapes",
        "--data-root",
        data.toString(),
        "--model",
        model,
        "--out",
        out.toString());
  }

  @Test
  void labelAndEvaluateAgreeWithTheTorchScriptTwin() throws IOException {
    for (String model : new String[] {"segformer-synth", "segformer-synth-onnx"}) {
      CliRun l = label(model, tmp.resolve("masks-" + model));
      assertThat(l.code()).as(l.err()).isZero();
      assertThat(l.out()).contains("Labelled 8 of 8 images");
      CliRun e = evaluate(model, tmp.resolve("report-" + model));
      assertThat(e.code()).as(e.err()).isZero();
    }
    Map<String, String> torch = fileDigests(tmp.resolve("masks-segformer-synth/ids"));
    assertThat(torch).hasSize(8);
    long same = 0;
    long all = 0;
    for (String mask : torch.keySet()) {
      LabelMap a = read(tmp.resolve("masks-segformer-synth/ids").resolve(mask));
      LabelMap b = read(tmp.resolve("masks-segformer-synth-onnx/ids").resolve(mask));
      assertThat(b.width()).isEqualTo(a.width());
      for (int i = 0; i < a.size(); i++) {
        same += a.get(i) == b.get(i) ? 1 : 0;
      }
      all += a.size();
    }
    assertThat(same / (double) all).as("onnx vs torchscript pixels").isGreaterThanOrEqualTo(0.999);

    ObjectMapper json = new ObjectMapper();
    JsonNode t = json.readTree(tmp.resolve("report-segformer-synth/report.json").toFile());
    JsonNode o = json.readTree(tmp.resolve("report-segformer-synth-onnx/report.json").toFile());
    double tm = t.at("/summary/mIoU").asDouble(Double.NaN);
    double om = o.at("/summary/mIoU").asDouble(Double.NaN);
    assertThat(tm).isGreaterThan(0.5);
    assertThat(Math.abs(om - tm)).as("mIoU %s vs %s", om, tm).isLessThan(0.002);
    assertThat(o.toString()).contains("\"engine\":\"onnxruntime\"");
    assertThat(t.toString()).contains("\"engine\":\"pytorch\"");
  }

  @Test
  void corruptOrMismatchedModelFilesFailOnTheDriver() throws IOException {
    Path repo = repoRoot();
    Path onnx = repo.resolve("conf/models/segformer-synth.onnx");
    String yaml = Files.readString(repo.resolve("conf/models/segformer-synth-onnx.yaml"));
    byte[] bytes = Files.readAllBytes(onnx);
    Path truncated = tmp.resolve("truncated.onnx");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 3));
    Path corrupt =
        Files.writeString(
            tmp.resolve("corrupt.yaml"),
            yaml.replace("model: segformer-synth.onnx", "model: " + truncated));
    Path mismatch =
        Files.writeString(
            tmp.resolve("mismatch.yaml"),
            yaml.replace("model: segformer-synth.onnx", "model: " + onnx)
                .replace("engine: onnxruntime", "engine: pytorch"));
    CliRun c = label(corrupt.toString(), tmp.resolve("never-1"));
    assertThat(c.code()).isEqualTo(1);
    assertThat(c.err()).contains(truncated.toString()).contains("not a readable ONNX file");
    CliRun m = evaluate(mismatch.toString(), tmp.resolve("never-2"));
    assertThat(m.code()).isEqualTo(1);
    assertThat(m.err())
        .contains(onnx.toString())
        .contains("not a readable TorchScript file (engine pytorch needs a zip archive")
        .contains("set engine: onnxruntime");
    assertThat(tmp.resolve("never-1/ids")).doesNotExist();
    assertThat(tmp.resolve("never-2/report.json")).doesNotExist();
  }

  private static LabelMap read(Path png) {
    return SampleFiles.labelMap(png.toString(), 1 << 30);
  }
}
