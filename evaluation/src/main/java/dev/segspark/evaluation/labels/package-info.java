/** Dataset label tables: id, trainId, name, category, colour and ignore rules, loaded from YAML. */
package dev.segspark.evaluation.labels;
