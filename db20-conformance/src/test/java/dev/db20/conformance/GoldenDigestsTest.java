package dev.db20.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.db20.core.Cluster;
import dev.db20.script.ScriptRunner;
import dev.db20.wire.Fnv1a64;
import dev.db20.workload.Workload;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The golden digests of SPEC §7's scenarios A and B, read from where they are written: the scenario
 * vectors ({@code vectors/scenario-{a,b}.out}), which must agree with the spec's table (§7.8). They
 * were captured from this Java implementation and from the independent Rust port, which agreed byte
 * for byte; every port's tests and scripts/cross_test.sh read the same files.
 */
class GoldenDigestsTest {
  static final String SCENARIO_A = golden("a");
  static final String SCENARIO_B = golden("b");

  /** The digest on the last line of {@code vectors/scenario-NAME.out}. */
  static String golden(String name) {
    try {
      String last = lastLine(VectorsTest.VECTORS.resolve("scenario-" + name + ".out"));
      if (!last.matches("digest [0-9a-f]{16}")) {
        throw new AssertionError(
            "scenario-" + name + ".out does not end in a digest line: " + last);
      }
      return last.substring("digest ".length());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void scenarioAThroughTheCoreApi() {
    // Scenario A without the script layer: five replicas, seed 20, K = 16, 1000 ops.
    Cluster c = new Cluster(5);
    Workload w = new Workload(20, 16);
    for (int i = 0; i < 1000; i++) {
      c.propose(w.nextOp());
    }
    assertEquals(SCENARIO_A, Fnv1a64.toHex(c.digest()));
  }

  @Test
  void scenarioBThroughTheScriptRunner() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new ScriptRunner(out).run(new ByteArrayInputStream(Scenarios.script("B")));
    assertEquals(
        "digest " + SCENARIO_B,
        out.toString(StandardCharsets.US_ASCII).lines().reduce((a, b) -> b).orElseThrow());
  }

  @Test
  void theSpecsTableHoldsTheVectorsDigests() throws Exception {
    String spec = Files.readString(VectorsTest.VECTORS.resolve("../../docs/spec.md").normalize());
    assertTrue(
        spec.contains("| A        | `digest " + SCENARIO_A + "`  |"),
        "docs/spec.md §7.8 and scenario-a.out differ");
    assertTrue(
        spec.contains("| B        | `digest " + SCENARIO_B + "`  |"),
        "docs/spec.md §7.8 and scenario-b.out differ");
  }

  private static String lastLine(Path p) throws java.io.IOException {
    java.util.List<String> lines = Files.readAllLines(p);
    return lines.get(lines.size() - 1);
  }
}
