package dev.segspark.udfs.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.segspark.evaluation.metrics.PredictionIds;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model specs: defaults, resolution of relative paths, and every kind of bad field. */
class ModelSpecsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @TempDir Path tmp;

  private Path spec(String yaml) throws IOException {
    Path p = tmp.resolve("m.yaml");
    Files.writeString(p, yaml);
    return p;
  }

  private static final String NORMALISATION =
      "mean: [123.675, 116.28, 103.53]\nstd: [58.395, 57.12, 57.375]\n";

  private static final String BASE =
      "model: m.pt\nclasses: cityscapes\nnumClasses: 19\ninput: {height: 64, width: 128}\n"
          + NORMALISATION;

  @Test
  void readsFieldsAndDefaults() throws IOException {
    ModelSpec s =
        ModelSpecs.load(
            spec(
                BASE.replace(NORMALISATION, "mean: [1, 2, 3]\nstd: [4, 5, 6]\n")
                    + "adapter: danet\nchannels: BGR\nbatchSize: 8\nprecision: fp16\n"));
    assertThat(s.name()).isEqualTo("m");
    assertThat(s.model()).isEqualTo(tmp.resolve("m.pt").toString());
    assertThat(s.adapter()).isEqualTo("danet");
    assertThat(s.outputIds()).isEqualTo(PredictionIds.TRAIN_IDS);
    assertThat(s.bgr()).isTrue();
    assertThat(s.mean()).containsExactly(1f, 2f, 3f);
    assertThat(s.std()).containsExactly(4f, 5f, 6f);
    assertThat(s.batchSize()).isEqualTo(8);
    assertThat(s.precision()).isEqualTo(ModelSpec.Precision.FP16);
    assertThat(s.input().resize()).isEqualTo(ModelSpec.Resize.WHOLE);
    assertThat(s.detrThreshold()).isEqualTo(0.85);
  }

  @Test
  void builtInTableNamesAreReadInAnyCase() throws IOException {
    ModelSpec lower = ModelSpecs.load(spec(BASE));
    ModelSpec upper = ModelSpecs.load(spec(BASE.replace("cityscapes", "Cityscapes")));
    assertThat(upper.table().name()).isEqualTo("cityscapes");
    assertThat(upper).isEqualTo(lower);
  }

  @Test
  void specsThatReadOutputsDifferentlyAreNotEqual() throws IOException {
    ModelSpec s = ModelSpecs.load(spec(BASE));
    // a table whose label ids are its train ids: both readings have 3 classes
    Files.writeString(tmp.resolve("t.yaml"), "classes: [road, car, sky]\n");
    String three =
        BASE.replace("classes: cityscapes", "classes: t.yaml")
            .replace("numClasses: 19", "numClasses: 3");
    ModelSpec labelIds = ModelSpecs.load(spec(three + "outputIds: labelIds\n"));
    ModelSpec again = ModelSpecs.load(spec(three + "outputIds: labelIds\n"));
    assertThat(labelIds).isEqualTo(again);
    ModelSpec other =
        new ModelSpec(
            labelIds.name(),
            labelIds.source(),
            labelIds.model(),
            labelIds.engine(),
            labelIds.architecture(),
            labelIds.adapter(),
            labelIds.classes(),
            labelIds.table(),
            PredictionIds.TRAIN_IDS,
            labelIds.numClasses(),
            labelIds.input(),
            labelIds.bgr(),
            labelIds.mean(),
            labelIds.std(),
            labelIds.batchSize(),
            labelIds.precision(),
            labelIds.detrThreshold());
    assertThat(other).isNotEqualTo(labelIds);
    assertThat(s).isNotEqualTo(labelIds);
  }

  @Test
  void slideNeedsAStrideNoLargerThanTheWindow() throws IOException {
    ModelSpec s =
        ModelSpecs.load(
            spec(BASE.replace("width: 128}", "width: 128, resize: slide, stride: [32, 96]}")));
    assertThat(s.input().strideHeight()).isEqualTo(32);
    assertThat(s.input().strideWidth()).isEqualTo(96);
    assertThatThrownBy(
            () -> ModelSpecs.load(spec(BASE.replace("width: 128}", "width: 128, resize: slide}"))))
        .hasMessageContaining("needs input.stride");
    assertThatThrownBy(
            () ->
                ModelSpecs.load(spec(BASE.replace("width: 128}", "width: 128, stride: [65, 10]}"))))
        .hasMessageContaining("leaves gaps");
  }

  @Test
  void hadoopUrisAreKeptAsGiven() throws IOException {
    ModelSpec s = ModelSpecs.load(spec(BASE.replace("m.pt", "hdfs://nn:8020/models/m.pt")));
    assertThat(s.model()).isEqualTo("hdfs://nn:8020/models/m.pt");
  }

  @Test
  void badFieldsNameTheSpecFile() throws IOException {
    String file = tmp.resolve("m.yaml").toString();
    assertThatThrownBy(() -> ModelSpecs.load(spec(BASE + "adapter: segformer\n")))
        .hasMessageContaining(file)
        .hasMessageContaining("unknown adapter 'segformer'");
    assertThatThrownBy(() -> ModelSpecs.load(spec(BASE + "colour: RGB\n")))
        .hasMessageContaining("unknown field 'colour'");
    assertThatThrownBy(
            () -> ModelSpecs.load(spec(BASE.replace("numClasses: 19", "numClasses: 150"))))
        .hasMessageContaining(file)
        .hasMessageContaining(
            "numClasses 150 does not match the cityscapes table (19 train classes)");
    assertThatThrownBy(() -> ModelSpecs.load(spec(BASE.replace("model: m.pt\n", ""))))
        .hasMessageContaining("'model' is required");
    assertThatThrownBy(() -> ModelSpecs.load(spec("just text")))
        .hasMessageContaining("not a YAML mapping");
    assertThatThrownBy(() -> ModelSpecs.load(tmp.resolve("absent.yaml")))
        .hasMessageContaining("absent.yaml")
        .hasMessageContaining("no such file");
  }

  @Test
  void meanAndStdAreRequiredWithThreeValuesAndAPositiveStd() throws IOException {
    String file = tmp.resolve("m.yaml").toString();
    String noMean = BASE.replace("mean: [123.675, 116.28, 103.53]\n", "");
    assertThatThrownBy(() -> ModelSpecs.load(spec(noMean)))
        .hasMessageContaining(file)
        .hasMessageContaining(
            "mean is required (3 values in pixel units, in the model's channel order)");
    String noStd = BASE.replace("std: [58.395, 57.12, 57.375]\n", "");
    assertThatThrownBy(() -> ModelSpecs.load(spec(noStd)))
        .hasMessageContaining(file)
        .hasMessageContaining("std is required");
    assertThatThrownBy(() -> ModelSpecs.load(spec(BASE.replace("[123.675, 116.28, ", "["))))
        .hasMessageContaining("mean must have 3 values, one per channel")
        .hasMessageContaining("(1 given)");
    assertThatThrownBy(() -> ModelSpecs.load(spec(BASE.replace("57.12", "0"))))
        .hasMessageContaining("std must be 3 finite numbers, each > 0 ([58.395, 0.0, 57.375])");
    assertThatThrownBy(() -> ModelSpecs.load(spec(BASE.replace("57.12", "-57.12"))))
        .hasMessageContaining("each > 0");
    // beyond float range: infinite once read
    assertThatThrownBy(() -> ModelSpecs.load(spec(BASE.replace("116.28", "1e39"))))
        .hasMessageContaining("mean must be 3 finite numbers");
    assertThatThrownBy(() -> ModelSpecs.load(spec(BASE.replace("116.28", "green"))))
        .hasMessageContaining(file)
        .hasMessageContaining("mean must be a list of 3 numbers (\"green\" is not a number)");
    assertThatThrownBy(
            () -> ModelSpecs.load(spec(BASE.replace("[123.675, 116.28, 103.53]", "123.675"))))
        .hasMessageContaining("mean must be a list of 3 numbers");
  }

  @Test
  void imagenetStatisticsInUnitScaleAreRejected() throws IOException {
    String unit = "mean: [0.485, 0.456, 0.406]\nstd: [0.229, 0.224, 0.225]\n";
    assertThatThrownBy(() -> ModelSpecs.load(spec(BASE.replace(NORMALISATION, unit))))
        .hasMessageContaining("mean and std look like 0..1 units")
        .hasMessageContaining("pixel units 0..255");
    // raw pixels in [0, 255] fed as they are: mean 0, std 1 is a legitimate choice
    ModelSpec raw =
        ModelSpecs.load(spec(BASE.replace(NORMALISATION, "mean: [0, 0, 0]\nstd: [1, 1, 1]\n")));
    assertThat(raw.std()).containsExactly(1f, 1f, 1f);
  }

  /** A notebook building a spec in code gets the checks the YAML loader gets. */
  @Test
  void theRecordItselfRequiresMeanAndStd() throws IOException {
    ModelSpec s = ModelSpecs.load(spec(BASE));
    assertThatThrownBy(() -> withNormalisation(s, null, s.std()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot load model spec " + s.source() + ": mean is required");
    assertThatThrownBy(() -> withNormalisation(s, s.mean(), new float[] {58f, 57f}))
        .hasMessageContaining("std must have 3 values");
    assertThatThrownBy(() -> withNormalisation(s, s.mean(), new float[] {58f, 0f, 57f}))
        .hasMessageContaining("each > 0");
  }

  private static ModelSpec withNormalisation(ModelSpec s, float[] mean, float[] std) {
    return new ModelSpec(
        s.name(),
        s.source(),
        s.model(),
        s.engine(),
        s.architecture(),
        s.adapter(),
        s.classes(),
        s.table(),
        s.outputIds(),
        s.numClasses(),
        s.input(),
        s.bgr(),
        mean,
        std,
        s.batchSize(),
        s.precision(),
        s.detrThreshold());
  }

  /** {@code s} with one record component replaced, through the canonical constructor. */
  static ModelSpec with(ModelSpec s, String field, Object value) {
    RecordComponent[] components = ModelSpec.class.getRecordComponents();
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    try {
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        args[i] =
            components[i].getName().equals(field) ? value : components[i].getAccessor().invoke(s);
      }
      return ModelSpec.class.getDeclaredConstructor(types).newInstance(args);
    } catch (InvocationTargetException e) {
      throw (RuntimeException) e.getCause();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A spec built in Java (a notebook) gets every check of the YAML loader, naming spec fields. */
  @Test
  void theConstructorChecksWhatTheLoaderChecks() throws IOException {
    ModelSpec s = ModelSpecs.load(spec(BASE));
    String file = s.source();
    assertThatThrownBy(() -> with(s, "numClasses", 150))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot load model spec " + file)
        .hasMessageContaining("numClasses 150 does not match the cityscapes table (19 train");
    assertThatThrownBy(() -> with(s, "adapter", "segformer"))
        .hasMessageContaining("unknown adapter 'segformer' (expected ")
        .hasMessageContaining("detr-panoptic");
    assertThatThrownBy(() -> with(s, "batchSize", 0)).hasMessageContaining("'batchSize'");
    assertThatThrownBy(() -> with(s, "detrThreshold", 1.0))
        .hasMessageContaining("detr.threshold must be in [0, 1)");
    assertThatThrownBy(() -> with(s, "model", " ")).hasMessageContaining("'model' is required");
    assertThatThrownBy(
            () ->
                with(s, "input", new ModelSpec.InputSpec(64, 128, ModelSpec.Resize.SLIDE, 65, 64)))
        .hasMessageContaining("input.stride larger than the window");
    assertThatThrownBy(() -> with(s, "input", null)).hasMessageContaining("'input");
    ModelSpec onnx = with(s, "engine", ModelSpec.Engine.ONNXRUNTIME);
    assertThatThrownBy(() -> with(onnx, "precision", ModelSpec.Precision.FP16))
        .hasMessageContaining("precision fp16 needs engine pytorch");
    // defaults filled as the loader fills them; names in any case
    assertThat(with(with(with(s, "engine", null), "precision", null), "table", null)).isEqualTo(s);
    assertThat(with(s, "adapter", "LOGITS").adapter()).isEqualTo("logits");
    assertThat(with(s, "adapter", "detr_panoptic").head().panoptic()).isTrue();
    assertThat(onnx).isNotEqualTo(s);
  }

  @Test
  void theEngineIsReadFromTheSpec() throws IOException {
    assertThat(ModelSpecs.load(spec(BASE)).engine()).isEqualTo(ModelSpec.Engine.PYTORCH);
    assertThat(ModelSpecs.load(spec(BASE + "engine: OnnxRuntime\n")).engine())
        .isEqualTo(ModelSpec.Engine.ONNXRUNTIME);
    assertThatThrownBy(() -> ModelSpecs.load(spec(BASE + "engine: tensorrt\n")))
        .hasMessageContaining(tmp.resolve("m.yaml").toString())
        .hasMessageContaining("engine must be pytorch or onnxruntime (tensorrt)");
  }

  @Test
  void everyShippedSpecLoads() throws IOException {
    Path models = ModelParityTest.repoRoot().resolve("conf/models");
    try (var files = Files.list(models)) {
      List<Path> specs = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
      assertThat(specs).isNotEmpty();
      for (Path f : specs) {
        ModelSpec s = ModelSpecs.load(f);
        assertThat(s.mean()).as(f.toString()).hasSize(3);
        assertThat(s.std()).as(f.toString()).hasSize(3);
      }
    }
  }

  @Test
  void anUnknownModelNameListsTheShippedOnes() {
    assertThat(System.getProperty("segspark.repo.root")).as("set by the build").isNotNull();
    assertThat(ModelSpecs.resolve("segformer-synth").name()).isEqualTo("segformer-synth");
    assertThatThrownBy(() -> ModelSpecs.resolve("segformer"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot load model spec segformer: no such file, nor a shipped model")
        .hasMessageContaining("shipped: danet-synth, detr-panoptic-synth, segformer-synth");
    assertThatThrownBy(() -> ModelSpecs.resolve(tmp.resolve("absent.yaml").toString()))
        .hasMessageContaining("absent.yaml: no such file")
        .hasMessageContaining("segformer-synth");
  }

  /**
   * Under spark-submit there is no checkout: every shipped name resolves from the segspark-udfs
   * class path folder (as it does with one), to the same spec as the checkout's, and its model file
   * is extracted with the checkout file's bytes.
   */
  @Test
  void shippedNamesResolveFromTheClassPathWithoutARepoRoot() throws IOException {
    Path models = ModelParityTest.repoRoot().resolve("conf/models");
    // the jar's copy also wins over a checkout, so that driver and executors read the same files
    assertThat(ModelSpecs.resolve("danet-synth").model())
        .isEqualTo("classpath:segspark/models/danet-synth.pt");
    String root = System.clearProperty("segspark.repo.root");
    try {
      assertThat(ModelSpecs.shippedNames(models)).hasSize(4);
      for (String name : ModelSpecs.shippedNames(models)) {
        ModelSpec jar = ModelSpecs.resolve(name);
        ModelSpec checkout = ModelSpecs.load(models.resolve(name + ".yaml"));
        assertThat(jar.source()).isEqualTo("classpath:segspark/models/" + name + ".yaml");
        String file = Path.of(checkout.model()).getFileName().toString();
        assertThat(jar.model()).isEqualTo("classpath:segspark/models/" + file);
        assertThat(jar.name()).isEqualTo(checkout.name());
        assertThat(jar.engine()).isEqualTo(checkout.engine());
        assertThat(jar.head().name()).isEqualTo(checkout.head().name());
        assertThat(jar.classes()).isEqualTo(checkout.classes());
        assertThat(jar.table().name()).isEqualTo(checkout.table().name());
        assertThat(jar.mean()).containsExactly(checkout.mean());
        Path extracted = ModelFiles.local(jar.model());
        assertThat(extracted).isNotEqualTo(Path.of(checkout.model()));
        assertThat(Files.mismatch(extracted, Path.of(checkout.model()))).isEqualTo(-1L);
        assertThat(ModelFiles.local(jar.model())).isEqualTo(extracted);
      }
      assertThat(ModelSpecs.resolve("segformer-synth", YAML.readTree("batchSize: 7")).batchSize())
          .isEqualTo(7);
      assertThatThrownBy(() -> ModelSpecs.resolve("segformer"))
          .hasMessageContaining(
              "Cannot load model spec segformer: no such file, nor a shipped model")
          .hasMessageContaining(
              "shipped: danet-synth, detr-panoptic-synth, segformer-synth, segformer-synth-onnx");
      assertThatThrownBy(() -> ModelFiles.local("classpath:segspark/models/absent.pt"))
          .hasMessageContaining(
              "Cannot load model classpath:segspark/models/absent.pt: no such resource on the class"
                  + " path");
    } finally {
      System.setProperty("segspark.repo.root", root);
    }
  }
}
