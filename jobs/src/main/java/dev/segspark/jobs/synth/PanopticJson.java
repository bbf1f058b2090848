package dev.segspark.jobs.synth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segspark.evaluation.io.AtomicFiles;
import dev.segspark.evaluation.labels.Label;
import dev.segspark.evaluation.labels.LabelTable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code cityscapes_panoptic_<split>.json} as cityscapesScripts' {@code createPanopticImgs.py}
 * writes it (COCO panoptic, keys sorted): images by id, one annotation per image, and one category
 * per label not ignored in evaluation, with the label id as category id.
 */
public final class PanopticJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private PanopticJson() {}

  /** Writes the JSON of {@code frames} atomically to {@code file}. */
  public static void write(Path file, List<PanopticFrame> frames, LabelTable table) {
    List<PanopticFrame> sorted = new ArrayList<>(frames);
    sorted.sort(Comparator.comparing(PanopticFrame::imageId));
    ObjectNode root = JSON.createObjectNode();
    ArrayNode annotations = root.putArray("annotations");
    categories(root.putArray("categories"), table);
    ArrayNode images = root.putArray("images");
    for (PanopticFrame f : sorted) {
      ObjectNode a = annotations.addObject();
      a.put("file_name", f.pngName());
      a.put("image_id", f.imageId());
      ArrayNode info = a.putArray("segments_info");
      for (PanopticFrame.Segment s : f.segments()) {
        ObjectNode n = info.addObject();
        n.put("area", s.area());
        n.putArray("bbox").add(s.x()).add(s.y()).add(s.w()).add(s.h());
        n.put("category_id", s.categoryId());
        n.put("id", s.id());
        n.put("iscrowd", s.crowd() ? 1 : 0);
      }
      images
          .addObject()
          .put("file_name", f.imageFileName())
          .put("height", f.height())
          .put("id", f.imageId())
          .put("width", f.width());
    }
    try {
      AtomicFiles.write(file, JSON.writeValueAsString(root));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static void categories(ArrayNode out, LabelTable table) {
    for (Label label : table.labels()) {
      if (label.ignoreInEval()) {
        continue;
      }
      ObjectNode c = out.addObject();
      int rgb = label.rgb();
      c.putArray("color").add((rgb >> 16) & 255).add((rgb >> 8) & 255).add(rgb & 255);
      c.put("id", label.id());
      c.put("isthing", label.hasInstances() ? 1 : 0);
      c.put("name", label.name());
      c.put("supercategory", label.category());
    }
  }
}
