package dev.db20.conformance;

import dev.db20.wire.Bytes;
import dev.db20.wire.Hex;
import dev.db20.wire.SnapshotFormatException;
import dev.db20.wire.SnapshotReader;
import dev.db20.wire.SnapshotState;
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
 * Checks an {@link Implementation} against the vectors of a {@link Suite}: for a script vector,
 * standard output byte for byte, the exit status (0, or 2 for an error vector), and for an error
 * vector the whole first line of standard error; for a check vector, the one line of {@code check
 * FILE} and its exit status; for a process vector, what the program does under a closed or full
 * standard output or a SIGTERM.
 */
public final class Conformance {
  private Conformance() {}

  /** How one vector went. */
  public enum Verdict {
    /** The implementation matched the vector. */
    PASSED,
    /** It did not; the detail says what differed. */
    FAILED,
    /**
     * The vector could not be run here: a process vector whose condition this platform lacks, or an
     * implementation that is not a process. The detail says which.
     */
    SKIPPED
  }

  /**
   * The verdict on one vector.
   *
   * @param vector the vector's name
   * @param verdict passed, failed or skipped
   * @param detail empty on a pass; on a failure, what differed: for output, the first differing
   *     line of each side, escaped so that it holds printable ASCII only; on a skip, why
   * @param time how long the run took
   */
  public record Result(String vector, Verdict verdict, String detail, Duration time) {
    /** A pass or a failure. */
    public Result(String vector, boolean passed, String detail, Duration time) {
      this(vector, passed ? Verdict.PASSED : Verdict.FAILED, detail, time);
    }

    /** Whether the implementation matched the vector. */
    public boolean passed() {
      return verdict == Verdict.PASSED;
    }

    /** Whether the vector was not run here. */
    public boolean skipped() {
      return verdict == Verdict.SKIPPED;
    }
  }

  /**
   * A whole run: which suite, which implementation, each vector's result.
   *
   * @param suite the suite's label ({@link Suite#label()})
   * @param sha256 the suite's digest
   * @param released whether the suite is the released one ({@link Suite#isReleased()})
   * @param implementation the implementation's name
   * @param results one per vector, in suite order
   */
  public record Report(
      String suite, String sha256, boolean released, String implementation, List<Result> results) {
    /** Freezes the list. */
    public Report {
      results = List.copyOf(results);
    }

    /** How many vectors failed. */
    public int failures() {
      return (int) results.stream().filter(r -> r.verdict() == Verdict.FAILED).count();
    }

    /** How many vectors were skipped. */
    public int skips() {
      return (int) results.stream().filter(Result::skipped).count();
    }

    /** How many vectors passed. */
    public int passes() {
      return (int) results.stream().filter(Result::passed).count();
    }

    /** The sum of the vectors' run times. */
    public Duration time() {
      return results.stream().map(Result::time).reduce(Duration.ZERO, Duration::plus);
    }

    /**
     * {@code IMPL: N passed, M failed} (and {@code , K skipped} if any), the closing line of a run.
     */
    public String summary() {
      return implementation
          + ": "
          + passes()
          + " passed, "
          + failures()
          + " failed"
          + (skips() > 0 ? ", " + skips() + " skipped" : "");
    }
  }

  /**
   * Runs {@code vector} on {@code impl} and compares.
   *
   * @throws Implementation.CannotStartException if the implementation cannot run at all; any other
   *     failure to run is a failed result
   */
  public static Result check(Implementation impl, Vector vector)
      throws Implementation.CannotStartException {
    long start = System.nanoTime();
    Outcome got;
    try {
      got = impl.run(vector.script());
    } catch (Implementation.CannotStartException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      return couldNotRun(vector.name(), e, start);
    }
    Duration time = Duration.ofNanos(System.nanoTime() - start);
    StringBuilder why = new StringBuilder();
    exit(why, got, vector.expectedExit());
    stdout(why, got, vector.expectedStdout());
    if (vector.isError()) {
      stderr(why, got, vector.expectedStderrLine());
    }
    if (differsAt(vector.expectedStdout(), got.stdout(), DIGEST)) {
      why.append(digestDifference(impl, vector.script()));
    }
    return new Result(vector.name(), why.length() == 0, why.toString(), time);
  }

  private static final byte[] DIGEST = "digest ".getBytes(StandardCharsets.US_ASCII);

