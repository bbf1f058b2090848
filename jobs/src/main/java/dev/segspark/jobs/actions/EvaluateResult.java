package dev.segspark.jobs.actions;

import dev.segspark.evaluation.report.SemanticReport;
import java.nio.file.Path;

/** The outcome of {@link EvaluateAction#execute()}: the report and where its files are. */
public record EvaluateResult(SemanticReport report, Path out) {}
