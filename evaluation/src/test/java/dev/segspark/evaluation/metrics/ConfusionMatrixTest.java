package dev.segspark.evaluation.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segspark.evaluation.image.LabelMap;
import dev.segspark.evaluation.labels.LabelTable;
import dev.segspark.evaluation.labels.LabelTables;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {
  private static final LabelTable THREE =
      LabelTables.ofClasses("three", 255, List.of("a", "b", "c"));

  private static ImageCounts count(EvalSpace space, LabelMap gt, LabelMap pred) {
    return new PairCounter(space).count(gt, pred, "img");
  }

  @Test
  void eightAndSixteenBitPathsAgreeAndMergeAdds() {
    EvalSpace space = EvalSpace.of(Convention.MMSEG, THREE, PredictionIds.TRAIN_IDS);
    byte[] g = {0, 1, 2, (byte) 255, 1, 1, 0, 2};
    byte[] p = {0, 2, 2, 1, 1, 7, 0, 0};
    short[] g16 = new short[g.length];
    short[] p16 = new short[p.length];
    for (int i = 0; i < g.length; i++) {
      g16[i] = (short) (g[i] & 0xFF);
      p16[i] = (short) (p[i] & 0xFF);
    }
    ImageCounts a = count(space, LabelMap.of8(4, 2, g), LabelMap.of8(4, 2, p));
    ImageCounts b = count(space, LabelMap.of16(4, 2, g16), LabelMap.of16(4, 2, p16));
    assertThat(b.cells()).isEqualTo(a.cells());
    assertThat(b.counts()).isEqualTo(a.counts());
    assertThat(a.ignored()).isEqualTo(1);
    assertThat(a.counted()).isEqualTo(7);
    assertThat(SemanticMetrics.image(space, a).correctPixels()).isEqualTo(4);
    ConfusionMatrix m = new ConfusionMatrix(3).add(a).merge(new ConfusionMatrix(3).add(b));
    assertThat(m.get(0, 0)).isEqualTo(4);
    assertThat(m.get(1, 3)).as("prediction 7 is out of range").isEqualTo(2);
    assertThat(m.total() + m.ignored()).isEqualTo(16);
    assertThat(m.outOfRange()).containsExactly(0, 2, 0);
  }

  @Test
  void countersAreReusableAfterAnError() {
    EvalSpace space =
        EvalSpace.of(
            Convention.CITYSCAPES, LabelTables.builtIn("cityscapes"), PredictionIds.LABEL_IDS);
    PairCounter counter = new PairCounter(space);
    LabelMap good = LabelMap.of8(2, 1, new byte[] {7, 8});
    LabelMap bad = LabelMap.of8(2, 1, new byte[] {7, 99});
    assertThatThrownBy(() -> counter.count(good, bad, "p.png"))
        .hasMessageContaining("predicted id 99 is not in the 'cityscapes' label table")
        .hasMessageContaining("p.png");
    ImageCounts c = counter.count(good, good, "ok");
    assertThat(c.counted()).isEqualTo(2);
    assertThat(SemanticMetrics.image(space, c).correctPixels()).isEqualTo(2);
  }

  @Test
  void instanceStatsAreExactAndOrderIndependent() {
    InstanceStats x =
        new InstanceStats()
            .add(
                new InstanceCounts(
                    new int[] {26, 26}, new int[] {3, 7}, new int[] {1, 5}, new int[] {2, 6}));
    InstanceStats y =
        new InstanceStats()
            .add(new InstanceCounts(new int[] {26}, new int[] {3}, new int[] {2}, new int[] {3}));
    InstanceStats xy = new InstanceStats().merge(x).merge(y);
    InstanceStats yx = new InstanceStats().merge(y).merge(x);
    assertThat(xy).isEqualTo(yx);
    double[] w = xy.weighted(26, 21.0, false);
    assertThat(w[0]).isEqualTo(1 * 7.0 + 5 * 3.0 + 2 * 7.0);
    assertThat(w[1]).isEqualTo(2 * 7.0 + 2 * 3.0 + 1 * 7.0);
    assertThat(xy.instances(26)).isEqualTo(3);
  }
}
