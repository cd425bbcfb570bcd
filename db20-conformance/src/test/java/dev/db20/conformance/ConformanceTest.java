package dev.db20.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The runner itself: it must fail a wrong implementation, not only pass a right one. */
class ConformanceTest {
  static final Vector PUT =
      new Vector("put", ascii("cluster 1\nput a v\n"), ascii("committed 1\n"), null);
  static final Vector BAD =
      new Vector(
          "bad",
          ascii("cluster 1\nnoop\nfly\n"),
          ascii("committed 1\n"),
          "error line 3: unknown command 'fly'");

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static Implementation fixed(Outcome o) {
    return new Implementation() {
      @Override
      public String name() {
        return "fixed";
      }

      @Override
      public Outcome run(byte[] script) {
        return o;
      }
    };
  }

  @Test
  void javaPassesBothKinds() throws Exception {
    assertTrue(Conformance.check(Implementation.java(), PUT).passed());
    Conformance.Result bad = Conformance.check(Implementation.java(), BAD);
    assertTrue(bad.passed(), bad.detail());
  }

  @Test
  void differentStdoutFailsAndShowsTheFirstDifferingLine() throws Exception {
    var r = Conformance.check(fixed(new Outcome(ascii("committed 2\n"), "", 0)), PUT);
    assertFalse(r.passed());
    assertEquals("stdout line 1: expected 'committed 1', got 'committed 2'", r.detail());
  }

  @Test
  void missingFinalNewlineFailsAndSaysSo() throws Exception {
    var r = Conformance.check(fixed(new Outcome(ascii("committed 1"), "", 0)), PUT);
    assertFalse(r.passed());
    assertEquals(
        "stdout line 1: expected 'committed 1', got 'committed 1' (no newline)", r.detail());
  }

  @Test
  void shorterOutputShowsEndOfOutput() throws Exception {
    var r = Conformance.check(fixed(new Outcome(ascii(""), "", 0)), PUT);
    assertEquals("stdout line 1: expected 'committed 1', got end of output", r.detail());
  }

  @Test
  void controlBytesAreEscapedInTheMessage() throws Exception {
    var r = Conformance.check(fixed(new Outcome(ascii("\u001b[31mred\r\n"), "", 0)), PUT);
    assertEquals("stdout line 1: expected 'committed 1', got '\\x1b[31mred\\x0d'", r.detail());
  }

  @Test
  void wrongExitFails() throws Exception {
    assertFalse(Conformance.check(fixed(new Outcome(ascii("committed 1\n"), "", 1)), PUT).passed());
    var r =
        Conformance.check(
            fixed(new Outcome(ascii("committed 1\n"), "error line 3: unknown command 'fly'\n", 1)),
            BAD);
    assertFalse(r.passed());
    assertTrue(r.detail().startsWith("exit 1, expected 2"), r.detail());
  }

  @Test
  void theWholeFirstStderrLineMustMatch() throws Exception {
    // A prefix is not enough: the .err file pins the whole line (spec-notes N12).
    var prefix =
        Conformance.check(
            fixed(new Outcome(ascii("committed 1\n"), "error line 3: unknown command\n", 2)), BAD);
    assertFalse(prefix.passed());
    assertEquals(
        "stderr line 1: expected 'error line 3: unknown command 'fly'', got 'error line 3: unknown command'",
        prefix.detail());
    var longer =
        Conformance.check(
            fixed(
                new Outcome(ascii("committed 1\n"), "error line 3: unknown command 'fly' x\n", 2)),
            BAD);
    assertFalse(longer.passed());
    var exact =
        Conformance.check(
            fixed(
                new Outcome(
                    ascii("committed 1\n"), "error line 3: unknown command 'fly'\nmore\n", 2)),
            BAD);
    assertTrue(exact.passed(), exact.detail());
  }

  @Test
  void aDifferingSnapshotLineNamesTheFirstDifferingKey() throws Exception {
    // Expected: {"a": "v", "b": "w"} at commit 2; got: {"a": "v", "b": "x"} at commit 2.
    String want = "snapshot 1 " + snapshotHex(2, "a", "v", "b", "w");
    Vector v = new Vector("snap", ascii("cluster 2\n"), ascii(want + "\n"), null);
    var r =
        Conformance.check(
            fixed(
                new Outcome(
                    ascii("snapshot 1 " + snapshotHex(2, "a", "v", "b", "x") + "\n"), "", 0)),
            v);
    assertFalse(r.passed());
    assertTrue(r.detail().endsWith("; replica 1: key 62 value expected 77, got 78"), r.detail());
    var missing =
        Conformance.check(
            fixed(new Outcome(ascii("snapshot 1 " + snapshotHex(2, "a", "v") + "\n"), "", 0)), v);
    assertTrue(
        missing.detail().endsWith("; replica 1: entry 1 key 62 is missing"), missing.detail());
    var commit =
        Conformance.check(
            fixed(
                new Outcome(
                    ascii("snapshot 1 " + snapshotHex(3, "a", "v", "b", "w") + "\n"), "", 0)),
            v);
    assertTrue(
        commit.detail().endsWith("; replica 1: commit_index expected 2, got 3"), commit.detail());
  }

