package dev.segspark.jobs.actions;

import dev.segspark.udfs.partition.LabelRow;
import java.util.Arrays;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One {@code manifest.parquet} row: what labelling one image produced ({@link LabelRow}) and the
 * run's model. The columns, their names and order are a contract ({@code docs/report-contract.md}).
 */
final class ManifestRow {
  /** What a row is made of: the image's outcome and the model's name. */
  private record Image(LabelRow row, String model) {}

  private static final Columns<Image> COLUMNS =
      Columns.<Image>of()
          .add("image", DataTypes.StringType, false, i -> i.row().image())
          .add("source", DataTypes.StringType, false, i -> i.row().source())
          .add(
              "masks",
              DataTypes.createArrayType(DataTypes.StringType, false),
              false,
              i -> i.row().masks().toArray(new String[0]))
          .add(
              "histogram",
              DataTypes.createArrayType(DataTypes.LongType, false),
              true,
              i -> boxed(i.row().histogram()))
          .add("width", DataTypes.IntegerType, false, i -> i.row().width())
          .add("height", DataTypes.IntegerType, false, i -> i.row().height())
          .add("meanConfidence", DataTypes.DoubleType, true, i -> i.row().confidence())
          .add("model", DataTypes.StringType, false, Image::model)
          .add("millis", DataTypes.DoubleType, false, i -> i.row().millis())
          .add("resumed", DataTypes.BooleanType, false, i -> i.row().resumed())
          .add("error", DataTypes.StringType, true, i -> i.row().error());

  /** The manifest's schema. */
  static final StructType SCHEMA = COLUMNS.schema();

  private ManifestRow() {}

  /** The row of one image labelled by the model named {@code model}. */
  static Row of(LabelRow r, String model) {
    return COLUMNS.row(new Image(r, model));
  }

  private static Object[] boxed(long[] histogram) {
    return histogram == null ? null : Arrays.stream(histogram).boxed().toArray();
  }
}
