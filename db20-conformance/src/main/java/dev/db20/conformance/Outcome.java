package dev.db20.conformance;

import java.util.Arrays;

/**
 * What one run of a script printed and how it ended.
 *
 * @param stdout the bytes on standard output
 * @param stderr the text on standard error
 * @param exitCode the exit status: 0 for a clean run, 2 for a bad line
 */
public record Outcome(byte[] stdout, String stderr, int exitCode) {
  /** Copies {@code stdout}. */
  public Outcome {
    stdout = stdout.clone();
  }

  /** A copy of the standard output bytes. */
  @Override
  public byte[] stdout() {
    return stdout.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Outcome x && Arrays.equals(stdout, x.stdout) && stderr.equals(x.stderr) && exitCode == x.exitCode;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(stdout) * 31 + stderr.hashCode() * 7 + exitCode;
  }

  @Override
  public String toString() {
    return "Outcome[exit=" + exitCode + ", stdout=" + stdout.length + " bytes, stderr=" + stderr + "]";
  }
}
