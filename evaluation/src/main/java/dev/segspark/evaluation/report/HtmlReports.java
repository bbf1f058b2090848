package dev.segspark.evaluation.report;

import dev.segspark.evaluation.metrics.CategoryScores;
import dev.segspark.evaluation.metrics.ClassScores;
import dev.segspark.evaluation.metrics.Convention;
import dev.segspark.evaluation.metrics.Summary;
import dev.segspark.evaluation.panoptic.ClassPq;
import dev.segspark.evaluation.panoptic.PqSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code report.html}: the report as one self-contained page ({@link HtmlPage}) with a summary, the
 * per-class table and score chart, the row-normalised confusion heat-map (pixel counts on hover),
 * the worst images, the skipped images and the run facts. Scores in percent, as in {@code
 * report.md}.
 */
public final class HtmlReports {
  private HtmlReports() {}

  /**
   * The semantic report page.
   *
   * @param report the report
   * @param worst rows of the "worst images" table, in the order to show (may be empty)
   * @return the page's HTML
   */
  public static String semantic(SemanticReport report, List<WorstImage> worst) {
    HtmlPage page = new HtmlPage("segspark semantic evaluation");
    Map<String, Object> facts = dataset(report.dataset(), report.errors().size());
    facts.put("convention", report.scores().convention().id());
    source(facts, report.run());
    page.facts(facts);
    scores(page, report);
    page.heading("Worst images");
    if (worst.isEmpty()) {
      page.note("No per-image scores in this report.");
    } else {
      page.note("Lowest mean IoU first; each image scored alone (per_image.parquet).");
      HtmlPage.Table table = new HtmlPage.Table(1, "Image", "mIoU", "Pixel accuracy");
      for (WorstImage w : worst) {
        table.row(w.image(), pct(w.meanIoU()), pct(w.pixelAccuracy()));
      }
      page.table(table);
    }
    footer(page, report.errors(), report.run());
    return page.render();
  }

  /**
   * The panoptic report page; with {@code --semantic}, the semantic scores of the same pair follow.
   *
   * @param report the report
   * @return the page's HTML
   */
  public static String panoptic(PanopticReport report) {
    HtmlPage page = new HtmlPage("segspark panoptic evaluation");
    Map<String, Object> facts = dataset(report.dataset(), report.errors().size());
    source(facts, report.run());
    page.facts(facts);
    page.heading("Summary");
    HtmlPage.Table summary = new HtmlPage.Table(1, "", "PQ", "SQ", "RQ", "N");
    pqRow(summary, "All", report.result().all());
    pqRow(summary, "Things", report.result().things());
    pqRow(summary, "Stuff", report.result().stuff());
    page.table(summary);
    List<String> names = new ArrayList<>();
    List<Double> pq = new ArrayList<>();
    HtmlPage.Table classes =
        new HtmlPage.Table(1, "Category", "id", "thing", "PQ", "SQ", "RQ", "TP", "FP", "FN");
    for (ClassPq c : report.result().classes()) {
      if (c.isPresent()) {
        names.add(c.name());
        pq.add(c.pq());
        classes.row(
            c.name(),
            Integer.toString(c.id()),
            c.isThing() ? "yes" : "no",
            pct(c.pq()),
            pct(c.sq()),
            pct(c.rq()),
            Long.toString(c.tp()),
            Long.toString(c.fp()),
            Long.toString(c.fn()));
      }
    }
    page.heading("Per-category PQ");
    page.chart(
        ChartOptions.bars("PQ", names, pq), ChartOptions.barsHeight(names.size()), "percent");
    page.heading("Categories");
    page.note("Categories present in ground truth or prediction (TP + FP + FN > 0).");
    page.table(classes);
    if (report.semantic() != null) {
      page.heading("Semantic scores of the same pair");
      page.note("Both PNGs painted with their segments' category, scored under mmseg.");
      scores(page, report.semantic());
    }
    footer(page, report.errors(), report.run());
    return page.render();
  }

  private static Map<String, Object> dataset(DatasetInfo d, int skipped) {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("dataset", d.name());
    facts.put("split", d.split());
    facts.put("images", d.images());
    facts.put("skipped", skipped);
    facts.put("root", d.root());
    return facts;
  }

  /** The model, or else the predictions, when the run facts name them. */
  private static void source(Map<String, Object> facts, Map<String, Object> run) {
    if (run.get("model") != null) {
      facts.put("model", run.get("model"));
    } else if (run.get("predictions") != null) {
      facts.put("predictions", run.get("predictions"));
    }
  }

