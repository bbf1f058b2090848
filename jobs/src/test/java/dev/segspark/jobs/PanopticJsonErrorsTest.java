package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segspark.evaluation.image.Png;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate --task panoptic} through the command line on JSON files that spoil one image: two
 * annotations for one image id (ground truth or prediction), a segment id listed twice. Under
 * {@code fail} the run exits 1 with a message naming the JSON file and the image id, no stack
 * trace; under {@code skip} the image is recorded under errors and the others are evaluated.
 */
class PanopticJsonErrorsTest extends SparkTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int W = 8;
  private static final int H = 6;

  @TempDir Path tmp;

  private static CliRun cli(String... args) {
    return CliRun.of(args);
  }

  /**
   * Three 8x6 images, each a person (segment 1, left half) and sky (segment 2, right half); the
   * ground truth is its own prediction.
   */
  private Path dataset(String name) throws IOException {
    Path root = Files.createDirectories(tmp.resolve(name));
    Path pngs = Files.createDirectories(root.resolve("png"));
    ObjectNode json = JSON.createObjectNode();
    ArrayNode images = json.putArray("images");
    ArrayNode annotations = json.putArray("annotations");
    for (int i = 1; i <= 3; i++) {
      String file = "img" + i + ".png";
      byte[] rgb = new byte[W * H * 3];
      for (int p = 0; p < W * H; p++) {
        rgb[3 * p] = (byte) (p % W < W / 2 ? 1 : 2); // id = R + 256 G + 256^2 B
      }
      Files.write(pngs.resolve(file), Png.encodeRgb(W, H, rgb));
      images.addObject().put("id", i).put("file_name", "img" + i + ".jpg");
      ObjectNode a = annotations.addObject().put("image_id", i).put("file_name", file);
      ArrayNode segments = a.putArray("segments_info");
      segments.addObject().put("id", 1).put("category_id", 1).put("iscrowd", 0).put("area", 24);
      segments.addObject().put("id", 2).put("category_id", 2).put("iscrowd", 0).put("area", 24);
    }
    ArrayNode categories = json.putArray("categories");
    categories.addObject().put("id", 1).put("name", "person").put("isthing", 1);
    categories.addObject().put("id", 2).put("name", "sky").put("isthing", 0);
    JSON.writeValue(root.resolve("gt.json").toFile(), json);
    JSON.writeValue(root.resolve("pred.json").toFile(), json);
    return root;
  }

  private static void edit(Path file, Consumer<ArrayNode> change) throws IOException {
    ObjectNode json = (ObjectNode) JSON.readTree(file.toFile());
    change.accept((ArrayNode) json.get("annotations"));
    JSON.writeValue(file.toFile(), json);
  }

  private static CliRun evaluate(Path root, String onError, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "evaluate",
                "--task",
                "panoptic",
                "--gt-json",
                root.resolve("gt.json").toString(),
                "--gt-dir",
                root.resolve("png").toString(),
                "--pred-json",
                root.resolve("pred.json").toString(),
                "--pred-dir",
                root.resolve("png").toString(),
                "--out",
                root.resolve("out-" + onError).toString(),
                "--on-error",
                onError));
    args.addAll(List.of(more));
    return cli(args.toArray(String[]::new));
  }

  /** Exit 1, the message names the JSON file and the image, no stack trace, no report. */
  private static void assertFails(Path root, String json, String... reason) {
    CliRun run = evaluate(root, "fail");
    assertThat(run.code()).as(run.err()).isEqualTo(1);
    assertThat(run.err())
        .contains("Cannot evaluate image 2: ")
        .contains(root.resolve(json).toString())
        .contains(reason)
        .doesNotContain("\tat ")
        .doesNotContain("Exception");
    assertThat(run.err().lines().count()).isLessThan(6);
    assertThat(root.resolve("out-fail/report.json")).doesNotExist();
  }

  /** Exit 0, the image recorded under errors with the same message, the other two evaluated. */
  @SuppressWarnings("unchecked")
  private static void assertSkipped(Path root, String json, String... reason) throws IOException {
    CliRun run = evaluate(root, "skip");
    assertThat(run.code()).as(run.err()).isZero();
    Map<String, Object> report = reportWithoutRun(root.resolve("out-skip"));
    assertThat(((Map<String, Object>) report.get("dataset")).get("images")).isEqualTo(2);
    List<Map<String, Object>> errors = (List<Map<String, Object>>) report.get("errors");
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).get("image")).isEqualTo("img2.png");
    assertThat((String) errors.get(0).get("error"))
        .startsWith("Cannot evaluate image 2: ")
        .contains(root.resolve(json).toString())
        .contains(reason);
    Map<String, Object> all =
        (Map<String, Object>) ((Map<String, Object>) report.get("summary")).get("All");
    assertThat(all.get("pq")).isEqualTo(1.0);
  }

  @Test
  void twoGroundTruthAnnotationsForOneImage() throws IOException {
    Path root = dataset("gt-twice");
    edit(root.resolve("gt.json"), a -> a.add(a.get(1).deepCopy()));
    assertFails(root, "gt.json", "the ground-truth JSON has 2 annotations for it");
    assertSkipped(root, "gt.json", "the ground-truth JSON has 2 annotations for it");
  }

  @Test
  void twoPredictedAnnotationsForOneImage() throws IOException {
    Path root = dataset("pred-twice");
    edit(root.resolve("pred.json"), a -> a.add(a.get(1).deepCopy()));
    assertFails(root, "pred.json", "the prediction JSON has 2 annotations for it");
    assertSkipped(root, "pred.json", "the prediction JSON has 2 annotations for it");
  }

  /** This one used to abort the job with a Spark task failure (~240 lines) even under skip. */
  @Test
  void segmentIdListedTwice() throws IOException {
    Path root = dataset("segment-twice");
    edit(
        root.resolve("pred.json"),
        a -> {
          ArrayNode segments = (ArrayNode) a.get(1).get("segments_info");
          JsonNode copy = segments.get(0).deepCopy();
          segments.add(copy);
        });
    assertFails(root, "pred.json", "lists segment id 1 twice in its segments_info");
    assertSkipped(root, "pred.json", "lists segment id 1 twice in its segments_info");
  }

  @Test
  void groundTruthPngThatCannotBeReadSaysWhy() throws IOException {
    Path root = dataset("unreadable");
    Path png = root.resolve("png/img2.png");
    Files.delete(png);
    Files.createDirectory(png); // root ignores permission bits: a folder is unreadable for all
    CliRun fail = evaluate(root, "fail");
    assertThat(fail.code()).isEqualTo(1);
    assertThat(fail.err())
        .contains("Cannot read " + png + ": is a directory")
        .doesNotContain("\tat ");
    CliRun skip = evaluate(root, "skip");
    assertThat(skip.code()).isZero();
    assertThat(root.resolve("out-skip/report.json"))
        .content()
        .contains("Cannot read " + png + ": is a directory");
  }

  @Test
  void maxPixelsNoArrayCanHoldIsBadUsage() throws IOException {
    Path root = dataset("max-pixels");
    CliRun run = evaluate(root, "fail", "--max-pixels", "3000000000");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains("Cannot evaluate: --max-pixels must be between 1 and 536870909")
        .contains("(3000000000)");
    // above the decoder's old hidden limit (2^31 / 8) but within what an array holds: runs
    assertThat(evaluate(root, "skip", "--max-pixels", "300000000").code()).isZero();
  }
}
