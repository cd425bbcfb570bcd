package dev.db20.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.db20.wire.SnapshotFormatException;
import dev.db20.wire.SnapshotReader;
import dev.db20.wire.SnapshotWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The check vectors ({@code db20-conformance/vectors/check-*}): the committed files are exactly
 * what {@link SnapshotCorpus} generates, every rule of SPEC §4.0 has a file, and the strict reader
 * gives each file its expected line and exit status (SPEC §7.7). The multi-megabyte cases are
 * generated from their recipes.
 */
class SnapshotCorpusTest {
  static final Path DIR = Path.of("vectors");

  @Test
  void committedCheckVectorsAreWhatTheGeneratorWrites() throws IOException {
    Set<String> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files =
          s.map(p -> p.getFileName().toString())
              .filter(f -> f.startsWith(SnapshotCorpus.PREFIX))
              .collect(Collectors.toCollection(TreeSet::new));
    }
    Set<String> want = new TreeSet<>();
    for (String name : SnapshotCorpus.small().keySet()) {
      want.add(SnapshotCorpus.PREFIX + name + CheckVector.FILE);
      want.add(SnapshotCorpus.PREFIX + name + CheckVector.EXPECTED);
    }
    for (String name : SnapshotCorpus.big().keySet()) {
      want.add(SnapshotCorpus.PREFIX + name + CheckVector.EXPECTED);
    }
    assertEquals(want, files, "run scripts/make-snapshot-corpus.sh after changing SnapshotCorpus");
    for (Map.Entry<String, SnapshotCorpus.Case> e : SnapshotCorpus.small().entrySet()) {
      String base = SnapshotCorpus.PREFIX + e.getKey();
      assertArrayEquals(
          e.getValue().bytes(), Files.readAllBytes(DIR.resolve(base + CheckVector.FILE)), base);
      int exit = e.getValue().expected().startsWith("ok ") ? 0 : 1;
      assertEquals(
          e.getValue().expected() + "\nexit " + exit + "\n",
          Files.readString(DIR.resolve(base + CheckVector.EXPECTED), StandardCharsets.US_ASCII),
          base);
    }
  }

  @Test
  void everyRuleHasAVectorAndEveryVectorGetsItsLine() throws IOException {
    Set<SnapshotFormatException.Rule> seen = EnumSet.noneOf(SnapshotFormatException.Rule.class);
    int good = 0;
    Suite suite = Suite.load(DIR);
    assertEquals(
        SnapshotCorpus.small().size() + SnapshotCorpus.big().size(), suite.checks().size());
    for (CheckVector v : suite.checks()) {
      byte[] bytes = v.file();
      SnapshotCheck.Result r = SnapshotCheck.check(bytes);
      assertEquals(v.expectedLine(), r.line(), v.name());
      assertEquals(v.expectedLine().startsWith("ok ") ? 0 : 1, r.exit(), v.name());
      assertEquals(r.exit(), v.expectedExit(), v.name());
      try {
        // A good file decodes to a state that re-encodes to exactly its bytes.
        assertArrayEquals(bytes, SnapshotWriter.encode(SnapshotReader.loadState(bytes)), v.name());
        good++;
      } catch (SnapshotFormatException x) {
        seen.add(x.rule());
        String rule = SnapshotCheck.words(x.rule()).replace(' ', '-');
        assertTrue(
            v.name().startsWith(SnapshotCorpus.PREFIX + "refused-" + rule),
            v.name() + " is named after its rule: " + x.rule());
      }
    }
    assertEquals(
        EnumSet.allOf(SnapshotFormatException.Rule.class),
        seen,
        "one file per refusal rule of SPEC §4");
    assertTrue(good >= 6, "good files: " + good);
  }

  @Test
  void multiMegabyteSnapshotsComeFromTheirRecipes() throws SnapshotFormatException {
    for (Map.Entry<String, SnapshotCorpus.Case> e : SnapshotCorpus.big().entrySet()) {
      byte[] bytes = SnapshotCorpus.recipe(e.getKey());
      assertTrue(bytes.length > 3_000_000, e.getKey() + " is " + bytes.length + " bytes");
      assertEquals(
          new SnapshotCheck.Result(0, e.getValue().expected()),
          SnapshotCheck.check(bytes),
          e.getKey());
      assertArrayEquals(bytes, SnapshotWriter.encode(SnapshotReader.loadState(bytes)), e.getKey());
    }
  }
}
