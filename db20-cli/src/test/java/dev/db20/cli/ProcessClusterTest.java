package dev.db20.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.db20.api.Op;
import dev.db20.core.KvState;
import dev.db20.ratis.Certificates;
import dev.db20.ratis.Peers;
import dev.db20.ratis.RatisCluster;
import dev.db20.ratis.ShmTempDir;
import dev.db20.wire.Bytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real {@code db20 server} processes: kill -9 the leader while writing, restart it; keep a
 * follower down until the others have snapshotted and purged their logs, then watch it catch up by
 * snapshot install. Every acknowledged write must survive, exactly once. Mutual TLS on every
 * endpoint (snapshot install included).
 */
class ProcessClusterTest {
  @TempDir(factory = ShmTempDir.class)
  Path dir;

  private Peers peers;
  private final Process[] procs = new Process[3];

  private Process start(int id) throws IOException {
    return start(id, false);
  }

  private Process start(int id, boolean bootstrap) throws IOException {
    Path log = dir.resolve("node-" + id + ".log");
    List<String> cmd =
        new ArrayList<>(
            Db20Process.java(
                List.of("-Xmx256m"),
                ServerCommand.class,
                "--id",
                Integer.toString(id),
                "--peers",
                peers.toString(),
                "--dir",
                dir.resolve("node-" + id).toString(),
                // Small: a snapshot every 50 entries, 4 KiB segments, purge soon after each
                // snapshot.
                "--snapshot-every",
                "50",
                "--segment-bytes",
                "4096",
                "--purge-gap",
                "8",
                "--tls-dir",
                dir.resolve("tls").toString()));
    if (bootstrap) {
      cmd.add("--bootstrap");
    }
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    procs[id] = pb.start();
    return procs[id];
  }

  private static void kill9(Process p) throws InterruptedException {
    p.destroyForcibly();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "killed process did not exit");
  }

  /** Writes {@code n} puts, checking each index and keeping the model in step. */
  private static void write(RatisCluster c, KvState model, long[] count, int n, String tag) {
    for (int i = 0; i < n; i++) {
      Op op = new Op.Put(Bytes.ofAscii("k" + (i % 23)), Bytes.ofAscii(tag + "-" + i));
      long r = c.propose(op);
      model.apply(op);
      count[0]++;
      // Exactly once: a retried write after a leader change is not applied twice.
      assertEquals(count[0], r);
    }
  }

  /** The lowest log index still in a node's Raft log segments, or MAX_VALUE if none. */
  private long firstLogIndex(int id) throws IOException {
    Path current = dir.resolve("node-" + id).resolve(Peers.groupDirectoryName()).resolve("current");
    long min = Long.MAX_VALUE;
    try (Stream<Path> s = Files.list(current)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String name = p.getFileName().toString();
        if (name.startsWith("log_inprogress_")) {
          min = Math.min(min, Long.parseLong(name.substring("log_inprogress_".length())));
        } else if (name.startsWith("log_")) {
          min = Math.min(min, Long.parseLong(name.substring(4, name.indexOf('-'))));
        }
      }
    }
    return min;
  }

  @Test
  void leaderCrashAndSnapshotInstallLoseNoAcknowledgedWrite() throws Exception {
    peers = Peers.freeLoopback(3);
    Certificates.create(dir.resolve("tls"), 3, List.of());
    List<Process> all = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        all.add(start(i, true));
      }
      KvState model = new KvState();
      long[] count = {0};
      try (RatisCluster c = new RatisCluster(peers, Optional.of(dir.resolve("tls")))) {
        write(c, model, count, 100, "a");
        int leader = c.leaderId();
        assertTrue(leader >= 0 && leader < 3, "leader " + leader);

        // kill -9 the leader, keep writing while another takes over.
        kill9(procs[leader]);
        write(c, model, count, 100, "b");
        assertNotEquals(leader, c.leaderId(), "a new leader took over");

        // Restart it from its directory: every node reaches the model's snapshot.
        all.add(start(leader));
        byte[] expected = model.encode(count[0]);
        for (int id = 0; id < 3; id++) {
          assertArrayEquals(expected, c.snapshot(id), "node " + id + " after the leader's restart");
        }

        // A follower kept down while the others snapshot and purge past what it has.
        int follower = (c.leaderId() + 1) % 3;
        long followerIndex = c.nodeDigest(follower).raftIndex();
        kill9(procs[follower]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int round = 0;
        while (true) {
          write(c, model, count, 60, "c" + round++);
          boolean purged = true;
          for (int id = 0; id < 3; id++) {
            if (id != follower && firstLogIndex(id) <= followerIndex + 1) {
              purged = false;
            }
          }
          if (purged) {
            break;
          }
          assertTrue(
              System.nanoTime() < deadline,
              "the live nodes never purged their logs past " + followerIndex);
        }
        all.add(start(follower));
        expected = model.encode(count[0]);
        for (int id = 0; id < 3; id++) {
          assertArrayEquals(
              expected, c.snapshot(id), "node " + id + " after the follower's catch-up");
        }
        String log = Files.readString(dir.resolve("node-" + follower + ".log"));
        assertTrue(
            log.contains("reinitialized from snapshot"),
            "the follower installed a snapshot:\n" + log);
      }
    } finally {
      for (Process p : all) {
        p.destroyForcibly();
      }
      for (Process p : all) {
        p.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
