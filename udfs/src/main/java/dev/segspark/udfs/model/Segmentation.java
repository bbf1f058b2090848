package dev.segspark.udfs.model;

import dev.segspark.evaluation.image.LabelMap;
import dev.segspark.evaluation.panoptic.DetrPanopticOutput;

/**
 * One image's model output, back in the JVM.
 *
 * @param labels label map at the image's size, in the model's output ids ({@link
 *     ModelSpec#outputIds()}); 255 (8-bit) or 65535 (16-bit) where the model assigns nothing
 * @param confidence mean over the model's output grid of the top class probability (DETR: mean
 *     score of the kept segments, 0 if none); NaN when the caller did not ask for it
 * @param panoptic DETR segments and segment map, {@code null} for semantic models
 */
public record Segmentation(LabelMap labels, double confidence, DetrPanopticOutput panoptic) {}
