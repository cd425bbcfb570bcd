package dev.db20.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * The golden digests of SPEC §7's scenarios A and B.
 *
 * <p>Where they come from: captured from this Java implementation and from the independent Rust
 * port (ports/rust), which agreed byte for byte on both scenarios and on every vector; the Go and
 * C++ ports agree too. The same values are in vectors/scenario-{a,b}.out, ports/rust/tests,
 * ports/go, ports/cpp/tests and scripts/cross_test.sh. A golden value changes only with a
 * written reason in the same commit.
 */
class GoldenDigestsTest {
  static final String SCENARIO_A = "4bb303c0591ddfa5";
  static final String SCENARIO_B = "7bade6322003f43c";

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
    assertEquals("digest " + SCENARIO_B, out.toString(StandardCharsets.US_ASCII).lines().reduce((a, b) -> b).orElseThrow());
  }

  @Test
  void vectorFilesHoldTheSameDigests() throws Exception {
    assertEquals("digest " + SCENARIO_A, lastLine(VectorsTest.VECTORS.resolve("scenario-a.out")));
    assertEquals("digest " + SCENARIO_B, lastLine(VectorsTest.VECTORS.resolve("scenario-b.out")));
  }

  private static String lastLine(Path p) throws Exception {
    return Files.readAllLines(p).get(Files.readAllLines(p).size() - 1);
  }
}
