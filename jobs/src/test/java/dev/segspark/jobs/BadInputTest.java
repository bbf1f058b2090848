package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.image.Png;
import dev.segspark.evaluation.report.ImageError;
import dev.segspark.evaluation.report.SemanticReport;
import dev.segspark.jobs.actions.EvalSpec;
import dev.segspark.jobs.actions.JobFailedException;
import dev.segspark.jobs.actions.OnError;
import dev.segspark.jobs.data.DatasetSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input: a clear message naming the file; skip records it and carries on. */
class BadInputTest extends SparkTestBase {
  private static final String GT = "gtFine/val/lindau/lindau_000000_000019_gtFine_labelIds.png";
  private static final String PRED =
      "predictions/labelIds/lindau/lindau_000000_000019_pred_labelIds.png";

  @TempDir static Path tmp;
  static Path pristine;

  @BeforeAll
  static void data() {
    pristine = synth(tmp.resolve("pristine"), 6, 9, 32, 64);
  }

  private static Path copy(String name) throws IOException {
    Path dst = tmp.resolve(name);
    try (Stream<Path> files = Files.walk(pristine)) {
      for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
        Path target = dst.resolve(pristine.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return dst;
  }

  private static EvalSpec spec(Path root, OnError onError) {
    return cityscapesSpec(root, root.resolve("out")).withOnError(onError);
  }

  private static void assertFailsNaming(Path root, String file, String reason) {
    assertThatThrownBy(() -> actions().evaluate(spec(root, OnError.FAIL)).execute())
        .isInstanceOfAny(JobFailedException.class, InvalidInputException.class)
        .hasMessageContaining(file)
        .hasMessageContaining(reason);
    assertThat(root.resolve("out/report.json")).doesNotExist();
  }

  private static void assertSkipped(Path root, String reason) {
    SemanticReport r = actions().evaluate(spec(root, OnError.SKIP)).execute().report();
    assertThat(r.errors()).extracting(ImageError::image).containsExactly("lindau_000000_000019");
    assertThat(r.errors().get(0).error()).contains(reason);
    assertThat(r.dataset().images()).isEqualTo(5);
    assertThat(root.resolve("out/report.json"))
        .content()
        .contains("\"errors\"")
        .contains("lindau_000000_000019");
  }

  @Test
  void corruptPng() throws IOException {
    Path root = copy("corrupt");
    byte[] bytes = Files.readAllBytes(root.resolve(PRED));
    Arrays.fill(bytes, 40, bytes.length - 12, (byte) 7);
    Files.write(root.resolve(PRED), bytes);
    assertFailsNaming(root, root.resolve(PRED).toString(), "Cannot decode PNG");
    assertSkipped(root, "corrupt");
  }

  @Test
  void truncatedPng() throws IOException {
    Path root = copy("truncated");
    byte[] bytes = Files.readAllBytes(root.resolve(GT));
    Files.write(root.resolve(GT), Arrays.copyOf(bytes, bytes.length / 2));
    assertFailsNaming(root, root.resolve(GT).toString(), "truncated");
  }

  @Test
  void notAPngAtAll() throws IOException {
    Path root = copy("text");
    Files.writeString(root.resolve(PRED), "hello");
    assertFailsNaming(root, root.resolve(PRED).toString(), "not a PNG file");
  }

  @Test
  void sizeMismatch() throws IOException {
    Path root = copy("size");
    Files.write(root.resolve(PRED), Png.encodeGrey8(10, 10, new byte[100]));
    assertFailsNaming(
        root, root.resolve(PRED).toString(), "ground truth is 64x32 but the prediction is 10x10");
    assertSkipped(root, "10x10");
  }

  @Test
  void groundTruthIdNotInLabelTable() throws IOException {
    Path root = copy("unknown-id");
    byte[] values = new byte[64 * 32];
    Arrays.fill(values, (byte) 200);
    Files.write(root.resolve(GT), Png.encodeGrey8(64, 32, values));
    assertFailsNaming(
        root,
        root.resolve(GT).toString(),
        "ground-truth id 200 is not in the 'cityscapes' label table");
  }

  @Test
  void missingPredictionIsFoundOnTheDriver() throws IOException {
    Path root = copy("missing");
    Files.delete(root.resolve(PRED));
    assertFailsNaming(
        root, root.resolve(GT).toString(), "no prediction found for lindau_000000_000019");
    assertSkipped(root, "no prediction found");
  }

  @Test
  void rgbWhereALabelMapIsExpected() throws IOException {
    Path root = copy("rgb");
    Files.write(root.resolve(PRED), Png.encodeRgb(64, 32, new byte[64 * 32 * 3]));
    assertFailsNaming(
        root,
        root.resolve(PRED).toString(),
        "RGB 8-bit image; expected a single-channel label map");
  }

  @Test
  void imageOverMaxPixels() {
    EvalSpec spec =
        new EvalSpec(
            DatasetSpec.of("cityscapes", pristine, "val"),
            pristine.resolve("predictions/labelIds"),
            null,
            null,
            tmp.resolve("max-out"),
            OnError.FAIL,
            0,
            1000);
    assertThatThrownBy(() -> actions().evaluate(spec).execute())
        .hasMessageContaining("exceeds --max-pixels (1000)")
        .hasMessageContaining("_gtFine_labelIds.png");
  }

  @Test
  void emptyDataset() throws IOException {
    Path root = tmp.resolve("empty");
    Files.createDirectories(root.resolve("gtFine/val/x"));
    Files.createDirectories(root.resolve("predictions/labelIds"));
    assertThatThrownBy(() -> actions().evaluate(spec(root, OnError.FAIL)).execute())
        .isInstanceOf(InvalidInputException.class) // data, not usage: exit 1
        .hasMessageContaining("no ground-truth files found under " + root.resolve("gtFine/val"));
  }

  /** Moves {@code relative} out of {@code root} and puts a symbolic link to it in its place. */
  private static void replaceWithLink(Path root, String relative) throws IOException {
    Path place = root.resolve(relative);
    Path target = tmp.resolve("moved").resolve(root.getFileName()).resolve(relative);
    Files.createDirectories(target.getParent());
    Files.move(place, target);
    Files.createSymbolicLink(place, target);
  }

  private static final String PRED_FOLDER = "predictions/labelIds";

  @Test
  void linkedSubFoldersAndFilesAreAllEvaluated() throws IOException {
    double expected =
        actions()
            .evaluate(cityscapesSpec(pristine, tmp.resolve("pristine-out")))
            .execute()
            .report()
            .scores()
            .summary()
            .mIoU();
    Path root = copy("linked");
    replaceWithLink(root, "gtFine/val/lindau"); // a linked city folder of ground truth
    replaceWithLink(root, PRED_FOLDER + "/munster"); // a linked city folder of predictions
    replaceWithLink(root, PRED); // a linked prediction file
    SemanticReport r = actions().evaluate(spec(root, OnError.FAIL)).execute().report();
    assertThat(r.dataset().images()).isEqualTo(6);
    assertThat(r.errors()).isEmpty();
    assertThat(r.scores().summary().mIoU()).isEqualTo(expected);
  }

  @Test
  void linkedRootFoldersAreEvaluated() throws IOException {
    Path root = copy("linked-roots");
    replaceWithLink(root, "gtFine/val"); // the ground-truth folder the job walks is a link
    Path predictions =
        Files.createSymbolicLink(tmp.resolve("linked-preds"), root.resolve(PRED_FOLDER));
    EvalSpec spec =
        EvalSpec.of(DatasetSpec.of("cityscapes", root, "val"), predictions, root.resolve("out"));
    SemanticReport r = actions().evaluate(spec).execute().report();
    assertThat(r.dataset().images()).isEqualTo(6);
    assertThat(r.errors()).isEmpty();
  }

  @Test
  void aLinkLoopFailsNamingTheLink() throws IOException {
    Path root = copy("loop");
    Path link =
        Files.createSymbolicLink(root.resolve("gtFine/val/lindau/back"), root.resolve("gtFine"));
    assertThatThrownBy(() -> actions().evaluate(spec(root, OnError.SKIP)).execute())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("symbolic link loop")
        .hasMessageContaining(link.toString());
  }

  @Test
  void aBrokenLinkIsReportedNotDropped() throws IOException {
    Path root = copy("broken-link");
    Files.delete(root.resolve(PRED));
    Files.createSymbolicLink(root.resolve(PRED), tmp.resolve("nowhere.png"));
    assertFailsNaming(root, root.resolve(PRED).toString(), "no such file");
    assertSkipped(root, "no such file");
  }

  @Test
  void twoPredictionsForOneGroundTruthAreADataErrorThatSkipRecords() throws IOException {
    Path root = copy("two-predictions");
    Path second = root.resolve(PRED_FOLDER + "/elsewhere/lindau_000000_000019_pred_labelIds.png");
    Files.createDirectories(second.getParent());
    Files.copy(root.resolve(PRED), second);
    assertFailsNaming(root, second.toString(), "several predictions match lindau_000000_000019");
    assertSkipped(root, "several predictions match");
  }

  @Test
  void twoGroundTruthsOfOneIdAreADataErrorThatSkipRecords() throws IOException {
    Path root = copy("two-gts");
    Path second = root.resolve("gtFine/val/elsewhere/lindau_000000_000019_gtFine_labelIds.png");
    Files.createDirectories(second.getParent());
    Files.copy(root.resolve(GT), second);
    assertFailsNaming(root, second.toString(), "several ground-truth files have this id");
    assertSkipped(root, "several ground-truth files");
  }

  @Test
  void skippingEveryImageFails() throws IOException {
    Path root = copy("all-skipped");
    try (Stream<Path> files = Files.walk(root.resolve(PRED_FOLDER))) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        Files.writeString(p, "not a png");
      }
    }
    assertThatThrownBy(() -> actions().evaluate(spec(root, OnError.SKIP)).execute())
        .isInstanceOf(JobFailedException.class)
        .hasMessageContaining("All 6 images were skipped")
        .hasMessageContaining("not a PNG file");
    assertThat(root.resolve("out/report.json")).doesNotExist();
  }
}
