package dev.db20.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.db20.api.Op;
import dev.db20.wire.Bytes;
import dev.db20.wire.SnapshotState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** KvState's open-addressed table behaves as a sorted map under any mix of puts and deletes. */
class KvStateTest {

  /**
   * Keys whose hash codes collide in pairs ("Aa" and "BB" share Arrays.hashCode), and plain ones.
   */
  private static List<Bytes> keys(int n) {
    List<Bytes> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(Bytes.ofAscii("Aa" + i));
      keys.add(Bytes.ofAscii("BB" + i));
      keys.add(Bytes.ofAscii("k" + i));
    }
    return keys;
  }

  @Test
  void randomPutsAndDeletesMatchATreeMapAfterEveryStep() {
    for (long seed = 1; seed <= 20; seed++) {
      SplittableRandom r = new SplittableRandom(seed);
      List<Bytes> keys = keys(1 + r.nextInt(400));
      KvState state = new KvState();
      TreeMap<Bytes, Bytes> model = new TreeMap<>();
      for (int step = 0; step < 4000; step++) {
        // Fresh key objects half the time: lookups must not depend on identity.
        Bytes key = keys.get(r.nextInt(keys.size()));
        if (r.nextBoolean()) {
          key = Bytes.copyOf(key.toByteArray());
        }
        if (r.nextInt(3) == 0) {
          state.apply(new Op.Del(key));
          model.remove(key);
        } else {
          Bytes value = Bytes.ofAscii(Integer.toString(r.nextInt(1000)));
          state.apply(new Op.Put(key, value));
          model.put(key, value);
        }
        assertEquals(model.size(), state.size(), "seed " + seed + " step " + step);
      }
      for (Bytes k : keys) {
        assertEquals(
            java.util.Optional.ofNullable(model.get(k)),
            state.get(k),
            "seed " + seed + " key " + k);
      }
      List<SnapshotState.Entry> expected = new ArrayList<>();
      long payload = 0;
      for (Map.Entry<Bytes, Bytes> e : model.entrySet()) {
        expected.add(new SnapshotState.Entry(e.getKey(), e.getValue()));
        payload += 8 + e.getKey().length() + e.getValue().length();
      }
      assertEquals(expected, state.sortedEntries(), "seed " + seed);
      assertEquals(payload, state.payloadBytes(), "seed " + seed);
    }
  }

  @Test
  void deletingEveryKeyLeavesAnEmptyState() {
    KvState state = new KvState();
    List<Bytes> keys = keys(300);
    for (Bytes k : keys) {
      state.apply(new Op.Put(k, k));
    }
    for (Bytes k : keys) {
      state.apply(new Op.Del(k));
    }
    assertEquals(0, state.size());
    assertEquals(0, state.payloadBytes());
    assertEquals(List.of(), state.sortedEntries());
    assertEquals(24, state.encode(0).length);
  }

  @Test
  void aStateLoadedFromASnapshotEncodesToTheSameBytes() {
    KvState state = new KvState();
    for (Bytes k : keys(50)) {
      state.apply(new Op.Put(k, Bytes.ofAscii("v")));
    }
    byte[] bytes = state.encode(9);
    KvState loaded = KvState.of(new SnapshotState(9, state.sortedEntries()));
    assertEquals(dev.db20.wire.Hex.encode(bytes), dev.db20.wire.Hex.encode(loaded.encode(9)));
    assertEquals(state.size(), loaded.size());
    loaded.apply(new Op.Del(Bytes.ofAscii("k7")));
    assertEquals(state.size() - 1, loaded.size());
  }
}
