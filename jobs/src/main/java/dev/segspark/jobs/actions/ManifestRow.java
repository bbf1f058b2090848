package dev.segspark.jobs.actions;

import dev.segspark.jobs.actions.TableSchema.ColumnType;
import dev.segspark.udfs.partition.LabelRow;
import java.util.Arrays;
import org.apache.spark.sql.Row;

/**
 * One {@code manifest.parquet} row: what labelling one image produced ({@link LabelRow}) and the
 * run's model. The columns, their names and order are a contract ({@code docs/report-contract.md}).
 */
final class ManifestRow {
  /** What a row is made of: the image's outcome and the model's name. */
  private record Image(LabelRow row, String model) {}

  private static final Columns<Image> COLUMNS =
      Columns.<Image>of()
          .add("image", ColumnType.STRING, false, i -> i.row().image())
          .add("source", ColumnType.STRING, false, i -> i.row().source())
          .add(
              "masks",
              ColumnType.arrayOf(ColumnType.STRING, false),
              false,
              i -> i.row().masks().toArray(new String[0]))
          .add(
              "histogram",
              ColumnType.arrayOf(ColumnType.LONG, false),
              true,
              i -> boxed(i.row().histogram()))
          .add("width", ColumnType.INT, false, i -> i.row().width())
          .add("height", ColumnType.INT, false, i -> i.row().height())
          .add("meanConfidence", ColumnType.DOUBLE, true, i -> i.row().confidence())
          .add("model", ColumnType.STRING, false, Image::model)
          .add("millis", ColumnType.DOUBLE, false, i -> i.row().millis())
          .add("resumed", ColumnType.BOOLEAN, false, i -> i.row().resumed())
          .add("error", ColumnType.STRING, true, i -> i.row().error());

  /** The manifest's schema. */
  static final TableSchema SCHEMA = COLUMNS.schema();

  private ManifestRow() {}

  /** The row of one image labelled by the model named {@code model}. */
  static Row of(LabelRow r, String model) {
    return COLUMNS.row(new Image(r, model));
  }

  private static Object[] boxed(long[] histogram) {
    return histogram == null ? null : Arrays.stream(histogram).boxed().toArray();
  }
}
