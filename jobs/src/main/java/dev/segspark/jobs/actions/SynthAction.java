package dev.segspark.jobs.actions;

import dev.segspark.evaluation.labels.LabelTables;
import dev.segspark.jobs.data.Layout;
import dev.segspark.jobs.synth.PanopticFrame;
import dev.segspark.jobs.synth.PanopticJson;
import dev.segspark.jobs.synth.SynthPartition;
import dev.segspark.jobs.synth.SynthSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates a synthetic Cityscapes-layout dataset in parallel. The Cityscapes-panoptic JSON is
 * written last, by the driver, once every frame's files exist: a root with the JSON is complete,
 * and a run first removes the JSON an earlier run left.
 */
public final class SynthAction extends BaseAction<SynthAction, SynthSpec, SynthResult> {
  SynthAction(Runner runner, SynthSpec spec) {
    super(runner, spec, "synth", OnError.FAIL);
  }

  /** The number of frames and the output folder. */
  @Override
  String subject() {
    return spec.images() + " " + spec.out();
  }

  /** Writes the dataset; the result holds the wall-clock seconds. */
  @Override
  SynthResult run() {
    spec.checkPaths();
    Path json = Layout.panopticJson(spec.out(), spec.split());
    try {
      Files.deleteIfExists(json);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot synthesise: cannot remove " + json, e);
    }
    List<Integer> indices = new ArrayList<>(spec.images());
    for (int i = 0; i < spec.images(); i++) {
      indices.add(i);
    }
    int partitions = partitions(spec.partitions(), spec.images());
    List<PanopticFrame> frames;
    try (ProgressLine line = progress(spec.images())) {
      frames =
          jsc()
              .parallelize(indices, partitions)
              .mapPartitions(new SynthPartition(spec, images()))
              .collect();
    }
    PanopticJson.write(json, frames, LabelTables.builtIn("cityscapes"));
    return new SynthResult(spec, seconds());
  }
}
