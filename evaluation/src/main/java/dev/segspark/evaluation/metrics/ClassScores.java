package dev.segspark.evaluation.metrics;

/**
 * Scores of one evaluated class. Every score is a fraction in [0, 1] or {@code null} when undefined
 * under the convention (0/0, or a class the convention excludes).
 *
 * @param name class name
 * @param id annotation id
 * @param trainId training id (the table's ignore index for classes evaluated only by id)
 * @param iou intersection over union
 * @param iiou instance-weighted IoU (cityscapes convention only)
 * @param acc per-class accuracy TP / ground-truth pixels
 * @param dice 2TP / (ground truth + predicted)
 * @param precision TP / predicted pixels
 * @param recall TP / ground-truth pixels
 * @param fscore harmonic mean of precision and recall; null when TP = 0 (as mmseg yields NaN)
 * @param tp true-positive pixels
 * @param gtPixels ground-truth pixels of the class counted by the convention
 * @param predPixels predicted pixels of the class counted by the convention
 */
public record ClassScores(
    String name,
    int id,
    int trainId,
    Double iou,
    Double iiou,
    Double acc,
    Double dice,
    Double precision,
    Double recall,
    Double fscore,
    long tp,
    long gtPixels,
    long predPixels) {}
