package dev.db20.conformance;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Checks an {@link Implementation} against {@link Vector}s: standard output byte for byte, the
 * exit status (0, or 2 for an error vector), and for an error vector the whole first line of
 * standard error.
 */
public final class Conformance {
  private Conformance() {}

  /**
   * The verdict on one vector.
   *
   * @param vector the vector's name
   * @param passed whether the implementation matched it
   * @param detail empty on a pass; on a failure, what differed: for output, the first differing
   *     line of each side, escaped so that it holds printable ASCII only
   * @param time how long the run took
   */
  public record Result(String vector, boolean passed, String detail, Duration time) {}

  /**
   * A whole run: which suite, which implementation, each vector's result.
   *
   * @param suite the suite's label ({@link Suite#label()})
   * @param sha256 the suite's digest
   * @param released whether the suite is the released one ({@link Suite#isReleased()})
   * @param implementation the implementation's name
   * @param results one per vector, in suite order
   */
  public record Report(String suite, String sha256, boolean released, String implementation, List<Result> results) {
    /** Freezes the list. */
    public Report {
      results = List.copyOf(results);
    }

    /** How many vectors failed. */
    public int failures() {
      return (int) results.stream().filter(r -> !r.passed()).count();
    }

    /** The sum of the vectors' run times. */
    public Duration time() {
      return results.stream().map(Result::time).reduce(Duration.ZERO, Duration::plus);
    }

    /** {@code IMPL: N passed, M failed}, the closing line of a run. */
    public String summary() {
      return implementation + ": " + (results.size() - failures()) + " passed, " + failures() + " failed";
    }
  }

  /**
   * Runs {@code vector} on {@code impl} and compares.
   *
   * @throws Implementation.CannotStartException if the implementation cannot run at all; any
   *     other failure to run is a failed result
   */
  public static Result check(Implementation impl, Vector vector) throws Implementation.CannotStartException {
    long start = System.nanoTime();
    Outcome got;
    try {
      got = impl.run(vector.script());
    } catch (Implementation.CannotStartException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      return new Result(vector.name(), false, "could not run: " + Text.clip(Text.escape(String.valueOf(e.getMessage()))),
          Duration.ofNanos(System.nanoTime() - start));
    }
    Duration time = Duration.ofNanos(System.nanoTime() - start);
    StringBuilder why = new StringBuilder();
    if (got.exitCode() != vector.expectedExit()) {
      why.append("exit ").append(got.exitCode()).append(", expected ").append(vector.expectedExit());
      if (!got.stderr().isEmpty()) {
        why.append(" (stderr: '").append(Text.clip(Text.escape(got.firstStderrLine()))).append("')");
      }
    }
    if (!Arrays.equals(got.stdout(), vector.expectedStdout())) {
      append(why, firstDifference(vector.expectedStdout(), got.stdout()));
    }
    if (vector.isError() && !got.firstStderrLine().equals(vector.expectedStderrLine())) {
      append(why, "stderr line 1: expected '" + Text.clip(Text.escape(vector.expectedStderrLine())) + "', got '"
          + Text.clip(Text.escape(got.firstStderrLine())) + "'");
    }
    return new Result(vector.name(), why.length() == 0, why.toString(), time);
  }

