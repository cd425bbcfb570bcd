package dev.db20.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The reader's view callback ({@link SnapshotVisitor#entry(long, long, ByteBuffer, ByteBuffer)}),
 * the one-pass array decoder, and the writer's order check merged into its copy.
 */
class EntryViewTest {
  /** Collects the entries seen through views, checking each view is read-only. */
  static final class ViewCollector implements SnapshotVisitor {
    final List<SnapshotState.Entry> entries = new ArrayList<>();

    @Override
    public void entry(long index, long offset, Bytes key, Bytes value) {
      throw new AssertionError("the reader calls the view method; its default calls this one");
    }

    @Override
    public void entry(long index, long offset, ByteBuffer key, ByteBuffer value) {
      assertTrue(key.isReadOnly() && value.isReadOnly(), "views are read-only");
      assertThrows(ReadOnlyBufferException.class, () -> key.put(key.position(), (byte) 0));
      entries.add(new SnapshotState.Entry(Bytes.copyOf(key), Bytes.copyOf(value)));
    }
  }

  private static SnapshotState.Entry entry(byte[] key, byte[] value) {
    return new SnapshotState.Entry(Bytes.copyOf(key), Bytes.copyOf(value));
  }

  /** Keys and values of every size class: inside, at and past a 16-byte and a 64 KiB buffer. */
  private static SnapshotState mixed() {
    List<SnapshotState.Entry> entries = new ArrayList<>();
    int[] valueSizes = {
      0, 1, 15, 16, 17, 100, 65_535, 65_536, 65_537, 200_000, SnapshotFormat.MAX_VALUE_LEN
    };
    for (int i = 0; i < valueSizes.length; i++) {
      byte[] value = new byte[valueSizes[i]];
      Arrays.fill(value, (byte) (i * 37 + 1));
      if (value.length > 0) {
        value[value.length - 1] = (byte) i;
      }
      entries.add(entry(new byte[] {'a', (byte) i}, value));
    }
    byte[] longKey = new byte[SnapshotFormat.MAX_KEY_LEN];
    Arrays.fill(longKey, (byte) 'b');
    entries.add(entry(longKey, new byte[] {1, 2, 3}));
    byte[] longerAfter = Arrays.copyOf(longKey, 40);
    longerAfter[39] = 'c';
    entries.add(entry(longerAfter, new byte[0]));
    return new SnapshotState(7, entries);
  }

  @Test
  void viewsCarryTheSameEntriesInEveryReader() throws IOException, SnapshotFormatException {
    SnapshotState state = mixed();
    byte[] bytes = SnapshotWriter.encode(state);
    for (int bufferSize : new int[] {16, 4096, SnapshotInput.BUFFER_SIZE}) {
      ViewCollector v = new ViewCollector();
      SnapshotReader.read(new AllReaders.Dribble(bytes), v, bufferSize);
      assertEquals(state.entries(), v.entries, "buffer of " + bufferSize + " bytes");
    }
    ViewCollector v = new ViewCollector();
    SnapshotReader.read(new ByteArrayInputStream(bytes), v);
    assertEquals(state.entries(), v.entries);
    assertEquals(state, SnapshotReader.decode(bytes));
  }

  @Test
  void aVisitorOfBytesGetsCopiesThroughTheDefault() throws IOException, SnapshotFormatException {
    SnapshotState state = mixed();
    List<SnapshotState.Entry> seen = new ArrayList<>();
    SnapshotReader.read(
        new ByteArrayInputStream(SnapshotWriter.encode(state)),
        (index, offset, key, value) -> seen.add(new SnapshotState.Entry(key, value)));
    assertEquals(state.entries(), seen);
  }

  @Test
  void decodeKeepsItsOwnListWithoutACopy() throws SnapshotFormatException {
    SnapshotState decoded = SnapshotReader.decode(SnapshotWriter.encode(mixed()));
    SnapshotState again = new SnapshotState(decoded.commitIndex(), decoded.entries());
    assertSame(decoded.entries(), again.entries());
    assertThrows(UnsupportedOperationException.class, () -> decoded.entries().remove(0));
    assertThrows(UnsupportedOperationException.class, () -> decoded.entries().set(0, null));
    assertEquals(List.copyOf(decoded.entries()), decoded.entries());
    assertEquals(List.copyOf(decoded.entries()).hashCode(), decoded.entries().hashCode());
  }

