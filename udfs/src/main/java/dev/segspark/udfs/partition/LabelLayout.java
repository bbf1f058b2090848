package dev.segspark.udfs.partition;

import java.util.ArrayList;
import java.util.List;

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
  private static final String PANOPTIC = "panoptic";

  private LabelLayout() {}

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
