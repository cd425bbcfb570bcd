package dev.db20.ratis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.db20.api.Op;
import dev.db20.api.ReadResult;
import dev.db20.core.KvState;
import dev.db20.core.OpRecordFormatException;
import dev.db20.script.ScriptRunner;
import dev.db20.wire.Bytes;
import dev.db20.wire.Fnv1a64;
import dev.db20.workload.Workload;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** db20 on in-process Ratis servers: the same bytes as the model. */
class RatisClusterTest {
  @TempDir(factory = ShmTempDir.class)
  Path dir;

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
        NodeDigest d = c.nodeDigest(id);
        assertEquals(ops, d.index());
        assertEquals(model.size(), d.keyCount());
        assertEquals(Fnv1a64.of(expected), d.fnv1a64());
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
      // The refusal comes back typed (offset and rule), whatever the server's message says.
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> c.write(new byte[] {9}));
      RefusedOpRecordException r = assertInstanceOf(RefusedOpRecordException.class, e.getCause());
      assertEquals(0, r.offset());
      assertEquals(OpRecordFormatException.Rule.UNKNOWN_TAG, r.rule());
      assertEquals("bad op record offset 0: unknown tag", e.getMessage());
      e =
          assertThrows(
              IllegalArgumentException.class, () -> c.write(new byte[] {1, 3, 0, 0, 0, 'a'}));
      r = assertInstanceOf(RefusedOpRecordException.class, e.getCause());
      assertEquals(1, r.offset());
      assertEquals(OpRecordFormatException.Rule.LENGTH_PAST_END, r.rule());
      assertEquals(0, r.getStackTrace().length, "a refusal carries no stack trace");
      assertEquals(2, c.write(new byte[] {0}));
      assertEquals(2, c.nodeDigest(0).index());
    }
  }

  /**
   * Scenario A's vector (db20-conformance/vectors/scenario-a.*) on five real nodes: the model's
   * bytes.
   */
  @Test
  void scenarioAOnFiveNodesPrintsTheVectorsOutput() throws Exception {
    Path vectors = Path.of("..", "db20-conformance", "vectors");
    byte[] script = Files.readAllBytes(vectors.resolve("scenario-a.txt"));
    String expected =
        Files.readString(vectors.resolve("scenario-a.out"), StandardCharsets.US_ASCII);
    try (LocalCluster lc = new LocalCluster(5, dir, Db20Server.Settings.DEFAULT);
        RatisCluster c = new RatisCluster(lc.peers)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      new ScriptRunner(out, c.factory()).run(new ByteArrayInputStream(script));
      assertEquals(expected, out.toString(StandardCharsets.US_ASCII));
    }
  }
}
