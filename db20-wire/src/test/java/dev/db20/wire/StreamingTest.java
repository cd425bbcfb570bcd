package dev.db20.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.db20.wire.SnapshotFormatException.Rule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming API's own promises: bounded reads, long offsets, the sink's checks. */
class StreamingTest {
  @TempDir Path scratch;

  private static final long ONE_GIB = 1L << 30;

  /** Counts the bytes read through it. */
  static final class Counting extends FilterInputStream {
    long read;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      read += b < 0 ? 0 : 1;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      read += Math.max(0, n);
      return n;
    }
  }

  @Test
  void badMagicOfA1GibFileOfZerosIsRefusedAtOffset0AfterReadingFourBytes() throws Exception {
    Path file = scratch.resolve("zeros.db20");
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(ONE_GIB); // sparse: no gigabyte is written, and none must be read
    }
    SnapshotFormatException e =
        assertThrows(
            SnapshotFormatException.class,
            () -> SnapshotReader.read(file, SnapshotVisitor.CHECK_ONLY));
    assertEquals(Rule.BAD_MAGIC, e.rule());
    assertEquals(0, e.offset());
    try (Counting in = new Counting(Files.newInputStream(file))) {
      e =
          assertThrows(
              SnapshotFormatException.class,
              () -> SnapshotReader.read(in, SnapshotVisitor.CHECK_ONLY));
      assertEquals(Rule.BAD_MAGIC, e.rule());
      assertEquals(SnapshotFormat.SIZE_MAGIC, in.read);
    }
  }

  @Test
  void entryCountOfA1GibFileIsCheckedAgainstTheFileSizeBeforeAnyEntryIsRead() throws Exception {
    Path file = scratch.resolve("count.db20");
    byte[] header = SnapshotWriter.encode(new SnapshotState(1, List.of()));
    LittleEndian.putU32Le(header, SnapshotFormat.OFFSET_ENTRY_COUNT, 0xffff_ffffL);
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.write(header, 0, SnapshotFormat.HEADER_SIZE);
      f.setLength(ONE_GIB);
    }
    List<Long> visited = new ArrayList<>();
    SnapshotFormatException e =
        assertThrows(
            SnapshotFormatException.class,
            () -> SnapshotReader.read(file, (i, offset, k, v) -> visited.add(i)));
    assertEquals(Rule.LENGTH_PAST_END, e.rule());
    assertEquals(SnapshotFormat.OFFSET_ENTRY_COUNT, e.offset());
    assertEquals(List.of(), visited);
  }

  @Test
  void streamOfUnknownSizeWithALongValueLengthAllocatesNoMoreThanTheValueLimit() {
    // The value length claims 0xfffffffe bytes: refused by its limit, before any allocation.
    byte[] b =
        SnapshotWriter.encode(
            new SnapshotState(
                1, List.of(new SnapshotState.Entry(Bytes.ofAscii("a"), Bytes.EMPTY))));
    LittleEndian.putU32Le(b, 25, 0xffff_fffeL);
    SnapshotFormatException e =
        assertThrows(
            SnapshotFormatException.class,
            () -> SnapshotReader.read(new ByteArrayInputStream(b), SnapshotVisitor.CHECK_ONLY));
    assertEquals(Rule.VALUE_TOO_LONG, e.rule());
    assertEquals(25, e.offset());
  }

  @Test
  void minimumSizeOfTheLargestEntryCountDoesNotOverflow() {
    assertEquals(24L + 9L * 0xffff_ffffL, SnapshotReader.minimumSize(0xffff_ffffL));
    assertTrue(SnapshotReader.minimumSize(0xffff_ffffL) > Integer.MAX_VALUE);
  }

  @Test
  void summaryOffsetsPastTwoGibAreExact() {
    long size = 3L * ONE_GIB + 7;
    SnapshotSummary s = new SnapshotSummary(1, 2, size, 0);
    assertEquals(size - 4, s.crcOffset());
    assertEquals(size - 24, s.payloadSize());
  }

  @Test
  void sinkRefusesAnEntryCountBeyondU32() {
    SnapshotSink sink = SnapshotWriter.sink(new ByteArrayOutputStream());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> sink.begin(0, 1L << 32));
    assertTrue(e.getMessage().contains("4294967296"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> SnapshotWriter.sink(new ByteArrayOutputStream()).begin(0, -1));
  }

  @Test
  void sinkRefusesKeysNotStrictlyIncreasing() throws IOException {
    SnapshotSink sink = SnapshotWriter.sink(new ByteArrayOutputStream());
    sink.begin(0, 3);
    sink.entry(Bytes.ofAscii("b"), Bytes.EMPTY);
    assertThrows(IllegalArgumentException.class, () -> sink.entry(Bytes.ofAscii("b"), Bytes.EMPTY));
    assertThrows(IllegalArgumentException.class, () -> sink.entry(Bytes.ofAscii("a"), Bytes.EMPTY));
  }

  @Test
  void sinkRefusesKeysAndValuesOutsideTheLimits() throws IOException {
    SnapshotSink sink = SnapshotWriter.sink(new ByteArrayOutputStream());
    sink.begin(0, 1);
    assertThrows(IllegalArgumentException.class, () -> sink.entry(Bytes.EMPTY, Bytes.EMPTY));
    assertThrows(
        IllegalArgumentException.class,
        () -> sink.entry(Bytes.copyOf(new byte[SnapshotFormat.MAX_KEY_LEN + 1]), Bytes.EMPTY));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                sink.entry(
                    Bytes.ofAscii("k"), Bytes.copyOf(new byte[SnapshotFormat.MAX_VALUE_LEN + 1])));
    assertTrue(e.getMessage().contains("1048577"), e.getMessage());
  }

  @Test
  void sinkRefusesMoreEntriesThanTheCount() throws IOException {
    SnapshotSink sink = SnapshotWriter.sink(new ByteArrayOutputStream());
    sink.begin(0, 1);
    sink.entry(Bytes.ofAscii("a"), Bytes.EMPTY);
    assertThrows(IllegalArgumentException.class, () -> sink.entry(Bytes.ofAscii("b"), Bytes.EMPTY));
  }

  @Test
  void sinkRefusesToFinishWithFewerEntriesThanTheCount() throws IOException {
    SnapshotSink sink = SnapshotWriter.sink(new ByteArrayOutputStream());
    sink.begin(0, 2);
    sink.entry(Bytes.ofAscii("a"), Bytes.EMPTY);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, sink::finish);
    assertTrue(
        e.getMessage().contains("1 entries written, entry count given was 2"), e.getMessage());
  }

  @Test
  void sinkRefusesCallsOutOfOrder() throws IOException {
    SnapshotSink sink = SnapshotWriter.sink(new ByteArrayOutputStream());
    assertThrows(IllegalStateException.class, () -> sink.entry(Bytes.ofAscii("a"), Bytes.EMPTY));
    assertThrows(IllegalStateException.class, sink::finish);
    sink.begin(0, 0);
    assertThrows(IllegalStateException.class, () -> sink.begin(0, 0));
    sink.finish();
    assertThrows(IllegalStateException.class, sink::finish);
  }

  @Test
  void writerRefusesAnIteratorThatYieldsMoreThanTheCount() {
    List<SnapshotState.Entry> two =
        List.of(
            new SnapshotState.Entry(Bytes.ofAscii("a"), Bytes.EMPTY),
            new SnapshotState.Entry(Bytes.ofAscii("b"), Bytes.EMPTY));
    assertThrows(
        IllegalArgumentException.class,
        () -> SnapshotWriter.write(0, 1, two.iterator(), new ByteArrayOutputStream()));
  }

  @Test
  void valuesLargerThanTheBufferRoundTripThroughFile() throws Exception {
    List<SnapshotState.Entry> entries = new ArrayList<>();
    byte[] big = new byte[SnapshotFormat.MAX_VALUE_LEN];
    new java.util.Random(7).nextBytes(big);
    entries.add(new SnapshotState.Entry(Bytes.ofAscii("a"), Bytes.copyOf(big)));
    entries.add(
        new SnapshotState.Entry(
            Bytes.copyOf(new byte[SnapshotFormat.MAX_KEY_LEN]), Bytes.ofAscii("x")));
    entries.sort((x, y) -> x.key().compareTo(y.key()));
    SnapshotState state = new SnapshotState(-1, entries);
    Path file = scratch.resolve("big-values.db20");
    try (var out = Files.newOutputStream(file)) {
      SnapshotWriter.write(state, out);
    }
    assertArrayEquals(SnapshotWriter.encode(state), Files.readAllBytes(file));
    List<SnapshotState.Entry> read = new ArrayList<>();
    SnapshotSummary s =
        SnapshotReader.read(file, (i, o, k, v) -> read.add(new SnapshotState.Entry(k, v)));
    assertEquals(state, new SnapshotState(s.commitIndex(), read));
    assertEquals(Files.size(file), s.size());
  }
}
