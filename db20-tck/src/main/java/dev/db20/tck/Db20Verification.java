package dev.db20.tck;

import dev.db20.conformance.CheckVector;
import dev.db20.conformance.Conformance;
import dev.db20.conformance.Implementation;
import dev.db20.conformance.ProcessVector;
import dev.db20.conformance.Suite;
import dev.db20.conformance.Vector;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The db20 conformance suite as a JUnit 5 TCK, in the pattern of the Reactive Streams TCK's {@code
 * PublisherVerification}: extend this class, supply your implementation through the factory method,
 * and every vector of the released suite becomes a dynamic test named after the vector, run by your
 * own {@code mvn verify}.
 *
 * <pre>{@code
 * class MyDb20Test extends Db20Verification {
 *   @Override
 *   protected Implementation implementation() {
 *     return script -> ...;                   // in-process: script bytes in, Outcome out
 *     // or: Implementation.program(List.of("/path/to/db20-mine"), Duration.ofSeconds(30))
 *   }
 * }
 * }</pre>
 *
 * <p>A script vector passes when standard output equals the expected bytes exactly, the exit status
 * is 0 (2 for an error vector), and for an error vector the first line of standard error equals the
 * expected line whole. A check vector ({@code check-NAME}) passes when {@code check FILE} prints
 * exactly the expected line and exits with the expected status; it needs the implementation's
 * {@link Implementation#checker()} ({@link Implementation#program} has it). A process vector
 * ({@code proc-NAME}: a closed or full standard output, a SIGTERM during a long {@code ops}) needs
 * {@link Implementation#processes()}; on an in-process implementation, or a platform without the
 * condition, it is skipped (JUnit: aborted) with the reason. A failed test's message is the first
 * differing line of each side.
 */
public abstract class Db20Verification {
  /** For subclasses. */
  protected Db20Verification() {}

  /**
   * The implementation under test; called once per run of the suite. {@link Implementation#program}
   * wraps any binary that follows the conformance protocol.
   */
  protected abstract Implementation implementation() throws Exception;

  /**
   * The vectors to run: by default the released suite shipped in db20-conformance. Override to run
   * a directory under development ({@code Suite.load(Path.of(...))}).
   */
  protected Suite suite() throws IOException {
    return Suite.bundled();
  }

  /** One dynamic test per vector, named after it. */
  @TestFactory
  public Stream<DynamicTest> vectors() throws Exception {
    Implementation implementation = implementation();
    if (implementation == null) {
      throw new IllegalStateException(getClass().getName() + ".implementation() returned null");
    }
    Suite suite = suite();
    return Stream.concat(
        suite.vectors().stream()
            .map(v -> DynamicTest.dynamicTest(v.name(), () -> verify(implementation, v))),
        Stream.concat(
            suite.checks().stream()
                .map(v -> DynamicTest.dynamicTest(v.name(), () -> verify(implementation, v))),
            suite.processes().stream()
                .map(v -> DynamicTest.dynamicTest(v.name(), () -> verify(implementation, v)))));
  }

  private static void verify(Implementation implementation, ProcessVector vector)
      throws IOException {
    Conformance.Result r = Conformance.check(implementation, vector);
    // A skip is reported as one (aborted, with the reason), never as a pass.
    Assumptions.assumeFalse(r.skipped(), () -> vector.name() + " skipped: " + r.detail());
    if (!r.passed()) {
      Assertions.fail(implementation.name() + " fails " + vector.name() + ": " + r.detail());
    }
  }

  private static void verify(Implementation implementation, CheckVector vector) throws IOException {
    Conformance.Result r = Conformance.check(implementation, vector);
    if (!r.passed()) {
      Assertions.fail(implementation.name() + " fails " + vector.name() + ": " + r.detail());
    }
  }

  private static void verify(Implementation implementation, Vector vector) throws IOException {
    Conformance.Result r = Conformance.check(implementation, vector);
    if (!r.passed()) {
      Assertions.fail(implementation.name() + " fails " + vector.name() + ": " + r.detail());
    }
  }
}
