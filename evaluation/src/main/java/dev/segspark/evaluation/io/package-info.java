/**
 * Output files: atomic writes that respect the process umask ({@link
 * dev.segspark.evaluation.io.AtomicFiles}), and sets of files committed as a unit ({@link
 * dev.segspark.evaluation.io.OutputSet}). Every job's outputs go through these two classes.
 */
package dev.segspark.evaluation.io;
