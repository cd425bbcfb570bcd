package dev.db20.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.db20.wire.Bytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * KeyOrder sorts a table's slots into the order the JDK's {@code Arrays.compareUnsigned} gives,
 * whatever the keys: shorter and longer than the eight-byte prefix, sharing it, ending in zero
 * bytes (which pad like the prefix's padding), empty, and with high bytes (unsigned order).
 */
class KeyOrderTest {

  /** A table of {@code capacity} slots holding {@code keys} at random distinct slots. */
  private static Bytes[] table(List<byte[]> keys, int capacity, SplittableRandom r) {
    Bytes[] table = new Bytes[capacity];
    for (byte[] k : keys) {
      int at;
      do {
        at = r.nextInt(capacity);
      } while (table[at] != null);
      table[at] = Bytes.copyOf(k);
    }
    return table;
  }

  /** The expected order, computed with the JDK's comparison of the raw arrays. */
  private static int[] expectedSlots(Bytes[] table) {
    List<Integer> slots = new ArrayList<>();
    for (int i = 0; i < table.length; i++) {
      if (table[i] != null) {
        slots.add(i);
      }
    }
    slots.sort((a, b) -> Arrays.compareUnsigned(table[a].toByteArray(), table[b].toByteArray()));
    return slots.stream().mapToInt(Integer::intValue).toArray();
  }

  /** A random key: bytes from a small alphabet (zero and 0xff included), of length 0 to 20. */
  private static byte[] randomKey(SplittableRandom r, byte[] commonStart) {
    byte[] alphabet = {0, 1, 'a', 'b', (byte) 0x7f, (byte) 0x80, (byte) 0xff};
    int start = r.nextBoolean() ? r.nextInt(commonStart.length + 1) : 0;
    byte[] k = Arrays.copyOf(commonStart, start + r.nextInt(21 - start));
    for (int i = start; i < k.length; i++) {
      k[i] = alphabet[r.nextInt(alphabet.length)];
    }
    return k;
  }

  @Test
  void sortsLikeTheJdksUnsignedCompareForAnyKeys() {
    byte[] commonStart = "prefix-0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    for (long seed = 1; seed <= 200; seed++) {
      SplittableRandom r = new SplittableRandom(seed);
      int n = r.nextInt(300);
      Set<Bytes> seen = new HashSet<>();
      List<byte[]> keys = new ArrayList<>();
      while (keys.size() < n) {
        byte[] k = randomKey(r, commonStart);
        if (seen.add(Bytes.copyOf(k))) {
          keys.add(k);
        }
      }
      Bytes[] table = table(keys, n + r.nextInt(2 * n + 1), r);
      assertArrayEquals(
          expectedSlots(table),
          KeyOrder.sortedSlots(table, n),
          "seed " + seed + ", " + n + " keys");
    }
  }

  @Test
  void keysThatDifferOnlyInTrailingZerosSortShortestFirst() {
    // Each pads to the same prefix as the next: only the whole-key compare tells them apart.
    byte[][] keys = {{'a', 0, 0}, {}, {'a'}, {0}, {'a', 0}, {0, 0, 0, 0, 0, 0, 0, 0, 0}};
    Bytes[] table = new Bytes[keys.length];
    for (int i = 0; i < keys.length; i++) {
      table[i] = Bytes.copyOf(keys[i]);
    }
    // {} < {0} < {0 x 9} < {a} < {a, 0} < {a, 0, 0}
    assertArrayEquals(new int[] {1, 3, 5, 2, 4, 0}, KeyOrder.sortedSlots(table, keys.length));
  }

  @Test
  void prefixIsTheFirstEightBytesBigEndianPaddedWithZeros() {
    assertEquals(0L, KeyOrder.prefixU64Be(Bytes.EMPTY));
    assertEquals(0x6b00_0000_0000_0000L, KeyOrder.prefixU64Be(Bytes.ofAscii("k")));
    assertEquals(
        0x0102_0304_0506_0708L,
        KeyOrder.prefixU64Be(Bytes.copyOf(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9})));
    assertEquals(
        0xff00_0000_0000_0000L, KeyOrder.prefixU64Be(Bytes.copyOf(new byte[] {(byte) 0xff})));
  }

  @Test
  void aWrongLiveCountIsRefusedWithTheCounts() {
    Bytes[] table = {Bytes.ofAscii("a"), null, Bytes.ofAscii("b")};
    IllegalArgumentException few =
        assertThrows(IllegalArgumentException.class, () -> KeyOrder.sortedSlots(table, 1));
    assertEquals("more than 1 keys in the table", few.getMessage());
    IllegalArgumentException many =
        assertThrows(IllegalArgumentException.class, () -> KeyOrder.sortedSlots(table, 3));
    assertEquals("2 keys in the table, not 3", many.getMessage());
  }
}
