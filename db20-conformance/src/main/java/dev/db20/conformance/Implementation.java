package dev.db20.conformance;

import dev.db20.script.ScriptException;
import dev.db20.script.ScriptRunner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An implementation of SPEC under test: it takes a script's bytes and gives an {@link Outcome}
 * (standard output bytes, standard error, exit status). This is what a TCK user supplies.
 *
 * <p>{@link #java()} is this reactor, in-process; {@link #program} is any binary that follows the
 * conformance protocol: started as {@code PROGRAM [ARGS...] run -}, the script on its standard
 * input. It is a functional interface, so an in-process implementation can be a lambda.
 */
@FunctionalInterface
public interface Implementation {
  /**
   * The timeout {@link #program(List)} uses: 30 s per vector, the largest runs in well under 1 s.
   */
  Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** A short name for reports; override it, the default is {@code implementation}. */
  default String name() {
    return "implementation";
  }

  /**
   * Runs {@code script} and reports what it printed and its exit status.
   *
   * @throws CannotStartException if the implementation cannot run at all (no point trying the other
   *     vectors)
   * @throws IOException if this one run could not be carried out (for example a timeout)
   */
  Outcome run(byte[] script) throws IOException;

  /**
   * The {@code check FILE} command of SPEC §7.7, if this implementation has it; {@link #java()} and
   * {@link #program} do. The suite's check vectors fail on an implementation without it.
   */
  default Optional<SnapshotChecker> checker() {
    return Optional.empty();
  }

  /**
   * Runs a script as a process under a condition of a {@link ProcessVector}, if this implementation
   * is a process; {@link #program} is. The suite's process vectors are skipped, with the reason
   * printed, on an implementation without it.
   */
  default Optional<ProcessRunner> processes() {
    return Optional.empty();
  }

  /** Runs {@code run -} as a process under a {@link ProcessVector.Condition}. */
  @FunctionalInterface
  interface ProcessRunner {
    /**
     * Runs {@code script} under {@code condition}. For {@link
     * ProcessVector.Condition#SIGTERM_AFTER_OUTPUT}, SIGTERM is sent once standard output holds
     * {@code awaited.length} bytes, or when the wait for them ends.
     *
     * @throws IOException if this one run could not be carried out
     */
    Outcome run(byte[] script, ProcessVector.Condition condition, byte[] awaited)
        throws IOException;
  }

  /** Runs {@code check FILE} (SPEC §7.7). */
  @FunctionalInterface
  interface SnapshotChecker {
    /**
     * Checks the snapshot file {@code file} and reports what was printed and the exit status.
     *
     * @throws IOException if this one run could not be carried out
     */
    Outcome check(Path file) throws IOException;
  }

  /** The Java implementation, run in this process. */
  static Implementation java() {
    return new Implementation() {
      @Override
      public String name() {
        return "java";
      }

      @Override
      public Outcome run(byte[] script) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
          new ScriptRunner(out).run(new ByteArrayInputStream(script));
          return new Outcome(out.toByteArray(), "", 0);
        } catch (ScriptException e) {
          return new Outcome(out.toByteArray(), e.getMessage() + "\n", Vector.ERROR_EXIT);
        }
      }

      @Override
      public Optional<SnapshotChecker> checker() {
        return Optional.of(
            file -> {
              SnapshotCheck.Result r = SnapshotCheck.check(Files.readAllBytes(file));
              return new Outcome(
                  (r.line() + "\n").getBytes(StandardCharsets.ISO_8859_1), "", r.exit());
            });
      }
    };
  }

  /** {@link #program(List, Duration)} with {@link #DEFAULT_TIMEOUT}. */
  static Implementation program(List<String> argv) {
    return program(argv, DEFAULT_TIMEOUT);
  }

  /**
   * An external program: {@code argv} (the program, then its own arguments, each passed as is,
   * never split) followed by {@code run -}, the script on its standard input. A run longer than
   * {@code timeout} is killed and reported as an {@link IOException}.
   *
   * @param argv the program and its arguments; not empty
   * @param timeout the longest one run may take
   */
  static Implementation program(List<String> argv, Duration timeout) {
    if (argv.isEmpty() || argv.get(0).isEmpty()) {
      throw new IllegalArgumentException("the program to run is empty");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    return new ProgramImplementation(argv, timeout);
  }

  /** The implementation could not be started at all; the message names the program and why. */
  final class CannotStartException extends IOException {
    private static final long serialVersionUID = 1L;

    /** {@code cannot start 'PROGRAM': REASON}. */
    public CannotStartException(String program, String reason, Throwable cause) {
      super("cannot start '" + program + "': " + reason, cause);
    }
  }
}
