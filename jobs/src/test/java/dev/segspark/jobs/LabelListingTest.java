package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segspark.jobs.actions.LabelResult;
import dev.segspark.jobs.actions.LabelSpec;
import dev.segspark.jobs.synth.SynthSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code label} reads: linked folders are labelled, its own output folder never is. */
class LabelListingTest extends SparkTestBase {
  @TempDir Path tmp;

  private Path photos(String name) {
    Path root = tmp.resolve(name);
    actions().synth(new SynthSpec(root, 2, 3, 256, 512, false, "val", 0)).execute();
    return root.resolve("leftImg8bit/val");
  }

  @Test
  void linkedFoldersAreLabelled() throws IOException {
    Path photos = photos("linked");
    Path city = photos.resolve("lindau");
    Files.createSymbolicLink(city, Files.move(city, tmp.resolve("lindau-elsewhere")));
    Path out = tmp.resolve("linked-masks");
    LabelResult r =
        actions().label(labelSpec(model("segformer-synth"), photos, out, 0, "ids")).execute();
    assertThat(r.images()).isEqualTo(2);
    assertThat(r.labelled()).isEqualTo(2);
    assertThat(out.resolve("ids/lindau/lindau_000000_000019_leftImg8bit.png")).isRegularFile();
  }

  @Test
  void anOutputFolderInsideTheImagesIsNotLabelledOnTheNextRun() {
    Path photos = photos("inside");
    LabelSpec spec = labelSpec(model("segformer-synth"), photos, photos.resolve("masks"), 0, "ids");
    LabelResult first = actions().label(spec).execute();
    assertThat(first.images()).isEqualTo(2);
    assertThat(photos.resolve("masks/ids/lindau/lindau_000000_000019_leftImg8bit.png"))
        .isRegularFile();
    LabelResult second = actions().label(spec).execute();
    assertThat(second.images()).as("the masks of the first run are not inputs").isEqualTo(2);
  }
}
