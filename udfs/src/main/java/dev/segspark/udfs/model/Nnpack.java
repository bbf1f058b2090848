package dev.segspark.udfs.model;

import ai.djl.engine.Engine;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches libtorch's NNPACK off in this JVM where NNPACK cannot start, once, before the first
 * model runs on the CPU.
 *
 * <p>Why: libtorch 2.7.1 asks whether NNPACK is available before every CPU convolution, and where
 * it is not (CPUs NNPACK does not support, such as the AMD EPYC machines segspark is tested on)
 * every answer is logged to the process's stderr as {@code Could not initialize NNPACK! Reason:
 * Unsupported hardware.}: six or seven lines an image for segformer-synth, 680 bytes, so a
 * million-image {@code label} run leaves some 700 MB of them in a cluster's executor logs, and a
 * {@code spark-submit} in local mode prints them on the terminal. Switching NNPACK off there (what
 * PyTorch's {@code torch.backends.nnpack.set_flags(False)} does) changes no result: libtorch never
 * runs NNPACK where it cannot start. Where NNPACK is available nothing is changed. The one question
 * asked here runs with libtorch's log level at ERROR, so not even its line is written.
 *
 * <p>libtorch has no C function for this and DJL does not expose one: the calls go through JNA to
 * the exported C++ symbols of libtorch 2.7.1 ({@code at::native::_nnpack_available}, {@code
 * at::globalContext}, {@code at::Context::setUserEnabledNNPACK}) and libc10's {@code
 * FLAGS_caffe2_log_level}. Where a symbol is missing (another libtorch) nothing is changed and the
 * reason is logged.
 */
public final class Nnpack {
  private static final Logger LOG = LoggerFactory.getLogger(Nnpack.class);
  private static final String AVAILABLE = "_ZN2at6native17_nnpack_availableEv";
  private static final String CONTEXT = "_ZN2at13globalContextEv";
  private static final String SET_ENABLED = "_ZN2at7Context20setUserEnabledNNPACKEb";
  private static final String ENABLED = "_ZNK2at7Context17userEnabledNNPACKEv";
  private static final String LOG_LEVEL = "FLAGS_caffe2_log_level";
  private static final int LOG_ERROR = 2;

  /** What {@link #offWhereUnavailable} found: null before it ran. */
  private static volatile State state;

  /** The outcome in this JVM. */
  public enum State {
    /** NNPACK starts on this CPU: left as it is. */
    AVAILABLE,
    /** NNPACK cannot start on this CPU: switched off, libtorch no longer asks (or logs). */
    SWITCHED_OFF,
    /** The symbols were not reached (another libtorch): nothing changed. */
    NOT_REACHED
  }

  private Nnpack() {}

  /**
   * Loads the PyTorch engine if needed and switches NNPACK off where it cannot start; once per JVM.
   *
   * @return what was found
   */
  public static State offWhereUnavailable() {
    State s = state;
    if (s != null) {
      return s;
    }
    synchronized (Nnpack.class) {
      if (state == null) {
        state = apply();
      }
      return state;
    }
  }

  private static State apply() {
    try {
      Engine.getEngine("PyTorch");
      NativeLibrary torch = NativeLibrary.getInstance("torch_cpu");
      Pointer level = NativeLibrary.getInstance("c10").getGlobalVariableAddress(LOG_LEVEL);
      int old = level.getInt(0);
      boolean available;
      level.setInt(0, Math.max(old, LOG_ERROR));
      try {
        available = isTrue(torch.getFunction(AVAILABLE).invoke(Byte.class, new Object[0]));
      } finally {
        level.setInt(0, old);
      }
      if (available) {
        return State.AVAILABLE;
      }
      Pointer context = torch.getFunction(CONTEXT).invokePointer(new Object[0]);
      torch.getFunction(SET_ENABLED).invokeVoid(new Object[] {context, Boolean.FALSE});
      if (isTrue(torch.getFunction(ENABLED).invoke(Byte.class, new Object[] {context}))) {
        LOG.info("libtorch's NNPACK switch did not take: it may log a line per convolution");
        return State.NOT_REACHED;
      }
      return State.SWITCHED_OFF;
    } catch (LinkageError | RuntimeException e) {
      LOG.info(
          "libtorch's NNPACK switch not reached ({}): on CPUs NNPACK does not support, libtorch may"
              + " log a line per convolution",
          e.toString());
      return State.NOT_REACHED;
    }
  }

  /** A C++ {@code bool} result: only its low byte is defined. */
  private static boolean isTrue(Object result) {
    return ((Byte) result) != 0;
  }
}
