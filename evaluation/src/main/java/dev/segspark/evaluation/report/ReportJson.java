package dev.segspark.evaluation.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segspark.evaluation.metrics.CategoryScores;
import dev.segspark.evaluation.metrics.ClassScores;
import dev.segspark.evaluation.metrics.Summary;
import java.util.Map;

/** Builds {@code report.json} exactly as the report contract in DESIGN.md; null, never NaN. */
public final class ReportJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportJson() {}

  /** The report as pretty-printed JSON text. */
  public static String toJson(SemanticReport report) {
    try {
      return JSON.writeValueAsString(toTree(report)) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise report", e);
    }
  }

  /** The report as a JSON tree. */
  public static ObjectNode toTree(SemanticReport report) {
    ObjectNode root = JSON.createObjectNode();
    root.put("task", "semantic");
    ObjectNode dataset = root.putObject("dataset");
    dataset.put("name", report.dataset().name());
    dataset.put("root", report.dataset().root());
    dataset.put("split", report.dataset().split());
    dataset.put("images", report.dataset().images());
    root.put("convention", report.scores().convention().id());
    summary(root.putObject("summary"), report.scores().summary());
    ArrayNode classes = root.putArray("classes");
    for (ClassScores c : report.scores().classes()) {
      classScores(classes.addObject(), c);
    }
    ArrayNode categories = root.putArray("categories");
    for (CategoryScores c : report.scores().categories()) {
      ObjectNode node = categories.addObject();
      node.put("name", c.name());
      node.put("iou", c.iou());
      node.put("iiou", c.iiou());
    }
    matrix(root.putObject("confusionMatrix"), report);
    ArrayNode errors = root.putArray("errors");
    for (ImageError e : report.errors()) {
      errors.addObject().put("image", e.image()).put("error", e.error());
    }
    root.set("run", JSON.valueToTree(report.run()));
    return root;
  }

  private static void summary(ObjectNode node, Summary s) {
    node.put("mIoU", s.mIoU());
    node.put("aAcc", s.aAcc());
    node.put("mAcc", s.mAcc());
    node.put("mDice", s.mDice());
    node.put("mFscore", s.mFscore());
    node.put("mPrecision", s.mPrecision());
    node.put("mRecall", s.mRecall());
    node.put("fwIoU", s.fwIoU());
    node.put("iIoU", s.iIoU());
    node.put("categoryIoU", s.categoryIoU());
    node.put("categoryIIoU", s.categoryIIoU());
    if (s.microIoU() != null) {
      node.put("microIoU", s.microIoU());
    }
  }

  private static void classScores(ObjectNode node, ClassScores c) {
    node.put("name", c.name());
    node.put("id", c.id());
    node.put("trainId", c.trainId());
    node.put("iou", c.iou());
    node.put("iiou", c.iiou());
    node.put("acc", c.acc());
    node.put("dice", c.dice());
    node.put("precision", c.precision());
    node.put("recall", c.recall());
    node.put("fscore", c.fscore());
    node.put("tp", c.tp());
    node.put("gtPixels", c.gtPixels());
    node.put("predPixels", c.predPixels());
  }

  private static void matrix(ObjectNode node, SemanticReport report) {
    ArrayNode labels = node.putArray("labels");
    for (int id : report.matrixLabels()) {
      labels.add(id);
    }
    ArrayNode counts = node.putArray("counts");
    for (long[] row : report.matrix().square()) {
      ArrayNode r = counts.addArray();
      for (long v : row) {
        r.add(v);
      }
    }
    long[] outOfRange = report.matrix().outOfRange();
    boolean any = false;
    for (long v : outOfRange) {
      any |= v != 0;
    }
    if (any) {
      ArrayNode oor = node.putArray("predictedOutOfRange");
      for (long v : outOfRange) {
        oor.add(v);
      }
    }
    node.put("ignoredPixels", report.matrix().ignored());
  }

  /** Reads a JSON file into a generic map (for tests and tools). */
  public static Map<?, ?> read(String json) {
    try {
      return JSON.readValue(json, Map.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("Cannot parse report JSON: " + e.getMessage(), e);
    }
  }
}
