package dev.segspark.jobs.actions;

import dev.segspark.jobs.actions.TableSchema.Column;
import dev.segspark.jobs.actions.TableSchema.ColumnType;
import dev.segspark.jobs.actions.TableSchema.Scalar;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes one Parquet file of a {@link TableSchema}'s rows: one row group, one uncompressed PLAIN
 * data page (format v1) per column, definition and repetition levels RLE-encoded, arrays as
 * Parquet's three-level LIST the way Spark writes them, and {@code key/value} metadata in the
 * footer. Spark, parquet-mr and other readers read it (tests read it back with both).
 *
 * <p>Why not parquet-mr's writer: its first use initialises Parquet, Hadoop's configuration and
 * codecs, slf4j and Log4j, about 0.4 s of CPU in a fresh JVM, for tables of a few hundred rows that
 * segspark writes from the driver. The format parts used here are the small, stable core of the
 * Parquet specification (parquet-format's {@code parquet.thrift}, compact Thrift protocol).
 */
final class ParquetFile implements Closeable {
  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  // parquet.thrift enums
  private static final int BOOLEAN = 0;
  private static final int INT32 = 1;
  private static final int INT64 = 2;
  private static final int DOUBLE = 5;
  private static final int BYTE_ARRAY = 6;
  private static final int REQUIRED = 0;
  private static final int OPTIONAL = 1;
  private static final int REPEATED = 2;
  private static final int CONVERTED_UTF8 = 0;
  private static final int CONVERTED_LIST = 3;
  private static final int LOGICAL_STRING = 1; // LogicalType union members
  private static final int LOGICAL_LIST = 3;
  private static final int ENCODING_PLAIN = 0;
  private static final int ENCODING_RLE = 3;
  private static final int UNCOMPRESSED = 0;
  private static final int DATA_PAGE = 0;

  /** Buffered bytes (values and levels) at which a row group is written out. */
  static final long ROW_GROUP_BYTES = 64L << 20;

  private final TableSchema schema;
  private final Map<String, String> metadata;
  private final long rowGroupBytes;
  private final List<ColumnData> columns = new ArrayList<>();
  private final List<RowGroup> rowGroups = new ArrayList<>();
  private final OutputStream stream;
  private final CountingOutput file;
  private long rows;
  private long groupRows;

  /** One written row group: its rows, and per column {offset, bytes, values}. */
  private record RowGroup(long rows, List<long[]> chunks) {}

  /**
   * Starts a file (replacing one that exists).
   *
   * @param path the file
   * @param schema the rows' schema
   * @param metadata key/value pairs for the footer
   */
  ParquetFile(Path path, TableSchema schema, Map<String, String> metadata) throws IOException {
    this(path, schema, metadata, ROW_GROUP_BYTES);
  }

  /** As above, with row groups of about {@code rowGroupBytes} (tests write many small ones). */
  ParquetFile(Path path, TableSchema schema, Map<String, String> metadata, long rowGroupBytes)
      throws IOException {
    this.schema = schema;
    this.metadata = Map.copyOf(metadata);
    this.rowGroupBytes = rowGroupBytes;
    for (Column c : schema.columns()) {
      columns.add(new ColumnData(c));
    }
    this.stream = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
    this.file = new CountingOutput(stream);
    file.write(MAGIC);
  }

  /**
   * Adds one row: {@code values[i]} for column {@code i}, {@code null} for a null; an array as an
   * {@code Object[]} or an {@link Iterable}. A row group is written out once the buffered rows
   * reach the row-group size, so a table of any length is written in bounded memory.
   *
   * @throws IllegalArgumentException for a null in a non-nullable column (the message names it)
   */
  void add(Object[] values) throws IOException {
    if (values.length != columns.size()) {
      throw new IllegalArgumentException(
          "A row of " + values.length + " values for " + columns.size() + " columns");
    }
    long buffered = 0;
    for (int i = 0; i < values.length; i++) {
      ColumnData c = columns.get(i);
      c.add(values[i]);
      buffered += c.bufferedBytes();
    }
    rows++;
    groupRows++;
    if (buffered >= rowGroupBytes) {
      writeRowGroup();
    }
  }

  /** Writes the last row group and the footer, and closes the file. */
  void finish() throws IOException {
    if (groupRows > 0) {
      writeRowGroup();
    }
    writeFooter();
    close();
  }

  /** Closes the file (unfinished: without footer, for the caller to delete). */
  @Override
  public void close() throws IOException {
    stream.close();
  }

  private void writeRowGroup() throws IOException {
    List<long[]> chunks = new ArrayList<>();
    for (ColumnData c : columns) {
      byte[] page = c.page();
      Thrift header = new Thrift();
      header.i32(1, DATA_PAGE);
      header.i32(2, page.length);
      header.i32(3, page.length);
      header.beginStruct(5);
      header.i32(1, c.entries);
      header.i32(2, ENCODING_PLAIN);
      header.i32(3, ENCODING_RLE);
      header.i32(4, ENCODING_RLE);
      header.endStruct();
      header.stop();
      long offset = file.position;
      header.writeTo(file);
      file.write(page);
      chunks.add(new long[] {offset, file.position - offset, c.entries});
      c.clear();
    }
    rowGroups.add(new RowGroup(groupRows, chunks));
    groupRows = 0;
  }

  private void writeFooter() throws IOException {
    Thrift footer = new Thrift();
    footer.i32(1, 1);
    footer.beginList(2, Thrift.STRUCT, schemaElements());
    writeSchema(footer);
    footer.i64(3, rows);
    footer.beginList(4, Thrift.STRUCT, rowGroups.size());
    for (RowGroup group : rowGroups) {
      footer.beginListStruct();
      footer.beginList(1, Thrift.STRUCT, columns.size());
      long total = 0;
      for (int i = 0; i < columns.size(); i++) {
        ColumnData c = columns.get(i);
        long[] chunk = group.chunks().get(i);
        total += chunk[1];
        footer.beginListStruct();
        footer.i64(2, chunk[0]);
        footer.beginStruct(3);
        footer.i32(1, c.physical);
        footer.beginList(2, Thrift.I32, 2);
        footer.listI32(ENCODING_PLAIN);
        footer.listI32(ENCODING_RLE);
        footer.beginList(3, Thrift.BINARY, c.path.size());
        c.path.forEach(footer::listString);
        footer.i32(4, UNCOMPRESSED);
        footer.i64(5, chunk[2]);
        footer.i64(6, chunk[1]);
        footer.i64(7, chunk[1]);
        footer.i64(9, chunk[0]);
        footer.endStruct();
        footer.endListStruct();
      }
      footer.i64(2, total);
      footer.i64(3, group.rows());
      footer.endListStruct();
    }
    footer.beginList(5, Thrift.STRUCT, metadata.size());
    for (Map.Entry<String, String> kv : new TreeMap<>(metadata).entrySet()) {
      footer.beginListStruct();
      footer.string(1, kv.getKey());
      footer.string(2, kv.getValue());
      footer.endListStruct();
    }
    footer.string(6, "segspark");
    footer.stop();
    int footerLength = footer.size();
    footer.writeTo(file);
    file.write(littleEndianInt(footerLength));
    file.write(MAGIC);
  }

  private int schemaElements() {
    int n = 1;
    for (Column c : schema.columns()) {
      n += c.type().array() ? 3 : 1;
    }
    return n;
  }

  private void writeSchema(Thrift t) {
    t.beginListStruct();
    t.string(4, "spark_schema");
    t.i32(5, schema.columns().size());
    t.endListStruct();
    for (ColumnData c : columns) {
      int repetition = c.column.nullable() ? OPTIONAL : REQUIRED;
      if (c.column.type().array()) {
        t.beginListStruct(); // the LIST group
        t.i32(3, repetition);
        t.string(4, c.column.name());
        t.i32(5, 1);
        t.i32(6, CONVERTED_LIST);
        logicalType(t, LOGICAL_LIST);
        t.endListStruct();
        t.beginListStruct(); // repeated group list
        t.i32(3, REPEATED);
        t.string(4, "list");
        t.i32(5, 1);
        t.endListStruct();
        leaf(t, c, c.column.type().containsNull() ? OPTIONAL : REQUIRED, "element");
      } else {
        leaf(t, c, repetition, c.column.name());
      }
    }
  }

  private static void leaf(Thrift t, ColumnData c, int repetition, String name) {
    t.beginListStruct();
    t.i32(1, c.physical);
    t.i32(3, repetition);
    t.string(4, name);
    if (c.column.type().scalar() == Scalar.STRING) {
      t.i32(6, CONVERTED_UTF8);
      logicalType(t, LOGICAL_STRING);
    }
    t.endListStruct();
  }

  /** SchemaElement.logicalType (field 10): the union member {@code member}, an empty struct. */
  private static void logicalType(Thrift t, int member) {
    t.beginStruct(10);
    t.beginStruct(member);
    t.endStruct();
    t.endStruct();
  }

  private static byte[] littleEndianInt(int v) {
    return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
  }

  /** One column's levels and values, in the order of the rows. */
  private static final class ColumnData {
    final Column column;
    final int physical;
    final List<String> path;
    final int maxRepetition;
    final int maxDefinition;
    final IntList repetition = new IntList();
    final IntList definition = new IntList();
    final ByteArrayOutputStream values = new ByteArrayOutputStream();
    final IntList booleans = new IntList();
    int entries;

    ColumnData(Column column) {
      this.column = column;
      ColumnType type = column.type();
      this.physical =
          switch (type.scalar()) {
            case STRING -> BYTE_ARRAY;
            case INT -> INT32;
            case LONG -> INT64;
            case DOUBLE -> DOUBLE;
            case BOOLEAN -> BOOLEAN;
          };
      this.path = type.array() ? List.of(column.name(), "list", "element") : List.of(column.name());
      this.maxRepetition = type.array() ? 1 : 0;
      this.maxDefinition =
          (column.nullable() ? 1 : 0) + (type.array() ? 1 + (type.containsNull() ? 1 : 0) : 0);
    }

    void add(Object value) {
      ColumnType type = column.type();
      int present = column.nullable() ? 1 : 0; // the definition level of a present value
      if (value == null) {
        if (!column.nullable()) {
          throw new IllegalArgumentException("null in non-nullable column " + column.name());
        }
        entry(0, 0);
        return;
      }
      if (!type.array()) {
        entry(0, present);
        scalar(value);
        return;
      }
      Iterable<?> items = value instanceof Object[] a ? Arrays.asList(a) : (Iterable<?>) value;
      int first = 0;
      for (Object item : items) {
        if (item == null) {
          if (!type.containsNull()) {
            throw new IllegalArgumentException(
                "null element in column " + column.name() + ", whose elements are not nullable");
          }
          entry(first, present + 1);
        } else {
          entry(first, maxDefinition);
          scalar(item);
        }
        first = 1;
      }
      if (first == 0) { // an empty array
        entry(0, present);
      }
    }

    long bufferedBytes() {
      return values.size() + 4L * (repetition.size + definition.size + booleans.size);
    }

    void clear() {
      repetition.size = 0;
      definition.size = 0;
      booleans.size = 0;
      values.reset();
      entries = 0;
    }

    private void entry(int rep, int def) {
      if (maxRepetition > 0) {
        repetition.add(rep);
      }
      if (maxDefinition > 0) {
        definition.add(def);
      }
      entries++;
    }

    private void scalar(Object v) {
      switch (column.type().scalar()) {
        case STRING -> {
          byte[] b = ((String) v).getBytes(StandardCharsets.UTF_8);
          values.writeBytes(littleEndianInt(b.length));
          values.writeBytes(b);
        }
        case INT -> values.writeBytes(littleEndianInt((Integer) v));
        case LONG -> littleEndianLong((Long) v);
        case DOUBLE -> littleEndianLong(Double.doubleToRawLongBits((Double) v));
        case BOOLEAN -> booleans.add((Boolean) v ? 1 : 0);
      }
    }

    private void littleEndianLong(long v) {
      for (int i = 0; i < 8; i++) {
        values.write((int) (v >>> (8 * i)));
      }
    }

    /** The page: repetition levels, definition levels (each length-prefixed RLE), values. */
    byte[] page() {
      ByteArrayOutputStream page = new ByteArrayOutputStream();
      if (maxRepetition > 0) {
        levels(page, repetition, maxRepetition);
      }
      if (maxDefinition > 0) {
        levels(page, definition, maxDefinition);
      }
      if (column.type().scalar() == Scalar.BOOLEAN) {
        byte[] bits = new byte[(booleans.size + 7) / 8];
        for (int i = 0; i < booleans.size; i++) {
          bits[i / 8] |= (byte) (booleans.values[i] << (i % 8));
        }
        page.writeBytes(bits);
      } else {
        page.writeBytes(values.toByteArray());
      }
      return page.toByteArray();
    }

    /** RLE runs only (a valid RLE/bit-packing hybrid), after their 4-byte length. */
    private static void levels(ByteArrayOutputStream page, IntList levels, int max) {
      int bytesPerValue = (32 - Integer.numberOfLeadingZeros(max) + 7) / 8;
      ByteArrayOutputStream rle = new ByteArrayOutputStream();
      for (int i = 0; i < levels.size; ) {
        int v = levels.values[i];
        int run = 1;
        while (i + run < levels.size && levels.values[i + run] == v) {
          run++;
        }
        Thrift.varint(rle, (long) run << 1);
        for (int b = 0; b < bytesPerValue; b++) {
          rle.write(v >>> (8 * b));
        }
        i += run;
      }
      page.writeBytes(littleEndianInt(rle.size()));
      page.writeBytes(rle.toByteArray());
    }
  }

  /** A growable int array. */
  private static final class IntList {
    int[] values = new int[64];
    int size;

    void add(int v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }
  }

  /** An output that counts what went through it. */
  private static final class CountingOutput extends OutputStream {
    private final OutputStream out;
    long position;

    CountingOutput(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      position++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      position += len;
    }
  }

  /** Thrift's compact protocol, the parts parquet.thrift's structures need. */
  static final class Thrift {
    static final int I32 = 5;
    static final int I64 = 6;
    static final int BINARY = 8;
    static final int LIST = 9;
    static final int STRUCT = 12;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final int[] lastField = new int[16];
    private int depth;

    private void field(int id, int type) {
      int delta = id - lastField[depth];
      if (delta > 0 && delta <= 15) {
        out.write(delta << 4 | type);
      } else {
        out.write(type);
        varint(out, zigzag(id));
      }
      lastField[depth] = id;
    }

    void i32(int id, int v) {
      field(id, I32);
      varint(out, zigzag(v));
    }

    void i64(int id, long v) {
      field(id, I64);
      varint(out, zigzag(v));
    }

    void string(int id, String v) {
      field(id, BINARY);
      listString(v);
    }

    void beginStruct(int id) {
      field(id, STRUCT);
      lastField[++depth] = 0;
    }

    void endStruct() {
      out.write(0);
      depth--;
    }

    void beginList(int id, int elementType, int size) {
      field(id, LIST);
      if (size < 15) {
        out.write(size << 4 | elementType);
      } else {
        out.write(0xF0 | elementType);
        varint(out, size);
      }
    }

    void beginListStruct() {
      lastField[++depth] = 0;
    }

    void endListStruct() {
      endStruct();
    }

    void listI32(int v) {
      varint(out, zigzag(v));
    }

    void listString(String v) {
      byte[] b = v.getBytes(StandardCharsets.UTF_8);
      varint(out, b.length);
      out.writeBytes(b);
    }

    void stop() {
      out.write(0);
    }

    int size() {
      return out.size();
    }

    void writeTo(OutputStream target) throws IOException {
      out.writeTo(target);
    }

    private static long zigzag(long v) {
      return (v << 1) ^ (v >> 63);
    }

    static void varint(ByteArrayOutputStream out, long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }
  }
}
