package dev.segspark.udfs.partition;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a label run writes, relative to its output folder: the one place that names its files. An
 * image at {@code <relative path>} (its stem: the path without its extension) gives
 *
 * <ul>
 *   <li>{@code <format>/<stem>.png} per mask format ({@code overlay/<stem>.jpg});
 *   <li>for panoptic models, {@code panoptic/<stem>.png} (COCO-panoptic PNG) and {@code
 *       panoptic/<stem>.json} (its {@code segments_info});
 *   <li>{@code _segspark/<stem>.json}, its {@link MaskRecord}.
 * </ul>
 *
 * The run as a whole writes {@code _segspark.json} (what wrote the folder), {@code
 * manifest.parquet} (or {@code manifest.failed.parquet} when it fails) and, for panoptic models,
 * {@code panoptic.json}.
 */
public final class LabelLayout {
  /** Mask formats. */
  public static final List<String> FORMATS = List.of("ids", "color", "overlay");

  /** The manifest (a Spark Parquet folder). */
  public static final String MANIFEST = "manifest.parquet";

  /** The rows of a failed job (no {@code _SUCCESS}): never taken for a finished manifest. */
  public static final String FAILED_MANIFEST = "manifest.failed.parquet";

  /** COCO-panoptic JSON of panoptic runs. */
  public static final String PANOPTIC_JSON = "panoptic.json";

  /** What wrote the folder: the settings that decide the masks' bytes. */
  public static final String RUN_RECORD = "_segspark.json";

  /** Folder of the per-image records. */
  public static final String RECORDS = "_segspark";

  /** Folder of the COCO-panoptic PNGs and their {@code segments_info}. */
  public static final String PANOPTIC = "panoptic";

  /** A Cityscapes frame's file name: {@code <city>_<seq>_<frame>_leftImg8bit.<ext>}. */
  private static final Pattern CITYSCAPES_FRAME =
      Pattern.compile("(?:.*[/\\\\])?([^/\\\\]+)_leftImg8bit\\.[^./\\\\]+");

  private LabelLayout() {}

  /**
   * The {@code image_id} each image gets in {@code panoptic.json}, by relative path. When every
   * image is a Cityscapes frame ({@code <id>_leftImg8bit.png} in any folder) and no two share an
   * id, the id is the Cityscapes image id ({@code <city>_<seq>_<frame>}), which is what the
   * Cityscapes-panoptic ground truth pairs predictions by; otherwise every image's id is its {@link
   * #stem}.
   */
  public static Map<String, String> imageIds(List<String> relatives) {
    Map<String, String> ids = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (String r : relatives) {
      Matcher m = CITYSCAPES_FRAME.matcher(r);
      if (!m.matches() || !seen.add(m.group(1))) {
        ids.clear();
        relatives.forEach(each -> ids.put(each, stem(each)));
        return ids;
      }
      ids.put(r, m.group(1));
    }
    return ids;
  }

  /** The input's relative path without its extension, which every output of it is named after. */
  public static String stem(String relative) {
    return relative.replaceFirst("\\.[^./\\\\]+$", "");
  }

  /**
   * The files one image's masks are written to: one per format, in the order of {@code formats},
   * then for panoptic models the COCO-panoptic PNG and last its {@code segments_info} JSON.
   */
  public static List<String> outputs(String relative, List<String> formats, boolean panoptic) {
    String stem = stem(relative);
    List<String> paths = new ArrayList<>();
    for (String f : formats) {
      paths.add(f + "/" + stem + (f.equals("overlay") ? ".jpg" : ".png"));
    }
    if (panoptic) {
      paths.add(PANOPTIC + "/" + panopticPng(relative));
      paths.add(PANOPTIC + "/" + stem + ".json");
    }
    return paths;
  }

  /** The COCO-panoptic PNG's name inside {@code panoptic/}, as {@code panoptic.json} lists it. */
  public static String panopticPng(String relative) {
    return stem(relative) + ".png";
  }

  /** The image's {@link MaskRecord}. */
  public static String record(String relative) {
    return RECORDS + "/" + stem(relative) + ".json";
  }
}
