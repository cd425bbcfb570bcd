package dev.db20.wire;

import static dev.db20.wire.SnapshotFormat.*;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.WritableByteChannel;
import java.util.Iterator;
import java.util.List;

/**
 * Writes the canonical snapshot of SPEC §4, the bytes {@link SnapshotReader} accepts.
 *
 * <p>Names pair with the reader's: {@link #encode(SnapshotState)} makes one array, which {@link
 * SnapshotReader#decode(byte[])} takes back; the {@code write} methods and {@link #sink} stream to
 * an {@link OutputStream} or {@link WritableByteChannel}, which {@code SnapshotReader.read} reads
 * back, in bounded memory and at any size. The array writer writes every byte once into an array of
 * exactly the snapshot's size, known before the first byte is written.
 */
public final class SnapshotWriter {
  private SnapshotWriter() {}

  /**
   * The canonical snapshot of {@code state}; {@code encode(read(b))} equals {@code b}.
   *
   * @throws IllegalArgumentException if a key or value is outside SPEC §1's limits, the keys are
   *     not strictly increasing, or the snapshot would not fit in one array (spec-notes N9)
   */
  public static byte[] encode(SnapshotState state) {
    long payload = 0;
    for (SnapshotState.Entry e : state.entries()) {
      payload += e.encodedSize();
    }
    return encode(state.commitIndex(), state.entries(), payload);
  }

  /**
   * The canonical snapshot of entries whose size the caller already knows: one pass over the
   * entries, writing into one array of exactly {@code MIN_SNAPSHOT_SIZE + payloadBytes}.
   *
   * @param commitIndex the commit index, a u64
   * @param sortedEntries entries in strictly increasing unsigned bytewise key order
   * @param payloadBytes the sum of the entries' {@link SnapshotState.Entry#encodedSize()}
   * @throws IllegalArgumentException as {@link #encode(SnapshotState)}, or if {@code payloadBytes}
   *     is not the entries' size
   */
  public static byte[] encode(
      long commitIndex, List<SnapshotState.Entry> sortedEntries, long payloadBytes) {
    if (payloadBytes < 0 || payloadBytes > MAX_SNAPSHOT_BYTES - MIN_SNAPSHOT_SIZE) {
      throw new IllegalArgumentException(
          "snapshot of "
              + payloadBytes
              + " entry bytes does not fit in one array of at most "
              + MAX_SNAPSHOT_BYTES
              + " bytes");
    }
    byte[] buf = new byte[(int) (MIN_SNAPSHOT_SIZE + payloadBytes)];
    int at = writeHeader(buf, commitIndex, sortedEntries.size());
    int end = buf.length - SIZE_CRC;
    Bytes previous = null;
    for (int i = 0, n = sortedEntries.size(); i < n; i++) {
      SnapshotState.Entry e = sortedEntries.get(i);
      Bytes key = e.key();
      Bytes value = e.value();
      checkLengths(key.length(), value.length());
      if (2L * SIZE_LENGTH_PREFIX + key.length() + value.length() > end - at) {
        throw new IllegalArgumentException(
            "entries exceed the payload size given, " + payloadBytes + " bytes");
      }
      // Compared with the previous key's own array, not with the bytes just written into buf:
      // reading those back costs more than the compare (docs/benchmarks.md, "JMH").
      if (previous != null && Bytes.compareUnsigned(previous.array(), key.array()) >= 0) {
        throw new IllegalArgumentException(
            "keys not strictly increasing: " + previous + " then " + key);
      }
      previous = key;
      at = writeBytes(buf, writeBytes(buf, at, key), value);
    }
    if (at != end) {
      throw new IllegalArgumentException(
          "entries fill " + (at - HEADER_SIZE) + " bytes, payload size given is " + payloadBytes);
    }
    writeCrc(buf, at);
    return buf;
  }

  /** The limits of SPEC §1, shared with {@link SnapshotSink}. */
  static void checkLengths(int keyLength, int valueLength) {
    if (keyLength < MIN_KEY_LEN || keyLength > MAX_KEY_LEN) {
      throw new IllegalArgumentException(
          "key length " + keyLength + " outside " + MIN_KEY_LEN + ".." + MAX_KEY_LEN);
    }
    if (valueLength > MAX_VALUE_LEN) {
      throw new IllegalArgumentException(
          "value length " + valueLength + " exceeds the limit of " + MAX_VALUE_LEN + " bytes");
    }
  }

  /**
   * Streams the canonical snapshot of {@code state} to {@code out} (not closed).
   *
   * @param state the state to write
   * @param out where the bytes go
   * @return the snapshot's size in bytes
   * @throws IllegalArgumentException as {@link #encode(SnapshotState)}, except that there is no
   *     size limit
   * @throws IOException if the output fails
   */
  public static long write(SnapshotState state, OutputStream out) throws IOException {
    return write(
        state.commitIndex(),
        state.entries().size(),
        state.entries().iterator(),
        new SnapshotSink(out));
  }

  /**
   * Streams the canonical snapshot of {@code state} to {@code out} (not closed).
   *
   * @param state the state to write
   * @param out where the bytes go
   * @return the snapshot's size in bytes
   * @throws IllegalArgumentException as {@link #write(SnapshotState, OutputStream)}
   * @throws IOException if the output fails
   */
  public static long write(SnapshotState state, WritableByteChannel out) throws IOException {
    return write(
        state.commitIndex(),
        state.entries().size(),
        state.entries().iterator(),
        new SnapshotSink(out));
  }

