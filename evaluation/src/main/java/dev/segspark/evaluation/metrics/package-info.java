/**
 * Confusion matrices, instance statistics and the metric conventions of the reference tools
 * (cityscapesScripts, mmsegmentation, detectron2, torchmetrics), all derived from summed counts.
 */
package dev.segspark.evaluation.metrics;
