package dev.db20.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every vector in db20-conformance/vectors, run on the Java implementation: one JUnit test per
 * vector, so a Java change that breaks conformance fails {@code mvn verify}.
 */
class VectorsTest {
  static final Path VECTORS = Path.of("vectors");

  @TestFactory
  Stream<DynamicTest> everyVectorPassesOnJava() throws Exception {
    List<Vector> vectors = Vector.loadAll(VECTORS);
    return vectors.stream().map(v -> DynamicTest.dynamicTest(v.name(), () -> {
      Conformance.Result r = Conformance.check(Implementation.java(), v);
      assertTrue(r.passed(), v.name() + ": " + r.detail());
    }));
  }

  @Test
  void theSharedReferenceVectorsAndBothScenariosArePresent() throws Exception {
    List<String> names = Vector.loadAll(VECTORS).stream().map(Vector::name).toList();
    for (String n : List.of("01-single-replica", "02-minority-then-majority", "03-leader-cut-off",
        "04-workload-heal", "05-rejoin-without-heal", "scenario-a", "scenario-b")) {
      assertTrue(names.contains(n), "missing vector " + n + " in " + names);
    }
    assertTrue(names.size() >= 30, "want at least 30 vectors, have " + names.size());
  }
}
