package dev.segspark.jobs.actions;

import dev.segspark.evaluation.io.Folders;
import dev.segspark.jobs.actions.TableSchema.Column;
import dev.segspark.jobs.actions.TableSchema.ColumnType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Writes the small per-image tables ({@code per_image.parquet}, {@code manifest.parquet}) from the
 * driver as a Spark-layout Parquet folder: one Snappy part file plus {@code _SUCCESS} (left out for
 * the rows of a failed job), with Spark's schema in the footer so {@code spark.read().parquet(...)}
 * gets the declared types back.
 *
 * <p>Why not {@code createDataFrame(...).write()}: the rows are already on the driver or one small
 * collect away, and the Spark SQL write path costs a query plan, code generation and an output
 * commit protocol: seconds in a fresh JVM (the CLI), a few hundred milliseconds in a warm one. The
 * folder is written beside the target and renamed into place, so readers never see half a table.
 *
 * <p>Types: string, int, long, double, boolean and arrays of those (Parquet's three-level LIST, as
 * Spark writes it).
 */
final class ParquetRows {
  /** Spark's footer key for its own schema. */
  private static final String SPARK_SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";

  private ParquetRows() {}

  /**
   * Replaces {@code folder} with a Parquet table of {@code rows}.
   *
   * @param folder the table folder (an existing one is replaced)
   * @param schema the schema of the rows
   * @param rows the rows, in the order to write them
   */
  static void write(Path folder, TableSchema schema, Iterator<Row> rows) {
    write(folder, schema, rows, true);
  }

  /**
   * Replaces {@code folder} with a Parquet table of {@code rows}, with or without {@code _SUCCESS}.
   *
   * @param folder the table folder (an existing one is replaced)
   * @param schema the schema of the rows
   * @param rows the rows, in the order to write them
   * @param success whether to mark the table as the output of a finished job ({@code _SUCCESS})
   */
  static void write(Path folder, TableSchema schema, Iterator<Row> rows, boolean success) {
    Preload.await();
    Path abs = folder.toAbsolutePath();
    Path staging = abs.resolveSibling("." + abs.getFileName() + "-" + UUID.randomUUID() + ".tmp");
    MessageType parquet = parquetSchema(schema);
    try {
      Files.createDirectories(staging);
      Path part = staging.resolve("part-00000-" + UUID.randomUUID() + "-c000.snappy.parquet");
      writeFile(new LocalOutputFile(part), folder, schema, parquet, rows);
      if (success) {
        Files.createFile(staging.resolve("_SUCCESS"));
      }
      Folders.delete(abs);
      Folders.move(staging, abs);
    } catch (IOException e) {
      Folders.deleteQuietly(staging);
      throw new UncheckedIOException("Cannot write " + folder + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      Folders.deleteQuietly(staging);
      throw e;
    }
  }

  private static void writeFile(
      OutputFile file, Path folder, TableSchema schema, MessageType parquet, Iterator<Row> rows)
      throws IOException {
    // a plain Parquet configuration: Hadoop's Configuration would parse its XML defaults (about
    // 60 ms) for settings a local Parquet file does not use
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(file)
            .withConf(new PlainParquetConfiguration())
            .withType(parquet)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withExtraMetaData(Map.of(SPARK_SCHEMA_KEY, schema.sparkJson()))
            .build()) {
      SimpleGroupFactory groups = new SimpleGroupFactory(parquet);
      List<Column> columns = schema.columns();
      while (rows.hasNext()) {
        Row row = rows.next();
        Group g = groups.newGroup();
        for (int i = 0; i < columns.size(); i++) {
          Column c = columns.get(i);
          if (!row.isNullAt(i)) {
            append(g, c.name(), c.type(), row.get(i));
          } else if (!c.nullable()) {
            throw new IllegalStateException(
                "Cannot write " + folder + ": null in non-nullable column " + c.name());
          }
        }
        writer.write(g);
      }
    }
  }

  /**
   * Writes one row of {@code schema} to nowhere: loads and initialises what a first write needs
   * (Parquet's classes, slf4j and Log4j behind them, the Snappy codec), about 0.4 s of one core, so
   * that a thread with nothing else to do can take that off the first real write.
   */
  static void warmUp(TableSchema schema) throws IOException {
    Object[] values = new Object[schema.columns().size()];
    for (int i = 0; i < values.length; i++) {
      ColumnType type = schema.columns().get(i).type();
      values[i] =
          type.array()
              ? List.of()
              : switch (type.scalar()) {
                case STRING -> "";
                case INT -> 0;
                case LONG -> 0L;
                case DOUBLE -> 0.0;
                case BOOLEAN -> false;
              };
    }
    Row row = RowFactory.create(values);
    writeFile(
        new Discarding(),
        Path.of("warm-up"),
        schema,
        parquetSchema(schema),
        List.of(row).iterator());
  }

  /** A Parquet output that counts bytes and keeps none. */
  private static final class Discarding implements OutputFile {
    @Override
    public PositionOutputStream create(long blockSizeHint) {
      return new PositionOutputStream() {
        private long pos;

        @Override
        public long getPos() {
          return pos;
        }

        @Override
        public void write(int b) {
          pos++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
          pos += len;
        }
      };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }
  }

  private static void append(Group g, String name, ColumnType type, Object value) {
    if (type.array()) {
      Group list = g.addGroup(name);
      Iterable<?> items = value instanceof Object[] a ? Arrays.asList(a) : (Iterable<?>) value;
      ColumnType element = new ColumnType(type.scalar(), false, false);
      for (Object item : items) {
        Group e = list.addGroup("list");
        if (item != null) {
          append(e, "element", element, item);
        }
      }
      return;
    }
    switch (type.scalar()) {
      case STRING -> g.append(name, (String) value);
      case INT -> g.append(name, (Integer) value);
      case LONG -> g.append(name, (Long) value);
      case DOUBLE -> g.append(name, (Double) value);
      case BOOLEAN -> g.append(name, (Boolean) value);
    }
  }

  private static MessageType parquetSchema(TableSchema schema) {
    Types.MessageTypeBuilder message = Types.buildMessage();
    for (Column c : schema.columns()) {
      message.addField(field(c.name(), c.type(), c.nullable()));
    }
    return message.named("spark_schema");
  }

  private static Type field(String name, ColumnType type, boolean nullable) {
    Type.Repetition repetition = nullable ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
    if (type.array()) {
      ColumnType element = new ColumnType(type.scalar(), false, false);
      return Types.buildGroup(repetition)
          .as(LogicalTypeAnnotation.listType())
          .addField(
              Types.repeatedGroup()
                  .addField(field("element", element, type.containsNull()))
                  .named("list"))
          .named(name);
    }
    boolean string = type.scalar() == TableSchema.Scalar.STRING;
    return Types.primitive(primitive(type.scalar()), repetition)
        .as(string ? LogicalTypeAnnotation.stringType() : null)
        .named(name);
  }

  private static PrimitiveTypeName primitive(TableSchema.Scalar scalar) {
    return switch (scalar) {
      case STRING -> PrimitiveTypeName.BINARY;
      case INT -> PrimitiveTypeName.INT32;
      case LONG -> PrimitiveTypeName.INT64;
      case DOUBLE -> PrimitiveTypeName.DOUBLE;
      case BOOLEAN -> PrimitiveTypeName.BOOLEAN;
    };
  }
}
