package dev.segspark.jobs.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segspark.jobs.SparkTestBase;
import dev.segspark.jobs.actions.TableSchema.Column;
import dev.segspark.jobs.actions.TableSchema.ColumnType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver-side Parquet tables read back by Spark with their declared types and values. */
class ParquetRowsTest extends SparkTestBase {
  @TempDir Path tmp;

  /** The table's schema as Spark declares it. */
  private static final StructType SPARK =
      new StructType()
          .add("image", DataTypes.StringType, false)
          .add("width", DataTypes.IntegerType, false)
          .add("pixels", DataTypes.LongType, false)
          .add("accuracy", DataTypes.DoubleType, true)
          .add("resumed", DataTypes.BooleanType, false)
          .add("masks", DataTypes.createArrayType(DataTypes.StringType, false), false)
          .add("histogram", DataTypes.createArrayType(DataTypes.LongType, true), true)
          .add("error", DataTypes.StringType, true);

  /** The same schema as segspark declares it. */
  private static final TableSchema SCHEMA =
      new TableSchema(
          List.of(
              new Column("image", ColumnType.STRING, false),
              new Column("width", ColumnType.INT, false),
              new Column("pixels", ColumnType.LONG, false),
              new Column("accuracy", ColumnType.DOUBLE, true),
              new Column("resumed", ColumnType.BOOLEAN, false),
              new Column("masks", ColumnType.arrayOf(ColumnType.STRING, false), false),
              new Column("histogram", ColumnType.arrayOf(ColumnType.LONG, true), true),
              new Column("error", ColumnType.STRING, true)));

  @Test
  void theFooterSchemaIsTheJsonSparkWrites() {
    assertThat(SCHEMA.sparkJson()).isEqualTo(SPARK.json());
    // the tables segspark writes: Spark parses their schemas and writes them back unchanged
    for (TableSchema table :
        List.of(PerImageRow.SCHEMA, PanopticPerImageRow.SCHEMA, ManifestRow.SCHEMA)) {
      assertThat(DataType.fromJson(table.sparkJson()).json()).isEqualTo(table.sparkJson());
      assertThat(((StructType) DataType.fromJson(table.sparkJson())).fieldNames())
          .containsExactly(table.columns().stream().map(Column::name).toArray(String[]::new));
    }
  }

  @Test
  void sparkReadsBackTheSchemaAndEveryValue() {
    List<Row> rows =
        List.of(
            RowFactory.create(
                "a/b.png",
                512,
                131072L,
                0.875,
                false,
                new String[] {"ids/a/b.png", "color/a/b.png"},
                new Object[] {3L, 0L, 7L},
                null),
            RowFactory.create(
                "c.png", 7, 0L, null, true, new String[] {}, null, "Cannot decode PNG c.png"));
    Path table = tmp.resolve("t.parquet");
    ParquetRows.write(table, SCHEMA, rows.iterator());

    var read = spark.read().parquet(table.toString());
    // Spark reads every column (and array element) back as nullable; the types are as declared
    assertThat(read.schema()).isEqualTo(SPARK.asNullable());
    List<Row> back = read.collectAsList();
    assertThat(back).hasSize(2);
    Row a = back.get(0);
    assertThat(a.getString(0)).isEqualTo("a/b.png");
    assertThat(a.getInt(1)).isEqualTo(512);
    assertThat(a.getLong(2)).isEqualTo(131072L);
    assertThat(a.getDouble(3)).isEqualTo(0.875);
    assertThat(a.getBoolean(4)).isFalse();
    assertThat(a.<String>getList(5)).containsExactly("ids/a/b.png", "color/a/b.png");
    assertThat(a.<Long>getList(6)).containsExactly(3L, 0L, 7L);
    assertThat(a.isNullAt(7)).isTrue();
    Row c = back.get(1);
    assertThat(c.isNullAt(3)).isTrue();
    assertThat(c.getBoolean(4)).isTrue();
    assertThat(c.getList(5)).isEmpty();
    assertThat(c.isNullAt(6)).isTrue();
    assertThat(c.getString(7)).isEqualTo("Cannot decode PNG c.png");
  }