  /** Summary, per-class chart, the confusion heat-map, the class and category tables. */
  private static void scores(HtmlPage page, SemanticReport report) {
    boolean cityscapes = report.scores().convention() == Convention.CITYSCAPES;
    page.heading("Summary");
    page.table(summary(report.scores().summary(), cityscapes));
    List<String> names = new ArrayList<>();
    List<Double> iou = new ArrayList<>();
    for (ClassScores c : report.scores().classes()) {
      names.add(c.name());
      iou.add(c.iou());
    }
    page.heading("Per-class IoU");
    page.chart(
        ChartOptions.bars("IoU", names, iou), ChartOptions.barsHeight(names.size()), "percent");
    confusion(page, "Confusion matrix", report.matrixNames(), report.matrix().square());
    page.heading("Classes");
    page.table(classes(report.scores().classes(), cityscapes));
    if (!report.scores().categories().isEmpty()) {
      page.heading("Categories");
      HtmlPage.Table categories = new HtmlPage.Table(1, "Category", "IoU", "iIoU");
      for (CategoryScores c : report.scores().categories()) {
        categories.row(c.name(), pct(c.iou()), pct(c.iiou()));
      }
      page.table(categories);
    }
  }

  /**
   * Adds a heading and the confusion heat-map of the labels that have pixels in ground truth or
   * prediction: a label with an empty row and an empty column only adds blank cells, so it is left
   * out (and counted).
   *
   * @param names the label of each row and column
   * @param counts {@code counts[gt][pred]}
   */
  public static void confusion(HtmlPage page, String heading, List<String> names, long[][] counts) {
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      boolean any = false;
      for (int j = 0; j < counts.length && !any; j++) {
        any = counts[i][j] != 0 || counts[j][i] != 0;
      }
      if (any) {
        keep.add(i);
      }
    }
    List<String> shown = new ArrayList<>();
    long[][] cells = new long[keep.size()][keep.size()];
    for (int r = 0; r < keep.size(); r++) {
      shown.add(names.get(keep.get(r)));
      for (int c = 0; c < keep.size(); c++) {
        cells[r][c] = counts[keep.get(r)][keep.get(c)];
      }
    }
    page.heading(heading);
    String left =
        keep.size() == counts.length
            ? ""
            : " Labels without a pixel in ground truth or prediction are left out ("
                + (counts.length - keep.size())
                + ").";
    page.note(
        "Rows: ground truth; columns: prediction. Colour: the cell's share of its row;"
            + " hover a cell for the pixel count."
            + left);
    page.chart(
        ChartOptions.confusion(shown, cells),
        ChartOptions.confusionHeight(shown.size()),
        "confusion");
  }

  private static HtmlPage.Table summary(Summary s, boolean cityscapes) {
    List<String> header =
        new ArrayList<>(
            List.of("mIoU", "aAcc", "mAcc", "mDice", "mFscore", "mPrecision", "mRecall", "fwIoU"));
    List<String> cells =
        new ArrayList<>(
            List.of(
                pct(s.mIoU()),
                pct(s.aAcc()),
                pct(s.mAcc()),
                pct(s.mDice()),
                pct(s.mFscore()),
                pct(s.mPrecision()),
                pct(s.mRecall()),
                pct(s.fwIoU())));
    if (cityscapes) {
      header.addAll(List.of("iIoU", "category IoU", "category iIoU"));
      cells.addAll(List.of(pct(s.iIoU()), pct(s.categoryIoU()), pct(s.categoryIIoU())));
    }
    if (s.microIoU() != null) {
      header.add("micro IoU");
      cells.add(pct(s.microIoU()));
    }
    return new HtmlPage.Table(0, header.toArray(String[]::new)).row(cells.toArray(String[]::new));
  }

  private static HtmlPage.Table classes(List<ClassScores> classes, boolean cityscapes) {
    List<String> header = new ArrayList<>(List.of("Class", "id", "trainId", "IoU"));
    if (cityscapes) {
      header.add("iIoU");
    }
    header.addAll(
        List.of("Acc", "Dice", "Precision", "Recall", "F-score", "GT pixels", "Pred pixels"));
    HtmlPage.Table table = new HtmlPage.Table(1, header.toArray(String[]::new));
    for (ClassScores c : classes) {
      List<String> row =
          new ArrayList<>(
              List.of(
                  c.name(), Integer.toString(c.id()), Integer.toString(c.trainId()), pct(c.iou())));
      if (cityscapes) {
        row.add(pct(c.iiou()));
      }
      row.addAll(
          List.of(
              pct(c.acc()),
              pct(c.dice()),
              pct(c.precision()),
              pct(c.recall()),
              pct(c.fscore()),
              Long.toString(c.gtPixels()),
              Long.toString(c.predPixels())));
      table.row(row.toArray(String[]::new));
    }
    return table;
  }

  private static String pct(Double v) {
    return ReportText.pct(v);
  }

  private static void pqRow(HtmlPage.Table table, String name, PqSummary s) {
    table.row(name, pct(s.pq()), pct(s.sq()), pct(s.rq()), Integer.toString(s.n()));
  }

  /** Skipped images and run facts. */
  private static void footer(HtmlPage page, List<ImageError> errors, Map<String, Object> run) {
    if (!errors.isEmpty()) {
      page.heading("Skipped images (" + errors.size() + ")");
      HtmlPage.Table table = new HtmlPage.Table(2, "Image", "Error");
      for (ImageError e : errors) {
        table.row(e.image(), e.error());
      }
      page.table(table);
    }
    page.heading("Run");
    if (run.isEmpty()) {
      page.note("No run facts recorded.");
    } else {
      page.facts(run);
    }
  }
}
