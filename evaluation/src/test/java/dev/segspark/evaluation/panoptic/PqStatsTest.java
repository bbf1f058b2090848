package dev.segspark.evaluation.panoptic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class PqStatsTest {

  static final int SKY = PqMatcherTest.SKY;

  static PqStats match(long intersection, long union) {
    PqStats stats = new PqStats();
    stats.addTruePositive(SKY, intersection, union);
    return stats;
  }

  @Test
  void mergeOrderDoesNotChangeResults() {
    // A running double sum depends on the order for these IoUs ...
    assertThat((7.0 / 9 + 8.0 / 11) + 10.0 / 17).isNotEqualTo((10.0 / 17 + 8.0 / 11) + 7.0 / 9);
    PqStats a = match(7, 9);
    PqStats b = match(8, 11);
    PqStats c = match(10, 17);
    c.addFalseNegative(SKY);

    // ... the statistics do not.
    PqStats forward = new PqStats().merge(a).merge(b).merge(c);
    PqStats backward = new PqStats().merge(c).merge(new PqStats().merge(b).merge(a));

    assertThat(forward).isEqualTo(backward);
    assertThat(PqResult.of(forward, PqMatcherTest.CATEGORIES))
        .isEqualTo(PqResult.of(backward, PqMatcherTest.CATEGORIES));
    assertThat(forward.tp(SKY)).isEqualTo(3);
    assertThat(forward.fn(SKY)).isEqualTo(1);
  }

  @Test
  void mergesMatchedImagesInAnyOrder() {
    PqStats image =
        PqMatcher.match(
            PqMatcherTest.groundTruth(), PqMatcherTest.prediction(), PqMatcherTest.CATEGORIES);
    PqStats twice = new PqStats().merge(image).merge(image);

    assertThat(twice.tp(PqMatcherTest.PERSON)).isEqualTo(2);
    assertThat(twice.iouSum(PqMatcherTest.PERSON)).isEqualTo(1.6);
    assertThat(PqResult.of(twice, PqMatcherTest.CATEGORIES).all())
        .isEqualTo(PqResult.of(image, PqMatcherTest.CATEGORIES).all());
  }

  @Test
  void isSerializable() throws Exception {
    PqStats stats = new PqStats().merge(match(7, 9)).merge(match(8, 11));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(stats);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(stats);
    }
  }

  @Test
  void sumsIouPerUnionExactly() {
    PqStats stats = new PqStats().merge(match(7, 9)).merge(match(8, 9)).merge(match(8, 11));

    assertThat(stats.iouSum(SKY)).isEqualTo(15.0 / 9 + 8.0 / 11);
    assertThat(stats.categoryIds()).isEqualTo(java.util.Set.of(SKY));
    assertThat(List.of(stats.totalTp(), stats.totalFp(), stats.totalFn()))
        .containsExactly(3L, 0L, 0L);
  }
}
