package dev.db20.ratis;

import static dev.db20.ratis.RegisterChecker.NEVER;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.db20.ratis.RegisterChecker.Call;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The checker accepts what a register can do and rejects what it cannot. */
class RegisterCheckerTest {
  private static boolean ok(Call... calls) {
    return RegisterChecker.check(List.of(calls));
  }

  @Test
  void sequentialHistories() {
    assertTrue(ok(Call.get("a", null, 0, 1), Call.put("a", "1", 2, 3), Call.get("a", "1", 4, 5)));
    // A read of the initial state after a write completed: impossible.
    assertFalse(ok(Call.put("a", "1", 0, 1), Call.get("a", null, 2, 3)));
    // A stale read: the second write completed before the read began.
    assertFalse(ok(Call.put("a", "1", 0, 1), Call.put("a", "2", 2, 3), Call.get("a", "1", 4, 5)));
    // A value nobody wrote.
    assertFalse(ok(Call.get("a", "x", 0, 1)));
  }

  @Test
  void concurrentWritesMayBeReadInEitherOrderButThenStay() {
    assertTrue(
        ok(
            Call.put("a", "1", 0, 10),
            Call.put("a", "2", 0, 10),
            Call.get("a", "1", 11, 12),
            Call.get("a", "1", 13, 14)));
    assertTrue(
        ok(Call.put("a", "1", 0, 10), Call.put("a", "2", 0, 10), Call.get("a", "2", 11, 12)));
    // After both writes completed the register cannot change any more.
    assertFalse(
        ok(
            Call.put("a", "1", 0, 10),
            Call.put("a", "2", 0, 10),
            Call.get("a", "1", 11, 12),
            Call.get("a", "2", 13, 14)));
    // During the writes it can: 1 then 2 is one order, while 2 then 1 then 2 is none.
    assertTrue(
        ok(
            Call.put("a", "1", 0, 10),
            Call.put("a", "2", 0, 10),
            Call.get("a", "1", 1, 2),
            Call.get("a", "2", 3, 4)));
    assertFalse(
        ok(
            Call.put("a", "1", 0, 10),
            Call.put("a", "2", 0, 10),
            Call.get("a", "2", 1, 2),
            Call.get("a", "1", 3, 4),
            Call.get("a", "2", 5, 6)));
  }

  @Test
  void aReadDuringAWriteSeesOldThenNewNeverNewThenOld() {
    assertTrue(ok(Call.put("a", "1", 0, 10), Call.get("a", null, 1, 2), Call.get("a", "1", 3, 4)));
    assertFalse(ok(Call.put("a", "1", 0, 10), Call.get("a", "1", 1, 2), Call.get("a", null, 3, 4)));
  }

  @Test
  void anIndeterminateWriteMayHappenLateOrNever() {
    assertTrue(ok(Call.put("a", "1", 0, NEVER), Call.get("a", "1", 5, 6)));
    assertTrue(ok(Call.put("a", "1", 0, NEVER), Call.get("a", null, 5, 6)));
    assertTrue(
        ok(Call.put("a", "1", 0, NEVER), Call.get("a", null, 5, 6), Call.get("a", "1", 7, 8)));
    assertFalse(
        ok(Call.put("a", "1", 0, NEVER), Call.get("a", "1", 5, 6), Call.get("a", null, 7, 8)));
    // A timed-out read observed nothing.
    assertTrue(ok(Call.put("a", "1", 0, 1), Call.get("a", "zzz", 2, NEVER)));
  }

  @Test
  void keysAreIndependentAndOneBadKeyFailsTheHistory() {
    assertTrue(ok(Call.put("a", "1", 0, 1), Call.get("b", null, 2, 3), Call.get("a", "1", 2, 3)));
    assertFalse(ok(Call.put("a", "1", 0, 1), Call.get("b", null, 2, 3), Call.get("a", null, 2, 3)));
  }

  @Test
  void aLargeGeneratedLinearizableHistoryIsAccepted() {
    // Operations take effect at random instants inside random overlapping windows; the history
    // records what a real register would have answered.
    Random r = new Random(20);
    List<Call> calls = new ArrayList<>();
    String[] value = new String[3];
    long t = 0;
    for (int i = 0; i < 600; i++) {
      t += 1 + r.nextInt(3);
      long invoke = t - r.nextInt(8);
      long complete = t + r.nextInt(8);
      String key = "k" + r.nextInt(3);
      int k = key.charAt(1) - '0';
      if (r.nextBoolean()) {
        value[k] = "v" + i;
        calls.add(Call.put(key, value[k], invoke, complete));
      } else {
        calls.add(Call.get(key, value[k], invoke, complete));
      }
    }
    assertTrue(RegisterChecker.check(calls));
  }
}
