package dev.db20.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading vectors from the jar, a directory or one file, and the version pin of the suite. */
class SuiteTest {
  @TempDir Path tmp;

  @Test
  void theJarHoldsEveryVectorOfTheDirectory() throws Exception {
    Suite jar = Suite.bundled();
    Suite dir = Suite.load(VectorsTest.VECTORS);
    assertEquals(dir.vectors(), jar.vectors(), "the build's INDEX must list every vector file");
    assertEquals(dir.sha256(), jar.sha256());
    assertEquals("jar", jar.source());
  }

  @Test
  void theReleasedVersionIsPinnedToTheseVectors() throws Exception {
    // Changing a vector without bumping `version` and `sha256` in suite.properties fails here.
    String actual = Suite.load(VectorsTest.VECTORS).sha256();
    assertEquals(
        Suite.releasedSha256(),
        actual,
        "the vectors changed: bump version in db20-conformance/src/main/resources/dev/db20/conformance/"
            + "suite.properties and set sha256="
            + actual);
    assertTrue(Suite.bundled().isReleased());
    assertEquals(Suite.releasedVersion(), Suite.bundled().label());
    assertTrue(Suite.releasedVersion().matches("db20-vectors \\d+"), Suite.releasedVersion());
  }

  @Test
  void anyChangeToTheSetChangesTheDigest() throws Exception {
    Vector a = new Vector("a", "cluster 1\n".getBytes(), new byte[0], null);
    Vector b = new Vector("a", "cluster 1\n".getBytes(), new byte[0], "error line 1: x");
    Vector c = new Vector("a", "cluster 2\n".getBytes(), new byte[0], null);
    assertFalse(Suite.digest(List.of(a)).equals(Suite.digest(List.of(b))));
    assertFalse(Suite.digest(List.of(a)).equals(Suite.digest(List.of(c))));
    assertFalse(Suite.digest(List.of(a)).equals(Suite.digest(List.of())));
    assertEquals(Suite.digest(List.of(a, c)), Suite.digest(List.of(a, c)));
  }

  @Test
  void aSubsetIsUnreleasedAndSaysWhereItCameFrom() throws Exception {
    copy("01-single-replica");
    Suite s = Suite.load(tmp);
    assertEquals(1, s.vectors().size());
    assertFalse(s.isReleased());
    assertEquals("unreleased vectors from " + tmp, s.label());
  }

  @Test
  void aScriptWithoutOutOrErrIsAnErrorNamingTheFile() throws Exception {
    copy("01-single-replica");
    Files.writeString(tmp.resolve("lonely.txt"), "cluster 1\n");
    var e = assertThrows(Vector.InvalidVectorException.class, () -> Suite.load(tmp));
    assertTrue(e.getMessage().contains("lonely.txt"), e.getMessage());
    var one =
        assertThrows(
            Vector.InvalidVectorException.class, () -> Suite.load(tmp.resolve("lonely.txt")));
    assertTrue(one.getMessage().contains("lonely.txt"), one.getMessage());
  }

  @Test
  void aSingleFileLoadsItsVectorWhicheverOfItsFilesIsNamed() throws Exception {
    copy("e01-unknown-command");
    for (String ext : List.of(".txt", ".out", ".err")) {
      Suite s = Suite.load(tmp.resolve("e01-unknown-command" + ext));
      assertEquals(List.of("e01-unknown-command"), s.vectors().stream().map(Vector::name).toList());
      assertTrue(s.vectors().get(0).isError());
    }
    assertThrows(NoSuchFileException.class, () -> Suite.load(tmp.resolve("nope.txt")));
    Files.writeString(tmp.resolve("notes.md"), "x");
    assertThrows(Vector.InvalidVectorException.class, () -> Suite.load(tmp.resolve("notes.md")));
  }

  @Test
  void anEmptyErrFileIsRefused() throws Exception {
    Files.writeString(tmp.resolve("x.txt"), "fly\n");
    Files.writeString(tmp.resolve("x.err"), "");
    var e = assertThrows(Vector.InvalidVectorException.class, () -> Suite.load(tmp));
    assertTrue(e.getMessage().contains("x.err"), e.getMessage());
  }

  private void copy(String name) throws Exception {
    for (String ext : List.of(".txt", ".out", ".err")) {
      Path from = VectorsTest.VECTORS.resolve(name + ext);
      if (Files.exists(from)) {
        Files.copy(from, tmp.resolve(name + ext));
      }
    }
  }
}
