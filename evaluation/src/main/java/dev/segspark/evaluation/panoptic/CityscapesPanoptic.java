package dev.segspark.evaluation.panoptic;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segspark.evaluation.labels.Label;
import dev.segspark.evaluation.labels.LabelTable;
import java.util.List;
import java.util.TreeMap;

/**
 * Cityscapes instance-id maps as COCO-panoptic ground truth, the way cityscapesScripts' {@code
 * createPanopticImgs} builds it: every value of the instance map is a segment whose id is that
 * value ({@code labelId * 1000 + k} for an instance, {@code labelId} for the rest of a class); a
 * value below 1000 of a class with instances is a crowd region; classes left out of evaluation
 * become void (id 0). Category ids are label ids.
 */
public final class CityscapesPanoptic {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CityscapesPanoptic() {}

  /**
   * One frame.
   *
   * @param rgb the panoptic PNG's pixels (segment id = R + 256 G + 65536 B, 0 = void)
   * @param segments its {@code segments_info}
   */
  public record Frame(byte[] rgb, ArrayNode segments) {}

  /** The panoptic ground truth of one instance-id map ({@code width * height} values). */
  public static Frame convert(int[] instanceIds, int width, int height, LabelTable table) {
    int n = width * height;
    byte[] rgb = new byte[3 * n];
    TreeMap<Integer, int[]> boxes = new TreeMap<>(); // id -> minX, minY, maxX, maxY, area
    for (int i = 0; i < n; i++) {
      int v = instanceIds[i];
      Label label = table.byId(v < 1000 ? v : v / 1000);
      if (label == null || label.ignoreInEval()) {
        continue;
      }
      rgb[3 * i] = (byte) v;
      rgb[3 * i + 1] = (byte) (v >> 8);
      rgb[3 * i + 2] = (byte) (v >> 16);
      int x = i % width;
      int y = i / width;
      int[] b = boxes.computeIfAbsent(v, k -> new int[] {x, y, x, y, 0});
      b[0] = Math.min(b[0], x);
      b[1] = Math.min(b[1], y);
      b[2] = Math.max(b[2], x);
      b[3] = Math.max(b[3], y);
      b[4]++;
    }
    ArrayNode segments = JSON.createArrayNode();
    boxes.forEach(
        (v, b) -> {
          Label label = table.byId(v < 1000 ? v : v / 1000);
          ObjectNode s = segments.addObject();
          s.put("id", v);
          s.put("category_id", label.id());
          s.put("area", b[4]);
          s.putArray("bbox").add(b[0]).add(b[1]).add(b[2] - b[0] + 1).add(b[3] - b[1] + 1);
          s.put("iscrowd", v < 1000 && label.hasInstances() ? 1 : 0);
        });
    return new Frame(rgb, segments);
  }

  /** The {@code categories} of a panoptic JSON: the table's evaluated labels. */
  public static ArrayNode categories(LabelTable table) {
    ArrayNode out = JSON.createArrayNode();
    List<Label> labels = table.labels();
    for (Label l : labels) {
      if (l.ignoreInEval() || l.id() < 0) {
        continue;
      }
      ObjectNode c = out.addObject();
      c.put("id", l.id());
      c.put("name", l.name());
      c.put("supercategory", l.category());
      c.put("isthing", l.hasInstances() ? 1 : 0);
      c.putArray("color").add((l.rgb() >> 16) & 255).add((l.rgb() >> 8) & 255).add(l.rgb() & 255);
    }
    return out;
  }
}
