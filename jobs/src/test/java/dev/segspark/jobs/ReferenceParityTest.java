package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segspark.evaluation.metrics.CategoryScores;
import dev.segspark.evaluation.metrics.ClassScores;
import dev.segspark.evaluation.metrics.Convention;
import dev.segspark.evaluation.metrics.PredictionIds;
import dev.segspark.evaluation.metrics.SemanticScores;
import dev.segspark.jobs.actions.EvalSpec;
import dev.segspark.jobs.data.DatasetSpec;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job reproduces the reference tools on a synthetic Cityscapes-layout set with ignored
 * ids predicted, a class never predicted (train) and a class never in the ground truth (wall). The
 * expected numbers were produced by cityscapesScripts and mmseg's IoUMetric themselves
 * (notebooks/reference/make_parity_fixture.sh).
 */
class ReferenceParityTest extends SparkTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path out;

  private static Path fixture(String name) throws URISyntaxException {
    return Path.of(ReferenceParityTest.class.getResource("/parity/" + name).toURI());
  }

  @Test
  void cityscapesConventionEqualsCityscapesScripts() throws Exception {
    Path root = fixture("cityscapes-mini");
    SemanticScores s = actions().evaluate(cityscapesSpec(root, out)).execute().report().scores();
    JsonNode ref = JSON.readTree(fixture("cityscapes_reference.json").toFile());

    for (Iterator<Map.Entry<String, JsonNode>> it = ref.get("classScores").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      ClassScores ours =
          s.classes().stream().filter(c -> c.name().equals(e.getKey())).findFirst().orElse(null);
      if (ours == null) {
        assertThat(e.getValue().isNull()).as("ignored class %s", e.getKey()).isTrue();
        continue;
      }
      assertClose(ours.iou(), e.getValue(), "IoU " + e.getKey());
      assertClose(ours.iiou(), ref.get("classInstScores").get(e.getKey()), "iIoU " + e.getKey());
    }
    for (CategoryScores c : s.categories()) {
      assertClose(c.iou(), ref.get("categoryScores").get(c.name()), "category IoU " + c.name());
      assertClose(
          c.iiou(), ref.get("categoryInstScores").get(c.name()), "category iIoU " + c.name());
    }
    assertClose(s.summary().mIoU(), ref.get("averageScoreClasses"), "averageScoreClasses");
    assertClose(s.summary().iIoU(), ref.get("averageScoreInstClasses"), "averageScoreInstClasses");
    assertClose(s.summary().categoryIoU(), ref.get("averageScoreCategories"), "categories");
    assertClose(
        s.summary().categoryIIoU(), ref.get("averageScoreInstCategories"), "inst categories");
    assertThat(byName(s, "train").iou()).as("never predicted").isEqualTo(0.0);
    assertThat(byName(s, "wall").iou()).as("never in ground truth").isEqualTo(0.0);
  }

  @Test
  void mmsegConventionEqualsIoUMetric() throws Exception {
    Path root = fixture("cityscapes-mini");
    EvalSpec spec =
        new EvalSpec(
            DatasetSpec.of("cityscapes", root, "val"),
            root.resolve("predictions/trainIds"),
            PredictionIds.TRAIN_IDS,
            Convention.MMSEG,
            out,
            null,
            3,
            EvalSpec.DEFAULT_MAX_PIXELS);
    SemanticScores s = actions().evaluate(spec).execute().report().scores();
    JsonNode ref = JSON.readTree(fixture("mmseg_reference.json").toFile());
    JsonNode exact = ref.get("perClassExactDouble");
    JsonNode counts = ref.get("counts");
    for (ClassScores c : s.classes()) {
      int k = c.trainId();
      assertThat(c.tp()).isEqualTo(counts.get("intersect").get(k).asLong());
      assertThat(c.gtPixels()).isEqualTo(counts.get("label").get(k).asLong());
      assertThat(c.predPixels()).isEqualTo(counts.get("predLabel").get(k).asLong());
      assertClose(c.iou(), exact.get("IoU").get(k), "IoU " + c.name());
      assertClose(c.acc(), exact.get("Acc").get(k), "Acc " + c.name());
      assertClose(c.dice(), exact.get("Dice").get(k), "Dice " + c.name());
      assertClose(c.precision(), exact.get("Precision").get(k), "Precision " + c.name());
      assertClose(c.recall(), exact.get("Recall").get(k), "Recall " + c.name());
      assertClose(c.fscore(), exact.get("Fscore").get(k), "Fscore " + c.name());
      // mmseg itself computes in float32: its own values agree to float32 precision
      JsonNode f32 = ref.get("perClass").get("IoU").get(k);
      if (!f32.isNull()) {
        assertThat(c.iou()).isCloseTo(f32.asDouble(), within(1e-6));
      }
    }
    assertClose(s.summary().aAcc(), ref.get("aAccExactDouble"), "aAcc");
    JsonNode rounded = ref.get("summaryRounded");
    assertThat(round2(s.summary().mIoU())).isEqualTo(rounded.get("mIoU").asDouble());
    assertThat(round2(s.summary().mAcc())).isEqualTo(rounded.get("mAcc").asDouble());
    assertThat(round2(s.summary().mDice())).isEqualTo(rounded.get("mDice").asDouble());
    assertThat(round2(s.summary().mFscore())).isEqualTo(rounded.get("mFscore").asDouble());
    assertThat(round2(s.summary().mPrecision())).isEqualTo(rounded.get("mPrecision").asDouble());
    assertThat(round2(s.summary().aAcc())).isEqualTo(rounded.get("aAcc").asDouble());
  }

  private static double round2(Double fraction) {
    return Math.round(fraction * 10000) / 100.0;
  }

  private static ClassScores byName(SemanticScores s, String name) {
    return s.classes().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  private static void assertClose(Double ours, JsonNode reference, String what) {
    if (reference == null || reference.isNull()) {
      assertThat(ours).as(what + " (reference NaN)").isNull();
    } else {
      assertThat(ours).as(what).isNotNull().isCloseTo(reference.asDouble(), within(1e-9));
    }
  }
}
