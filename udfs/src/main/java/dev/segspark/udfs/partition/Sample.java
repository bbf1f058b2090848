package dev.segspark.udfs.partition;

import java.io.Serializable;

/**
 * One evaluation sample: paths only, so the driver ships names, not pixels.
 *
 * @param id the sample name used in reports and errors (e.g. {@code frankfurt_000000_000294})
 * @param groundTruth ground-truth label map
 * @param instances ground-truth instance-id map, or {@code null}
 * @param prediction prediction label map, or {@code null} when it is missing; when a model
 *     predicts, the input image instead
 */
public record Sample(String id, String groundTruth, String instances, String prediction)
    implements Serializable {}