  /** Whether the first line where the two differ starts with {@code prefix} on both sides. */
  private static boolean differsAt(byte[] expected, byte[] got, byte[] prefix) {
    int d = Arrays.mismatch(expected, got);
    if (d < 0) {
      return false;
    }
    int start = 0;
    for (int i = 0; i < Math.min(d, Math.min(expected.length, got.length)); i++) {
      if (expected[i] == '\n') {
        start = i + 1;
      }
    }
    return startsWith(expected, start, prefix) && startsWith(got, start, prefix);
  }

  /**
   * For a script whose {@code digest} line differs: the script again with every replica's {@code
   * snapshot} before each {@code digest} line, run by Java (the expected states) and by {@code
   * impl}; the first differing snapshot names the replica and key. "" if that run shows nothing
   * more.
   */
  static String digestDifference(Implementation impl, byte[] script) {
    java.io.ByteArrayOutputStream probe = new java.io.ByteArrayOutputStream();
    long replicas = 0;
    int start = 0;
    while (start < script.length) {
      int nl = start;
      while (nl < script.length && script[nl] != '\n') {
        nl++;
      }
      String line = new String(script, start, nl - start, StandardCharsets.ISO_8859_1);
      String[] tokens = line.strip().split("[ \t]+");
      if (tokens.length == 2 && tokens[0].equals("cluster") && tokens[1].matches("[0-9]{1,3}")) {
        replicas = Long.parseLong(tokens[1]);
      } else if (tokens.length == 1 && tokens[0].equals("digest")) {
        // Before the digest line: the snapshots differ first, so they are what gets compared.
        for (long id = 0; id < replicas; id++) {
          probe.writeBytes(("snapshot " + id + "\n").getBytes(StandardCharsets.US_ASCII));
        }
      }
      probe.write(script, start, nl - start);
      probe.write('\n');
      start = nl + 1;
    }
    try {
      byte[] want = Implementation.java().run(probe.toByteArray()).stdout();
      byte[] got = impl.run(probe.toByteArray()).stdout();
      if (!differsAt(want, got, SNAPSHOT)) {
        return "";
      }
      int d = Arrays.mismatch(want, got);
      int at = 0;
      for (int i = 0; i < d; i++) {
        if (want[i] == '\n') {
          at = i + 1;
        }
      }
      return snapshotDifference(lineAt(want, at), lineAt(got, at));
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /**
   * Runs {@code check FILE} on {@code impl} for {@code vector}'s file (written to a temporary file,
   * deleted afterwards) and compares the standard output with the expected line and the exit status
   * with the expected one.
   *
   * @throws Implementation.CannotStartException if the implementation cannot run at all
   */
  public static Result check(Implementation impl, CheckVector vector)
      throws Implementation.CannotStartException {
    long start = System.nanoTime();
    Optional<Implementation.SnapshotChecker> checker = impl.checker();
    if (checker.isEmpty()) {
      return new Result(
          vector.name(),
          false,
          "no 'check FILE': the implementation offers no checker()",
          Duration.ZERO);
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
      return couldNotRun(vector.name(), e, start);
    } finally {
      deleteQuietly(file);
    }
    Duration time = Duration.ofNanos(System.nanoTime() - start);
    StringBuilder why = new StringBuilder();
    exit(why, got, vector.expectedExit());
    stdout(why, got, vector.expectedStdout());
    return new Result(vector.name(), why.length() == 0, why.toString(), time);
  }

  /**
   * Runs {@code vector}'s script on {@code impl} as a process under the vector's condition and
   * compares. Skipped, with the reason, where the platform lacks the condition or the
   * implementation is not a process.
   *
   * @throws Implementation.CannotStartException if the implementation cannot run at all
   */
  public static Result check(Implementation impl, ProcessVector vector)
      throws Implementation.CannotStartException {
    Optional<String> unsupported = vector.condition().unsupported();
    if (unsupported.isPresent()) {
      return new Result(vector.name(), Verdict.SKIPPED, unsupported.get(), Duration.ZERO);
    }
    Optional<Implementation.ProcessRunner> runner = impl.processes();
    if (runner.isEmpty()) {
      return new Result(
          vector.name(),
          Verdict.SKIPPED,
          "an in-process implementation cannot run under "
              + vector.condition().word()
              + " (give a program: Implementation.program, db20 conform --impl)",
          Duration.ZERO);
    }
    long start = System.nanoTime();
    byte[] awaited = vector.expectedStdout() == null ? new byte[0] : vector.expectedStdout();
    Outcome got;
    try {
      got = runner.get().run(vector.script(), vector.condition(), awaited);
    } catch (Implementation.CannotStartException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      return couldNotRun(vector.name(), e, start);
    }
    Duration time = Duration.ofNanos(System.nanoTime() - start);
    StringBuilder why = new StringBuilder();
    if (vector.expectedExit().isPresent()) {
      exit(why, got, vector.expectedExit().get());
    } else if (got.exitCode() == 0) {
      why.append("exit 0, expected a non-zero status");
    }
    if (vector.expectedStdout() != null) {
      stdout(why, got, vector.expectedStdout());
    }
    if (vector.expectedStderrLine() != null) {
      stderr(why, got, vector.expectedStderrLine());
    }
    return new Result(vector.name(), why.length() == 0, why.toString(), time);
  }

  private static Result couldNotRun(String name, Exception e, long start) {
    return new Result(
        name,
        false,
        "could not run: " + Text.show(String.valueOf(e.getMessage())),
        Duration.ofNanos(System.nanoTime() - start));
  }

  private static void exit(StringBuilder why, Outcome got, int expected) {
    if (got.exitCode() != expected) {
      append(why, "exit " + got.exitCode() + ", expected " + expected);
      if (!got.stderr().isEmpty()) {
        why.append(" (stderr: '").append(Text.show(got.firstStderrLine())).append("')");
      }
    }
  }

  private static void stdout(StringBuilder why, Outcome got, byte[] expected) {
    byte[] out = got.stdout();
    if (!Arrays.equals(out, expected) || got.stdoutDropped() > 0) {
      append(why, firstDifference(expected, out, got.stdoutDropped()));
    }
  }

  private static void stderr(StringBuilder why, Outcome got, String expected) {
    if (!got.firstStderrLine().equals(expected)) {
      append(
          why,
          "stderr line 1: expected '"
              + Text.show(expected)
              + "', got '"
              + Text.show(got.firstStderrLine())
              + "'");
    }
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
   * Checks every vector of {@code suite}, script vectors, then check vectors, then process vectors,
   * handing each result to {@code each} as it comes.
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
    for (ProcessVector v : suite.processes()) {
      Result r = check(impl, v);
      results.add(r);
      each.accept(r);
    }
    return new Report(suite.label(), suite.sha256(), suite.isReleased(), impl.name(), results);
  }

  /**
   * Checks every vector, printing {@code pass NAME}, {@code FAIL NAME: DETAIL} or {@code skip NAME:
   * WHY} for each, then the suite line and the closing {@code IMPL: N passed, M failed} line.
   *
   * @return the report
   */
  public static Report checkAll(Implementation impl, Suite suite, PrintStream out)
      throws Implementation.CannotStartException {
    Report report =
        run(
            impl,
            suite,
            r ->
                out.println(
                    switch (r.verdict()) {
                      case PASSED -> "pass " + r.vector();
                      case FAILED -> "FAIL " + r.vector() + ": " + r.detail();
                      case SKIPPED -> "skip " + r.vector() + ": " + r.detail();
                    }));
    out.println(
        "suite "
            + report.suite()
            + " (sha256 "
            + report.sha256().substring(0, 16)
            + ", "
            + report.results().size()
            + " vectors)");
    out.println(report.summary());
    return report;
  }

  /** {@link #firstDifference(byte[], byte[], long)} of a whole output. */
  static String firstDifference(byte[] expected, byte[] got) {
    return firstDifference(expected, got, 0);
  }

  /**
   * Describes the first line where {@code expected} and {@code got} differ, each side escaped and
   * cut; {@code dropped} bytes followed {@code got} unseen. Time and memory are bounded by the
   * shown text, not the outputs' size. A differing {@code snapshot} line also names the first
   * differing field or entry of the two snapshots.
   */
  static String firstDifference(byte[] expected, byte[] got, long dropped) {
    int n = Math.min(expected.length, got.length);
    int d = Arrays.mismatch(expected, got);
    if (d < 0) {
      // Equal as far as both go: only the dropped bytes differ.
      return "stdout: " + dropped + " bytes after the expected " + expected.length + " bytes";
    }
    int line = 1;
    int start = 0;
    for (int i = 0; i < Math.min(d, n); i++) {
      if (expected[i] == '\n') {
        line++;
        start = i + 1;
      }
    }
    String e = show(expected, start, 0);
    String g = show(got, start, dropped);
    String more = "";
    if (startsWith(expected, start, SNAPSHOT) && startsWith(got, start, SNAPSHOT)) {
      more = snapshotDifference(lineAt(expected, start), lineAt(got, start));
    }
    return "stdout line " + line + ": expected " + e + ", got " + g + more;
  }

  private static final byte[] SNAPSHOT = "snapshot ".getBytes(StandardCharsets.US_ASCII);

  private static boolean startsWith(byte[] b, int at, byte[] prefix) {
    return b.length - at >= prefix.length
        && Arrays.equals(b, at, at + prefix.length, prefix, 0, prefix.length);
  }

  private static int lineEnd(byte[] b, int start) {
    int i = start;
    while (i < b.length && b[i] != '\n') {
      i++;
    }
    return i;
  }

  private static String lineAt(byte[] b, int start) {
    return new String(b, start, lineEnd(b, start) - start, StandardCharsets.ISO_8859_1);
  }

  /** One side's line at {@code start}, quoted, escaped and cut, or {@code end of output}. */
  private static String show(byte[] b, int start, long dropped) {
    if (start >= b.length) {
      return dropped > 0
          ? "more than the " + b.length + " bytes kept (" + dropped + " dropped)"
          : "end of output";
    }
    int end = lineEnd(b, start);
    int len = end - start;
    int cut = Math.min(len, Text.SHOWN);
    String head = Text.escape(new String(b, start, cut, StandardCharsets.ISO_8859_1));
    if (head.length() > Text.SHOWN) {
      head = head.substring(0, Text.SHOWN);
    }
    boolean whole = end < b.length || dropped == 0;
    String text =
        cut < len || !whole
            ? head + "...(" + (whole ? len + " chars" : "more than " + len + " chars") + ")"
            : head;
    return "'" + text + "'" + (end == b.length && dropped == 0 ? " (no newline)" : "");
  }

  /**
   * For two {@code snapshot ID HEX} lines: the first field or entry in which the decoded snapshots
   * differ, or "" if either does not decode.
   */
  static String snapshotDifference(String expected, String got) {
    String[] e = expected.split(" ", 3);
    String[] g = got.split(" ", 3);
    if (e.length != 3 || g.length != 3 || !e[1].equals(g[1])) {
      return "";
    }
    SnapshotState a;
    SnapshotState b;
    try {
      a = SnapshotReader.decode(Hex.decode(e[2]));
      b = SnapshotReader.decode(Hex.decode(g[2]));
    } catch (SnapshotFormatException | IllegalArgumentException x) {
      return "";
    }
    String replica = "; replica " + Text.show(e[1]);
    if (a.commitIndex() != b.commitIndex()) {
      return replica
          + ": commit_index expected "
          + Long.toUnsignedString(a.commitIndex())
          + ", got "
          + Long.toUnsignedString(b.commitIndex());
    }
    List<SnapshotState.Entry> x = a.entries();
    List<SnapshotState.Entry> y = b.entries();
    for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
      if (i >= x.size()) {
        return replica + ": entry " + i + " key " + key(y.get(i).key()) + " is extra";
      }
      if (i >= y.size()) {
        return replica + ": entry " + i + " key " + key(x.get(i).key()) + " is missing";
      }
      int order = x.get(i).key().compareTo(y.get(i).key());
      if (order < 0) {
        return replica + ": key " + key(x.get(i).key()) + " is missing";
      }
      if (order > 0) {
        return replica + ": key " + key(y.get(i).key()) + " is extra";
      }
      if (!x.get(i).value().equals(y.get(i).value())) {
        return replica
            + ": key "
            + key(x.get(i).key())
            + " value expected "
            + key(x.get(i).value())
            + ", got "
            + key(y.get(i).value());
      }
    }
    return "";
  }

  private static String key(Bytes b) {
    return Text.show(b.toString());
  }

  private static void append(StringBuilder why, String more) {
    if (why.length() > 0) {
      why.append("; ");
    }
    why.append(more);
  }
}
