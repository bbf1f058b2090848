package dev.segspark.jobs.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A random street scene as an ordered list of {@link Shape}s, in Cityscapes annotation ids: sky,
 * buildings, vegetation, poles and signs above a road with sidewalks and terrain, cars, trucks,
 * buses, trains, persons, riders, bicycles and motorcycles as instances, and the ignored labels a
 * real frame has (ego vehicle, rectification border, static, ground, parking). Wall never occurs in
 * the ground truth (so a prediction of it scores a class never in GT).
 */
final class Scene {
  static final int SKY = 23;
  static final int BUILDING = 11;
  static final int WALL = 12;
  static final int FENCE = 13;
  static final int VEGETATION = 21;
  static final int TERRAIN = 22;
  static final int POLE = 17;
  static final int LIGHT = 19;
  static final int SIGN = 20;
  static final int ROAD = 7;
  static final int SIDEWALK = 8;
  static final int PARKING = 9;
  static final int EGO = 1;
  static final int BORDER = 2;
  static final int STATIC = 4;
  static final int GROUND = 6;
  static final int PERSON = 24;
  static final int RIDER = 25;
  static final int CAR = 26;
  static final int TRUCK = 27;
  static final int BUS = 28;
  static final int TRAIN = 31;
  static final int MOTORCYCLE = 32;
  static final int BICYCLE = 33;

  final int width;
  final int height;
  final int horizon;
  final List<Shape> shapes;

  private Scene(int width, int height, int horizon, List<Shape> shapes) {
    this.width = width;
    this.height = height;
    this.horizon = horizon;
    this.shapes = List.copyOf(shapes);
  }

  Scene withShapes(List<Shape> newShapes) {
    return new Scene(width, height, horizon, newShapes);
  }

  static Scene random(int width, int height, SplittableRandom rng) {
    int horizon = (int) (height * (0.38 + 0.12 * rng.nextDouble()));
    List<Shape> s = new ArrayList<>();
    s.add(Shape.rect(SKY, -1, 0, 0, width, horizon, 1.0));
    skyline(s, width, horizon, rng);
    ground(s, width, height, horizon, rng);
    furniture(s, width, height, horizon, rng);
    objects(s, width, height, horizon, rng);
    ignoredRegions(s, width, height, rng);
    return new Scene(width, height, horizon, s);
  }

  private static void skyline(List<Shape> s, int w, int horizon, SplittableRandom rng) {
    int x = 0;
    while (x < w) {
      int bw = (int) (w * (0.08 + 0.15 * rng.nextDouble()));
      int top = (int) (horizon * (0.05 + 0.6 * rng.nextDouble()));
      s.add(
          Shape.rect(
              BUILDING, -1, x, top, Math.min(w, x + bw), horizon, 0.7 + 0.5 * rng.nextDouble()));
      x += bw;
    }
    int trees = 1 + rng.nextInt(4);
    for (int i = 0; i < trees; i++) {
      int cx = rng.nextInt(w);
      int r = (int) (horizon * (0.15 + 0.25 * rng.nextDouble()));
      s.add(Shape.ellipse(VEGETATION, cx - r, horizon - 2 * r, cx + r, horizon + r / 3, 1.0));
    }
  }

  private static void ground(List<Shape> s, int w, int h, int horizon, SplittableRandom rng) {
    s.add(Shape.rect(SIDEWALK, -1, 0, horizon, w, h, 1.0));
    int vanish = (int) (w * (0.4 + 0.2 * rng.nextDouble()));
    s.add(Shape.trapezoid(ROAD, vanish - w / 20, vanish + w / 20, horizon, -w / 8, w + w / 8, h));
    if (rng.nextInt(3) == 0) {
      s.add(Shape.trapezoid(TERRAIN, 0, w / 12, horizon, 0, w / 12, h));
    }
    if (rng.nextInt(3) == 0) {
      int y = horizon + (h - horizon) / 3;
      s.add(Shape.rect(PARKING, -1, w - w / 6, y, w, y + (h - horizon) / 5, 1.0));
    }
    if (rng.nextInt(2) == 0) {
      s.add(Shape.rect(FENCE, -1, 0, horizon - (h / 20), w / 5, horizon + h / 40, 0.9));
    }
  }

  private static void furniture(List<Shape> s, int w, int h, int horizon, SplittableRandom rng) {
    int poles = 1 + rng.nextInt(3);
    for (int i = 0; i < poles; i++) {
      int x = rng.nextInt(w);
      int pw = Math.max(2, w / 120);
      int top = (int) (horizon * (0.2 + 0.4 * rng.nextDouble()));
      int bottom = horizon + (h - horizon) / 4;
      s.add(Shape.rect(POLE, -1, x, top, x + pw, bottom, 0.8));
      int sign = rng.nextInt(3);
      int sw = Math.max(4, w / 40);
      if (sign == 0) {
        s.add(Shape.rect(SIGN, -1, x - sw / 2, top, x + sw / 2 + pw, top + sw, 1.1));
      } else if (sign == 1) {
        s.add(Shape.rect(LIGHT, -1, x, top, x + sw / 2 + pw, top + sw * 2, 1.0));
      }
    }
  }

  private static void objects(List<Shape> s, int w, int h, int horizon, SplittableRandom rng) {
    int[] instanceCounter = new int[34];
    int n = 2 + rng.nextInt(6);
    for (int i = 0; i < n; i++) {
      int kind = rng.nextInt(20);
      int label =
          kind < 8
              ? CAR
              : kind < 12
                  ? PERSON
                  : kind < 13
                      ? RIDER
                      : kind < 14
                          ? TRUCK
                          : kind < 15
                              ? BUS
                              : kind < 16
                                  ? TRAIN
                                  : kind < 17 ? MOTORCYCLE : kind < 19 ? BICYCLE : CAR;
      double depth = 0.15 + 0.85 * rng.nextDouble();
      int baseY = horizon + (int) ((h - horizon) * depth);
      double scale = h * (0.08 + 0.45 * depth);
      double aspect =
          switch (label) {
            case PERSON, RIDER -> 0.4;
            case BICYCLE, MOTORCYCLE -> 1.3;
            case BUS, TRAIN -> 2.8;
            case TRUCK -> 1.8;
            default -> 1.6;
          };
      double height = label == PERSON || label == RIDER ? scale * 0.8 : scale * 0.55;
      int ow = Math.max(3, (int) (height * aspect));
      int oh = Math.max(3, (int) height);
      int x = rng.nextInt(Math.max(1, w - ow / 2)) - ow / 4;
      s.add(
          Shape.rect(
              label,
              instanceCounter[label]++,
              x,
              baseY - oh,
              x + ow,
              baseY,
              0.6 + 0.6 * rng.nextDouble()));
    }
  }

  private static void ignoredRegions(List<Shape> s, int w, int h, SplittableRandom rng) {
    if (rng.nextInt(3) > 0) {
      s.add(
          Shape.rect(
              STATIC, -1, rng.nextInt(w), h / 2, rng.nextInt(w) + w / 30, h / 2 + h / 30, 0.5));
    }
    if (rng.nextInt(2) == 0) {
      int x = rng.nextInt(w);
      s.add(Shape.ellipse(GROUND, x, h - h / 5, x + w / 10, h - h / 10, 0.8));
    }
    s.add(Shape.trapezoid(EGO, w / 6, w - w / 6, h - h / 12, 0, w, h));
    int border = Math.max(1, w / 256);
    s.add(Shape.rect(BORDER, -1, 0, 0, border, h, 0.0));
    s.add(Shape.rect(BORDER, -1, w - border, 0, w, h, 0.0));
  }
}
