package dev.segspark.evaluation.panoptic;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Runs on the coco-panoptic-mini test data: 2 COCO val2017 images and 6 synthetic scenes. */
class CocoPanopticMiniTest {

  static final Path ROOT = Path.of("src/test/resources/coco-panoptic-mini");

  static PanopticImage read(CocoPanopticJson.Annotation annotation) throws IOException {
    Path png = ROOT.resolve("panoptic").resolve(annotation.fileName());
    BufferedImage image = ImageIO.read(png.toFile());
    int width = image.getWidth();
    int height = image.getHeight();
    int[] rgb = image.getRGB(0, 0, width, height, null, 0, width);
    int[] ids = new int[rgb.length];
    for (int i = 0; i < rgb.length; i++) {
      ids[i] = PanopticImage.idFromRgb(rgb[i]);
    }
    return new PanopticImage(annotation.fileName(), width, height, ids, annotation.segments());
  }

  @Test
  void loadsTheCocoCategories() {
    PanopticCategories categories = PanopticCategories.load(ROOT.resolve("panoptic.json"));

    assertThat(categories.size()).isEqualTo(133);
    assertThat(categories.find(1).orElseThrow())
        .isEqualTo(
            new PanopticCategory(1, "person", true, new PanopticCategory.Color(220, 20, 60)));
    assertThat(categories.list().stream().filter(PanopticCategory::isThing).count()).isEqualTo(80);
  }

  @Test
  void categoriesSurviveJavaSerialization() throws Exception {
    PanopticCategories categories = PanopticCategories.load(ROOT.resolve("panoptic.json"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(categories);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(categories);
    }
  }

  @Test
  void groundTruthAgainstItselfIsPerfect() throws IOException {
    CocoPanopticJson json = CocoPanopticJson.read(ROOT.resolve("panoptic.json"));
    PanopticCategories categories = json.categories().orElseThrow();
    PqStats total = new PqStats();
    for (CocoPanopticJson.Annotation annotation : json.annotations()) {
      PanopticImage gt = read(annotation);
      PqStats image = PqMatcher.match(gt, gt, categories);
      assertThat(image.totalFp() + image.totalFn()).as(annotation.fileName()).isZero();
      total.merge(image);
    }

    PqResult result = PqResult.of(total, categories);

    assertThat(json.annotations()).hasSize(8);
    assertThat(result.classes().stream().filter(ClassPq::isPresent))
        .isNotEmpty()
        .allSatisfy(
            row -> {
              assertThat(row.pq()).as(row.name()).isEqualTo(1.0);
              assertThat(row.sq()).as(row.name()).isEqualTo(1.0);
              assertThat(row.rq()).as(row.name()).isEqualTo(1.0);
            });
    assertThat(result.all().pq()).isEqualTo(1.0);
    assertThat(result.things().pq()).isEqualTo(1.0);
    assertThat(result.stuff().pq()).isEqualTo(1.0);
    assertThat(result.all().n()).isEqualTo(result.things().n() + result.stuff().n());
  }
}
