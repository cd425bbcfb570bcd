package dev.db20.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.db20.api.Op;
import dev.db20.api.ReadResult;
import dev.db20.conformance.RandomSchedule.Step;
import dev.db20.core.Cluster;
import dev.db20.script.ScriptRunner;
import dev.db20.wire.Bytes;
import dev.db20.wire.Fnv1a64;
import dev.db20.wire.Hex;
import dev.db20.wire.SnapshotState;
import dev.db20.wire.SnapshotWriter;
import dev.db20.workload.Workload;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The schedule property of issue 10: random fault schedules (cluster sizes 1..9, ops, reads,
 * partitions of any subset with the leader included, heals, view changes, a second {@code cluster})
 * drive {@link Cluster}, and after every step the cluster is compared with an independent
 * sequential model:
 *
 * <ul>
 *   <li>the committed history is kept here; a {@link TreeMap} replays it and each prefix's snapshot
 *       is encoded once; every replica's snapshot is the snapshot of a prefix of that one history,
 *       and which prefix follows from SPEC §3 replayed on plain commit counters (so a replica that
 *       moved when it must not have, or did not catch up, fails);
 *   <li>no committed index is lost: committed indexes are consecutive, the leader's commit and
 *       {@code committed()} equal the history's length after every call;
 *   <li>after {@code heal()} every snapshot is identical;
 *   <li>a rejected call (propose, read, a partition naming a bad id) changes nothing: every
 *       replica's snapshot, commit, key count and partition flag, the view and the leader are
 *       compared before and after;
 *   <li>every read that is not rejected returns the value of the latest committed write to that key
 *       in the sequential map: for this single-threaded model, that is linearizability;
 *   <li>a call is rejected exactly when SPEC §3 says (fewer than a quorum reachable), so the checks
 *       above cannot pass by rejecting everything.
 * </ul>
 *
 * <p>The default build runs 10,000 schedules; {@code -Ddb20.schedules=N} runs more and {@code
 * -Ddb20.schedules.seed=S} starts elsewhere. A failure names the schedule's seed and prints the
 * schedule as a script, which {@code db20 run} replays.
 */
class RandomSchedulesTest {
  static final int SCHEDULES = Integer.getInteger("db20.schedules", 10_000);
  static final long BASE_SEED = Long.getLong("db20.schedules.seed", 0x5eed_db20L);
  static final int MAX_STEPS = 60;

