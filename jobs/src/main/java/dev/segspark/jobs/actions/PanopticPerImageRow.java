package dev.segspark.jobs.actions;

import dev.segspark.jobs.actions.TableSchema.ColumnType;
import dev.segspark.udfs.partition.PanopticResult;
import org.apache.spark.sql.Row;

/**
 * One {@code per_image.parquet} row of a panoptic evaluation: the image's matched (tp), unmatched
 * predicted (fp) and unmatched ground-truth (fn) segments over all categories. A failed image has
 * zero counts and its {@code error}.
 */
final class PanopticPerImageRow {
  private static final Columns<PanopticResult> COLUMNS =
      Columns.<PanopticResult>of()
          .add("imageId", ColumnType.STRING, false, r -> r.sample().imageId())
          .add("fileName", ColumnType.STRING, false, r -> r.sample().fileName())
          .add("width", ColumnType.INT, false, PanopticResult::width)
          .add("height", ColumnType.INT, false, PanopticResult::height)
          .add("tp", ColumnType.LONG, false, r -> r.stats() == null ? 0L : r.stats().totalTp())
          .add("fp", ColumnType.LONG, false, r -> r.stats() == null ? 0L : r.stats().totalFp())
          .add("fn", ColumnType.LONG, false, r -> r.stats() == null ? 0L : r.stats().totalFn())
          .add("error", ColumnType.STRING, true, PanopticResult::error)
          .add("decodeMillis", ColumnType.DOUBLE, false, r -> r.decodeNanos() / 1e6)
          .add("metricsMillis", ColumnType.DOUBLE, false, r -> r.metricsNanos() / 1e6);

  /** The table's schema. */
  static final TableSchema SCHEMA = COLUMNS.schema();

  private PanopticPerImageRow() {}

  /** The row of one image. */
  static Row of(PanopticResult r) {
    return COLUMNS.row(r);
  }
}
