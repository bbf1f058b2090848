package dev.segspark.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class IoErrorsTest {
  @Test
  void nioExceptionsThatCarryOnlyThePathGetTheirReason() {
    // AccessDeniedException's message is the bare path: the reason must come from its type. (Tests
    // run as root, which reads any file whatever its mode bits, so no test can make the file
    // system refuse a read; as uid 65534 SampleFiles said "Cannot read <path>: permission denied")
    assertThat(new AccessDeniedException("/d/gt.png").getMessage()).isEqualTo("/d/gt.png");
    assertThat(IoErrors.reason(new AccessDeniedException("/d/gt.png")))
        .isEqualTo("permission denied");
    assertThat(IoErrors.reason(new NoSuchFileException("/d/gt.png"))).isEqualTo("no such file");
    assertThat(IoErrors.reason(new FileSystemException("/d/gt.png", null, "Input/output error")))
        .isEqualTo("input/output error");
    assertThat(IoErrors.reason(new IOException("Is a directory"))).isEqualTo("is a directory");
    assertThat(IoErrors.reason(new IOException())).isEqualTo("IOException");
  }

  @Test
  void unreadableNamesThePathAndTheReason() {
    InvalidInputException e =
        IoErrors.unreadable("/d/pred.png", new AccessDeniedException("/d/pred.png"));
    assertThat(e).hasMessage("Cannot read /d/pred.png: permission denied");
    assertThat(e.source()).isEqualTo("/d/pred.png");
  }
}
