package dev.db20.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Any state encodes and decodes back to itself; any damage is refused, never accepted. */
class RoundTripPropertiesTest {

  @Provide
  Arbitrary<TreeMap<byte[], byte[]>> states() {
    Arbitrary<byte[]> keys = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(12);
    Arbitrary<byte[]> values = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
    return Arbitraries.maps(keys, values)
        .ofMaxSize(30)
        .map(
            m -> {
              TreeMap<byte[], byte[]> sorted = new TreeMap<>(Arrays::compareUnsigned);
              sorted.putAll(m);
              return sorted;
            });
  }

  @Property(tries = 300)
  void encodeThenLoadGivesTheSameState(
      @ForAll("states") TreeMap<byte[], byte[]> state, @ForAll long commit) throws Exception {
    SnapshotState expected = toState(commit, state);
    byte[] bytes = SnapshotWriter.encode(expected);
    SnapshotState decoded = SnapshotReader.loadState(bytes);
    assertEquals(expected, decoded);
    assertArrayEquals(bytes, SnapshotWriter.encode(decoded));
  }

  @Property(tries = 300)
  void anySingleBitFlipIsRefused(
      @ForAll("states") TreeMap<byte[], byte[]> state, @ForAll long seed) {
    byte[] bytes = SnapshotWriter.encode(toState(3, state));
    int bit = (int) Long.remainderUnsigned(seed, bytes.length * 8L);
    bytes[bit / 8] ^= (byte) (1 << (bit % 8));
    // CRC-32C detects every single-bit error; a flip in a length or the CRC is refused too.
    assertThrows(SnapshotFormatException.class, () -> SnapshotReader.loadState(bytes));
  }

  @Property(tries = 200)
  void anyTruncationIsRefused(@ForAll("states") TreeMap<byte[], byte[]> state, @ForAll long seed) {
    byte[] bytes = SnapshotWriter.encode(toState(3, state));
    int keep = (int) Long.remainderUnsigned(seed, bytes.length);
    assertThrows(
        SnapshotFormatException.class, () -> SnapshotReader.loadState(Arrays.copyOf(bytes, keep)));
  }

  private static SnapshotState toState(long commit, TreeMap<byte[], byte[]> state) {
    List<SnapshotState.Entry> entries = new ArrayList<>();
    for (Map.Entry<byte[], byte[]> e : state.entrySet()) {
      entries.add(new SnapshotState.Entry(Bytes.copyOf(e.getKey()), Bytes.copyOf(e.getValue())));
    }
    return new SnapshotState(commit, entries);
  }
}
