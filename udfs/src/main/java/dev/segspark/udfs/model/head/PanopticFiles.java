package dev.segspark.udfs.model.head;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segspark.evaluation.image.Png;
import dev.segspark.evaluation.panoptic.DetrPanopticOutput;
import dev.segspark.evaluation.panoptic.DetrSegment;
import dev.segspark.udfs.io.MaskEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/** What a panoptic head's segmentation adds when labelling: COCO-panoptic PNG and segments. */
public final class PanopticFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PanopticFiles() {}

  /** COCO-panoptic PNG: segment {@code i} has id {@code i + 1} = R + 256 G + 65536 B; 0 = void. */
  public static byte[] png(DetrPanopticOutput seg) {
    int n = seg.width() * seg.height();
    byte[] rgb = new byte[3 * n];
    if (!seg.segments().isEmpty()) {
      int[] map = seg.ids();
      for (int i = 0; i < n; i++) {
        int id = map[i] + 1;
        rgb[3 * i] = (byte) id;
        rgb[3 * i + 1] = (byte) (id >> 8);
        rgb[3 * i + 2] = (byte) (id >> 16);
      }
    }
    return Png.encodeRgb(seg.width(), seg.height(), rgb);
  }

  /**
   * COCO {@code segments_info} as JSON: id, category_id (dataset label id through {@code encoder}),
   * iscrowd, isthing, area, bbox, score.
   */
  public static String segmentsInfo(DetrPanopticOutput seg, MaskEncoder encoder) {
    int w = seg.width();
    int segments = seg.segments().size();
    int[] x0 = new int[segments];
    int[] y0 = new int[segments];
    int[] x1 = new int[segments];
    int[] y1 = new int[segments];
    Arrays.fill(x0, Integer.MAX_VALUE);
    Arrays.fill(y0, Integer.MAX_VALUE);
    Arrays.fill(x1, -1);
    Arrays.fill(y1, -1);
    int[] map = seg.ids();
    for (int i = 0; segments > 0 && i < map.length; i++) {
      int s = map[i];
      int x = i % w;
      int y = i / w;
      x0[s] = Math.min(x0[s], x);
      y0[s] = Math.min(y0[s], y);
      x1[s] = Math.max(x1[s], x);
      y1[s] = Math.max(y1[s], y);
    }
    ArrayNode info = JSON.createArrayNode();
    for (DetrSegment s : seg.segments()) {
      ObjectNode node = info.addObject();
      node.put("id", s.id() + 1);
      node.put("category_id", encoder.idOfIndex(s.categoryId()));
      node.put("iscrowd", 0);
      node.put("isthing", s.isThing());
      node.put("area", s.area());
      ArrayNode bbox = node.putArray("bbox");
      bbox.add(x0[s.id()])
          .add(y0[s.id()])
          .add(x1[s.id()] - x0[s.id()] + 1)
          .add(y1[s.id()] - y0[s.id()] + 1);
      node.put("score", s.score());
    }
    try {
      return JSON.writeValueAsString(info);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
