package dev.segspark.evaluation.metrics;

/**
 * Scores of a label category (cityscapes convention).
 *
 * @param name category name
 * @param iou IoU over the category's evaluated labels merged into one class; null if undefined
 * @param iiou instance-weighted IoU; null for categories whose labels are not all instance classes
 */
public record CategoryScores(String name, Double iou, Double iiou) {}
