/**
 * Report model and writers: report.json (the contract), report.md, per_class.csv,
 * confusion_matrix.csv.
 */
package dev.segspark.evaluation.report;
