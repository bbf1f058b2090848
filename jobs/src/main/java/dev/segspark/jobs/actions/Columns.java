package dev.segspark.jobs.actions;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The columns of a table, declared once: each names itself, its type, whether it may be null and
 * how its value is read from what a row is made of. The schema and every row come from the same
 * list, so a value cannot be put into another column's slot.
 *
 * <p>Declared in a static field of the row's class and filled on executors: the getters need not be
 * serializable.
 *
 * @param <T> what one row is made of
 */
final class Columns<T> {
  private final List<StructField> fields = new ArrayList<>();
  private final List<Function<T, ?>> getters = new ArrayList<>();

  private Columns() {}

  /** No columns yet. */
  static <T> Columns<T> of() {
    return new Columns<>();
  }

  /** Adds a column after the ones declared so far. */
  Columns<T> add(String name, DataType type, boolean nullable, Function<T, ?> value) {
    fields.add(new StructField(name, type, nullable, Metadata.empty()));
    getters.add(value);
    return this;
  }

  /** The table's schema. */
  StructType schema() {
    return new StructType(fields.toArray(new StructField[0]));
  }

  /** The row made of {@code source}. */
  Row row(T source) {
    Object[] values = new Object[getters.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = getters.get(i).apply(source);
    }
    return RowFactory.create(values);
  }
}
