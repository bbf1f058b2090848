/**
 * Spark ML stages that segment the images of a DataFrame: {@link
 * dev.segspark.udfs.ml.SemanticSegmenter} and {@link dev.segspark.udfs.ml.PanopticSegmenter}. They
 * run the same per-partition code as {@code segspark label} and the {@code segment()} SQL function
 * ({@link dev.segspark.udfs.partition.SegmentRows}), fit in a {@link org.apache.spark.ml.Pipeline}
 * and save and load like other ML stages.
 */
package dev.segspark.udfs.ml;
