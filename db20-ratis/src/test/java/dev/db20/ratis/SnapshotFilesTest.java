package dev.db20.ratis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.db20.api.Op;
import dev.db20.core.KvState;
import dev.db20.wire.Bytes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshot files: atomic canonical bytes, newest valid one wins, a corrupt one is set aside. */
class SnapshotFilesTest {
  @TempDir Path dir;

  private static byte[] snapshot(int puts) {
    KvState s = new KvState();
    for (int i = 0; i < puts; i++) {
      s.apply(new Op.Put(Bytes.ofAscii("k" + i), Bytes.ofAscii("v" + i)));
    }
    return s.encode(puts);
  }

  @Test
  void writesTheCanonicalBytesUnderTermAndIndex() throws Exception {
    Path p = SnapshotFiles.write(dir, 3, 120, snapshot(2));
    assertEquals("db20-snapshot.3_120", p.getFileName().toString());
    assertArrayEquals(snapshot(2), Files.readAllBytes(p));
    try (var s = Files.list(dir)) {
      assertEquals(1, s.count(), "no temp file left behind");
    }
  }

  @Test
  void aCorruptNewestSnapshotIsRefusedAndTheNextOlderLoaded() throws Exception {
    SnapshotFiles.write(dir, 1, 50, snapshot(1));
    SnapshotFiles.write(dir, 2, 90, snapshot(2));
    Path newest = SnapshotFiles.write(dir, 2, 130, snapshot(3));
    byte[] bad = Files.readAllBytes(newest);
    bad[bad.length - 1] ^= 1; // break the CRC
    Files.write(newest, bad);

    SnapshotFiles.Loaded loaded = SnapshotFiles.loadNewestValid(dir);
    assertEquals(90, loaded.ref().index());
    assertEquals(2, loaded.ref().term());
    assertEquals(2, loaded.state().commitIndex());
    assertTrue(Files.exists(dir.resolve("db20-snapshot.2_130.corrupt")), "set aside");
    assertEquals(2, SnapshotFiles.list(dir).size(), "no longer listed");
  }

  @Test
  void noValidSnapshotLoadsNothingAndRetainKeepsTheNewest() throws Exception {
    assertNull(SnapshotFiles.loadNewestValid(dir));
    Files.write(dir.resolve("db20-snapshot.1_10"), new byte[] {1, 2, 3});
    assertNull(SnapshotFiles.loadNewestValid(dir));
    for (int i = 1; i <= 5; i++) {
      SnapshotFiles.write(dir, 1, 100L * i, snapshot(i));
    }
    SnapshotFiles.retain(dir, 3);
    assertEquals(500, SnapshotFiles.list(dir).get(0).index());
    assertEquals(300, SnapshotFiles.list(dir).get(2).index());
    assertEquals(3, SnapshotFiles.list(dir).size());
  }
}
