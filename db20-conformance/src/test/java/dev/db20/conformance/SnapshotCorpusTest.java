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
 * The snapshot corpus ({@code db20-conformance/snapshots/}): the committed files are exactly what
 * {@link SnapshotCorpus} generates, every rule of SPEC §4 has a file, and the strict reader gives
 * each file's expected line (docs/spec-notes.md N16). The multi-megabyte cases are generated here.
 */
class SnapshotCorpusTest {
  static final Path DIR = Path.of("snapshots");

  @Test
  void committedCorpusIsWhatTheGeneratorWrites() throws IOException {
    Map<String, SnapshotCorpus.Case> cases = SnapshotCorpus.small();
    Set<String> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files = s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
    Set<String> want = new TreeSet<>();
    for (String name : cases.keySet()) {
      want.add(name + ".db20");
      want.add(name + ".expected");
    }
    assertEquals(want, files, "run scripts/make-snapshot-corpus.sh after changing SnapshotCorpus");
    for (Map.Entry<String, SnapshotCorpus.Case> e : cases.entrySet()) {
      assertArrayEquals(e.getValue().bytes(), Files.readAllBytes(DIR.resolve(e.getKey() + ".db20")), e.getKey());
      assertEquals(e.getValue().expected() + "\n",
          Files.readString(DIR.resolve(e.getKey() + ".expected"), StandardCharsets.US_ASCII), e.getKey());
    }
  }

  @Test
  void everyRuleHasAFileAndEveryFileGetsItsLine() throws IOException {
    Set<SnapshotFormatException.Rule> seen = EnumSet.noneOf(SnapshotFormatException.Rule.class);
    int good = 0;
    for (Map.Entry<String, SnapshotCorpus.Case> e : SnapshotCorpus.small().entrySet()) {
      byte[] bytes = Files.readAllBytes(DIR.resolve(e.getKey() + ".db20"));
      String expected = Files.readString(DIR.resolve(e.getKey() + ".expected"), StandardCharsets.US_ASCII).strip();
      SnapshotCheck.Result r = SnapshotCheck.check(bytes);
      assertEquals(expected, r.line(), e.getKey());
      assertEquals(expected.startsWith("ok ") ? 0 : 1, r.exit(), e.getKey());
      try {
        // A good file decodes to a state that re-encodes to exactly its bytes.
        assertArrayEquals(bytes, SnapshotWriter.encode(SnapshotReader.loadState(bytes)), e.getKey());
        good++;
      } catch (SnapshotFormatException x) {
        seen.add(x.rule());
        assertTrue(e.getKey().startsWith("refused-" + SnapshotCheck.words(x.rule()).replace(' ', '-')),
            e.getKey() + " is named after its rule: " + x.rule());
      }
    }
    assertEquals(EnumSet.allOf(SnapshotFormatException.Rule.class), seen, "one file per refusal rule of SPEC §4");
    assertTrue(good >= 4, "good files: " + good);
  }

  @Test
  void multiMegabyteSnapshotsCheckAndRoundTrip() throws SnapshotFormatException {
    for (Map.Entry<String, SnapshotCorpus.Case> e : SnapshotCorpus.big().entrySet()) {
      byte[] bytes = e.getValue().bytes();
      assertTrue(bytes.length > 3_000_000, e.getKey() + " is " + bytes.length + " bytes");
      assertEquals(new SnapshotCheck.Result(0, e.getValue().expected()), SnapshotCheck.check(bytes), e.getKey());
      assertArrayEquals(bytes, SnapshotWriter.encode(SnapshotReader.loadState(bytes)), e.getKey());
    }
  }
}
