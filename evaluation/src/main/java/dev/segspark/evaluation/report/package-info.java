/**
 * Report model and writers: report.json (the contract), report.md, per_class.csv,
 * confusion_matrix.csv and report.html (one self-contained page with Apache ECharts charts).
 */
package dev.segspark.evaluation.report;
