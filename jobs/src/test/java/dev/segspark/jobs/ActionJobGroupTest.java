package dev.segspark.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.jobs.actions.EvalSpec;
import dev.segspark.jobs.actions.EvaluateAction;
import dev.segspark.jobs.actions.EvaluatePanopticAction;
import dev.segspark.jobs.actions.LabelAction;
import dev.segspark.jobs.actions.SynthAction;
import dev.segspark.udfs.model.ModelSpec;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Spark job of an action runs in a job group of the run's own, described for the Spark UI as
 * {@code segspark <action> <what it works on>}; the caller's own group and description come back
 * when the action returns or fails.
 */
class ActionJobGroupTest extends SparkTestBase {
  private static final String GROUP = "spark.jobGroup.id";
  private static final String DESCRIPTION = "spark.job.description";
  private static final String MARKER = "action-job-group-test marker";

  @TempDir Path tmp;

  private final ConcurrentLinkedQueue<Properties> started = new ConcurrentLinkedQueue<>();
  private final SparkListener listener =
      new SparkListener() {
        @Override
        public void onJobStart(SparkListenerJobStart job) {
          started.add(job.properties());
        }
      };

  @BeforeEach
  void listen() {
    sc().addSparkListener(listener);
    sc().setJobGroup("caller-group", "the caller's own jobs", false);
  }

  @AfterEach
  void stopListening() {
    sc().removeSparkListener(listener);
    sc().clearJobGroup();
  }

  @Test
  void labelJobsCarryTheModelAndImagesAndTheCallersGroupComesBack() throws InterruptedException {
    Path data = synth(tmp.resolve("data"), 3, 5, 32, 64);
    Path images = data.resolve("leftImg8bit/val");
    ModelSpec model = model("segformer-synth");

    actions()
        .label(labelSpec(model, images, tmp.resolve("labels"), 2, "ids"))
        .option("progress", "false")
        .execute();

    assertOneGroupDescribedAs("segspark-label-", "segspark label segformer-synth " + images);
    assertCallersGroupIsBack();
  }

  @Test
  void evaluateJobsCarryTheDatasetAndPredictionsAndTheCallersGroupComesBack()
      throws InterruptedException {
    Path data = synth(tmp.resolve("data"), 3, 6, 32, 64);

    actions()
        .evaluate(cityscapesSpec(data, tmp.resolve("report")))
        .option("progress", "false")
        .execute();

    assertOneGroupDescribedAs(
        "segspark-evaluate-",
        "segspark evaluate " + data + " " + data.resolve("predictions/labelIds"));
    assertCallersGroupIsBack();
  }

  @Test
  void eachRunHasAGroupOfItsOwn() throws InterruptedException {
    Path data = synth(tmp.resolve("data"), 2, 7, 32, 64);
    EvalSpec spec = cityscapesSpec(data, tmp.resolve("report"));

    actions().evaluate(spec).option("progress", "false").execute();
    actions().evaluate(spec).option("progress", "false").execute();

    assertThat(jobsOf("segspark-evaluate-").stream().map(p -> p.getProperty(GROUP)).distinct())
        .hasSize(2);
  }

  @Test
  void aRunThatFailsGivesTheCallersGroupBackToo() throws Exception {
    Path data = synth(tmp.resolve("data"), 2, 9, 32, 64);
    try (var predictions = Files.walk(data.resolve("predictions/labelIds"))) {
      Path first = predictions.filter(Files::isRegularFile).findFirst().orElseThrow();
      Files.delete(first);
    }

    assertThatThrownBy(
            () ->
                actions()
                    .evaluate(cityscapesSpec(data, tmp.resolve("report")))
                    .option("progress", "false")
                    .execute())
        .isInstanceOf(InvalidInputException.class);
    assertCallersGroupIsBack();
  }

  @Test
  void anUnknownOptionIsAnError() {
    assertThatThrownBy(
            () -> actions().evaluate(cityscapesSpec(tmp, tmp.resolve("r"))).option("speed", "1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown name (speed)");
  }

  @Test
  void optionAndExecuteArePublicMembersOfPublicClassesForReflectiveCallers() throws Exception {
    for (Class<?> action :
        List.of(
            EvaluateAction.class,
            EvaluatePanopticAction.class,
            LabelAction.class,
            SynthAction.class)) {
      for (Method m :
          List.of(
              action.getMethod("execute"),
              action.getMethod("option", String.class, String.class))) {
        assertThat(Modifier.isPublic(m.getDeclaringClass().getModifiers()))
            .as("%s.%s (py4j calls it by reflection)", action.getSimpleName(), m.getName())
            .isTrue();
      }
    }
  }

  private static SparkContext sc() {
    return spark.sparkContext();
  }

  /** The run's jobs: at least one, all in one group named {@code prefix...} and described so. */
  private void assertOneGroupDescribedAs(String prefix, String description)
      throws InterruptedException {
    List<Properties> jobs = jobsOf(prefix);
    assertThat(jobs).isNotEmpty();
    assertThat(jobs).allSatisfy(p -> assertThat(p.getProperty(DESCRIPTION)).isEqualTo(description));
    assertThat(jobs.stream().map(p -> p.getProperty(GROUP)).distinct()).hasSize(1);
  }

  private void assertCallersGroupIsBack() {
    assertThat(sc().getLocalProperty(GROUP)).isEqualTo("caller-group");
    assertThat(sc().getLocalProperty(DESCRIPTION)).isEqualTo("the caller's own jobs");
  }

  /**
   * The properties of the jobs started so far whose group starts with {@code prefix}. A marker job
   * runs last: the listener bus delivers events in order, so once its start has arrived every
   * earlier start has too.
   */
  private List<Properties> jobsOf(String prefix) throws InterruptedException {
    String description = sc().getLocalProperty(DESCRIPTION);
    sc().setJobDescription(MARKER);
    JavaSparkContext.fromSparkContext(sc()).parallelize(List.of(1)).count();
    sc().setJobDescription(description);
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (started.stream().noneMatch(p -> MARKER.equals(p.getProperty(DESCRIPTION)))) {
      assertThat(System.nanoTime()).as("the marker job's start event").isLessThan(deadline);
      Thread.sleep(10);
    }
    List<Properties> jobs = new ArrayList<>();
    for (Properties p : started) {
      String group = p.getProperty(GROUP);
      if (group != null && group.startsWith(prefix)) {
        jobs.add(p);
      }
    }
    return jobs;
  }
}
