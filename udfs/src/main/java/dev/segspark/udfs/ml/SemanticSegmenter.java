package dev.segspark.udfs.ml;

import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.MLReader;

/**
 * A Spark ML {@link org.apache.spark.ml.Transformer} that segments the images of a DataFrame with a
 * model: it appends the {@code ids} mask PNG (the bytes {@code segspark label} writes), the class
 * histogram, the mean confidence and the error (see {@link SegmenterStage} for the columns).
 *
 * <pre>
 * Dataset&lt;Row&gt; images = spark.read().format("binaryFile").load("images/");
 * SemanticSegmenter segmenter =
 *     new SemanticSegmenter().setModelSpec("segformer-synth").setOnError("skip");
 * Dataset&lt;Row&gt; masks = segmenter.transform(images); // path, ..., content, ids, histogram, ...
 * segmenter.save("stages/segmenter");                  // SemanticSegmenter.load(...) reads it
 * </pre>
 *
 * Any model works: a panoptic model's {@code ids} are the categories of its segments.
 */
public final class SemanticSegmenter extends SegmenterStage<SemanticSegmenter> {
  private static final long serialVersionUID = 1L;

  /** A segmenter with a fresh uid. */
  public SemanticSegmenter() {
    this(newUid("semanticSegmenter"));
  }

  /** A segmenter with {@code uid} (ML persistence creates stages this way). */
  public SemanticSegmenter(String uid) {
    super(uid);
  }

  @Override
  boolean panoptic() {
    return false;
  }

  /** The reader of saved segmenters. */
  public static MLReader<SemanticSegmenter> read() {
    return new DefaultParamsReader<>();
  }

  /** Loads a segmenter saved with {@link #save(String)}. */
  public static SemanticSegmenter load(String path) {
    return read().load(path);
  }
}