  @Test
  void everyScheduleAgreesWithTheSequentialModel() {
    SplittableRandom seeds = new SplittableRandom(BASE_SEED);
    long steps = 0;
    long commits = 0;
    long rejections = 0;
    long viewChanges = 0;
    for (int i = 0; i < SCHEDULES; i++) {
      long seed = seeds.nextLong();
      List<Step> schedule = RandomSchedule.generate(new SplittableRandom(seed), MAX_STEPS, true);
      Checker checker = new Checker();
      try {
        for (Step step : schedule) {
          checker.step(step);
        }
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            "schedule "
                + i
                + " seed "
                + seed
                + " failed at step "
                + checker.stepNo
                + " ("
                + schedule.get(checker.stepNo - 1).line()
                + "): "
                + e.getMessage()
                + "\n--- the schedule as a script ---\n"
                + RandomSchedule.toScript(schedule),
            e);
      }
      steps += checker.stepNo;
      commits += checker.commits;
      rejections += checker.rejections;
      viewChanges += checker.viewChanges;
    }
    // The generator must actually reach the interesting cases, or the property proves little.
    assertTrue(commits > SCHEDULES, "commits " + commits);
    assertTrue(rejections > SCHEDULES / 10, "rejections " + rejections);
    assertTrue(viewChanges > SCHEDULES / 20, "view changes " + viewChanges);
    System.out.printf(
        "schedules=%d steps=%d commits=%d rejections=%d viewChanges=%d%n",
        SCHEDULES, steps, commits, rejections, viewChanges);
  }

  /**
   * The same schedules, rendered as scripts and run by the interpreter, print one line per printing
   * step, and every {@code digest} line they print is the digest the sequential model computes for
   * that point of the schedule.
   */
  @Test
  void scriptsOfSchedulesPrintTheSequentialModelsDigests() throws Exception {
    SplittableRandom seeds = new SplittableRandom(BASE_SEED + 1);
    for (int i = 0; i < 200; i++) {
      List<Step> schedule =
          RandomSchedule.generate(new SplittableRandom(seeds.nextLong()), MAX_STEPS, false);
      String script = RandomSchedule.toScript(schedule);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      new ScriptRunner(out)
          .run(new ByteArrayInputStream(script.getBytes(StandardCharsets.US_ASCII)));
      List<String> printed = out.toString(StandardCharsets.US_ASCII).lines().toList();
      Checker model = new Checker();
      for (Step step : schedule) {
        model.step(step);
      }
      assertEquals(
          model.digestLines,
          printed.stream().filter(l -> l.startsWith("digest ")).toList(),
          script);
      long printing =
          schedule.stream()
              .filter(
                  s ->
                      !(s instanceof RandomSchedule.NewCluster
                          || s instanceof RandomSchedule.Seed
                          || s instanceof RandomSchedule.Keys
                          || s instanceof RandomSchedule.Partition
                          || s instanceof RandomSchedule.Heal))
              .count();
      assertEquals(printing, printed.size(), script);
    }
  }

  /** Drives one cluster and keeps the sequential model beside it. */
  static final class Checker {
    int stepNo;
    long commits;
    long rejections;
    long viewChanges;
    // The model's digest line at each `digest` step, computed from the prefix snapshots alone.
    final List<String> digestLines = new ArrayList<>();

    private final Workload workload = new Workload();
    private Cluster cluster;
    // The model: the history's prefix snapshots and key counts, the map after the whole
    // history, and SPEC §3 replayed on counters.
    private final List<byte[]> prefixSnapshot = new ArrayList<>();
    private final List<Integer> prefixKeys = new ArrayList<>();
    private final TreeMap<Bytes, Bytes> map = new TreeMap<>();
    private long[] commit;
    private boolean[] partitioned;
    private long view;

    void step(Step step) {
      stepNo++;
      if (step instanceof RandomSchedule.NewCluster c) {
        newCluster(c.size());
      } else if (step instanceof RandomSchedule.Seed s) {
        workload.setSeed(s.seed());
      } else if (step instanceof RandomSchedule.Keys k) {
        workload.setKeySpace(k.keySpace());
      } else if (step instanceof RandomSchedule.Ops o) {
        for (int i = 0; i < o.count(); i++) {
          propose(workload.nextOp());
        }
      } else if (step instanceof RandomSchedule.Put p) {
        propose(new Op.Put(ascii(p.key()), ascii(p.value())));
      } else if (step instanceof RandomSchedule.Del d) {
        propose(new Op.Del(ascii(d.key())));
      } else if (step instanceof RandomSchedule.NoOp) {
        propose(Op.NoOp.INSTANCE);
      } else if (step instanceof RandomSchedule.Get g) {
        read(ascii(g.key()));
      } else if (step instanceof RandomSchedule.Partition p) {
        partition(p);
      } else if (step instanceof RandomSchedule.Heal) {
        heal();
      } else if (step instanceof RandomSchedule.Leader) {
        assertEquals(Long.remainderUnsigned(view, commit.length), cluster.leader());
      } else if (step instanceof RandomSchedule.ReplicaLine r) {
        assertEquals(commit[r.id()], cluster.replica(r.id()).commitIndex());
      } else if (step instanceof RandomSchedule.SnapshotLine s) {
        assertArrayEquals(
            prefixSnapshot.get((int) commit[s.id()]), cluster.replica(s.id()).dumpState());
      } else if (step instanceof RandomSchedule.Digest) {
        long h = Fnv1a64.OFFSET_BASIS;
        for (long c : commit) {
          h = Fnv1a64.update(h, prefixSnapshot.get((int) c));
        }
        assertEquals(h, cluster.digest(), "digest");
        digestLines.add("digest " + Fnv1a64.toHex(h));
      } else {
        throw new AssertionError("unknown step " + step);
      }
      checkAll();
    }

    private void newCluster(int n) {
      cluster = new Cluster(n);
      commit = new long[n];
      partitioned = new boolean[n];
      view = 0;
      map.clear();
      prefixSnapshot.clear();
      prefixKeys.clear();
      recordPrefix();
    }

    private int n() {
      return commit.length;
    }

    private int leader() {
      return (int) Long.remainderUnsigned(view, n());
    }

    private int reachable() {
      int r = 0;
      for (boolean p : partitioned) {
        r += p ? 0 : 1;
      }
      return r;
    }

    /** SPEC §3's leader check on the counters; false if the call is rejected by it. */
    private boolean leaderCheck() {
      if (!partitioned[leader()]) {
        return true;
      }
      if (reachable() < n() / 2 + 1) {
        return false;
      }
      do {
        view++;
      } while (partitioned[leader()]);
      viewChanges++;
      int best = -1;
      for (int id = 0; id < n(); id++) {
        if (!partitioned[id] && (best < 0 || commit[id] > commit[best])) {
          best = id;
        }
      }
      commit[leader()] = Math.max(commit[leader()], commit[best]);
      return true;
    }

    private void propose(Op op) {
      // The model decides first (a rejecting leader check changes nothing in it), so the
      // expensive before-state is taken only for the calls that must change nothing.
      boolean accepted = leaderCheck() && reachable() >= n() / 2 + 1;
      List<Object> before = accepted ? null : fullState();
      long r = cluster.propose(op);
      if (!accepted) {
        assertEquals(
            Cluster.REJECTED, r, "propose with " + reachable() + " of " + n() + " reachable");
        assertEquals(before, fullState(), "a rejected propose changed the cluster");
        rejections++;
        return;
      }
      long index = commit[leader()] + 1;
      assertEquals(index, r, "committed index");
      for (int id = 0; id < n(); id++) {
        if (!partitioned[id]) {
          commit[id] = index;
        }
      }
      if (op instanceof Op.Put p) {
        map.put(p.key(), p.value());
      } else if (op instanceof Op.Del d) {
        map.remove(d.key());
      }
      recordPrefix();
      commits++;
    }

    private void read(Bytes key) {
      // The model decides first (a rejecting leader check changes nothing in it), so the
      // expensive before-state is taken only for the calls that must change nothing.
      boolean accepted = leaderCheck() && reachable() >= n() / 2 + 1;
      List<Object> before = accepted ? null : fullState();
      ReadResult r = cluster.read(key);
      if (!accepted) {
        assertInstanceOf(ReadResult.Rejected.class, r, "read");
        assertEquals(before, fullState(), "a rejected read changed the cluster");
        rejections++;
        return;
      }
      Bytes expected = map.get(key);
      assertEquals(
          expected == null ? ReadResult.Missing.INSTANCE : new ReadResult.Value(expected),
          r,
          "read of " + key + " is not the latest committed write");
    }

    private void partition(RandomSchedule.Partition p) {
      if (!p.valid()) {
        List<Object> before = fullState();
        assertThrows(IllegalArgumentException.class, () -> cluster.partition(p.ids()));
        assertEquals(before, fullState(), "a refused partition changed the cluster");
        return;
      }
      List<Object> before = snapshots();
      cluster.partition(p.ids());
      Arrays.fill(partitioned, false);
      for (int id : p.ids()) {
        partitioned[id] = true;
      }
      assertEquals(before, snapshots(), "partition changed a replica's state");
    }

    private void heal() {
      cluster.heal();
      Arrays.fill(partitioned, false);
      for (int id = 0; id < n(); id++) {
        commit[id] = commit[leader()];
      }
      byte[] first = cluster.replica(0).dumpState();
      for (int id = 1; id < n(); id++) {
        assertArrayEquals(
            first,
            cluster.replica(id).dumpState(),
            "after heal, replica " + id + " differs from 0");
      }
    }

    private void recordPrefix() {
      List<SnapshotState.Entry> entries = new ArrayList<>(map.size());
      for (Map.Entry<Bytes, Bytes> e : map.entrySet()) {
        entries.add(new SnapshotState.Entry(e.getKey(), e.getValue()));
      }
      prefixSnapshot.add(SnapshotWriter.encode(new SnapshotState(prefixSnapshot.size(), entries)));
      prefixKeys.add(map.size());
    }

    /**
     * After every step: each replica holds the prefix the counters say; nothing committed is lost.
     */
    private void checkAll() {
      long length = prefixSnapshot.size() - 1;
      assertEquals(length, cluster.committed(), "committed() is not the history's length");
      assertEquals(view, cluster.view(), "view");
      assertEquals(leader(), cluster.leader(), "leader");
      assertEquals(
          length,
          cluster.replica(cluster.leader()).commitIndex(),
          "the leader lost committed entries");
      for (int id = 0; id < n(); id++) {
        var replica = cluster.replica(id);
        int c = (int) commit[id];
        assertEquals(commit[id], replica.commitIndex(), "replica " + id + " commit");
        assertEquals(partitioned[id], cluster.isPartitioned(id), "replica " + id + " partitioned");
        assertEquals(prefixKeys.get(c), replica.keyCount(), "replica " + id + " key count");
        byte[] snap = replica.dumpState();
        if (!Arrays.equals(prefixSnapshot.get(c), snap)) {
          throw new AssertionError(
              "replica "
                  + id
                  + " at commit "
                  + c
                  + " is not the state after the history's first "
                  + c
                  + " ops: "
                  + Hex.encode(snap)
                  + " != "
                  + Hex.encode(prefixSnapshot.get(c)));
        }
      }
    }

    private List<Object> snapshots() {
      List<Object> s = new ArrayList<>();
      for (int id = 0; id < n(); id++) {
        s.add(Hex.encode(cluster.replica(id).dumpState()));
      }
      return s;
    }

    /** Everything observable about the cluster, as comparable values. */
    private List<Object> fullState() {
      List<Object> s = snapshots();
      for (int id = 0; id < n(); id++) {
        var r = cluster.replica(id);
        s.add(r.commitIndex());
        s.add(r.keyCount());
        s.add(r.snapshotSize());
        s.add(cluster.isPartitioned(id));
      }
      s.add(cluster.view());
      s.add(cluster.leader());
      s.add(cluster.committed());
      s.add(cluster.digest());
      return s;
    }

    private static Bytes ascii(String s) {
      return Bytes.ofAscii(s);
    }
  }
}
