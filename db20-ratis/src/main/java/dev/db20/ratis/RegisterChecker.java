package dev.db20.ratis;

import dev.db20.wire.Bytes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A linearizability checker for a map of registers (put and get per key), by the Wing–Gong–Lowe
 * search that Knossos and Porcupine use: walk the history's call/return events in time order,
 * linearize a call whose effect fits the current state, backtrack at a return whose call could not
 * be placed, and memoize (linearized set, state) pairs so no configuration is tried twice.
 * Linearizability is local (Herlihy–Wing), so a history is linearizable iff each key's sub-history
 * is, and keys are checked one by one.
 *
 * <p>An indeterminate operation (the client timed out) has no return: a put may have happened at
 * any point after its call or never, so it gets a return at the end of time; a get that timed out
 * observed nothing and is dropped.
 */
public final class RegisterChecker {
  private RegisterChecker() {}

  /** The end of time: the return of an indeterminate operation. */
  public static final long NEVER = Long.MAX_VALUE;

  /**
   * One operation.
   *
   * @param key the register
   * @param write a put or a del (else a get)
   * @param value a put's value (null: a del), or what a get returned (null: missing)
   * @param invoke when the call was made
   * @param complete when it returned, or {@link #NEVER} if it timed out
   */
  public record Call(String key, boolean write, Bytes value, long invoke, long complete) {
    public static Call put(String key, String value, long invoke, long complete) {
      return new Call(key, true, Bytes.ofAscii(value), invoke, complete);
    }

    public static Call get(String key, String value, long invoke, long complete) {
      return new Call(key, false, value == null ? null : Bytes.ofAscii(value), invoke, complete);
    }

    /** A del: a write of "missing". */
    public static Call del(String key, long invoke, long complete) {
      return new Call(key, true, null, invoke, complete);
    }
  }

  /** Whether the whole history is linearizable (every register starting missing). */
  public static boolean check(List<Call> history) {
    Map<String, List<Call>> byKey = new LinkedHashMap<>();
    for (Call c : history) {
      if (!c.write() && c.complete() == NEVER) {
        continue;
      }
      byKey.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(c);
    }
    for (List<Call> ops : byKey.values()) {
      if (!checkRegister(ops)) {
        return false;
      }
    }
    return true;
  }

  private static final class Entry {
    final int id;
    final boolean call;
    final long time;
    Entry prev;
    Entry next;
    Entry match;

    Entry(int id, boolean call, long time) {
      this.id = id;
      this.call = call;
      this.time = time;
    }
  }

  private record Config(BitSet linearized, Bytes state) {}

  private record Frame(Entry call, Bytes oldState) {}

  private static boolean checkRegister(List<Call> ops) {
    List<Entry> events = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      Entry call = new Entry(i, true, ops.get(i).invoke());
      Entry ret = new Entry(i, false, ops.get(i).complete());
      call.match = ret;
      events.add(call);
      events.add(ret);
    }
    // At equal times calls come first: the two operations are then taken as concurrent, the
    // permissive reading of equal timestamps.
    events.sort(Comparator.comparingLong((Entry e) -> e.time).thenComparing(e -> !e.call));
    Entry head = new Entry(-1, false, Long.MIN_VALUE);
    Entry prev = head;
    for (Entry e : events) {
      prev.next = e;
      e.prev = prev;
      prev = e;
    }

    Bytes state = null;
    BitSet linearized = new BitSet(ops.size());
    Set<Config> seen = new HashSet<>();
    Deque<Frame> stack = new ArrayDeque<>();
    Entry e = head.next;
    while (head.next != null) {
      if (e.call) {
        Call op = ops.get(e.id);
        boolean fits = op.write() || Objects.equals(op.value(), state);
        Bytes next = op.write() ? op.value() : state;
        if (fits) {
          BitSet after = (BitSet) linearized.clone();
          after.set(e.id);
          if (seen.add(new Config(after, next))) {
            stack.push(new Frame(e, state));
            state = next;
            linearized.set(e.id);
            lift(e);
            e = head.next;
            continue;
          }
        }
        e = e.next;
      } else {
        // A return whose call is not yet linearized: undo the last choice.
        if (stack.isEmpty()) {
          return false;
        }
        Frame f = stack.pop();
        state = f.oldState();
        linearized.clear(f.call().id);
        unlift(f.call());
        e = f.call().next;
      }
    }
    return true;
  }

  private static void lift(Entry call) {
    unlink(call);
    unlink(call.match);
  }

  private static void unlink(Entry e) {
    e.prev.next = e.next;
    if (e.next != null) {
      e.next.prev = e.prev;
    }
  }

  private static void unlift(Entry call) {
    relink(call.match);
    relink(call);
  }

  private static void relink(Entry e) {
    e.prev.next = e;
    if (e.next != null) {
      e.next.prev = e;
    }
  }
}
