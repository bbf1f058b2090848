package dev.segspark.jobs.actions;

import dev.segspark.evaluation.io.Folders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.Row;

/**
 * Writes the small per-image tables ({@code per_image.parquet}, {@code manifest.parquet}) from the
 * driver as a Spark-layout Parquet folder: one part file ({@link ParquetFile}) plus {@code
 * _SUCCESS} (left out for the rows of a failed job), with Spark's schema in the footer so {@code
 * spark.read().parquet(...)} gets the declared types back.
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
    Path abs = folder.toAbsolutePath();
    Path staging = abs.resolveSibling("." + abs.getFileName() + "-" + UUID.randomUUID() + ".tmp");
    try {
      Files.createDirectories(staging);
      Path part = staging.resolve("part-00000-" + UUID.randomUUID() + "-c000.parquet");
      int columns = schema.columns().size();
      try (ParquetFile file =
          new ParquetFile(part, schema, Map.of(SPARK_SCHEMA_KEY, schema.sparkJson()))) {
        while (rows.hasNext()) {
          Row row = rows.next();
          Object[] values = new Object[columns];
          for (int i = 0; i < columns; i++) {
            values[i] = row.isNullAt(i) ? null : row.get(i);
          }
          try {
            file.add(values);
          } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Cannot write " + folder + ": " + e.getMessage(), e);
          }
        }
        file.finish();
      }
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
}
