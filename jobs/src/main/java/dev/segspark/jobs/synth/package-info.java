/**
 * Deterministic synthetic Cityscapes-layout street scenes, their frames and corrupted predictions.
 */
package dev.segspark.jobs.synth;
