package dev.db20.conformance;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Checks an {@link Implementation} against {@link Vector}s: standard output byte for byte, the
 * exit status, and for error vectors the start of standard error.
 */
public final class Conformance {
  private Conformance() {}

  /**
   * The verdict on one vector.
   *
   * @param vector the vector's name
   * @param passed whether the implementation matched it
   * @param detail empty on a pass; on a failure, what differed (the first differing line of
   *     each side)
   */
  public record Result(String vector, boolean passed, String detail) {}

  /** Runs {@code vector} on {@code impl} and compares. */
  public static Result check(Implementation impl, Vector vector) {
    Outcome got;
    try {
      got = impl.run(vector.script());
    } catch (IOException | RuntimeException e) {
      return new Result(vector.name(), false, "could not run: " + e.getMessage());
    }
    StringBuilder why = new StringBuilder();
    if (got.exitCode() != vector.expectedExit()) {
      why.append("exit ").append(got.exitCode()).append(", expected ").append(vector.expectedExit());
      if (!got.stderr().isEmpty()) {
        why.append(" (stderr: ").append(firstLine(got.stderr())).append(')');
      }
    }
    if (!Arrays.equals(got.stdout(), vector.expectedStdout())) {
      append(why, firstDifference(vector.expectedStdout(), got.stdout()));
    }
    if (vector.isError() && !got.stderr().startsWith(vector.expectedStderrPrefix())) {
      append(why, "stderr '" + firstLine(got.stderr()) + "', expected it to start with '"
          + vector.expectedStderrPrefix() + "'");
    }
    return new Result(vector.name(), why.length() == 0, why.toString());
  }

  /**
   * Checks every vector, printing one line each and a closing {@code N passed, M failed} line.
   *
   * @return the number of failures
   */
  public static int checkAll(Implementation impl, List<Vector> vectors, PrintStream report) {
    int failed = 0;
    for (Vector v : vectors) {
      Result r = check(impl, v);
      if (r.passed()) {
        report.println("pass " + v.name());
      } else {
        failed++;
        report.println("FAIL " + v.name() + ": " + r.detail());
      }
    }
    report.println(impl.name() + ": " + (vectors.size() - failed) + " passed, " + failed + " failed");
    return failed;
  }

  /** Describes the first line where {@code expected} and {@code got} differ. */
  static String firstDifference(byte[] expected, byte[] got) {
    List<String> e = new String(expected, StandardCharsets.ISO_8859_1).lines().toList();
    List<String> g = new String(got, StandardCharsets.ISO_8859_1).lines().toList();
    for (int i = 0; i < Math.max(e.size(), g.size()); i++) {
      String el = i < e.size() ? e.get(i) : "<end of output>";
      String gl = i < g.size() ? g.get(i) : "<end of output>";
      if (!el.equals(gl)) {
        return "stdout line " + (i + 1) + ": expected '" + clip(el) + "', got '" + clip(gl) + "'";
      }
    }
    return "stdout differs in line endings or a final newline";
  }

  private static String clip(String s) {
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }

  private static String firstLine(String s) {
    return s.lines().findFirst().orElse("");
  }

  private static void append(StringBuilder why, String more) {
    if (why.length() > 0) {
      why.append("; ");
    }
    why.append(more);
  }
}
