package dev.db20.ratis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.db20.api.Op;
import dev.db20.core.KvState;
import dev.db20.wire.Bytes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issue-16 sequence on in-process nodes: stop a follower, keep writing until the others have
 * snapshotted and purged past it, restart it, let the cluster go idle. The follower must reach
 * the leader's state within {@link RatisCluster#WAIT} with no further writes.
 */
class StuckFollowerTest {
  @TempDir(factory = ShmTempDir.class) Path dir;

  @Test
  void fewWritesWhileDown() throws Exception {
    restartedFollowerCatchesUpOnAnIdleCluster(30);
  }

  @Test
  void writesPastSnapshotAndPurgeWhileDown() throws Exception {
    restartedFollowerCatchesUpOnAnIdleCluster(400);
  }

  private void restartedFollowerCatchesUpOnAnIdleCluster(int whileDown) throws Exception {
    Peers peers = Peers.freeLoopback(3);
    Db20Server.Settings s = new Db20Server.Settings(50, 4096, 8);
    List<Db20Server> servers = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        servers.add(start(peers, i, s));
      }
      KvState model = new KvState();
      long n = 0;
      try (RatisCluster c = new RatisCluster(peers)) {
        n = write(c, model, n, 120);
        int follower = (c.leaderId() + 1) % 3;
        servers.get(follower).close();
        servers.set(follower, null);
        n = write(c, model, n, whileDown);
        servers.set(follower, start(peers, follower, s));
        // Idle from here: nothing but heartbeats.
        long deadline = System.nanoTime() + RatisCluster.WAIT.toNanos();
        byte[] expected = model.encode(n);
        byte[] got = servers.get(follower).stateMachine().snapshotBytes();
        while (!java.util.Arrays.equals(expected, got) && System.nanoTime() < deadline) {
          Thread.sleep(200);
          got = servers.get(follower).stateMachine().snapshotBytes();
        }
        assertArrayEquals(expected, got, "follower " + follower + " never caught up on the idle"
            + " cluster: at db20 index " + dev.db20.wire.SnapshotReader.decode(got).commitIndex() + " of " + n);
        for (int i = 0; i < 3; i++) {
          assertArrayEquals(expected, c.snapshot(i), "node " + i);
        }
      }
    } finally {
      for (Db20Server srv : servers) {
        if (srv != null) {
          srv.close();
        }
      }
    }
  }

  private static long write(RatisCluster c, KvState model, long n, int count) {
    for (int i = 0; i < count; i++) {
      Op op = new Op.Put(Bytes.ofAscii("k" + (i % 17)), Bytes.ofAscii("v" + n));
      model.apply(op);
      n++;
      assertEquals(n, c.propose(op));
    }
    return n;
  }

  private Db20Server start(Peers peers, int id, Db20Server.Settings s) throws java.io.IOException {
    return Db20Server.start(NodeConfig.of(peers, id, dir.resolve("node-" + id)).withSettings(s));
  }
}
