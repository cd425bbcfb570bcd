package dev.db20.conformance;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One process vector: a script run by {@code PROGRAM run -} under a condition only a process can
 * meet, and what the program must do then.
 *
 * <p>On disk it is {@code proc-NAME.run}, the script (given on standard input), {@code
 * proc-NAME.proc}, the expectation, and optionally {@code proc-NAME.out}, the exact standard
 * output. {@code .proc} holds one item a line:
 *
 * <pre>
 * when CONDITION   stdout-closed, stdout-full or sigterm-after-output ({@link Condition})
 * exit N           the exit status; or 'exit nonzero' (any status but 0, a death by signal too)
 * stderr LINE      optional: the whole first line of standard error
 * </pre>
 *
 * @param name the vector's name ({@code proc-NAME})
 * @param script the script
 * @param condition the condition the program runs under
 * @param expectedExit the exit status expected; empty means any status but 0
 * @param expectedStderrLine the first line of standard error expected, or null for any
 * @param expectedStdout the exact standard output expected, or null where the condition leaves
 *     nothing to read (a closed or full standard output)
 */
public record ProcessVector(
    String name,
    byte[] script,
    Condition condition,
    Optional<Integer> expectedExit,
    String expectedStderrLine,
    byte[] expectedStdout) {
  /** The extension of the script. */
  public static final String SCRIPT = ".run";

  /** The extension of the expectation. */
  public static final String EXPECTED = ".proc";

  /** The extension of the expected standard output. */
  public static final String STDOUT = ".out";

  /** What the runner does to the program. */
  public enum Condition {
    /**
     * Standard output is a pipe whose reading end the runner closes before it reads a byte: every
     * write fails (EPIPE, or SIGPIPE's default action unless the program handles it).
     */
    STDOUT_CLOSED("stdout-closed"),
    /** Standard output is {@code /dev/full}: every write fails with ENOSPC. Needs the device. */
    STDOUT_FULL("stdout-full"),
    /**
     * The runner reads standard output until it holds the expected bytes (or the wait ends), then
     * sends SIGTERM while the script's last line, a long {@code ops}, is still running.
     */
    SIGTERM_AFTER_OUTPUT("sigterm-after-output");

    private final String word;

    Condition(String word) {
      this.word = word;
    }

    /** The word in a {@code .proc} file. */
    public String word() {
      return word;
    }

    /**
     * Why this platform cannot set up the condition, or empty if it can: {@code /dev/full} is a
     * Linux and BSD device; SIGTERM needs a POSIX system (Java's destroy is not a signal on
     * Windows).
     */
    public Optional<String> unsupported() {
      boolean posix = File.separatorChar == '/';
      return switch (this) {
        case STDOUT_CLOSED -> Optional.empty();
        case STDOUT_FULL ->
            new File("/dev/full").exists()
                ? Optional.empty()
                : Optional.of("this platform has no /dev/full");
        case SIGTERM_AFTER_OUTPUT ->
            posix ? Optional.empty() : Optional.of("this platform has no SIGTERM");
      };
    }

    static Optional<Condition> of(String word) {
      return Arrays.stream(values()).filter(c -> c.word.equals(word)).findFirst();
    }
  }

  /** Copies the arrays, so a vector cannot change after it is made. */
  public ProcessVector {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(condition, "condition");
    Objects.requireNonNull(expectedExit, "expectedExit");
    script = script.clone();
    expectedStdout = expectedStdout == null ? null : expectedStdout.clone();
  }

  @Override
  public byte[] script() {
    return script.clone();
  }

  @Override
  public byte[] expectedStdout() {
    return expectedStdout == null ? null : expectedStdout.clone();
  }

  /**
   * Builds a vector from the bytes of its files.
   *
   * @throws Vector.InvalidVectorException naming the file, if the {@code .proc} text is malformed
   */
  static ProcessVector of(String name, byte[] script, byte[] proc, byte[] out, String where)
      throws Vector.InvalidVectorException {
    String what = where + name + EXPECTED;
    Condition condition = null;
    Optional<Integer> exit = null;
    String stderr = null;
    List<String> lines = new String(proc, StandardCharsets.UTF_8).lines().toList();
    for (String line : lines) {
      int sp = line.indexOf(' ');
      String key = sp < 0 ? line : line.substring(0, sp);
      String value = sp < 0 ? "" : line.substring(sp + 1);
      switch (key) {
        case "when" ->
            condition =
                Condition.of(value)
                    .orElseThrow(
                        () ->
                            new Vector.InvalidVectorException(
                                what + ": unknown condition '" + Text.show(value) + "'"));
        case "exit" -> {
          if (value.equals("nonzero")) {
            exit = Optional.empty();
          } else if (value.matches("[0-9]{1,3}")) {
            exit = Optional.of(Integer.parseInt(value));
          } else {
            throw new Vector.InvalidVectorException(
                what + ": exit '" + Text.show(value) + "', want a status or 'nonzero'");
          }
        }
        case "stderr" -> stderr = value;
        default ->
            throw new Vector.InvalidVectorException(
                what + ": unknown item '" + Text.show(key) + "' (want when, exit, stderr)");
      }
    }
    if (condition == null || exit == null) {
      throw new Vector.InvalidVectorException(what + ": needs a 'when' and an 'exit' line");
    }
    if (condition == Condition.SIGTERM_AFTER_OUTPUT && out == null) {
      throw new Vector.InvalidVectorException(
          what + ": " + name + STDOUT + " (the output due before SIGTERM) is missing");
    }
    return new ProcessVector(name, script, condition, exit, stderr, out);
  }

  /** The {@code .proc} text of this vector, for the suite's digest. */
  String expectedText() {
    return "when "
        + condition.word
        + "\nexit "
        + expectedExit.map(String::valueOf).orElse("nonzero")
        + "\n"
        + (expectedStderrLine == null ? "" : "stderr " + expectedStderrLine + "\n");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProcessVector v
        && name.equals(v.name)
        && Arrays.equals(script, v.script)
        && condition == v.condition
        && expectedExit.equals(v.expectedExit)
        && Objects.equals(expectedStderrLine, v.expectedStderrLine)
        && Arrays.equals(expectedStdout, v.expectedStdout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        name,
        Arrays.hashCode(script),
        condition,
        expectedExit,
        expectedStderrLine,
        Arrays.hashCode(expectedStdout));
  }

  @Override
  public String toString() {
    return "ProcessVector[" + name + ", " + condition.word + "]";
  }
}
