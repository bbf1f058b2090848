package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segspark.evaluation.panoptic.ClassPq;
import dev.segspark.evaluation.panoptic.PqSummary;
import dev.segspark.evaluation.report.PanopticReport;
import dev.segspark.jobs.actions.PanopticSpec;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PQ on coco-panoptic-mini against perturbed predictions equals panopticapi's {@code pq_compute} on
 * the same files (numbers produced by panopticapi itself, see
 * notebooks/reference/make_panoptic_predictions.py and compare_panoptic.py).
 */
class PanopticParityTest extends SparkTestBase {
  @TempDir Path tmp;

  @Test
  void equalsPanopticapi() throws Exception {
    Path fixture = Path.of(getClass().getResource("/panoptic").toURI());
    Path mini = PanopticJobTest.MINI;
    PanopticReport r =
        actions()
            .evaluatePanoptic(
                new PanopticSpec(
                    mini.resolve("panoptic.json"),
                    mini.resolve("panoptic"),
                    fixture.resolve("pred.json"),
                    fixture.resolve("pred"),
                    tmp,
                    false,
                    null,
                    3,
                    1L << 26))
            .execute();
    JsonNode ref =
        new ObjectMapper().readTree(fixture.resolve("panopticapi_reference.json").toFile());
    assertSummary(r.result().all(), ref.get("All"));
    assertSummary(r.result().things(), ref.get("Things"));
    assertSummary(r.result().stuff(), ref.get("Stuff"));
    int present = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = ref.get("per_class").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      ClassPq c = r.result().classPq(Integer.parseInt(e.getKey()));
      JsonNode x = e.getValue();
      assertThat(c.tp()).as("tp " + c.name()).isEqualTo(x.get("tp").asLong());
      assertThat(c.fp()).as("fp " + c.name()).isEqualTo(x.get("fp").asLong());
      assertThat(c.fn()).as("fn " + c.name()).isEqualTo(x.get("fn").asLong());
      assertThat(c.pq()).as("pq " + c.name()).isCloseTo(x.get("pq").asDouble(), within(1e-9));
      assertThat(c.rq()).as("rq " + c.name()).isCloseTo(x.get("rq").asDouble(), within(1e-9));
      if (c.tp() > 0) {
        assertThat(c.sq()).as("sq " + c.name()).isCloseTo(x.get("sq").asDouble(), within(1e-9));
      }
      present++;
    }
    assertThat(r.result().classes().stream().filter(ClassPq::isPresent).count()).isEqualTo(present);
  }

  private static void assertSummary(PqSummary ours, JsonNode ref) {
    assertThat(ours.n()).isEqualTo(ref.get("n").asInt());
    assertThat(ours.pq()).isCloseTo(ref.get("pq").asDouble(), within(1e-9));
    assertThat(ours.sq()).isCloseTo(ref.get("sq").asDouble(), within(1e-9));
    assertThat(ours.rq()).isCloseTo(ref.get("rq").asDouble(), within(1e-9));
  }
}