  /**
   * parquet-mr, the reference implementation, reads the file too: the Parquet schema is the one
   * Spark writes for these types (three-level LIST, UTF8 strings, required/optional as declared),
   * and every value and null comes back through its record reader.
   */
  @Test
  void parquetMrReadsTheSchemaAndEveryValue() throws IOException {
    List<Row> rows =
        List.of(
            RowFactory.create(
                "é/b.png",
                -5,
                Long.MIN_VALUE,
                -0.0,
                true,
                new String[] {"x"},
                new Object[] {null, 9L, null},
                "e"),
            RowFactory.create(
                "c", 0, 1L, Double.NaN, false, new String[] {}, new Object[] {}, null),
            RowFactory.create("d", 1, 2L, null, true, new String[] {"p", "q"}, null, null));
    Path table = tmp.resolve("mr.parquet");
    ParquetRows.write(table, SCHEMA, rows.iterator());
    Path part;
    try (Stream<Path> files = Files.list(table)) {
      part = files.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    var conf = new org.apache.hadoop.conf.Configuration();
    var input =
        org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
            new org.apache.hadoop.fs.Path(part.toUri()), conf);
    try (var reader = org.apache.parquet.hadoop.ParquetFileReader.open(input)) {
      var footer = reader.getFooter().getFileMetaData();
      assertThat(footer.getSchema().toString())
          .isEqualTo(
              """
              message spark_schema {
                required binary image (STRING);
                required int32 width;
                required int64 pixels;
                optional double accuracy;
                required boolean resumed;
                required group masks (LIST) {
                  repeated group list {
                    required binary element (STRING);
                  }
                }
                optional group histogram (LIST) {
                  repeated group list {
                    optional int64 element;
                  }
                }
                optional binary error (STRING);
              }
              """);
      assertThat(footer.getKeyValueMetaData())
          .containsEntry("org.apache.spark.sql.parquet.row.metadata", SCHEMA.sparkJson());
      assertThat(reader.getRecordCount()).isEqualTo(3);
    }
    try (var reader =
        org.apache.parquet.hadoop.ParquetReader.builder(
                new org.apache.parquet.hadoop.example.GroupReadSupport(),
                new org.apache.hadoop.fs.Path(part.toUri()))
            .build()) {
      List<String> records = new java.util.ArrayList<>();
      for (Object g = reader.read(); g != null; g = reader.read()) {
        records.add(g.toString().replaceAll("\\s+", " ").trim());
      }
      assertThat(records)
          .containsExactly(
              "image: é/b.png width: -5 pixels: -9223372036854775808 accuracy: -0.0 resumed: true"
                  + " masks list element: x histogram list list element: 9 list error: e",
              "image: c width: 0 pixels: 1 accuracy: NaN resumed: false masks histogram",
              "image: d width: 1 pixels: 2 resumed: true masks list element: p list element: q");
    }
  }

