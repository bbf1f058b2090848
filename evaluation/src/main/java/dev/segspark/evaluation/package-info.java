/**
 * Pure-Java evaluation engine: label tables, the label-map PNG codec, confusion matrices, metrics
 * under the reference tools' conventions, and report writers. Never imports Spark or DJL.
 */
package dev.segspark.evaluation;
