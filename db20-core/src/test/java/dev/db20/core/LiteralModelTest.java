package dev.db20.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.db20.api.Op;
import dev.db20.api.ReadResult;
import dev.db20.wire.Bytes;
import dev.db20.wire.SnapshotState;
import dev.db20.wire.SnapshotWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The model against SPEC §2–3 read literally, step by step. {@link Literal} keeps a log per replica
 * and a state machine per replica, catches a replica up by copying the missing entries and applying
 * them, and heals with {@code truncate_and_replay} (clear, copy the log, replay it): none of the
 * model's shared versions, frozen copies or cached flags. Random schedules of puts, deletes,
 * no-ops, reads, partitions of any subset (invalid ids included) and heals drive both; after every
 * step every result, every replica's commit index and snapshot bytes, the view and the leader must
 * agree, and {@link Cluster#check()} must pass. The same test exists in every port
 * (ports/README.md).
 */
class LiteralModelTest {
  static final int SCHEDULES = Integer.getInteger("db20.literal.schedules", 3_000);

  /** SPEC §2–3 as written: replicas with logs and state machines, a partitioned set, a view. */
  static final class Literal {
    final List<List<Op>> logs = new ArrayList<>();
    final List<TreeMap<Bytes, Bytes>> sms = new ArrayList<>();
    final boolean[] partitioned;
    long view;

    Literal(int n) {
      partitioned = new boolean[n];
      for (int i = 0; i < n; i++) {
        logs.add(new ArrayList<>());
        sms.add(new TreeMap<>());
      }
    }

    int n() {
      return partitioned.length;
    }

    int leader() {
      return (int) Long.remainderUnsigned(view, n());
    }

    int reachable() {
      int r = 0;
      for (boolean p : partitioned) {
        r += p ? 0 : 1;
      }
      return r;
    }

    boolean quorum() {
      return reachable() >= n() / 2 + 1;
    }

    static void apply(TreeMap<Bytes, Bytes> sm, Op op) {
      if (op instanceof Op.Put p) {
        sm.put(p.key(), p.value());
      } else if (op instanceof Op.Del d) {
        sm.remove(d.key());
      }
    }

    /** Appends the entries {@code to} lacks from {@code from}'s log and applies them. */
    void catchUp(int to, int from) {
      List<Op> src = logs.get(from);
      for (int i = logs.get(to).size(); i < src.size(); i++) {
        logs.get(to).add(src.get(i));
        apply(sms.get(to), src.get(i));
      }
    }

    boolean leaderCheck() {
      if (!partitioned[leader()]) {
        return true;
      }
      if (!quorum()) {
        return false;
      }
      do {
        view++;
      } while (partitioned[leader()]);
      int best = -1;
      for (int id = 0; id < n(); id++) {
        if (!partitioned[id] && (best < 0 || logs.get(id).size() > logs.get(best).size())) {
          best = id;
        }
      }
      catchUp(leader(), best);
      return true;
    }

    long propose(Op op) {
      if (!leaderCheck() || !quorum()) {
        return Cluster.REJECTED;
      }
      for (int id = 0; id < n(); id++) {
        if (!partitioned[id]) {
          catchUp(id, leader());
        }
      }
      for (int id = 0; id < n(); id++) {
        if (!partitioned[id]) {
          logs.get(id).add(op);
          apply(sms.get(id), op);
        }
      }
      return logs.get(leader()).size();
    }

    ReadResult read(Bytes key) {
      if (!leaderCheck() || !quorum()) {
        return ReadResult.Rejected.INSTANCE;
      }
      Bytes v = sms.get(leader()).get(key);
      return v == null ? ReadResult.Missing.INSTANCE : new ReadResult.Value(v);
    }

    void partition(int... ids) {
      Arrays.fill(partitioned, false);
      for (int id : ids) {
        partitioned[id] = true;
      }
    }

    /**
     * Heal: clear the set; every replica whose commit differs truncates and replays the leader's
     * log.
     */
    void heal() {
      Arrays.fill(partitioned, false);
      List<Op> source = logs.get(leader());
      for (int id = 0; id < n(); id++) {
        if (logs.get(id).size() != source.size()) {
          logs.set(id, new ArrayList<>(source));
          TreeMap<Bytes, Bytes> sm = new TreeMap<>();
          for (Op op : source) {
            apply(sm, op);
          }
          sms.set(id, sm);
        }
      }
    }

    byte[] snapshot(int id) {
      List<SnapshotState.Entry> entries = new ArrayList<>();
      for (Map.Entry<Bytes, Bytes> e : sms.get(id).entrySet()) {
        entries.add(new SnapshotState.Entry(e.getKey(), e.getValue()));
      }
      return SnapshotWriter.encode(new SnapshotState(logs.get(id).size(), entries));
    }
  }

  @Test
  void everyStepAgreesWithSpecSectionsTwoAndThreeReadLiterally() {
    SplittableRandom seeds = new SplittableRandom(0xdb20_1173L);
    long commits = 0;
    long rejections = 0;
    long viewChanges = 0;
    for (int s = 0; s < SCHEDULES; s++) {
      long seed = seeds.nextLong();
      SplittableRandom r = new SplittableRandom(seed);
      int n = 1 + r.nextInt(7);
      Cluster model = new Cluster(n);
      Literal literal = new Literal(n);
      List<String> steps = new ArrayList<>();
      try {
        for (int step = 0; step < 40; step++) {
          int what = r.nextInt(10);
          Bytes key = Bytes.ofAscii("k" + r.nextInt(4));
          if (what < 4) {
            Op op =
                what < 2
                    ? new Op.Put(key, Bytes.ofAscii("v" + step))
                    : what == 2 ? new Op.Del(key) : Op.NoOp.INSTANCE;
            steps.add("propose " + op);
            long viewBefore = literal.view;
            long expected = literal.propose(op);
            assertEquals(expected, model.propose(op), "propose");
            commits += expected == Cluster.REJECTED ? 0 : 1;
            rejections += expected == Cluster.REJECTED ? 1 : 0;
            viewChanges += literal.view != viewBefore ? 1 : 0;
          } else if (what < 6) {
            steps.add("read " + key);
            assertEquals(literal.read(key), model.read(key), "read");
          } else if (what < 9) {
            int[] ids = r.ints(r.nextInt(n + 1), 0, r.nextInt(10) == 0 ? n + 2 : n).toArray();
            steps.add("partition " + Arrays.toString(ids));
            if (Arrays.stream(ids).anyMatch(id -> id >= n)) {
              assertThrows(IllegalArgumentException.class, () -> model.partition(ids));
            } else {
              literal.partition(ids);
              model.partition(ids);
            }
          } else {
            steps.add("heal");
            literal.heal();
            model.heal();
          }
          model.check();
          assertEquals(literal.view, model.view(), "view");
          assertEquals(literal.leader(), model.leader(), "leader");
          for (int id = 0; id < n; id++) {
            assertEquals(
                literal.logs.get(id).size(),
                model.replica(id).commitIndex(),
                "replica " + id + " commit");
            assertEquals(
                literal.partitioned[id], model.isPartitioned(id), "replica " + id + " partitioned");
            assertArrayEquals(
                literal.snapshot(id), model.replica(id).dumpState(), "replica " + id + " snapshot");
          }
        }
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            "schedule " + s + " (seed " + seed + ", " + n + " replicas) after " + steps, e);
      }
    }
    // The schedules must reach the interesting cases, or agreement proves little.
    assertTrue(commits > SCHEDULES * 5L, "commits " + commits);
    assertTrue(rejections > SCHEDULES / 5, "rejections " + rejections);
    assertTrue(viewChanges > SCHEDULES / 10, "view changes " + viewChanges);
  }

  @Test
  void checkNamesABrokenInvariant() {
    // check() must be able to fail: a replica made to hold a version from elsewhere breaks
    // "a replica at the tip's index holds the tip".
    Cluster c = new Cluster(3);
    c.propose(new Op.Put(Bytes.ofAscii("a"), Bytes.ofAscii("1")));
    Cluster other = new Cluster(3);
    other.propose(new Op.Put(Bytes.ofAscii("a"), Bytes.ofAscii("1")));
    c.replica(2).adopt(other.replica(0).state());
    IllegalStateException e = assertThrows(IllegalStateException.class, c::check);
    assertTrue(e.getMessage().contains("replicas 0@1=tip 1@1=tip 2@1"), e.getMessage());
  }
}
