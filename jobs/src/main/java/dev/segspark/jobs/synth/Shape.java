package dev.segspark.jobs.synth;

/**
 * One painted primitive of a scene: an axis-aligned rectangle, an ellipse or a trapezoid (top and
 * bottom widths differ), in pixel coordinates. Later shapes paint over earlier ones.
 *
 * @param kind the primitive
 * @param labelId Cityscapes annotation id painted
 * @param instance instance number (≥ 0) for instance classes, -1 for stuff
 * @param x0 left (top-left for trapezoids)
 * @param y0 top
 * @param x1 right (top-right for trapezoids)
 * @param y1 bottom
 * @param bottomX0 bottom-left (trapezoids only)
 * @param bottomX1 bottom-right (trapezoids only)
 * @param shade brightness factor of the frame colour
 */
record Shape(
    Kind kind,
    int labelId,
    int instance,
    int x0,
    int y0,
    int x1,
    int y1,
    int bottomX0,
    int bottomX1,
    double shade) {

  enum Kind {
    RECT,
    ELLIPSE,
    TRAPEZOID
  }

  static Shape rect(int labelId, int instance, int x0, int y0, int x1, int y1, double shade) {
    return new Shape(Kind.RECT, labelId, instance, x0, y0, x1, y1, x0, x1, shade);
  }

  static Shape ellipse(int labelId, int x0, int y0, int x1, int y1, double shade) {
    return new Shape(Kind.ELLIPSE, labelId, -1, x0, y0, x1, y1, x0, x1, shade);
  }

  static Shape trapezoid(
      int labelId, int topX0, int topX1, int y0, int bottomX0, int bottomX1, int y1) {
    return new Shape(Kind.TRAPEZOID, labelId, -1, topX0, y0, topX1, y1, bottomX0, bottomX1, 1.0);
  }

  /** The same shape moved by (dx, dy) and relabelled. */
  Shape moved(int dx, int dy, int newLabel) {
    return new Shape(
        kind,
        newLabel,
        instance,
        x0 + dx,
        y0 + dy,
        x1 + dx,
        y1 + dy,
        bottomX0 + dx,
        bottomX1 + dx,
        shade);
  }

  /** Whether pixel (x, y) is inside. */
  boolean contains(int x, int y) {
    if (y < y0 || y >= y1) {
      return false;
    }
    return switch (kind) {
      case RECT -> x >= x0 && x < x1;
      case ELLIPSE -> {
        double cx = (x0 + x1) / 2.0;
        double cy = (y0 + y1) / 2.0;
        double rx = Math.max(0.5, (x1 - x0) / 2.0);
        double ry = Math.max(0.5, (y1 - y0) / 2.0);
        double u = (x + 0.5 - cx) / rx;
        double v = (y + 0.5 - cy) / ry;
        yield u * u + v * v <= 1;
      }
      case TRAPEZOID -> {
        double t = (y + 0.5 - y0) / Math.max(1, y1 - y0);
        double left = x0 + t * (bottomX0 - x0);
        double right = x1 + t * (bottomX1 - x1);
        yield x + 0.5 >= left && x + 0.5 < right;
      }
    };
  }
}
