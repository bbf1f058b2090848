package dev.segspark.udfs.partition;

import dev.segspark.evaluation.image.LabelMap;
import dev.segspark.evaluation.panoptic.DetrPanopticOutput;
import dev.segspark.udfs.io.MaskEncoder;
import dev.segspark.udfs.model.Segmentation;
import dev.segspark.udfs.model.head.PanopticFiles;

/**
 * What one image's segmentation gives every consumer (the {@code label} job's files, the ML
 * transformers' columns, the {@code segment()} SQL function): the mask in the dataset's label ids
 * and its {@code ids} PNG, the class histogram, the mean confidence and, for panoptic models, the
 * COCO-panoptic PNG and {@code segments_info}. One builder for all, so the bytes agree.
 *
 * <p>The PNGs and the segments JSON are encoded when first asked for (a label run that writes only
 * {@code color} masks does not encode {@code ids}).
 */
public final class SegmentOutput {
  private final Segmentation segmentation;
  private final MaskEncoder encoder;
  private final LabelMap ids;
  private byte[] idsPng;
  private String segments;

  private SegmentOutput(Segmentation segmentation, MaskEncoder encoder) {
    this.segmentation = segmentation;
    this.encoder = encoder;
    this.ids = encoder.ids(segmentation.labels());
  }

  /** The output of {@code segmentation}, encoded with the model's {@code encoder}. */
  public static SegmentOutput of(Segmentation segmentation, MaskEncoder encoder) {
    return new SegmentOutput(segmentation, encoder);
  }

  /** The model's label map (output indices). */
  public LabelMap labels() {
    return segmentation.labels();
  }

  /** The mask in the dataset's label ids (see {@link MaskEncoder#ids}). */
  public LabelMap ids() {
    return ids;
  }

  /** The {@code ids} PNG: the bytes {@code segspark label} writes under {@code ids/}. */
  public byte[] idsPng() {
    if (idsPng == null) {
      idsPng = encoder.idsPng(ids);
    }
    return idsPng;
  }

  /** Pixels per model class (index = output index; the last bucket: no class). */
  public long[] histogram() {
    return encoder.histogram(segmentation.labels());
  }

  /**
   * Mean top-class probability (DETR: mean score of the kept segments), {@code null} if the model
   * gives none.
   */
  public Double confidence() {
    double c = segmentation.confidence();
    return Double.isNaN(c) ? null : c;
  }

  /** Whether the model is panoptic (then {@link #panopticPng} and {@link #segments} exist). */
  public boolean panoptic() {
    return segmentation.panoptic() != null;
  }

  /** The COCO-panoptic PNG; {@code null} for semantic models. */
  public byte[] panopticPng() {
    DetrPanopticOutput seg = segmentation.panoptic();
    return seg == null ? null : PanopticFiles.png(seg);
  }

  /**
   * COCO {@code segments_info} JSON (see {@link PanopticFiles#segmentsInfo}); {@code null} for
   * semantic models.
   */
  public String segments() {
    if (segments == null && segmentation.panoptic() != null) {
      segments = PanopticFiles.segmentsInfo(segmentation.panoptic(), encoder);
    }
    return segments;
  }
}
