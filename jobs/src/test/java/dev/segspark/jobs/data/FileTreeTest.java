package dev.segspark.jobs.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.udfs.partition.LabelItem;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared listing: links followed (files, sub-folders, the root), loops and errors named. */
class FileTreeTest {
  @TempDir Path tmp;

  private static Path file(Path p) throws IOException {
    Files.createDirectories(p.getParent());
    return Files.write(p, new byte[] {1});
  }

  /**
   * {@code images/} holds a.png, a link to a file elsewhere, a link to a folder elsewhere, and is
   * reached through a link itself.
   */
  private Path linkedTree() throws IOException {
    Path elsewhere = tmp.resolve("elsewhere");
    file(elsewhere.resolve("one.png"));
    file(elsewhere.resolve("city/two.png"));
    file(elsewhere.resolve("city/deeper/three.png"));
    Path images = tmp.resolve("real-images");
    file(images.resolve("a.png"));
    Files.createSymbolicLink(images.resolve("linked-file.png"), elsewhere.resolve("one.png"));
    Files.createSymbolicLink(images.resolve("linked-city"), elsewhere.resolve("city"));
    return Files.createSymbolicLink(tmp.resolve("images"), images);
  }

  @Test
  void followsLinkedFilesSubFoldersAndRoot() throws IOException {
    Path root = linkedTree();
    List<Path> files = FileTree.files(root, p -> p.toString().endsWith(".png"), null);
    assertThat(files)
        .extracting(p -> root.relativize(p).toString())
        .containsExactly(
            "a.png", "linked-city/deeper/three.png", "linked-city/two.png", "linked-file.png");
  }

  @Test
  void sampleListerAndImageListerUseIt() throws IOException {
    Path root = linkedTree();
    assertThat(SampleLister.walk(root, List.of(".png"))).hasSize(4);
    assertThat(ImageLister.list(root.toString(), null))
        .extracting(LabelItem::relative)
        .containsExactly(
            "a.png", "linked-city/deeper/three.png", "linked-city/two.png", "linked-file.png");
    assertThat(ImageLister.list(root + "/**/*.png", null))
        .extracting(LabelItem::relative)
        .containsExactly("linked-city/deeper/three.png", "linked-city/two.png");
  }

  @Test
  void aLinkLoopFailsNamingTheLink() throws IOException {
    Path root = tmp.resolve("loop");
    file(root.resolve("city/x.png"));
    Path link = Files.createSymbolicLink(root.resolve("city/up"), root);
    assertThatThrownBy(() -> FileTree.files(root, p -> true, null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Cannot list " + root)
        .hasMessageContaining("symbolic link loop")
        .hasMessageContaining("(" + link + ")");
  }

  @Test
  void aBrokenLinkIsListedSoTheJobReportsIt() throws IOException {
    Path root = tmp.resolve("broken");
    file(root.resolve("ok.png"));
    Files.createSymbolicLink(root.resolve("gone.png"), tmp.resolve("nowhere.png"));
    assertThat(FileTree.files(root, p -> true, null))
        .extracting(p -> p.getFileName().toString())
        .containsExactly("gone.png", "ok.png");
  }

  @Test
  void anExcludedFolderIsSkippedWhereverLinksShowIt() throws IOException {
    Path root = tmp.resolve("photos");
    file(root.resolve("a.png"));
    Path masks = root.resolve("masks");
    file(masks.resolve("ids/a.png"));
    Files.createSymbolicLink(root.resolve("masks-again"), masks);
    assertThat(FileTree.files(root, p -> true, masks))
        .extracting(p -> root.relativize(p).toString())
        .containsExactly("a.png");
  }

  @Test
  void listingErrorsAreDataErrorsWithTheReasonAndPath() {
    Path root = tmp.resolve("data");
    Path inner = root.resolve("inner");
    assertThat(FileTree.failure(root, new AccessDeniedException(inner.toString())))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot list " + root + ": permission denied (" + inner + ")")
        .extracting(InvalidInputException::source)
        .isEqualTo(inner.toString());
  }
}
