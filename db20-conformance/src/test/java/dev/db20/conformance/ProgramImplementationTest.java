package dev.db20.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Implementation#program}: real processes, the conformance protocol as any binary sees it.
 */
class ProgramImplementationTest {
  @Test
  void argumentsPassThroughUnsplitFollowedByRunDash() throws Exception {
    // sh -c SCRIPT NAME ARGS...: $0 is the first argument after the script.
    Implementation impl =
        Implementation.program(
            List.of(
                "/bin/sh",
                "-c",
                "printf '[%s]' \"$0\" \"$@\"; cat",
                "an arg  with spaces",
                "'quoted'"));
    Outcome o = impl.run("cluster 1\n".getBytes(StandardCharsets.US_ASCII));
    assertEquals(0, o.exitCode());
    assertEquals(
        "[an arg  with spaces]['quoted'][run][-]cluster 1\n",
        new String(o.stdout(), StandardCharsets.US_ASCII));
    assertEquals("sh", impl.name());
  }

  @Test
  void stderrAndExitStatusAreReported() throws Exception {
    Implementation impl =
        Implementation.program(List.of("/bin/sh", "-c", "echo 'error line 1: x' >&2; exit 2"));
    Outcome o = impl.run(new byte[0]);
    assertEquals(2, o.exitCode());
    assertEquals("error line 1: x", o.firstStderrLine());
  }

  @Test
  void aProgramThatCannotStartThrowsWithItsNameAndReason() {
    Implementation impl = Implementation.program(List.of("/nonexistent/db20-nope"));
    var e = assertThrows(Implementation.CannotStartException.class, () -> impl.run(new byte[0]));
    assertEquals(
        "cannot start '/nonexistent/db20-nope': No such file or directory", e.getMessage());
    var whole =
        assertThrows(
            Implementation.CannotStartException.class,
            () -> Conformance.check(impl, ConformanceTest.PUT));
    assertEquals(e.getMessage(), whole.getMessage());
  }

  @Test
  void aSlowProgramIsKilledAndFailsItsVector() throws Exception {
    Implementation impl =
        Implementation.program(List.of("/bin/sh", "-c", "exec sleep 30"), Duration.ofMillis(300));
    long start = System.nanoTime();
    var e = assertThrows(IOException.class, () -> impl.run(new byte[0]));
    assertTrue(e.getMessage().startsWith("no exit within"), e.getMessage());
    assertTrue(System.nanoTime() - start < 10_000_000_000L, "killed promptly");
    Conformance.Result r = Conformance.check(impl, ConformanceTest.PUT);
    assertFalse(r.passed());
    assertTrue(r.detail().startsWith("could not run: no exit within"), r.detail());
  }

  @Test
  void catFailsEveryVectorWithAMessage() throws Exception {
    Conformance.Report report =
        Conformance.run(Implementation.program(List.of("cat")), Suite.bundled(), r -> {});
    assertEquals(report.results().size(), report.failures());
    for (Conformance.Result r : report.results()) {
      assertFalse(r.detail().isEmpty(), r.vector());
    }
  }

  @Test
  void aProgramThatIgnoresStdinAndPrintsALotDoesNotDeadlock() throws Exception {
    Implementation impl =
        Implementation.program(
            List.of("/bin/sh", "-c", "head -c 3000000 /dev/zero; head -c 3000000 /dev/zero >&2"));
    Outcome o = impl.run(new byte[5_000_000]);
    assertEquals(3_000_000, o.stdout().length);
    // Standard error is kept up to its bound, the rest dropped: only its first line counts.
    assertEquals(ProgramImplementation.MAX_STDERR, o.stderr().length());
  }

  @Test
  void anEndlessPrinterIsKilledAtTheTimeoutAndItsOutputIsBounded() {
    Implementation impl =
        Implementation.program(
            List.of("/bin/sh", "-c", "exec cat /dev/zero"), Duration.ofSeconds(2));
    long start = System.nanoTime();
    var e = assertThrows(IOException.class, () -> impl.run(new byte[0]));
    assertTrue(e.getMessage().startsWith("no exit within 2 s"), e.getMessage());
    assertTrue(System.nanoTime() - start < 20_000_000_000L, "killed promptly");
  }