  /**
   * Streams a snapshot of {@code entryCount} entries taken from {@code sortedEntries} to {@code
   * out} (not closed), holding one 64 KiB buffer whatever the size.
   *
   * @param commitIndex the commit index, a u64
   * @param entryCount how many entries the iterator yields, 0 to 4,294,967,295
   * @param sortedEntries entries in strictly increasing unsigned bytewise key order
   * @param out where the bytes go
   * @return the snapshot's size in bytes
   * @throws IllegalArgumentException if an entry is outside the limits or out of order, or the
   *     iterator yields more or fewer than {@code entryCount} entries; the output is then
   *     incomplete
   * @throws IOException if the output fails
   */
  public static long write(
      long commitIndex,
      long entryCount,
      Iterator<SnapshotState.Entry> sortedEntries,
      OutputStream out)
      throws IOException {
    return write(commitIndex, entryCount, sortedEntries, new SnapshotSink(out));
  }

  /**
   * {@link #write(long, long, Iterator, OutputStream)} to a channel.
   *
   * @param commitIndex the commit index, a u64
   * @param entryCount how many entries the iterator yields, 0 to 4,294,967,295
   * @param sortedEntries entries in strictly increasing unsigned bytewise key order
   * @param out where the bytes go
   * @return the snapshot's size in bytes
   * @throws IllegalArgumentException as {@link #write(long, long, Iterator, OutputStream)}
   * @throws IOException if the output fails
   */
  public static long write(
      long commitIndex,
      long entryCount,
      Iterator<SnapshotState.Entry> sortedEntries,
      WritableByteChannel out)
      throws IOException {
    return write(commitIndex, entryCount, sortedEntries, new SnapshotSink(out));
  }

  /**
   * A sink that streams one snapshot to {@code out}, for entries that come from a callback rather
   * than an iterator: {@code begin}, {@code entry} for each, {@code finish}.
   *
   * @param out where the bytes go; never closed by the sink
   * @return a new sink
   */
  public static SnapshotSink sink(OutputStream out) {
    return new SnapshotSink(out);
  }

  /**
   * {@link #sink(OutputStream)} to a channel.
   *
   * @param out where the bytes go; never closed by the sink
   * @return a new sink
   */
  public static SnapshotSink sink(WritableByteChannel out) {
    return new SnapshotSink(out);
  }

  private static long write(
      long commitIndex, long entryCount, Iterator<SnapshotState.Entry> sorted, SnapshotSink sink)
      throws IOException {
    sink.begin(commitIndex, entryCount);
    while (sorted.hasNext()) {
      sink.entry(sorted.next());
    }
    return sink.finish();
  }

  private static int writeHeader(byte[] buf, long commitIndex, int count) {
    System.arraycopy(magic(), 0, buf, OFFSET_MAGIC, SIZE_MAGIC);
    LittleEndian.putU16Le(buf, OFFSET_VERSION, VERSION);
    LittleEndian.putU16Le(buf, OFFSET_FLAGS, FLAGS);
    LittleEndian.putU64Le(buf, OFFSET_COMMIT_INDEX, commitIndex);
    LittleEndian.putU32Le(buf, OFFSET_ENTRY_COUNT, count);
    return HEADER_SIZE;
  }

  /**
   * Under this many bytes {@link #writeBytes} copies with {@link #copySmall}, not the arraycopy
   * stub.
   */
  private static final int SHORT_COPY = 16;

  /**
   * Writes {@code bytes} with its u32 length prefix at {@code buf[at]}; returns the next offset.
   */
  private static int writeBytes(byte[] buf, int at, Bytes bytes) {
    byte[] src = bytes.array();
    int n = src.length;
    LittleEndian.putU32Le(buf, at, n);
    at += SIZE_LENGTH_PREFIX;
    if (n < SHORT_COPY) {
      copySmall(src, buf, at);
    } else {
      System.arraycopy(src, 0, buf, at, n);
    }
    return at + n;
  }

  /**
   * Copies {@code src} (under {@link #SHORT_COPY} bytes) to {@code dst[at..at + src.length)} in at
   * most two moves of eight or four bytes, the second overlapping the first, and no write outside
   * that range; under four bytes, a byte at a time.
   */
  static void copySmall(byte[] src, byte[] dst, int at) {
    int n = src.length;
    assert n < SHORT_COPY : n;
    // The moves read and write in the same byte order, so any order copies the bytes as they are.
    if (n >= Long.BYTES) {
      LittleEndian.putU64Le(dst, at, LittleEndian.getU64Le(src, 0));
      LittleEndian.putU64Le(dst, at + n - Long.BYTES, LittleEndian.getU64Le(src, n - Long.BYTES));
    } else if (n >= Integer.BYTES) {
      LittleEndian.putU32Le(dst, at, LittleEndian.getU32Le(src, 0));
      LittleEndian.putU32Le(
          dst, at + n - Integer.BYTES, LittleEndian.getU32Le(src, n - Integer.BYTES));
    } else {
      for (int i = 0; i < n; i++) {
        dst[at + i] = src[i];
      }
    }
  }

  private static void writeCrc(byte[] buf, int crcOffset) {
    LittleEndian.putU32Le(buf, crcOffset, Crc32c.of(buf, 0, crcOffset));
  }
}
