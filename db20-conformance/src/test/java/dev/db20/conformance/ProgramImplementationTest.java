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

/** {@link Implementation#program}: real processes, the conformance protocol as any binary sees it. */
class ProgramImplementationTest {
  @Test
  void argumentsPassThroughUnsplitFollowedByRunDash() throws Exception {
    // sh -c SCRIPT NAME ARGS...: $0 is the first argument after the script.
    Implementation impl = Implementation.program(
        List.of("/bin/sh", "-c", "printf '[%s]' \"$0\" \"$@\"; cat", "an arg  with spaces", "'quoted'"));
    Outcome o = impl.run("cluster 1\n".getBytes(StandardCharsets.US_ASCII));
    assertEquals(0, o.exitCode());
    assertEquals("[an arg  with spaces]['quoted'][run][-]cluster 1\n", new String(o.stdout(), StandardCharsets.US_ASCII));
    assertEquals("sh", impl.name());
  }

  @Test
  void stderrAndExitStatusAreReported() throws Exception {
    Implementation impl = Implementation.program(List.of("/bin/sh", "-c", "echo 'error line 1: x' >&2; exit 2"));
    Outcome o = impl.run(new byte[0]);
    assertEquals(2, o.exitCode());
    assertEquals("error line 1: x", o.firstStderrLine());
  }

  @Test
  void aProgramThatCannotStartThrowsWithItsNameAndReason() {
    Implementation impl = Implementation.program(List.of("/nonexistent/db20-nope"));
    var e = assertThrows(Implementation.CannotStartException.class, () -> impl.run(new byte[0]));
    assertEquals("cannot start '/nonexistent/db20-nope': No such file or directory", e.getMessage());
    var whole = assertThrows(Implementation.CannotStartException.class,
        () -> Conformance.check(impl, ConformanceTest.PUT));
    assertEquals(e.getMessage(), whole.getMessage());
  }

  @Test
  void aSlowProgramIsKilledAndFailsItsVector() throws Exception {
    Implementation impl = Implementation.program(List.of("/bin/sh", "-c", "exec sleep 30"), Duration.ofMillis(300));
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
    Conformance.Report report = Conformance.run(Implementation.program(List.of("cat")), Suite.bundled(), r -> { });
    assertEquals(report.results().size(), report.failures());
    for (Conformance.Result r : report.results()) {
      assertFalse(r.detail().isEmpty(), r.vector());
    }
  }

  @Test
  void aProgramThatIgnoresStdinAndPrintsALotDoesNotDeadlock() throws Exception {
    Implementation impl = Implementation.program(List.of("/bin/sh", "-c", "head -c 3000000 /dev/zero; head -c 3000000 /dev/zero >&2"));
    Outcome o = impl.run(new byte[5_000_000]);
    assertEquals(3_000_000, o.stdout().length);
    assertEquals(3_000_000, o.stderr().length());
  }

  @Test
  void badArgumentsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Implementation.program(List.of()));
    assertThrows(IllegalArgumentException.class, () -> Implementation.program(List.of("x"), Duration.ZERO));
  }
}
