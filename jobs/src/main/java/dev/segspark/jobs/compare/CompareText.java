package dev.segspark.jobs.compare;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** {@code compare.md}: the verdict, then the deltas. */
final class CompareText {
  private CompareText() {}

  static String markdown(JsonNode c) {
    StringBuilder b = new StringBuilder("# Comparison\n\n");
    b.append("- base: `").append(c.path("base").asText()).append("`\n");
    b.append("- new: `").append(c.path("new").asText()).append("`\n\n");
    if (c.path("passed").asBoolean()) {
      b.append("**Passed**: no figure crossed its gate.\n\n");
    } else {
      b.append("**Regressed**:\n\n");
      c.path("regressions").forEach(r -> b.append("- ").append(cell(r.asText())).append('\n'));
      b.append('\n');
    }
    if (c.path("kind").asText().equals("report")) {
      b.append("## Summary\n\n| figure | base | new | delta (points) |\n|---|---:|---:|---:|\n");
      c.path("summary").fields().forEachRemaining(e -> row(b, e.getKey(), e.getValue(), 100));
      b.append(
              "\n## Classes, largest drop first\n\n| class | base IoU | new IoU | delta (points) |\n")
          .append("|---|---:|---:|---:|\n");
      c.path("classes").forEach(n -> row(b, n.path("name").asText(), n, 100));
      if (c.path("images").size() > 0) {
        b.append(
                "\n## Images, largest mIoU drop first\n\n| image | base | new | delta (points) |\n")
            .append("|---|---:|---:|---:|\n");
        c.path("images").forEach(n -> row(b, n.path("image").asText(), n, 100));
      }
    } else {
      b.append(
              "## Pairs\n\n| pair | mIoU base | mIoU new | delta (points) | img/s base | img/s new | change |\n")
          .append("|---|---:|---:|---:|---:|---:|---:|\n");
      for (JsonNode p : c.path("pairs")) {
        JsonNode m = p.at("/accuracy/mIoU");
        JsonNode s = p.path("imagesPerSecond");
        b.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s | %s | %s | %s |%n",
                cell(p.path("model").asText() + "@" + p.path("dataset").asText()),
                num(m.path("base"), 100, "%.2f"),
                num(m.path("new"), 100, "%.2f"),
                num(m.path("delta"), 100, "%+.2f"),
                num(s.path("base"), 1, "%.2f"),
                num(s.path("new"), 1, "%.2f"),
                s.path("percent").isNumber()
                    ? String.format(Locale.ROOT, "%+.1f%%", s.path("percent").asDouble())
                    : "–"));
      }
    }
    return b.toString();
  }

  private static void row(StringBuilder b, String name, JsonNode n, double scale) {
    b.append("| ")
        .append(cell(name))
        .append(" | ")
        .append(num(n.path("base"), scale, "%.2f"))
        .append(" | ")
        .append(num(n.path("new"), scale, "%.2f"))
        .append(" | ")
        .append(num(n.path("delta"), scale, "%+.2f"))
        .append(" |\n");
  }

  private static String num(JsonNode v, double scale, String format) {
    return v.isNumber() ? String.format(Locale.ROOT, format, v.asDouble() * scale) : "–";
  }

  private static String cell(String s) {
    return s.replace("\\", "\\\\").replace("|", "\\|").replaceAll("[\\r\\n]+", " ");
  }
}
