package dev.segspark.evaluation.panoptic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segspark.evaluation.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoPanopticJsonTest {

  @TempDir Path dir;

  Path write(String json) throws IOException {
    return Files.writeString(dir.resolve("pred.json"), json);
  }

  @Test
  void readsAnnotationsImagesAndCategories() throws IOException {
    Path file =
        write(
            """
            {"images": [{"id": 7, "file_name": "a.jpg", "width": 5, "height": 4}],
             "annotations": [{"image_id": 7, "file_name": "a.png", "segments_info": [
               {"id": 10, "category_id": 1, "iscrowd": 0, "area": 5, "bbox": [0, 0, 5, 1]},
               {"id": 11, "category_id": 10}]}],
             "categories": [{"id": 1, "name": "person", "isthing": 1, "color": [220, 20, 60]},
                            {"id": 10, "name": "sky", "isthing": 0}]}
            """);

    CocoPanopticJson json = CocoPanopticJson.read(file);

    assertThat(json.images()).containsExactly(new CocoPanopticJson.ImageInfo("7", "a.jpg", 5, 4));
    assertThat(json.annotationsByImageId().get("7").segments())
        .containsExactly(
            new Segment(10, 1, false, 5, new Segment.BoundingBox(0, 0, 5, 1)),
            new Segment(11, 10, false, 0));
    assertThat(json.categories().orElseThrow().list())
        .containsExactly(
            new PanopticCategory(1, "person", true, new PanopticCategory.Color(220, 20, 60)),
            new PanopticCategory(10, "sky", false));
  }

  @Test
  void predictionFilesNeedOnlyAnnotations() throws IOException {
    Path file =
        write(
            "{\"annotations\": [{\"image_id\": \"frankfurt_000000_000294\", \"file_name\": \"f.png\", \"segments_info\": []}]}");

    CocoPanopticJson json = CocoPanopticJson.read(file);

    assertThat(json.images()).isEmpty();
    assertThat(json.categories()).isEmpty();
    assertThat(json.annotations())
        .containsExactly(
            new CocoPanopticJson.Annotation("frankfurt_000000_000294", "f.png", List.of()));
  }

  @Test
  void namesTheFileForMalformedJson() throws IOException {
    Path file = write("{\"annotations\": [");

    assertThatThrownBy(() -> CocoPanopticJson.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot read COCO panoptic JSON: malformed JSON")
        .hasMessageEndingWith("(" + file + ")");
  }

  @Test
  void namesTheFieldAndFileForMissingValues() throws IOException {
    Path noAnnotations = write("{\"images\": []}");
    assertThatThrownBy(() -> CocoPanopticJson.read(noAnnotations))
        .hasMessage(
            "Cannot read COCO panoptic JSON: \"annotations\" is missing or not an array ("
                + noAnnotations
                + ")");

    Path noCategory =
        write(
            "{\"annotations\": [{\"image_id\": 1, \"file_name\": \"a.png\", \"segments_info\": [{\"id\": 3}]}]}");
    assertThatThrownBy(() -> CocoPanopticJson.read(noCategory))
        .hasMessageContaining(
            "annotations[0].segments_info[0].category_id is missing or not an integer")
        .hasMessageContaining(noCategory.toString());

    Path badCrowd =
        write(
            "{\"annotations\": [{\"image_id\": 1, \"file_name\": \"a.png\", \"segments_info\": [{\"id\": 3, \"category_id\": 1, \"iscrowd\": 2}]}]}");
    assertThatThrownBy(() -> CocoPanopticJson.read(badCrowd))
        .hasMessageContaining("annotations[0].segments_info[0].iscrowd is not 0 or 1");

    Path badCategories = write("{\"categories\": [{\"id\": 1, \"isthing\": 1}]}");
    assertThatThrownBy(() -> PanopticCategories.load(badCategories))
        .hasMessageContaining("categories[0].name is missing or not a string");
  }

  @Test
  void rejectsMissingFile() {
    Path missing = dir.resolve("absent.json");

    assertThatThrownBy(() -> PanopticCategories.load(missing))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot read COCO panoptic JSON: no such file (" + missing + ")");
  }

  @Test
  void aFolderWhereTheJsonShouldBeSaysSo() throws IOException {
    Path folder = Files.createDirectory(dir.resolve("gt.json"));

    assertThatThrownBy(() -> CocoPanopticJson.read(folder))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot read COCO panoptic JSON: is a directory (" + folder + ")");
  }

  @Test
  void duplicatesSpoilOnlyTheirImage() throws IOException {
    Path file =
        write(
            """
            {"annotations": [
               {"image_id": 1, "file_name": "a.png", "segments_info": []},
               {"image_id": 2, "file_name": "b.png", "segments_info": [
                 {"id": 5, "category_id": 1}, {"id": 6, "category_id": 1},
                 {"id": 5, "category_id": 2}]},
               {"image_id": 1, "file_name": "a2.png", "segments_info": []},
               {"image_id": 1, "file_name": "a3.png", "segments_info": []}]}
            """);

    CocoPanopticJson json = CocoPanopticJson.read(file);

    assertThat(json.duplicateImageIds()).containsExactly(java.util.Map.entry("1", 3));
    assertThat(json.annotationsByImageId().get("1").fileName()).isEqualTo("a.png");
    assertThat(json.annotationsByImageId().get("2").duplicateSegmentIds()).containsExactly(5);
    assertThat(json.annotationsByImageId().get("1").duplicateSegmentIds()).isEmpty();
  }
}
