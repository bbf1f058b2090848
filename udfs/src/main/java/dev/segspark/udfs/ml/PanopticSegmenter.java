package dev.segspark.udfs.ml;

import dev.segspark.udfs.model.ModelSpec;
import java.util.List;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.MLReader;

/**
 * A Spark ML {@link org.apache.spark.ml.Transformer} that segments images with a panoptic model
 * (DETR-panoptic head): the columns of {@link SemanticSegmenter} plus
 *
 * <ul>
 *   <li>{@code segments} (string): COCO {@code segments_info} JSON (id, category_id as a dataset
 *       label id, iscrowd, isthing, area, bbox, score), what {@code segspark label} writes next to
 *       each panoptic PNG;
 *   <li>{@code panoptic} (binary): the COCO-panoptic PNG (segment id = R + 256 G + 65536 B).
 * </ul>
 */
public final class PanopticSegmenter extends SegmenterStage<PanopticSegmenter> {
  private static final long serialVersionUID = 1L;

  private final Param<String> segmentsCol;
  private final Param<String> panopticCol;

  /** A segmenter with a fresh uid. */
  public PanopticSegmenter() {
    this(newUid("panopticSegmenter"));
  }

  /** A segmenter with {@code uid} (ML persistence creates stages this way). */
  public PanopticSegmenter(String uid) {
    super(uid);
    segmentsCol = new Param<>(this, "segmentsCol", "output: COCO segments_info JSON");
    panopticCol = new Param<>(this, "panopticCol", "output: the COCO-panoptic PNG");
    setDefault(segmentsCol, "segments");
    setDefault(panopticCol, "panoptic");
  }

  @Override
  boolean panoptic() {
    return true;
  }

  @Override
  List<String> panopticColumns() {
    return List.of(getSegmentsCol(), getPanopticCol());
  }

  @Override
  void checkModel(ModelSpec model) {
    if (!model.head().panoptic()) {
      throw new IllegalArgumentException(
          "Cannot segment with PanopticSegmenter: model "
              + model.name()
              + " is not panoptic (use SemanticSegmenter)");
    }
  }

  /** Output column of the segments JSON. */
  public Param<String> segmentsCol() {
    return segmentsCol;
  }

  /** Output column of the COCO-panoptic PNG. */
  public Param<String> panopticCol() {
    return panopticCol;
  }

  public PanopticSegmenter setSegmentsCol(String value) {
    set(segmentsCol, value);
    return this;
  }

  public String getSegmentsCol() {
    return $(segmentsCol);
  }

  public PanopticSegmenter setPanopticCol(String value) {
    set(panopticCol, value);
    return this;
  }

  public String getPanopticCol() {
    return $(panopticCol);
  }

  /** The reader of saved segmenters. */
  public static MLReader<PanopticSegmenter> read() {
    return new DefaultParamsReader<>();
  }

  /** Loads a segmenter saved with {@link #save(String)}. */
  public static PanopticSegmenter load(String path) {
    return read().load(path);
  }
}
