/**
 * Panoptic quality (PQ, SQ, RQ) exactly as panopticapi's {@code pq_compute}: segment-id maps and
 * segments info per image, matching of ground-truth and predicted segments, mergeable per-category
 * statistics, results, the COCO panoptic JSON reader and DETR's panoptic post-processing. Pure
 * Java: no Spark, no DJL.
 */
package dev.segspark.evaluation.panoptic;
