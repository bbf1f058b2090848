package dev.segspark.jobs.cli;

import dev.segspark.evaluation.metrics.Convention;
import dev.segspark.evaluation.metrics.PredictionIds;
import dev.segspark.jobs.actions.OnError;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option converters, so that bad values are usage errors (exit 2) with a clear message. */
final class Converters {
  private Converters() {}

  /** A count of at least 1 ({@code --partitions}); when the option is absent, the job decides. */
  static final class PositiveCountConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        int n = Integer.parseInt(value.trim());
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new TypeConversionException("expected a whole number of at least 1 (" + value + ")");
    }
  }

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
