package dev.db20.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.db20.script.ScriptRunner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code db20 bench} runs the same workload a script would, and refuses bad arguments. */
class BenchCommandTest {

  private static String[] run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Db20.execute(args);
      return new String[] {
        String.valueOf(code),
        out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8)
      };
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void partitionPhaseGivesTheDigestOfTheEquivalentScript() throws Exception {
    String[] r =
        run(
            "bench",
            "--replicas",
            "5",
            "--keys",
            "50",
            "--ops",
            "1000",
            "--seed",
            "3",
            "--partition-phase");
    assertEquals("0", r[0], r[2]);
    ByteArrayOutputStream script = new ByteArrayOutputStream();
    new ScriptRunner(script)
        .run(
            new ByteArrayInputStream(
                "cluster 5\nseed 3\nkeys 50\nops 600\npartition 3 4\nops 200\nheal\nops 200\ndigest\n"
                    .getBytes(StandardCharsets.US_ASCII)));
    String expectedDigest =
        script.toString(StandardCharsets.US_ASCII).lines().reduce((a, b) -> b).orElseThrow();
    assertTrue(r[1].contains("\n" + expectedDigest + "\n"), r[1]);
    assertTrue(
        r[1].startsWith("ops 1000 committed=1000 rejected=0 replicas=5 keys=50 partition-phase\n"),
        r[1]);
  }

  @Test
  void badArgumentsExitTwoWithOneLine() {
    String[] r = run("bench", "--partition-phase", "--replicas", "2");
    assertEquals("2", r[0]);
    assertEquals(
        "db20 bench: --partition-phase needs --replicas >= 3 (two are cut off and a quorum must remain), got 2\n",
        r[2]);
    assertEquals("", r[1]);
  }
}
