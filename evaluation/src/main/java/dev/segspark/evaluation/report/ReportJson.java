package dev.segspark.evaluation.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segspark.evaluation.metrics.CategoryScores;
import dev.segspark.evaluation.metrics.ClassScores;
import dev.segspark.evaluation.metrics.Summary;
import java.util.List;
import java.util.Map;

/** Builds {@code report.json} exactly as docs/report-contract.md describes it; null, never NaN. */
public final class ReportJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportJson() {}

  /** The report as pretty-printed JSON text. */
  public static String toJson(SemanticReport report) {
    return text(toTree(report));
  }

  /** A JSON tree as pretty-printed text. */
  static String text(ObjectNode root) {
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise report", e);
    }
  }

  /** The report as a JSON tree. */
  public static ObjectNode toTree(SemanticReport report) {
    ObjectNode root = header("semantic", report.dataset());
    scores(root, report);
    footer(root, report.errors(), report.run());
    return root;
  }

  /** A report root with {@code task} and {@code dataset}, the fields every report starts with. */
  static ObjectNode header(String task, DatasetInfo d) {
    ObjectNode root = JSON.createObjectNode();
    root.put("task", task);
    ObjectNode dataset = root.putObject("dataset");
    dataset.put("name", d.name());
    dataset.put("root", d.root());
    dataset.put("split", d.split());
    dataset.put("images", d.images());
    return root;
  }

  /** Adds {@code errors} and {@code run}, the fields every report ends with. */
  static void footer(ObjectNode root, List<ImageError> errors, Map<String, Object> run) {
    ArrayNode list = root.putArray("errors");
    for (ImageError e : errors) {
      list.addObject().put("image", e.image()).put("error", e.error());
    }
    root.set("run", JSON.valueToTree(run));
  }

  /** Adds convention, summary, classes, categories and the confusion matrix to {@code root}. */
  static ObjectNode scores(ObjectNode root, SemanticReport report) {
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
    return root;
  }

  /** An empty object node. */
  static ObjectNode object() {
    return JSON.createObjectNode();
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
