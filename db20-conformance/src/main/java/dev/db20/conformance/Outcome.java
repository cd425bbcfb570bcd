package dev.db20.conformance;

import java.util.Arrays;
import java.util.Objects;

/**
 * What one run of a script printed and how it ended.
 *
 * @param stdout the bytes on standard output
 * @param stderr standard error as text; an external program's bytes are decoded one char per byte
 *     (ISO-8859-1), so nothing is lost and every byte can be shown escaped
 * @param exitCode the exit status: 0 for a clean run, 2 for a bad line
 * @param stdoutDropped how many bytes the program printed after the ones kept in {@code stdout} (a
 *     runner keeps a bounded prefix); 0 when {@code stdout} is all of it
 */
public record Outcome(byte[] stdout, String stderr, int exitCode, long stdoutDropped) {
  /** Copies {@code stdout}. */
  public Outcome {
    stdout = stdout.clone();
    Objects.requireNonNull(stderr, "stderr");
    if (stdoutDropped < 0) {
      throw new IllegalArgumentException("stdoutDropped must be >= 0, got " + stdoutDropped);
    }
  }

  /** All of standard output, nothing dropped. */
  public Outcome(byte[] stdout, String stderr, int exitCode) {
    this(stdout, stderr, exitCode, 0);
  }

  /** A copy of the standard output bytes. */
  @Override
  public byte[] stdout() {
    return stdout.clone();
  }

  /** The first line of standard error without its {@code \n}, or "" if there is none. */
  public String firstStderrLine() {
    int nl = stderr.indexOf('\n');
    return nl < 0 ? stderr : stderr.substring(0, nl);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Outcome x
        && Arrays.equals(stdout, x.stdout)
        && stderr.equals(x.stderr)
        && exitCode == x.exitCode
        && stdoutDropped == x.stdoutDropped;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(stdout) * 31
        + stderr.hashCode() * 7
        + exitCode
        + Long.hashCode(stdoutDropped);
  }

  @Override
  public String toString() {
    return "Outcome[exit="
        + exitCode
        + ", stdout="
        + stdout.length
        + " bytes"
        + (stdoutDropped > 0 ? " (+" + stdoutDropped + " dropped)" : "")
        + ", stderr="
        + Text.show(stderr)
        + "]";
  }
}
