package dev.segspark.evaluation.report;

/** What was evaluated: dataset (table) name, root folder, split, number of images evaluated. */
public record DatasetInfo(String name, String root, String split, long images) {}
