package dev.db20.ratis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.db20.api.Op;
import dev.db20.core.KvState;
import dev.db20.wire.Bytes;
import dev.db20.wire.SnapshotReader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's first stuck mode, deterministically: a follower restarts with a log that ends before
 * the index the leader recorded as its match index (the state a nemesis run left node 2 in: log
 * 0..64 on disk, the leader's appender sending from 66). The follower truthfully answers
 * INCONSISTENCY with its next index; Ratis 3.3.0's {@code getNextIndexForInconsistency} prefers the
 * stale {@code matchIndex + 1} (RATIS-2523), so on an idle cluster the leader sends only heartbeats
 * that fail the same way forever. A db20 leader trusts the follower's answer; the follower must
 * catch up with no further writes.
 */
class StaleMatchIndexTest {
  @TempDir(factory = ShmTempDir.class)
  Path dir;

  /** Big segments and no snapshot: the whole log is one open segment, log_inprogress_0. */
  private static final Db20Server.Settings ONE_SEGMENT =
      new Db20Server.Settings(1_000_000, 8L << 20, 1024);

  @Test
  void followerWhoseLogEndsBeforeItsMatchIndexCatchesUpOnAnIdleCluster() throws Exception {
    Peers peers = Peers.freeLoopback(3);
    List<Db20Server> servers = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        servers.add(
            Db20Server.start(
                NodeConfig.of(peers, i, dir.resolve("node-" + i))
                    .withSettings(ONE_SEGMENT)
                    .withInsecure()
                    .withStartup(NodeConfig.Startup.BOOTSTRAP)));
      }
      KvState model = new KvState();
      int n = 60;
      try (RatisCluster c = new RatisCluster(peers)) {
        for (int i = 1; i <= n; i++) {
          Op op = new Op.Put(Bytes.ofAscii("k" + (i % 5)), Bytes.ofAscii("v" + i));
          model.apply(op);
          assertEquals(i, c.propose(op));
        }
        int f = (c.leaderId() + 1) % 3;
        awaitIndex(servers.get(f), n); // the leader has its ack for everything: matchIndex high
        servers.get(f).close();
        servers.set(f, null);
        // A clean close snapshots at the applied index; a kill -9 would not have. Remove it.
        for (SnapshotFiles.Ref r : SnapshotFiles.list(smDir(dir.resolve("node-" + f)))) {
          Files.delete(r.path());
        }
        int dropped = dropLastEntries(dir.resolve("node-" + f), 10);
        assertEquals(10, dropped);
        servers.set(
            f,
            Db20Server.start(
                NodeConfig.of(peers, f, dir.resolve("node-" + f))
                    .withSettings(ONE_SEGMENT)
                    .withInsecure()));
        // Idle from here on.
        byte[] expected = model.encode(n);
        byte[] got = awaitIndex(servers.get(f), n);
        assertArrayEquals(
            expected,
            got,
            "follower "
                + f
                + " stuck at db20 index "
                + SnapshotReader.decode(got).commitIndex()
                + " of "
                + n
                + " on the idle cluster");
      }
    } finally {
      for (Db20Server s : servers) {
        if (s != null) {
          s.close();
        }
      }
    }
  }

  private static Path smDir(Path nodeDir) throws IOException {
    try (Stream<Path> s = Files.walk(nodeDir)) {
      return s.filter(p -> p.getFileName().toString().equals("sm"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no sm directory under " + nodeDir));
    }
  }

  /** Polls the node until it has applied {@code n} db20 ops or 30 s pass; its state then. */
  static byte[] awaitIndex(Db20Server s, long n) throws Exception {
    long deadline = System.nanoTime() + RatisCluster.WAIT.toNanos();
    byte[] got = s.stateMachine().snapshotBytes();
    while (SnapshotReader.decode(got).commitIndex() < n && System.nanoTime() < deadline) {
      Thread.sleep(100);
      got = s.stateMachine().snapshotBytes();
    }
    return got;
  }

  /**
   * Zeroes the last {@code k} entries of the node's open log segment, as if they had never been
   * written: each entry is a varint length, the entry, a 4-byte checksum, after an 8-byte header; a
   * zero length ends the segment. Returns how many entries it removed.
   */
  static int dropLastEntries(Path nodeDir, int k) throws IOException {
    Path seg;
    try (Stream<Path> s = Files.walk(nodeDir)) {
      seg =
          s.filter(p -> p.getFileName().toString().equals("log_inprogress_0"))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no log_inprogress_0 under " + nodeDir));
    }
    byte[] b = Files.readAllBytes(seg);
    List<Integer> starts = new ArrayList<>();
    int i = 8;
    while (i < b.length) {
      int len = 0;
      int shift = 0;
      int j = i;
      int c;
      do {
        c = b[j++] & 0xff;
        len |= (c & 0x7f) << shift;
        shift += 7;
      } while (c >= 0x80);
      if (len == 0) {
        break;
      }
      starts.add(i);
      i = j + len + 4;
    }
    assertTrue(starts.size() > k, "only " + starts.size() + " entries in " + seg);
    int from = starts.get(starts.size() - k);
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
      byte[] zeros = new byte[b.length - from];
      Arrays.fill(zeros, (byte) 0);
      ch.write(java.nio.ByteBuffer.wrap(zeros), from);
      ch.force(true);
    }
    return k;
  }
}