  private static String snapshotHex(long commit, String... kv) {
    java.util.List<dev.db20.wire.SnapshotState.Entry> entries = new java.util.ArrayList<>();
    for (int i = 0; i < kv.length; i += 2) {
      entries.add(
          new dev.db20.wire.SnapshotState.Entry(
              dev.db20.wire.Bytes.ofAscii(kv[i]), dev.db20.wire.Bytes.ofAscii(kv[i + 1])));
    }
    return dev.db20.wire.Hex.encode(
        dev.db20.wire.SnapshotWriter.encode(new dev.db20.wire.SnapshotState(commit, entries)));
  }

  @Test
  void aHugeDifferingLineGivesAShortDetail() throws Exception {
    byte[] huge = new byte[10_000_000];
    java.util.Arrays.fill(huge, (byte) 0x1b);
    var r = Conformance.check(fixed(new Outcome(huge, "", 0)), PUT);
    assertTrue(r.detail().length() < 1_000, r.detail().length() + " chars");
    assertTrue(r.detail().endsWith("...(10000000 chars)' (no newline)"), r.detail());
  }

  @Test
  void processVerdicts() throws Exception {
    ProcessVector closed =
        new ProcessVector(
            "proc-x",
            ascii("cluster 1\n"),
            ProcessVector.Condition.STDOUT_CLOSED,
            java.util.Optional.of(2),
            "error: cannot write to standard output",
            null);
    ProcessVector term =
        new ProcessVector(
            "proc-t",
            ascii("cluster 1\n"),
            ProcessVector.Condition.SIGTERM_AFTER_OUTPUT,
            java.util.Optional.empty(),
            null,
            ascii("committed 1\n"));
    assertTrue(
        Conformance.check(
                process(new Outcome(new byte[0], "error: cannot write to standard output\n", 2)),
                closed)
            .passed());
    var killed = Conformance.check(process(new Outcome(new byte[0], "", 141)), closed);
    assertEquals(
        "exit 141, expected 2; stderr line 1: expected 'error: cannot write to standard output', got ''",
        killed.detail());
    assertTrue(
        Conformance.check(process(new Outcome(ascii("committed 1\n"), "", 143)), term).passed());
    assertEquals(
        "stdout line 1: expected 'committed 1', got end of output",
        Conformance.check(process(new Outcome(new byte[0], "", 143)), term).detail());
    assertEquals(
        "exit 0, expected a non-zero status",
        Conformance.check(process(new Outcome(ascii("committed 1\n"), "", 0)), term).detail());
    var skipped = Conformance.check(fixed(new Outcome(new byte[0], "", 0)), closed);
    assertTrue(skipped.skipped(), skipped.detail());
    assertTrue(
        skipped.detail().startsWith("an in-process implementation cannot run under stdout-closed"),
        skipped.detail());
  }

  static Implementation process(Outcome o) {
    return new Implementation() {
      @Override
      public Outcome run(byte[] script) {
        return o;
      }

      @Override
      public java.util.Optional<ProcessRunner> processes() {
        return java.util.Optional.of((script, condition, awaited) -> o);
      }
    };
  }

  @Test
  void aDifferingDigestNamesTheFirstDifferingReplicaAndKey() throws Exception {
    // Java, except that every value put under key "b" is stored as "x".
    Implementation wrong =
        new Implementation() {
          @Override
          public String name() {
            return "wrong-b";
          }

          @Override
          public Outcome run(byte[] script) throws java.io.IOException {
            String s =
                new String(script, StandardCharsets.ISO_8859_1).replace("put b w", "put b x");
            return Implementation.java().run(s.getBytes(StandardCharsets.ISO_8859_1));
          }
        };
    byte[] script = ascii("cluster 3\nput a v\npartition 2\nput b w\ndigest\n");
    Vector v = new Vector("dig", script, Implementation.java().run(script).stdout(), null);
    var r = Conformance.check(wrong, v);
    assertFalse(r.passed());
    assertTrue(r.detail().startsWith("stdout line 3: expected 'digest "), r.detail());
    assertTrue(r.detail().endsWith("; replica 0: key 62 value expected 77, got 78"), r.detail());
  }

  @Test
  void checkAllPrintsTheSuiteAndEndsWithPassedFailedLine() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Suite suite = new Suite("test", List.of(PUT, BAD), Suite.digest(List.of(PUT, BAD)));
    Conformance.Report report =
        Conformance.checkAll(
            fixed(new Outcome(ascii("committed 1\n"), "", 0)),
            suite,
            new PrintStream(buf, true, StandardCharsets.UTF_8));
    assertEquals(1, report.failures());
    List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(
        List.of(
            "pass put",
            "FAIL bad: exit 0, expected 2; stderr line 1: expected 'error line 3: unknown command 'fly'', got ''"),
        lines.subList(0, 2));
    assertTrue(
        lines.get(2).startsWith("suite unreleased vectors from test (sha256 "), lines.get(2));
    assertEquals("fixed: 1 passed, 1 failed", lines.get(3));
  }
}
