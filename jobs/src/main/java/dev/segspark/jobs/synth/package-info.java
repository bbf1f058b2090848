/**
 * Deterministic synthetic Cityscapes-layout street scenes: their frames, label and instance maps,
 * Cityscapes-panoptic ground truth and corrupted predictions.
 */
package dev.segspark.jobs.synth;
