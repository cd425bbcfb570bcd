package dev.db20.conformance;

import dev.db20.script.ExitCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One conformance vector: a script {@code NAME.txt} and what it must print. A plain vector has
 * {@code NAME.out}, the exact standard output, and must exit 0. An error vector has {@code
 * NAME.err}, whose first line is the whole first line the program must print on standard error
 * (such as {@code error line 3: unknown command 'fly'}); it must exit 2 and print {@code NAME.out}
 * (empty if absent) before it stops.
 *
 * <p>Load vectors with {@link Suite}; this type only holds one.
 *
 * @param name the file name without {@code .txt}
 * @param script the script bytes
 * @param expectedStdout the exact standard output expected
 * @param expectedStderrLine for an error vector, the whole first line of standard error expected
 *     (without its newline); else null
 */
public record Vector(String name, byte[] script, byte[] expectedStdout, String expectedStderrLine) {

  /** The exit status an error vector expects (SPEC §7). */
  public static final int ERROR_EXIT = ExitCode.BAD_INPUT;

  /** Copies the arrays, so a vector cannot change after it is made. */
  public Vector {
    Objects.requireNonNull(name, "name");
    script = script.clone();
    expectedStdout = expectedStdout.clone();
  }

  @Override
  public byte[] script() {
    return script.clone();
  }

  @Override
  public byte[] expectedStdout() {
    return expectedStdout.clone();
  }

  /** Whether this vector expects the run to stop at a bad line. */
  public boolean isError() {
    return expectedStderrLine != null;
  }

  /** The exit status expected: 0, or {@link #ERROR_EXIT} for an error vector. */
  public int expectedExit() {
    return isError() ? ERROR_EXIT : ExitCode.OK;
  }

  /**
   * Builds a vector from the bytes of its files, as they sit in a directory or in the jar.
   *
   * @param name the vector's name
   * @param txt the script
   * @param out the {@code .out} file, or null if absent
   * @param err the {@code .err} file, or null if absent
   * @param where how to name the files in an error message (a directory, or the jar)
   * @throws InvalidVectorException if both {@code out} and {@code err} are missing, or the {@code
   *     .err} file has no first line
   */
  static Vector of(String name, byte[] txt, byte[] out, byte[] err, String where)
      throws InvalidVectorException {
    if (out == null && err == null) {
      throw new InvalidVectorException(
          where
              + name
              + ".txt: a script without "
              + name
              + ".out or "
              + name
              + ".err is not a vector");
    }
    String line = null;
    if (err != null) {
      line = new String(err, StandardCharsets.UTF_8).lines().findFirst().orElse("");
      if (line.isEmpty()) {
        throw new InvalidVectorException(
            where + name + ".err: the first line must be the expected stderr line");
      }
    }
    return new Vector(name, txt, out == null ? new byte[0] : out, line);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Vector v
        && name.equals(v.name)
        && Arrays.equals(script, v.script)
        && Arrays.equals(expectedStdout, v.expectedStdout)
        && Objects.equals(expectedStderrLine, v.expectedStderrLine);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        name, Arrays.hashCode(script), Arrays.hashCode(expectedStdout), expectedStderrLine);
  }

  @Override
  public String toString() {
    return "Vector[" + name + (isError() ? ", error" : "") + "]";
  }

  /** A vector file set that breaks the rules above; the message names the file. */
  public static final class InvalidVectorException extends IOException {
    private static final long serialVersionUID = 1L;

    /** An exception whose message names the offending file and why. */
    public InvalidVectorException(String message) {
      super(message);
    }
  }
}