  @Test
  void outputPastTheBoundIsCountedNotKept() throws Exception {
    long printed = ProgramImplementation.MAX_STDOUT + 5_000_000L;
    Implementation impl =
        Implementation.program(List.of("/bin/sh", "-c", "head -c " + printed + " /dev/zero"));
    Outcome o = impl.run(new byte[0]);
    assertEquals(ProgramImplementation.MAX_STDOUT, o.stdout().length);
    assertEquals(5_000_000L, o.stdoutDropped());
    Conformance.Result r = Conformance.check(impl, ConformanceTest.PUT);
    assertFalse(r.passed());
    assertTrue(r.detail().length() < 1_000, r.detail().length() + " chars");
    assertTrue(
        r.detail().startsWith("stdout line 1: expected 'committed 1', got '\\x00"), r.detail());
    assertTrue(
        r.detail().endsWith("...(more than " + ProgramImplementation.MAX_STDOUT + " chars)'"),
        r.detail());
  }

  @Test
  void aGrandchildHoldingStdoutDoesNotOutliveTheRun(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
    java.nio.file.Path pidFile = tmp.resolve("pid");
    Implementation impl =
        Implementation.program(
            List.of(
                "/bin/sh",
                "-c",
                "sleep 300 & echo $! > '" + pidFile + "'; sleep 1; echo 'committed 1'"));
    long start = System.nanoTime();
    Outcome o = impl.run(new byte[0]);
    assertEquals("committed 1\n", new String(o.stdout(), StandardCharsets.US_ASCII));
    assertTrue(
        System.nanoTime() - start < 30_000_000_000L, "the run did not wait for the grandchild");
    long pid = Long.parseLong(java.nio.file.Files.readString(pidFile).strip());
    var grandchild = ProcessHandle.of(pid);
    if (grandchild.isPresent()) {
      grandchild.get().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
    assertFalse(
        ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
        "sleep " + pid + " still runs");
  }

  @Test
  void aClosedStdoutKillsAProgramThatKeepsSigpipesDefault() throws Exception {
    // sh with SIGPIPE at its default: its first write into the closed pipe kills it (128 + 13).
    Implementation impl =
        Implementation.program(List.of("/bin/sh", "-c", "sleep 0.2; echo x; echo survived >&2"));
    Outcome o =
        impl.processes()
            .orElseThrow()
            .run(new byte[0], ProcessVector.Condition.STDOUT_CLOSED, new byte[0]);
    assertEquals(141, o.exitCode(), o.stderr());
    assertEquals("", o.stderr());
  }

  @Test
  void aFullStdoutFailsEveryWrite() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        ProcessVector.Condition.STDOUT_FULL.unsupported().isEmpty(), "no /dev/full");
    Implementation impl =
        Implementation.program(List.of("/bin/sh", "-c", "printf x || echo 'write failed' >&2"));
    Outcome o =
        impl.processes()
            .orElseThrow()
            .run(new byte[0], ProcessVector.Condition.STDOUT_FULL, new byte[0]);
    assertTrue(o.stderr().endsWith("write failed\n"), o.stderr());
  }

  @Test
  void sigtermComesAfterTheAwaitedOutputAndKeepsIt() throws Exception {
    Implementation impl =
        Implementation.program(List.of("/bin/sh", "-c", "echo one; echo two; exec sleep 30"));
    long start = System.nanoTime();
    Outcome o =
        impl.processes()
            .orElseThrow()
            .run(
                new byte[0],
                ProcessVector.Condition.SIGTERM_AFTER_OUTPUT,
                "one\ntwo\n".getBytes(StandardCharsets.US_ASCII));
    assertEquals("one\ntwo\n", new String(o.stdout(), StandardCharsets.US_ASCII));
    assertEquals(128 + 15, o.exitCode());
    assertTrue(System.nanoTime() - start < 20_000_000_000L, "terminated, not timed out");
  }

  @Test
  void badArgumentsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Implementation.program(List.of()));
    assertThrows(
        IllegalArgumentException.class, () -> Implementation.program(List.of("x"), Duration.ZERO));
  }
}
