package dev.segspark.jobs.actions;

import dev.segspark.evaluation.metrics.ConfusionMatrix;
import dev.segspark.evaluation.metrics.InstanceStats;
import dev.segspark.evaluation.report.ImageError;
import dev.segspark.udfs.model.StageTimes;
import dev.segspark.udfs.partition.ImageResult;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** The sufficient statistics of an evaluation, tree-reduced from per-image results. */
final class EvalAggregate implements Serializable {
  private static final long serialVersionUID = 1L;

  final ConfusionMatrix matrix;
  final InstanceStats instances = new InstanceStats();
  final List<ImageError> errors = new ArrayList<>();
  long images;
  long pixels;
  long decodeNanos;
  long metricsNanos;
  StageTimes modelTimes = StageTimes.ZERO;

  EvalAggregate(int size) {
    this.matrix = new ConfusionMatrix(size);
  }

  static EvalAggregate add(EvalAggregate a, ImageResult r) {
    a.decodeNanos += r.decodeNanos();
    a.metricsNanos += r.metricsNanos();
    a.modelTimes = a.modelTimes.plus(r.model());
    if (!r.ok()) {
      a.errors.add(new ImageError(r.sample().id(), r.error()));
      return a;
    }
    a.images++;
    a.pixels += (long) r.width() * r.height();
    a.matrix.add(r.counts());
    a.instances.add(r.instances());
    return a;
  }

  static EvalAggregate merge(EvalAggregate a, EvalAggregate b) {
    a.matrix.merge(b.matrix);
    a.instances.merge(b.instances);
    a.errors.addAll(b.errors);
    a.images += b.images;
    a.pixels += b.pixels;
    a.decodeNanos += b.decodeNanos;
    a.metricsNanos += b.metricsNanos;
    a.modelTimes = a.modelTimes.plus(b.modelTimes);
    return a;
  }
}
