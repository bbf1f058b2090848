package dev.segspark.evaluation.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class LabelTablesTest {
  @Test
  void cityscapesHasTheBenchmarkTable() {
    LabelTable t = LabelTables.builtIn("cityscapes");
    assertThat(t.labels()).hasSize(35);
    assertThat(t.numClasses()).isEqualTo(19);
    assertThat(t.byId(26).name()).isEqualTo("car");
    assertThat(t.byId(26).trainId()).isEqualTo(13);
    assertThat(t.byId(26).rgb()).isEqualTo(0x00008E);
    assertThat(t.byTrainId(18).name()).isEqualTo("bicycle");
    assertThat(t.byId(29).ignoreInEval()).isTrue();
    assertThat(t.averageInstanceSize("car")).isEqualTo(12794.0202738185);
    assertThat(t.idToTrainId()[9]).isEqualTo(255);
    assertThat(t.idToTrainId()[34]).isEqualTo(-1);
    assertThat(t.categories())
        .containsExactly(
            "void", "flat", "construction", "object", "nature", "sky", "human", "vehicle");
  }

  @Test
  void ade20kReducesZeroLabelThroughTheTable() {
    LabelTable t = LabelTables.builtIn("ade20k");
    assertThat(t.numClasses()).isEqualTo(150);
    assertThat(t.idToTrainId()[0]).isEqualTo(255);
    assertThat(t.idToTrainId()[1]).isEqualTo(0);
    assertThat(t.byTrainId(149).name()).isEqualTo("flag");
  }

  @Test
  void vocHas21ClassesAndABoundary() {
    LabelTable t = LabelTables.builtIn("voc");
    assertThat(t.numClasses()).isEqualTo(21);
    assertThat(t.byId(255).ignoreInEval()).isTrue();
    assertThat(t.byId(15).name()).isEqualTo("person");
    assertThat(t.byId(15).rgb()).isEqualTo(0xC08080);
  }

  @Test
  void userClassList() {
    LabelTable t =
        LabelTables.fromYaml(
            "name: mine\nclasses: [bg, {name: road, color: [1, 2, 3]}, car]\n", "mine.yaml");
    assertThat(t.numClasses()).isEqualTo(3);
    assertThat(t.byTrainId(1).rgb()).isEqualTo(0x010203);
    assertThat(t.idToTrainId()[255]).isEqualTo(-1);
  }

  @Test
  void badTablesAreRejectedWithTheirSource() {
    assertThatThrownBy(() -> LabelTables.fromYaml("name: x\n", "x.yaml"))
        .hasMessageContaining("neither 'labels' nor 'classes'")
        .hasMessageContaining("x.yaml");
    assertThatThrownBy(
            () ->
                LabelTables.fromYaml(
                    "labels:\n - {name: a, id: 0, trainId: 0}\n - {name: b, id: 0, trainId: 1}\n",
                    "dup.yaml"))
        .hasMessageContaining("duplicate id (0)")
        .hasMessageContaining("dup.yaml");
    assertThatThrownBy(
            () ->
                LabelTables.fromYaml(
                    "labels:\n - {name: a, id: 0, trainId: 0}\n - {name: b, id: 1, trainId: 2}\n",
                    "gap.yaml"))
        .hasMessageContaining("not contiguous (missing 1)");
    assertThatThrownBy(() -> LabelTables.resolve("/no/such/table.yaml"))
        .hasMessageContaining("/no/such/table.yaml");
  }

  @Test
  void survivesJavaSerialization() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(LabelTables.builtIn("cityscapes"));
    }
    LabelTable back;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (LabelTable) in.readObject();
    }
    assertThat(back.byId(24).name()).isEqualTo("person");
    assertThat(bytes.size()).isLessThan(16_000);
  }
}
