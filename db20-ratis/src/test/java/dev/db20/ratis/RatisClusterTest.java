package dev.db20.ratis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.db20.core.KvState;
import dev.db20.core.Op;
import dev.db20.core.ReadResult;
import dev.db20.script.ScriptRunner;
import dev.db20.wire.Bytes;
import dev.db20.wire.Fnv1a64;
import dev.db20.workload.Workload;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** db20 on in-process Ratis servers: the same bytes as the model. */
class RatisClusterTest {
  @TempDir(factory = ShmTempDir.class) Path dir;

  @Test
  void workloadOnThreeNodesGivesTheModelsSnapshotOnEveryNode() throws Exception {
    try (LocalCluster lc = new LocalCluster(3, dir, Db20Server.Settings.SMALL);
        RatisCluster c = new RatisCluster(lc.peers)) {
      Workload w = new Workload(7, 40);
      KvState model = new KvState();
      int ops = 600;
      for (int i = 1; i <= ops; i++) {
        Op op = w.nextOp();
        model.apply(op);
        assertEquals(i, c.propose(op));
      }
      byte[] expected = model.encode(ops);
      for (int id = 0; id < 3; id++) {
        assertArrayEquals(expected, c.snapshot(id), "node " + id);
        long[] s = c.nodeDigest(id);
        assertEquals(ops, s[0]);
        assertEquals(model.size(), s[1]);
        assertEquals(Fnv1a64.of(expected), s[2]);
      }
      byte[] all = new byte[expected.length * 3];
      for (int i = 0; i < 3; i++) {
        System.arraycopy(expected, 0, all, i * expected.length, expected.length);
      }
      assertEquals(Fnv1a64.of(all), c.digest());
      // Reads: a key the model has, and one it has not.
      Bytes k = model.sortedEntries().get(0).key();
      assertEquals(new ReadResult.Value(model.get(k).orElseThrow()), c.read(k));
      assertEquals(ReadResult.Missing.INSTANCE, c.read(Bytes.ofAscii("no-such-key")));
    }
  }

  @Test
  void aBadOpRecordIsRefusedAndChangesNothing() throws Exception {
    try (LocalCluster lc = new LocalCluster(3, dir, Db20Server.Settings.DEFAULT);
        RatisCluster c = new RatisCluster(lc.peers)) {
      assertEquals(1, c.write(new byte[] {0}));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.write(new byte[] {9}));
      assertTrue(e.getMessage().contains("unknown tag"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> c.write(new byte[] {1, 3, 0, 0, 0, 'a'}));
      assertTrue(e.getMessage().contains("offset 1"), e.getMessage());
      assertEquals(2, c.write(new byte[] {0}));
      assertEquals(2, c.nodeDigest(0)[0]);
    }
  }

  @Test
  void scenarioAOnFiveNodesPrintsTheGoldenDigest() throws Exception {
    try (LocalCluster lc = new LocalCluster(5, dir, Db20Server.Settings.DEFAULT);
        RatisCluster c = new RatisCluster(lc.peers)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      String script = "cluster 5\nseed 20\nkeys 16\nops 1000\ndigest\n";
      new ScriptRunner(out, c.factory()).run(new ByteArrayInputStream(script.getBytes(StandardCharsets.US_ASCII)));
      assertEquals("ops committed=1000 rejected=0\ndigest 4bb303c0591ddfa5\n", out.toString(StandardCharsets.US_ASCII));
    }
  }
}
