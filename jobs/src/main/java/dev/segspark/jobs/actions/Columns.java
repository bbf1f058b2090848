package dev.segspark.jobs.actions;

import dev.segspark.jobs.actions.TableSchema.Column;
import dev.segspark.jobs.actions.TableSchema.ColumnType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

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
  private final List<Column> fields = new ArrayList<>();
  private final List<Function<T, ?>> getters = new ArrayList<>();

  private Columns() {}

  /** No columns yet. */
  static <T> Columns<T> of() {
    return new Columns<>();
  }

  /** Adds a column after the ones declared so far. */
  Columns<T> add(String name, ColumnType type, boolean nullable, Function<T, ?> value) {
    fields.add(new Column(name, type, nullable));
    getters.add(value);
    return this;
  }

  /** The table's schema. */
  TableSchema schema() {
    return new TableSchema(fields);
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
