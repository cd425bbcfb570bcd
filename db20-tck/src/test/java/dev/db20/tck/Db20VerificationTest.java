package dev.db20.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.db20.conformance.CheckVector;
import dev.db20.conformance.Implementation;
import dev.db20.conformance.Outcome;
import dev.db20.conformance.ProcessVector;
import dev.db20.conformance.Suite;
import dev.db20.conformance.Vector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The base class itself, run through the JUnit Platform as a build would run a subclass: it must
 * produce one test per vector, named after it, and fail an implementation that is wrong.
 */
class Db20VerificationTest {
  /**
   * Echoes the script: wrong for every vector. Not a test class itself (nested, not run by
   * surefire).
   */
  static class Echo extends Db20Verification {
    @Override
    protected Implementation implementation() {
      return new Implementation() {
        @Override
        public String name() {
          return "echo";
        }

        @Override
        public Outcome run(byte[] script) {
          return new Outcome(script, "", 0);
        }
      };
    }
  }

  /** A program that does not exist. */
  static class Missing extends Db20Verification {
    @Override
    protected Implementation implementation() {
      return Implementation.program(List.of("/nonexistent/db20-impl"));
    }
  }

  /** A right answer for one hand-made vector, through a custom suite. */
  static class OneVector extends Db20Verification {
    @Override
    protected Implementation implementation() {
      return script -> new Outcome("committed 1\n".getBytes(StandardCharsets.US_ASCII), "", 0);
    }

    @Override
    protected Suite suite() {
      List<Vector> v =
          List.of(
              new Vector(
                  "only",
                  "cluster 1\nput a v\n".getBytes(StandardCharsets.US_ASCII),
                  "committed 1\n".getBytes(StandardCharsets.US_ASCII),
                  null));
      return new Suite("test", v, Suite.digest(v));
    }
  }

  static Events run(Class<?> verification) {
    return EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(verification))
        .execute()
        .testEvents();
  }

  static int vectorCount() throws Exception {
    return Suite.bundled().size();
  }

  @Test
  void aWrongImplementationFailsEveryVectorWithTheDifference() throws Exception {
    Events events = run(Echo.class);
    int n = vectorCount();
    int processes = Suite.bundled().processes().size();
    assertEquals(n, events.started().count());
    // An in-process implementation has no process: its process vectors are aborted, not passed.
    assertEquals(n - processes, events.failed().count());
    assertEquals(processes, events.aborted().count());
    assertEquals(0, events.succeeded().count());
    String message =
        events.failed().stream()
            .filter(e -> e.getTestDescriptor().getDisplayName().equals("01-single-replica"))
            .map(
                e ->
                    e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                        .orElseThrow()
                        .getThrowable()
                        .orElseThrow()
                        .getMessage())
            .findFirst()
            .orElseThrow();
    assertTrue(
        message.startsWith(
            "echo fails 01-single-replica: stdout line 1: expected 'committed 1', got '"),
        message);
  }

  @Test
  void everyVectorIsATestNamedAfterIt() throws Exception {
    List<String> names =
        run(Echo.class).started().stream()
            .map(e -> e.getTestDescriptor().getDisplayName())
            .toList();
    Suite suite = Suite.bundled();
    List<String> expected =
        java.util.stream.Stream.of(
                suite.vectors().stream().map(Vector::name),
                suite.checks().stream().map(CheckVector::name),
                suite.processes().stream().map(ProcessVector::name))
            .flatMap(x -> x)
            .toList();
    assertEquals(expected, names);
    try (var s = Files.list(Path.of("..", "db20-conformance", "vectors"))) {
      assertEquals(
          s.filter(
                  p ->
                      p.toString().endsWith(".txt")
                          || p.toString().endsWith(".check")
                          || p.toString().endsWith(".proc"))
              .count(),
          names.size());
    }
  }

  @Test
  void aMissingProgramFailsRatherThanPasses() {
    Events events = run(Missing.class);
    assertEquals(0, events.succeeded().count());
    assertTrue(events.failed().count() > 0);
  }

  @Test
  void aRightImplementationPasses() {
    Events events = run(OneVector.class);
    assertEquals(1, events.succeeded().count());
    assertEquals(0, events.failed().count());
  }
}
