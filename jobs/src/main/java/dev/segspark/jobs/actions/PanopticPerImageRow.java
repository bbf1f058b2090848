package dev.segspark.jobs.actions;

import dev.segspark.udfs.partition.PanopticResult;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One {@code per_image.parquet} row of a panoptic evaluation: the image's matched (tp), unmatched
 * predicted (fp) and unmatched ground-truth (fn) segments over all categories. A failed image has
 * zero counts and its {@code error}.
 */
final class PanopticPerImageRow {
  private static final Columns<PanopticResult> COLUMNS =
      Columns.<PanopticResult>of()
          .add("imageId", DataTypes.StringType, false, r -> r.sample().imageId())
          .add("fileName", DataTypes.StringType, false, r -> r.sample().fileName())
          .add("width", DataTypes.IntegerType, false, PanopticResult::width)
          .add("height", DataTypes.IntegerType, false, PanopticResult::height)
          .add("tp", DataTypes.LongType, false, r -> r.stats() == null ? 0L : r.stats().totalTp())
          .add("fp", DataTypes.LongType, false, r -> r.stats() == null ? 0L : r.stats().totalFp())
          .add("fn", DataTypes.LongType, false, r -> r.stats() == null ? 0L : r.stats().totalFn())
          .add("error", DataTypes.StringType, true, PanopticResult::error)
          .add("decodeMillis", DataTypes.DoubleType, false, r -> r.decodeNanos() / 1e6)
          .add("metricsMillis", DataTypes.DoubleType, false, r -> r.metricsNanos() / 1e6);

  /** The table's schema. */
  static final StructType SCHEMA = COLUMNS.schema();

  private PanopticPerImageRow() {}

  /** The row of one image. */
  static Row of(PanopticResult r) {
    return COLUMNS.row(r);
  }
}
