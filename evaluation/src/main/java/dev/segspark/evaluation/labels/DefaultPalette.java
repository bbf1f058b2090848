package dev.segspark.evaluation.labels;

/** Colours for classes whose table gives none: the PASCAL VOC bit-interleaved palette. */
final class DefaultPalette {
  private DefaultPalette() {}

  static int color(int index) {
    int r = 0;
    int g = 0;
    int b = 0;
    int c = index;
    for (int bit = 7; bit >= 0; bit--) {
      r |= (c & 1) << bit;
      g |= ((c >> 1) & 1) << bit;
      b |= ((c >> 2) & 1) << bit;
      c >>= 3;
    }
    return (r << 16) | (g << 8) | b;
  }
}
