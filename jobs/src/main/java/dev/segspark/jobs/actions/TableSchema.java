package dev.segspark.jobs.actions;

import java.util.List;

/**
 * The schema of a table segspark writes from the driver ({@code per_image.parquet}, {@code
 * manifest.parquet}): named columns of Spark's string, integer, long, double and boolean types and
 * arrays of those.
 *
 * <p>Why not Spark's {@code StructType}: touching Spark's {@code DataTypes} initialises its string
 * collations, which loads ICU's locale tables (about 0.15 s of a one-image evaluate that never
 * starts Spark). {@link #sparkJson} writes the same JSON as {@code StructType.json()} (a test
 * checks it against Spark), so Spark reads the tables back with the declared types.
 *
 * @param columns the columns, in table order
 */
record TableSchema(List<Column> columns) {
  TableSchema {
    columns = List.copyOf(columns);
  }

  /**
   * A column.
   *
   * @param name the column's name: letters, digits and underscores
   * @param type its type
   * @param nullable whether a value may be null
   */
  record Column(String name, ColumnType type, boolean nullable) {
    Column {
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException("Not a column name: " + name);
      }
    }
  }

  /** A scalar type: its Spark JSON name. */
  enum Scalar {
    STRING("string"),
    INT("integer"),
    LONG("long"),
    DOUBLE("double"),
    BOOLEAN("boolean");

    private final String sparkName;

    Scalar(String sparkName) {
      this.sparkName = sparkName;
    }
  }

  /**
   * A column type: a scalar, or an array of a scalar.
   *
   * @param scalar the scalar, or the array's element type
   * @param array whether the column holds arrays of {@code scalar}
   * @param containsNull for an array, whether an element may be null
   */
  record ColumnType(Scalar scalar, boolean array, boolean containsNull) {
    static final ColumnType STRING = new ColumnType(Scalar.STRING, false, false);
    static final ColumnType INT = new ColumnType(Scalar.INT, false, false);
    static final ColumnType LONG = new ColumnType(Scalar.LONG, false, false);
    static final ColumnType DOUBLE = new ColumnType(Scalar.DOUBLE, false, false);
    static final ColumnType BOOLEAN = new ColumnType(Scalar.BOOLEAN, false, false);

    /** An array of {@code element}, whose elements may be null if {@code containsNull}. */
    static ColumnType arrayOf(ColumnType element, boolean containsNull) {
      if (element.array()) {
        throw new IllegalArgumentException("Nested arrays are not supported");
      }
      return new ColumnType(element.scalar(), true, containsNull);
    }

    private String sparkJson() {
      String name = '"' + scalar.sparkName + '"';
      return array
          ? "{\"type\":\"array\",\"elementType\":"
              + name
              + ",\"containsNull\":"
              + containsNull
              + "}"
          : name;
    }
  }

  /** The index of the column named {@code name}. */
  int indexOf(String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("No column " + name);
  }

  /** The schema as Spark's {@code StructType.json()} writes it. */
  String sparkJson() {
    StringBuilder json = new StringBuilder("{\"type\":\"struct\",\"fields\":[");
    for (int i = 0; i < columns.size(); i++) {
      Column c = columns.get(i);
      json.append(i == 0 ? "" : ",")
          .append("{\"name\":\"")
          .append(c.name())
          .append("\",\"type\":")
          .append(c.type().sparkJson())
          .append(",\"nullable\":")
          .append(c.nullable())
          .append(",\"metadata\":{}}");
    }
    return json.append("]}").toString();
  }
}