  /**
   * Streaming 200,000 entries with a view visitor allocates a constant (the 64 KiB buffer, the
   * views, the scratch arrays), not per entry: 132 B an entry would be 26 MB.
   */
  @Test
  void streamingWithViewsAllocatesNothingPerEntry() throws IOException, SnapshotFormatException {
    int n = 200_000;
    List<SnapshotState.Entry> entries = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Bytes key = Bytes.ofAscii(String.format("k%07d", i));
      entries.add(new SnapshotState.Entry(key, Bytes.ofAscii("v" + i)));
    }
    byte[] bytes = SnapshotWriter.encode(new SnapshotState(1, entries));
    long[] sum = {0};
    SnapshotVisitor v =
        new SnapshotVisitor() {
          @Override
          public void entry(long index, long offset, Bytes key, Bytes value) {
            throw new AssertionError("not called");
          }

          @Override
          public void entry(long index, long offset, ByteBuffer key, ByteBuffer value) {
            sum[0] += key.get(key.limit() - 1) + value.remaining();
          }
        };
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    SnapshotReader.read(new ByteArrayInputStream(bytes), v); // warm: class loading allocates
    long before = threads.getThreadAllocatedBytes(tid);
    assertTrue(before > 0, "this JVM counts no allocation per thread");
    SnapshotReader.read(new ByteArrayInputStream(bytes), v);
    long allocated = threads.getThreadAllocatedBytes(tid) - before;
    assertTrue(
        allocated < 512 * 1024, "allocated " + allocated + " bytes reading " + n + " entries");
    assertTrue(sum[0] != 0);
  }

  @Property(tries = 2000)
  void copySmallWritesExactlyTheSourceAndNothingAroundIt(
      @ForAll("small") byte[] src, @ForAll @IntRange(max = 9) int at) {
    byte[] dst = new byte[at + src.length + 9];
    Arrays.fill(dst, (byte) 0x5a);
    byte[] expected = dst.clone();
    System.arraycopy(src, 0, expected, at, src.length);
    SnapshotWriter.copySmall(src, dst, at);
    assertArrayEquals(expected, dst);
  }

  @Provide
  Arbitrary<byte[]> small() {
    // Every length the small copy takes (0 to 15), over all byte values.
    return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(15);
  }

  @Property(tries = 2000)
  void theWriterTakesTwoKeysExactlyWhenTheFirstSortsBeforeTheSecond(
      @ForAll("keys") byte[] first, @ForAll("keys") byte[] second) throws SnapshotFormatException {
    List<SnapshotState.Entry> e =
        List.of(
            new SnapshotState.Entry(Bytes.copyOf(first), Bytes.copyOf(second)),
            new SnapshotState.Entry(Bytes.copyOf(second), Bytes.EMPTY));
    SnapshotState state = new SnapshotState(0, e);
    if (Arrays.compareUnsigned(first, second) < 0) {
      assertEquals(state, SnapshotReader.decode(SnapshotWriter.encode(state)));
    } else {
      assertThrows(IllegalArgumentException.class, () -> SnapshotWriter.encode(state));
    }
  }

  @Provide
  Arbitrary<byte[]> keys() {
    // Short and long keys over few byte values, so that shared prefixes and equal keys are common.
    return Arbitraries.bytes()
        .between((byte) -2, (byte) 2)
        .array(byte[].class)
        .ofMinSize(1)
        .ofMaxSize(40);
  }

  @Test
  void theWriterStillRefusesKeysOutOfOrderAndRepeated() {
    for (String[] keys :
        new String[][] {
          {"b", "a"},
          {"a", "a"},
          {"ab", "a"},
          {"k0000000000000000000a", "k0000000000000000000"},
          {"k00000000000000000001", "k00000000000000000001"}
        }) {
      List<SnapshotState.Entry> e =
          List.of(
              new SnapshotState.Entry(Bytes.ofAscii(keys[0]), Bytes.EMPTY),
              new SnapshotState.Entry(Bytes.ofAscii(keys[1]), Bytes.EMPTY));
      IllegalArgumentException x =
          assertThrows(
              IllegalArgumentException.class,
              () -> SnapshotWriter.encode(new SnapshotState(0, e)),
              String.join(" then ", keys));
      assertEquals(
          "keys not strictly increasing: "
              + Bytes.ofAscii(keys[0])
              + " then "
              + Bytes.ofAscii(keys[1]),
          x.getMessage());
    }
  }
}
