package dev.segspark.jobs.cli;

import dev.segspark.evaluation.metrics.Convention;
import dev.segspark.evaluation.metrics.PredictionIds;
import dev.segspark.jobs.actions.OnError;
import picocli.CommandLine.ITypeConverter;

/** Option converters, so that bad values are usage errors (exit 2) with a clear message. */
final class Converters {
  private Converters() {}

  static final class OnErrorConverter implements ITypeConverter<OnError> {
    @Override
    public OnError convert(String value) {
      return OnError.parse(value);
    }
  }

  static final class ConventionConverter implements ITypeConverter<Convention> {
    @Override
    public Convention convert(String value) {
      return Convention.parse(value);
    }
  }

  static final class PredictionIdsConverter implements ITypeConverter<PredictionIds> {
    @Override
    public PredictionIds convert(String value) {
      return PredictionIds.parse(value);
    }
  }
}
