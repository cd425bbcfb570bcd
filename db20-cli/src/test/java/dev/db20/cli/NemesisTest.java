package dev.db20.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A short seeded nemesis run in every build: three server processes behind link proxies, 20 s of
 * the seeded fault schedule, then the checks of {@link Nemesis}. A failed run keeps its directory
 * under target/ (history.txt, node logs); longer runs: {@code scripts/nemesis.sh}.
 */
class NemesisTest {
  @Test
  void shortSeededRunPasses() throws Exception {
    Path dir = Path.of("target", "nemesis-test-" + System.currentTimeMillis());
    Nemesis.Result r = new Nemesis(new Nemesis.Config(2, 3, 20, 4, dir), System.err).run();
    assertTrue(r.passed(), r.summary() + " (kept: " + dir.toAbsolutePath() + ")");
    assertTrue(r.summary().contains("linearizable=true"), r.summary());
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