  /**
   * A long table is written a row group at a time (bounded memory for the streamed tables of large
   * runs): with tiny row groups, parquet-mr sees many, and Spark reads every row back in order.
   */
  @Test
  void aLongTableIsWrittenInRowGroupsAndReadBackInOrder() throws IOException {
    Path table = tmp.resolve("long.parquet");
    Files.createDirectories(table);
    Path part = table.resolve("part-00000-x-c000.parquet");
    int n = 700;
    try (ParquetFile file =
        new ParquetFile(
            part,
            SCHEMA,
            java.util.Map.of("org.apache.spark.sql.parquet.row.metadata", SCHEMA.sparkJson()),
            2048)) {
      for (int i = 0; i < n; i++) {
        file.add(
            new Object[] {
              "img" + i,
              i,
              (long) i * i,
              i % 3 == 0 ? null : i / 7.0,
              i % 2 == 0,
              new String[] {"m" + i},
              i % 5 == 0 ? null : new Object[] {(long) i, null},
              i % 11 == 0 ? "e" + i : null
            });
      }
      file.finish();
    }
    var conf = new org.apache.hadoop.conf.Configuration();
    try (var reader =
        org.apache.parquet.hadoop.ParquetFileReader.open(
            org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(part.toUri()), conf))) {
      assertThat(reader.getRowGroups().size()).isGreaterThan(10);
      assertThat(reader.getRecordCount()).isEqualTo(n);
    }
    List<Row> back = spark.read().parquet(table.toString()).collectAsList();
    assertThat(back).hasSize(n);
    for (int i = 0; i < n; i++) {
      Row r = back.get(i);
      assertThat(r.getString(0)).isEqualTo("img" + i);
      assertThat(r.getInt(1)).isEqualTo(i);
      assertThat(r.getLong(2)).isEqualTo((long) i * i);
      assertThat(r.isNullAt(3)).isEqualTo(i % 3 == 0);
      if (i % 3 != 0) {
        assertThat(r.getDouble(3)).isEqualTo(i / 7.0);
      }
      assertThat(r.getBoolean(4)).isEqualTo(i % 2 == 0);
      assertThat(r.<String>getList(5)).containsExactly("m" + i);
      if (i % 5 == 0) {
        assertThat(r.isNullAt(6)).isTrue();
      } else {
        assertThat(r.<Long>getList(6)).containsExactly((long) i, null);
      }
      assertThat(r.isNullAt(7)).isEqualTo(i % 11 != 0);
    }
  }

  /** A table of no rows has the schema and no row group; Spark reads it as empty. */
  @Test
  void aTableOfNoRowsReadsBackEmptyWithItsSchema() {
    Path table = tmp.resolve("empty.parquet");
    ParquetRows.write(table, SCHEMA, java.util.Collections.emptyIterator());
    var read = spark.read().parquet(table.toString());
    assertThat(read.schema()).isEqualTo(SPARK.asNullable());
    assertThat(read.count()).isZero();
  }

  @Test
  void replacesAnOldTableAndLeavesNoStagingFolder() throws IOException {
    Path table = tmp.resolve("per_image.parquet");
    Files.createDirectories(table);
    Files.writeString(table.resolve("part-old.parquet"), "stale");
    Row row = RowFactory.create("x.png", 1, 1L, 1.0, false, new String[] {"m"}, null, null);
    ParquetRows.write(table, SCHEMA, List.of(row).iterator());

    try (Stream<Path> files = Files.list(table)) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(names).hasSize(2).contains("_SUCCESS");
      assertThat(names.get(1)).startsWith("part-00000-").endsWith("-c000.parquet");
    }
    try (Stream<Path> siblings = Files.list(tmp)) {
      assertThat(siblings.map(p -> p.getFileName().toString()))
          .containsExactly("per_image.parquet");
    }
    assertThat(spark.read().parquet(table.toString()).count()).isEqualTo(1);
  }

  @Test
  void aTableOfAFailedJobHasNoSuccessMarker() throws IOException {
    Path table = tmp.resolve("manifest.failed.parquet");
    Row row = RowFactory.create("x.png", 1, 1L, 1.0, false, new String[] {"m"}, null, "bad");
    ParquetRows.write(table, SCHEMA, List.of(row).iterator(), false);

    try (Stream<Path> files = Files.list(table)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .singleElement()
          .asString()
          .endsWith("-c000.parquet");
    }
    assertThat(spark.read().parquet(table.toString()).count()).isEqualTo(1);
  }

  @Test
  void nullInANonNullableColumnFailsAndKeepsTheOldTable() throws IOException {
    Path table = tmp.resolve("kept.parquet");
    Row good = RowFactory.create("x.png", 1, 1L, 1.0, false, new String[] {}, null, null);
    ParquetRows.write(table, SCHEMA, List.of(good).iterator());
    Row bad = RowFactory.create(null, 1, 1L, 1.0, false, new String[] {}, null, null);

    assertThatThrownBy(() -> ParquetRows.write(table, SCHEMA, List.of(bad).iterator()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("non-nullable column image");
    assertThat(spark.read().parquet(table.toString()).collectAsList().get(0).getString(0))
        .isEqualTo("x.png");
    try (Stream<Path> siblings = Files.list(tmp)) {
      assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("kept.parquet");
    }
  }
}
