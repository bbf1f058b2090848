package dev.segspark.evaluation.image;

import java.util.Arrays;
import java.util.zip.Adler32;

/**
 * Inflates a whole zlib stream whose inflated size is known (a PNG's filtered scanlines) into one
 * array, in Java. Segment-id maps inflate about 75 to 1, almost all of it long back-references;
 * zlib's inflate copies those a few bytes at a time, this copies them with {@code
 * System.arraycopy}, several times faster.
 *
 * <p>It only ever answers "these are the bytes" for a stream zlib inflates to the same bytes: a
 * valid header without preset dictionary, well-formed blocks, no distance beyond the data or the
 * window, exactly {@code out.length} bytes ending the final block, and a matching Adler-32. For
 * anything else it answers {@code false} and the caller inflates with {@link
 * java.util.zip.Inflater} instead, which gives the exact outcome (and error message) of the
 * reference path.
 */
final class ZlibInflate {
  private static final int PRIMARY_BITS = 10;
  private static final int MAX_BITS = 15;
  private static final int[] LENGTH_BASE = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258
  };
  private static final int[] LENGTH_EXTRA = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0
  };
  private static final int[] DISTANCE_BASE = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049,
    3073, 4097, 6145, 8193, 12289, 16385, 24577
  };
  private static final int[] DISTANCE_EXTRA = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13
  };

  /** Order of the code-length code lengths in a dynamic block header. */
  private static final int[] CLEN_ORDER = {
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
  };

  private static final Huffman FIXED_LITERALS;
  private static final Huffman FIXED_DISTANCES;

  static {
    int[] lengths = new int[288];
    Arrays.fill(lengths, 0, 144, 8);
    Arrays.fill(lengths, 144, 256, 9);
    Arrays.fill(lengths, 256, 280, 7);
    Arrays.fill(lengths, 280, 288, 8);
    FIXED_LITERALS = Huffman.of(lengths, 288);
    int[] distances = new int[30];
    Arrays.fill(distances, 5);
    FIXED_DISTANCES = Huffman.of(distances, 30);
  }

  private final byte[] in;
  private final int end;
  private final byte[] out;
  private int pos;
  private long bits;
  private int count;
  private int op;
  private int window;

  private ZlibInflate(byte[] in, byte[] out) {
    this.in = in;
    this.end = in.length;
    this.out = out;
  }

  /**
   * Inflates the zlib stream {@code in} into {@code out}.
   *
   * @return true when the stream is valid and inflates to exactly {@code out.length} bytes; false
   *     otherwise ({@code out} then holds no meaningful data)
   */
  static boolean inflate(byte[] in, byte[] out) {
    try {
      return new ZlibInflate(in, out).run();
    } catch (ArrayIndexOutOfBoundsException e) {
      return false; // a malformed stream ran off a table or the output: the reference decides
    }
  }

  private boolean run() {
    if (end < 6) {
      return false;
    }
    int cmf = in[0] & 0xFF;
    int flg = in[1] & 0xFF;
    if ((cmf & 0x0F) != 8 || (cmf >>> 4) > 7 || (cmf << 8 | flg) % 31 != 0 || (flg & 0x20) != 0) {
      return false;
    }
    window = 1 << ((cmf >>> 4) + 8);
    pos = 2;
    boolean last;
    do {
      if (overrun()) {
        return false;
      }
      last = take(1) == 1;
      int type = take(2);
      boolean ok =
          switch (type) {
            case 0 -> stored();
            case 1 -> codes(FIXED_LITERALS, FIXED_DISTANCES);
            case 2 -> dynamic();
            default -> false;
          };
      if (!ok) {
        return false;
      }
    } while (!last);
    return op == out.length && !overrun() && checksumMatches();
  }

  private boolean checksumMatches() {
    int at = pos - count / 8; // the first byte not consumed, once aligned
    if (at + 4 > end) {
      return false;
    }
    long expected =
        (long) (in[at] & 0xFF) << 24
            | (in[at + 1] & 0xFF) << 16
            | (in[at + 2] & 0xFF) << 8
            | (in[at + 3] & 0xFF);
    Adler32 adler = new Adler32();
    adler.update(out, 0, out.length);
    return adler.getValue() == expected;
  }

  /** More bits consumed than the input holds (the refill pads with zeros). */
  private boolean overrun() {
    return (long) pos * 8 - count > (long) end * 8;
  }

  private void refill() {
    while (count <= 56) {
      if (pos < end) {
        bits |= (long) (in[pos] & 0xFF) << count;
      }
      pos++;
      count += 8;
    }
  }

  private int take(int n) {
    if (count < n) {
      refill();
    }
    int v = (int) (bits & ((1L << n) - 1));
    bits >>>= n;
    count -= n;
    return v;
  }

  private boolean stored() {
    take(count & 7); // to a byte boundary
    int at = pos - count / 8;
    bits = 0;
    count = 0;
    if (at + 4 > end) {
      return false;
    }
    int len = (in[at] & 0xFF) | (in[at + 1] & 0xFF) << 8;
    int nlen = (in[at + 2] & 0xFF) | (in[at + 3] & 0xFF) << 8;
    at += 4;
    if (len != (~nlen & 0xFFFF) || at + len > end || op + len > out.length) {
      return false;
    }
    System.arraycopy(in, at, out, op, len);
    op += len;
    pos = at + len;
    return true;
  }

  private boolean dynamic() {
    int literals = take(5) + 257;
    int distances = take(5) + 1;
    int codeLengths = take(4) + 4;
    if (literals > 286 || distances > 30) {
      return false;
    }
    int[] clen = new int[19];
    for (int i = 0; i < codeLengths; i++) {
      clen[CLEN_ORDER[i]] = take(3);
    }
    Huffman lengthCode = Huffman.of(clen, 19);
    if (lengthCode == null || !lengthCode.complete) {
      return false;
    }
    int[] lengths = new int[literals + distances];
    for (int i = 0; i < lengths.length; ) {
      int symbol = decode(lengthCode);
      if (symbol < 0) {
        return false;
      }
      if (symbol < 16) {
        lengths[i++] = symbol;
        continue;
      }
      int repeat;
      int value = 0;
      if (symbol == 16) {
        if (i == 0) {
          return false;
        }
        value = lengths[i - 1];
        repeat = 3 + take(2);
      } else if (symbol == 17) {
        repeat = 3 + take(3);
      } else {
        repeat = 11 + take(7);
      }
      if (i + repeat > lengths.length) {
        return false;
      }
      Arrays.fill(lengths, i, i + repeat, value);
      i += repeat;
    }
    if (lengths[256] == 0) {
      return false; // no end-of-block code
    }
    Huffman lit = Huffman.of(lengths, literals);
    Huffman dist = Huffman.of(Arrays.copyOfRange(lengths, literals, lengths.length), distances);
    if (lit == null || dist == null || !lit.acceptable() || !dist.acceptable()) {
      return false;
    }
    return codes(lit, dist);
  }

  /** Decodes one symbol, or -1 for a bit pattern that is no code. */
  private int decode(Huffman h) {
    if (count < MAX_BITS) {
      refill();
    }
    int entry = h.table[(int) bits & ((1 << PRIMARY_BITS) - 1)];
    if (entry != 0) {
      int len = entry & 15;
      bits >>>= len;
      count -= len;
      return entry >>> 4;
    }
    return h.slowDecode(this);
  }

  private boolean codes(Huffman lit, Huffman dist) {
    byte[] o = out;
    int limit = o.length;
    for (; ; ) {
      int symbol = decode(lit);
      if (symbol < 256) {
        if (symbol < 0 || op >= limit) {
          return false;
        }
        o[op++] = (byte) symbol;
        continue;
      }
      if (symbol == 256) {
        return true;
      }
      symbol -= 257;
      if (symbol >= 29) {
        return false;
      }
      int length = LENGTH_BASE[symbol] + take(LENGTH_EXTRA[symbol]);
      int d = decode(dist);
      if (d < 0 || d >= 30) {
        return false;
      }
      int distance = DISTANCE_BASE[d] + take(DISTANCE_EXTRA[d]);
      if (distance > op || distance > window || length > limit - op) {
        return false;
      }
      copy(o, distance, length);
    }
  }

  private void copy(byte[] o, int distance, int length) {
    int from = op - distance;
    if (length <= 16) {
      for (int i = 0; i < length; i++) {
        o[op + i] = o[from + i];
      }
    } else if (distance >= length) {
      System.arraycopy(o, from, o, op, length);
    } else {
      // a repeating pattern (a run of one byte when distance is 1): copy whole periods from its
      // start, doubling each time; System.arraycopy is a compiler intrinsic at every tier, where
      // Arrays.fill is a plain loop until C2 compiles it
      int done = 0;
      while (done < length) {
        int n = Math.min(length - done, op + done - from);
        System.arraycopy(o, from, o, op + done, n);
        done += n;
      }
    }
    op += length;
  }

  /** A canonical Huffman code: a lookup table for short codes, puff-style decoding for long. */
  private static final class Huffman {
    final int[] table = new int[1 << PRIMARY_BITS];
    final int[] counts = new int[MAX_BITS + 1];
    final int[] symbols;
    boolean complete;
    int codes;
    int maxLength;

    private Huffman(int n) {
      symbols = new int[n];
    }

    /** Builds the code of {@code lengths[0..n)}, or null when over-subscribed. */
    static Huffman of(int[] lengths, int n) {
      Huffman h = new Huffman(n);
      for (int i = 0; i < n; i++) {
        h.counts[lengths[i]]++;
      }
      h.counts[0] = 0;
      int left = 1;
      for (int len = 1; len <= MAX_BITS; len++) {
        left = (left << 1) - h.counts[len];
        if (left < 0) {
          return null;
        }
        if (h.counts[len] > 0) {
          h.maxLength = len;
        }
        h.codes += h.counts[len];
      }
      h.complete = left == 0;
      int[] offsets = new int[MAX_BITS + 2];
      for (int len = 1; len <= MAX_BITS; len++) {
        offsets[len + 1] = offsets[len] + h.counts[len];
      }
      int[] next = Arrays.copyOf(offsets, offsets.length);
      for (int i = 0; i < n; i++) {
        if (lengths[i] != 0) {
          h.symbols[next[lengths[i]]++] = i;
        }
      }
      h.fillTable(lengths, n);
      return h;
    }

    /** zlib accepts a complete code, or an incomplete one of a single one-bit code (or none). */
    boolean acceptable() {
      return complete || (codes <= 1 && maxLength <= 1);
    }

    private void fillTable(int[] lengths, int n) {
      int[] nextCode = new int[MAX_BITS + 1];
      int code = 0;
      for (int len = 1; len <= MAX_BITS; len++) {
        nextCode[len] = code;
        code = (code + counts[len]) << 1;
      }
      for (int s = 0; s < n; s++) {
        int len = lengths[s];
        if (len == 0 || len > PRIMARY_BITS) {
          continue;
        }
        int reversed = Integer.reverse(nextCode[len]++) >>> (32 - len);
        for (int i = reversed; i < table.length; i += 1 << len) {
          table[i] = s << 4 | len;
        }
      }
    }

    /** Bit by bit over the canonical code (long codes, or no code), consuming what it reads. */
    int slowDecode(ZlibInflate z) {
      int code = 0;
      int first = 0;
      int index = 0;
      long b = z.bits;
      for (int len = 1; len <= MAX_BITS; len++) {
        code |= (int) (b & 1);
        b >>>= 1;
        int c = counts[len];
        if (code - c < first) {
          z.bits >>>= len;
          z.count -= len;
          return symbols[index + (code - first)];
        }
        index += c;
        first += c;
        first <<= 1;
        code <<= 1;
      }
      return -1;
    }
  }
}
