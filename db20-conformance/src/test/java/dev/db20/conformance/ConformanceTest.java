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
  static final Vector PUT = new Vector("put", ascii("cluster 1\nput a v\n"), ascii("committed 1\n"), null);
  static final Vector BAD = new Vector("bad", ascii("cluster 1\nnoop\nbad\n"), ascii("committed 1\n"), "error line 3:");

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
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
  void javaPassesBothKinds() {
    assertTrue(Conformance.check(Implementation.java(), PUT).passed());
    assertTrue(Conformance.check(Implementation.java(), BAD).passed());
  }

  @Test
  void differentStdoutFailsAndShowsTheFirstDifferingLine() {
    var r = Conformance.check(fixed(new Outcome(ascii("committed 2\n"), "", 0)), PUT);
    assertFalse(r.passed());
    assertEquals("stdout line 1: expected 'committed 1', got 'committed 2'", r.detail());
  }

  @Test
  void missingFinalNewlineFails() {
    assertFalse(Conformance.check(fixed(new Outcome(ascii("committed 1"), "", 0)), PUT).passed());
  }

  @Test
  void wrongExitFails() {
    assertFalse(Conformance.check(fixed(new Outcome(ascii("committed 1\n"), "", 1)), PUT).passed());
    assertFalse(Conformance.check(fixed(new Outcome(ascii("committed 1\n"), "error line 3: x\n", 1)), BAD).passed());
  }

  @Test
  void wrongErrorLineFails() {
    var r = Conformance.check(fixed(new Outcome(ascii("committed 1\n"), "error line 2: x\n", 2)), BAD);
    assertFalse(r.passed());
    assertTrue(r.detail().contains("error line 3:"), r.detail());
  }

  @Test
  void checkAllEndsWithPassedFailedLine() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int failed = Conformance.checkAll(fixed(new Outcome(ascii("committed 1\n"), "", 0)), List.of(PUT, BAD),
        new PrintStream(buf, true, StandardCharsets.UTF_8));
    assertEquals(1, failed);
    List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals("fixed: 1 passed, 1 failed", lines.get(lines.size() - 1));
  }
}
