package dev.db20.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The atomic durable write: whole or nothing, no temporary file left, the attributes asked for. */
class DurableFileTest {
  @TempDir Path dir;

  private List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  void writesAndReplacesWholeLeavingNoTemporaryFile() throws IOException {
    Path target = dir.resolve("a.db20");
    DurableFile.writeAtomically(target, new byte[] {1, 2, 3});
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
    DurableFile.writeAtomically(target, new byte[] {9});
    assertArrayEquals(new byte[] {9}, Files.readAllBytes(target));
    assertEquals(List.of(target), files());
  }

  @Test
  void aFailedWriteLeavesTheTargetAsItWasAndNoTemporaryFile() throws IOException {
    Path target = dir.resolve("a.db20");
    DurableFile.writeAtomically(target, new byte[] {1});
    // A directory in the target's place: the rename over it fails after the data was written.
    Path blocked = dir.resolve("blocked");
    Files.createDirectory(blocked);
    Files.writeString(blocked.resolve("inside"), "x");
    assertThrows(IOException.class, () -> DurableFile.writeAtomically(blocked, new byte[] {2}));
    assertEquals(List.of(target, blocked), files());
    assertArrayEquals(new byte[] {1}, Files.readAllBytes(target));
    // A missing directory: nothing is created anywhere.
    assertThrows(
        IOException.class,
        () -> DurableFile.writeAtomically(dir.resolve("no/such/x"), new byte[] {3}));
    assertFalse(Files.exists(dir.resolve("no")));
  }

  @Test
  void theNewFileGetsTheAttributesAskedFor() throws IOException {
    Path target = dir.resolve("secret");
    DurableFile.writeAtomically(
        target,
        new byte[] {7},
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
  }
}
