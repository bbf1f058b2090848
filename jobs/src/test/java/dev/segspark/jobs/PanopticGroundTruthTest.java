package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segspark.evaluation.image.Png;
import dev.segspark.evaluation.image.PngImage;
import dev.segspark.evaluation.labels.Label;
import dev.segspark.evaluation.labels.LabelTable;
import dev.segspark.evaluation.labels.LabelTables;
import dev.segspark.jobs.data.Layout;
import dev.segspark.jobs.synth.SynthPartition;
import dev.segspark.jobs.synth.SynthSpec;
import dev.segspark.udfs.partition.LabelLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code segspark synth}'s Cityscapes-panoptic ground truth: the JSON agrees with the PNGs segment
 * for segment (area and bounding box recomputed from the pixels), with the label PNGs pixel for
 * pixel, and with the label table; evaluated against itself it scores PQ 1.
 */
class PanopticGroundTruthTest extends SparkTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LabelTable CITYSCAPES = LabelTables.builtIn("cityscapes");

  @TempDir static Path tmp;
  private static Path root;
  private static JsonNode gt;

  @BeforeAll
  static void synthFrames() throws IOException {
    root = tmp.resolve("data");
    actions().synth(new SynthSpec(root, 7, 11, 96, 192, false, "val", 3)).execute();
    gt = JSON.readTree(Layout.panopticJson(root, "val").toFile());
  }

  @Test
  void jsonListsEveryFrameByItsCityscapesId() {
    List<String> ids = new ArrayList<>();
    gt.get("images").forEach(i -> ids.add(i.get("id").asText()));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      expected.add(SynthPartition.frameName(i));
    }
    assertThat(ids).containsExactlyInAnyOrderElementsOf(expected).isSorted();
    assertThat(gt.get("annotations")).hasSize(7);
    for (JsonNode image : gt.get("images")) {
      assertThat(image.get("width").asInt()).isEqualTo(192);
      assertThat(image.get("height").asInt()).isEqualTo(96);
      assertThat(image.get("file_name").asText())
          .isEqualTo(image.get("id").asText() + "_gtFine_leftImg8bit.png");
    }
  }

  @Test
  void categoriesAreTheLabelsEvaluated() {
    Map<Integer, String> expected = new TreeMap<>();
    for (Label l : CITYSCAPES.labels()) {
      if (!l.ignoreInEval()) {
        expected.put(l.id(), l.name() + "/" + (l.hasInstances() ? 1 : 0));
      }
    }
    Map<Integer, String> actual = new TreeMap<>();
    for (JsonNode c : gt.get("categories")) {
      actual.put(c.get("id").asInt(), c.get("name").asText() + "/" + c.get("isthing").asInt());
    }
    assertThat(actual).isEqualTo(expected).hasSize(19);
  }

  @Test
  void segmentsMatchThePngsAndTheLabelIds() throws IOException {
    int things = 0;
    for (JsonNode a : gt.get("annotations")) {
      String id = a.get("image_id").asText();
      assertThat(a.get("file_name").asText()).isEqualTo(id + "_gtFine_panoptic.png");
      PngImage png = read(Layout.panopticDir(root, "val").resolve(a.get("file_name").asText()));
      assertThat(png.colorType()).isEqualTo(PngImage.RGB);
      String city = id.substring(0, id.indexOf('_'));
      PngImage labels =
          read(root.resolve("gtFine/val/" + city + "/" + id + "_gtFine_labelIds.png"));
      Map<Integer, long[]> fromPixels = segmentsOf(png);
      Map<Integer, Integer> categoryOf = new TreeMap<>();
      Map<Integer, long[]> fromJson = new TreeMap<>();
      for (JsonNode s : a.get("segments_info")) {
        int sid = s.get("id").asInt();
        int category = s.get("category_id").asInt();
        JsonNode b = s.get("bbox");
        fromJson.put(
            sid,
            new long[] {
              s.get("area").asLong(),
              b.get(0).asLong(),
              b.get(1).asLong(),
              b.get(2).asLong(),
              b.get(3).asLong()
            });
        categoryOf.put(sid, category);
        Label label = CITYSCAPES.byId(category);
        assertThat(label.ignoreInEval()).isFalse();
        assertThat(s.get("iscrowd").asInt()).isZero();
        if (label.hasInstances()) {
          things++;
          assertThat(sid / 1000).as("thing id").isEqualTo(category);
        } else {
          assertThat(sid).as("stuff id").isEqualTo(category);
        }
      }
      assertThat(fromJson).as(id).hasSameSizeAs(a.get("segments_info"));
      assertThat(fromPixels.keySet()).as(id).isEqualTo(fromJson.keySet());
      fromJson.forEach((sid, v) -> assertThat(fromPixels.get(sid)).as(id + " " + sid).isEqualTo(v));
      for (int i = 0; i < png.width() * png.height(); i++) {
        int sid = segmentId(png, i);
        int labelId = labels.bytes()[i] & 0xFF;
        if (sid == 0) {
          assertThat(CITYSCAPES.byId(labelId).ignoreInEval()).isTrue();
        } else {
          assertThat(labelId).isEqualTo(categoryOf.get(sid));
        }
      }
    }
    assertThat(things).as("thing segments over the frames").isGreaterThan(7);
  }

  @Test
  void groundTruthAgainstItselfScoresPqOne() throws IOException {
    Path gtJson = Layout.panopticJson(root, "val");
    Path gtDir = Layout.panopticDir(root, "val");
    Path out = tmp.resolve("self");
    CliRun run =
        CliRun.of(
            "evaluate",
            "--task",
            "panoptic",
            "--gt-json",
            gtJson.toString(),
            "--gt-dir",
            gtDir.toString(),
            "--pred-json",
            gtJson.toString(),
            "--pred-dir",
            gtDir.toString(),
            "--out",
            out.toString());
    assertThat(run.code()).as(run.err()).isZero();
    JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
    for (String group : List.of("All", "Things", "Stuff")) {
      assertThat(report.at("/summary/" + group + "/pq").asDouble()).as(group).isEqualTo(1.0);
      assertThat(report.at("/summary/" + group + "/n").asInt()).as(group).isPositive();
    }
  }

  @Test
  void aRerunRemovesTheOldJsonFirstAndWritesItAgain() throws IOException {
    Path again = tmp.resolve("again");
    actions().synth(new SynthSpec(again, 3, 5, 32, 64, false, "train", 0)).execute();
    Path json = Layout.panopticJson(again, "train");
    String first = Files.readString(json);
    Files.writeString(json, "stale");
    actions().synth(new SynthSpec(again, 3, 5, 32, 64, false, "train", 2)).execute();
    assertThat(Files.readString(json)).isEqualTo(first);
  }

  @Test
  void labelUsesCityscapesIdsForCityscapesFramesAndStemsOtherwise() {
    assertThat(
            LabelLayout.imageIds(
                List.of(
                    "frankfurt/frankfurt_000000_000019_leftImg8bit.png",
                    "lindau/lindau_000000_000019_leftImg8bit.png")))
        .containsExactly(
            Map.entry(
                "frankfurt/frankfurt_000000_000019_leftImg8bit.png", "frankfurt_000000_000019"),
            Map.entry("lindau/lindau_000000_000019_leftImg8bit.png", "lindau_000000_000019"));
    // the same frame in two folders: ids would collide, so every image keeps its stem
    assertThat(
            LabelLayout.imageIds(
                List.of("a/x_000000_000019_leftImg8bit.png", "b/x_000000_000019_leftImg8bit.jpg")))
        .containsExactly(
            Map.entry("a/x_000000_000019_leftImg8bit.png", "a/x_000000_000019_leftImg8bit"),
            Map.entry("b/x_000000_000019_leftImg8bit.jpg", "b/x_000000_000019_leftImg8bit"));
    assertThat(LabelLayout.imageIds(List.of("x_1_2_leftImg8bit.png", "photos/cat.jpg")))
        .containsExactly(
            Map.entry("x_1_2_leftImg8bit.png", "x_1_2_leftImg8bit"),
            Map.entry("photos/cat.jpg", "photos/cat"));
  }

  private static PngImage read(Path png) throws IOException {
    return Png.decode(Files.readAllBytes(png), png.toString());
  }

  private static int segmentId(PngImage png, int i) {
    byte[] b = png.bytes();
    return (b[3 * i] & 0xFF) | (b[3 * i + 1] & 0xFF) << 8 | (b[3 * i + 2] & 0xFF) << 16;
  }

  /** Area and bounding box {x, y, w, h} of every non-zero id, from the pixels. */
  private static Map<Integer, long[]> segmentsOf(PngImage png) {
    Map<Integer, long[]> s = new TreeMap<>();
    int w = png.width();
    for (int i = 0; i < w * png.height(); i++) {
      int id = segmentId(png, i);
      if (id == 0) {
        continue;
      }
      int x = i % w;
      int y = i / w;
      long[] v = s.computeIfAbsent(id, k -> new long[] {0, x, y, x, y});
      v[0]++;
      v[1] = Math.min(v[1], x);
      v[2] = Math.min(v[2], y);
      v[3] = Math.max(v[3], x);
      v[4] = Math.max(v[4], y);
    }
    s.values()
        .forEach(
            v -> {
              v[3] = v[3] - v[1] + 1;
              v[4] = v[4] - v[2] + 1;
            });
    return s;
  }
}