  /**
   * Runs {@code check FILE} on {@code impl} for {@code vector}'s file (written to a temporary file,
   * deleted afterwards) and compares the standard output with the expected line and the exit
   * status with the expected one.
   *
   * @throws Implementation.CannotStartException if the implementation cannot run at all
   */
  public static Result check(Implementation impl, CheckVector vector) throws Implementation.CannotStartException {
    long start = System.nanoTime();
    Optional<Implementation.SnapshotChecker> checker = impl.checker();
    if (checker.isEmpty()) {
      return new Result(vector.name(), false, "no 'check FILE': the implementation offers no checker()", Duration.ZERO);
    }
    Outcome got;
    Path file = null;
    try {
      file = Files.createTempFile("db20-" + vector.name() + "-", CheckVector.FILE);
      Files.write(file, vector.file());
      got = checker.get().check(file);
    } catch (Implementation.CannotStartException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      return new Result(vector.name(), false, "could not run: " + Text.clip(Text.escape(String.valueOf(e.getMessage()))),
          Duration.ofNanos(System.nanoTime() - start));
    } finally {
      deleteQuietly(file);
    }
    Duration time = Duration.ofNanos(System.nanoTime() - start);
    StringBuilder why = new StringBuilder();
    if (got.exitCode() != vector.expectedExit()) {
      why.append("exit ").append(got.exitCode()).append(", expected ").append(vector.expectedExit());
      if (!got.stderr().isEmpty()) {
        why.append(" (stderr: '").append(Text.clip(Text.escape(got.firstStderrLine()))).append("')");
      }
    }
    if (!Arrays.equals(got.stdout(), vector.expectedStdout())) {
      append(why, firstDifference(vector.expectedStdout(), got.stdout()));
    }
    return new Result(vector.name(), why.length() == 0, why.toString(), time);
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // A temporary file left behind costs nothing the verdict depends on.
      }
    }
  }

  /**
   * Checks every vector of {@code suite}, script vectors then check vectors, handing each result
   * to {@code each} as it comes.
   *
   * @throws Implementation.CannotStartException as soon as the implementation cannot start
   */
  public static Report run(Implementation impl, Suite suite, Consumer<Result> each)
      throws Implementation.CannotStartException {
    List<Result> results = new ArrayList<>();
    for (Vector v : suite.vectors()) {
      Result r = check(impl, v);
      results.add(r);
      each.accept(r);
    }
    for (CheckVector v : suite.checks()) {
      Result r = check(impl, v);
      results.add(r);
      each.accept(r);
    }
    return new Report(suite.label(), suite.sha256(), suite.isReleased(), impl.name(), results);
  }

  /**
   * Checks every vector, printing {@code pass NAME} or {@code FAIL NAME: DETAIL} for each, then
   * the suite line and the closing {@code IMPL: N passed, M failed} line.
   *
   * @return the report
   */
  public static Report checkAll(Implementation impl, Suite suite, PrintStream out)
      throws Implementation.CannotStartException {
    Report report = run(impl, suite, r -> out.println(r.passed() ? "pass " + r.vector() : "FAIL " + r.vector() + ": " + r.detail()));
    out.println("suite " + report.suite() + " (sha256 " + report.sha256().substring(0, 16) + ", "
        + report.results().size() + " vectors)");
    out.println(report.summary());
    return report;
  }

  /** Describes the first line where {@code expected} and {@code got} differ, each side escaped. */
  static String firstDifference(byte[] expected, byte[] got) {
    List<String> e = lines(expected);
    List<String> g = lines(got);
    for (int i = 0; i < Math.max(e.size(), g.size()); i++) {
      String el = i < e.size() ? e.get(i) : null;
      String gl = i < g.size() ? g.get(i) : null;
      if (el == null || !el.equals(gl)) {
        return "stdout line " + (i + 1) + ": expected " + show(el) + ", got " + show(gl);
      }
    }
    throw new IllegalArgumentException("the outputs are equal");
  }

  /** Splits on {@code \n} only, each line keeping its newline, so a missing final one shows. */
  private static List<String> lines(byte[] bytes) {
    String s = new String(bytes, StandardCharsets.ISO_8859_1);
    List<String> lines = new ArrayList<>();
    int start = 0;
    while (start < s.length()) {
      int nl = s.indexOf('\n', start);
      int end = nl < 0 ? s.length() : nl + 1;
      lines.add(s.substring(start, end));
      start = end;
    }
    return lines;
  }

  private static String show(String line) {
    if (line == null) {
      return "end of output";
    }
    if (line.endsWith("\n")) {
      return "'" + Text.clip(Text.escape(line.substring(0, line.length() - 1))) + "'";
    }
    return "'" + Text.clip(Text.escape(line)) + "' (no newline)";
  }

  private static void append(StringBuilder why, String more) {
    if (why.length() > 0) {
      why.append("; ");
    }
    why.append(more);
  }
}
