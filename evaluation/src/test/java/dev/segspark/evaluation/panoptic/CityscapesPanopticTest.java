package dev.segspark.evaluation.panoptic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segspark.evaluation.labels.LabelTables;
import org.junit.jupiter.api.Test;

/** cityscapesScripts' createPanopticImgs rules on a hand-made 4x2 instance map. */
class CityscapesPanopticTest {
  @Test
  void segmentsFollowCreatePanopticImgs() {
    int[] ids = {7, 7, 26001, 26001, 0, 26, 24000, 11};
    CityscapesPanoptic.Frame f =
        CityscapesPanoptic.convert(ids, 4, 2, LabelTables.builtIn("cityscapes"));
    assertThat(f.segments().toString())
        .isEqualTo(
            "[{\"id\":7,\"category_id\":7,\"area\":2,\"bbox\":[0,0,2,1],\"iscrowd\":0},"
                + "{\"id\":11,\"category_id\":11,\"area\":1,\"bbox\":[3,1,1,1],\"iscrowd\":0},"
                + "{\"id\":26,\"category_id\":26,\"area\":1,\"bbox\":[1,1,1,1],\"iscrowd\":1},"
                + "{\"id\":24000,\"category_id\":24,\"area\":1,\"bbox\":[2,1,1,1],\"iscrowd\":0},"
                + "{\"id\":26001,\"category_id\":26,\"area\":2,\"bbox\":[2,0,2,1],\"iscrowd\":0}]");
    // void (unlabeled) stays 0; 26001 = 0x006591 -> R 0x91, G 0x65, B 0
    assertThat(f.rgb()[12]).isZero();
    assertThat(f.rgb()[6] & 255).isEqualTo(0x91);
    assertThat(f.rgb()[7] & 255).isEqualTo(0x65);
    assertThat(f.rgb()[8]).isZero();
    assertThat(CityscapesPanoptic.categories(LabelTables.builtIn("cityscapes"))).hasSize(19);
  }
}
