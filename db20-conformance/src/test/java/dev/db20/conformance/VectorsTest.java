package dev.db20.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every vector in db20-conformance/vectors, run on the Java implementation: one JUnit test per
 * vector, so a Java change that breaks conformance fails {@code mvn verify}. (db20-tck runs the
 * same vectors through the TCK base class, from the jar's copy.)
 */
class VectorsTest {
  static final Path VECTORS = Path.of("vectors");

  @TestFactory
  Stream<DynamicTest> everyVectorPassesOnJava() throws Exception {
    return Suite.load(VECTORS).vectors().stream()
        .map(
            v ->
                DynamicTest.dynamicTest(
                    v.name(),
                    () -> {
                      Conformance.Result r = Conformance.check(Implementation.java(), v);
                      assertTrue(r.passed(), v.name() + ": " + r.detail());
                    }));
  }

  @Test
  void theSharedReferenceVectorsAndBothScenariosArePresent() throws Exception {
    List<String> names = Suite.load(VECTORS).vectors().stream().map(Vector::name).toList();
    for (String n :
        List.of(
            "01-single-replica",
            "02-minority-then-majority",
            "03-leader-cut-off",
            "04-workload-heal",
            "05-rejoin-without-heal",
            "scenario-a",
            "scenario-b")) {
      assertTrue(names.contains(n), "missing vector " + n + " in " + names);
    }
    assertTrue(names.size() >= 30, "want at least 30 vectors, have " + names.size());
  }

  @Test
  void errorVectorsPinAWholeErrorLine() throws Exception {
    for (Vector v : Suite.load(VECTORS).vectors()) {
      if (v.isError()) {
        assertTrue(
            v.expectedStderrLine().matches("error line \\d+: .+"),
            v.name() + ": " + v.expectedStderrLine());
        assertEquals(Vector.ERROR_EXIT, v.expectedExit());
      }
    }
  }
}
