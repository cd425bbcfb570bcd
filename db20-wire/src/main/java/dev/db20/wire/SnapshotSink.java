package dev.db20.wire;

import static dev.db20.wire.SnapshotFormat.*;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.zip.CRC32C;

/**
 * Streams one canonical snapshot (SPEC §4) to an {@link OutputStream} or {@link
 * WritableByteChannel}: {@link #begin begin(commitIndex, count)}, then {@link #entry entry(key,
 * value)} once per entry in strictly increasing key order, then {@link #finish()}. Memory stays at
 * one 64 KiB buffer whatever the snapshot's size; the CRC-32C is computed as the bytes leave the
 * buffer; sizes and offsets are {@code long}, so snapshots over 2 GiB work.
 *
 * <p>It makes the checks {@link SnapshotWriter#encode(SnapshotState)} makes, each as early as it
 * can: the count in {@code begin}, the limits and the key order in {@code entry}, that the count
 * was met in {@code finish}. A check that fails throws {@link IllegalArgumentException} and leaves
 * the output incomplete: discard it. Calls out of order throw {@link IllegalStateException}. The
 * sink never closes its output. Not thread-safe.
 */
public final class SnapshotSink {
  /** The buffer between the entries and the output. */
  static final int BUFFER_SIZE = 64 * 1024;

  /** The largest entry count a u32 holds. */
  static final long MAX_ENTRY_COUNT = 0xffff_ffffL;

  private enum Stage {
    NEW,
    ENTRIES,
    FINISHED
  }

  private final OutputStream stream;
  private final WritableByteChannel channel;
  private final byte[] buf = new byte[BUFFER_SIZE];
  private final ByteBuffer channelView;
  private int at;
  private final CRC32C crc = new CRC32C();
  private long flushed;

  private Stage stage = Stage.NEW;
  private long expected;
  private long seen;
  private Bytes previous;

  SnapshotSink(OutputStream out) {
    if (out == null) {
      throw new IllegalArgumentException("output stream must not be null");
    }
    this.stream = out;
    this.channel = null;
    this.channelView = null;
  }

  SnapshotSink(WritableByteChannel out) {
    if (out == null) {
      throw new IllegalArgumentException("output channel must not be null");
    }
    this.stream = null;
    this.channel = out;
    this.channelView = ByteBuffer.wrap(buf);
  }

  /**
   * Writes the header.
   *
   * @param commitIndex the commit index, a u64 (two's complement in a long)
   * @param entryCount how many entries will follow, 0 to 4,294,967,295
   * @throws IllegalArgumentException if {@code entryCount} does not fit a u32
   * @throws IllegalStateException if the header was already written
   * @throws IOException if the output fails
   */
  public void begin(long commitIndex, long entryCount) throws IOException {
    if (stage != Stage.NEW) {
      throw new IllegalStateException("begin called twice");
    }
    if (entryCount < 0 || entryCount > MAX_ENTRY_COUNT) {
      throw new IllegalArgumentException(
          "entry count " + entryCount + " outside 0.." + MAX_ENTRY_COUNT);
    }
    stage = Stage.ENTRIES;
    expected = entryCount;
    System.arraycopy(magic(), 0, buf, OFFSET_MAGIC, SIZE_MAGIC);
    LittleEndian.putU16Le(buf, OFFSET_VERSION, VERSION);
    LittleEndian.putU16Le(buf, OFFSET_FLAGS, FLAGS);
    LittleEndian.putU64Le(buf, OFFSET_COMMIT_INDEX, commitIndex);
    LittleEndian.putU32Le(buf, OFFSET_ENTRY_COUNT, entryCount);
    at = HEADER_SIZE;
  }

  /**
   * Writes one entry.
   *
   * @param key 1 to 65,535 bytes, greater than the previous entry's key (unsigned bytewise)
   * @param value 0 to 1,048,576 bytes
   * @throws IllegalArgumentException if a length is outside the limits, the key does not follow the
   *     previous one, or this entry is one more than the count given to {@code begin}
   * @throws IllegalStateException if {@code begin} was not called, or {@code finish} was
   * @throws IOException if the output fails
   */
  public void entry(Bytes key, Bytes value) throws IOException {
    if (stage != Stage.ENTRIES) {
      throw new IllegalStateException(
          stage == Stage.NEW ? "entry before begin" : "entry after finish");
    }
    SnapshotWriter.checkLengths(key.length(), value.length());
    if (seen == expected) {
      throw new IllegalArgumentException(
          "more entries than the entry count " + expected + " given to begin");
    }
    if (previous != null && previous.compareTo(key) >= 0) {
      throw new IllegalArgumentException(
          "keys not strictly increasing: " + previous + " then " + key);
    }
    previous = key;
    seen++;
    put(key.array());
    put(value.array());
  }

  /**
   * Writes one entry; see {@link #entry(Bytes, Bytes)}.
   *
   * @param e the entry
   * @throws IOException if the output fails
   */
  public void entry(SnapshotState.Entry e) throws IOException {
    entry(e.key(), e.value());
  }

  /**
   * Writes the CRC and hands every buffered byte to the output (flushing a stream).
   *
   * @return the snapshot's size in bytes
   * @throws IllegalArgumentException if fewer entries were written than the count given
   * @throws IllegalStateException if {@code begin} was not called, or {@code finish} was
   * @throws IOException if the output fails
   */
  public long finish() throws IOException {
    if (stage != Stage.ENTRIES) {
      throw new IllegalStateException(
          stage == Stage.NEW ? "finish before begin" : "finish called twice");
    }
    if (seen != expected) {
      throw new IllegalArgumentException(
          seen + " entries written, entry count given was " + expected);
    }
    stage = Stage.FINISHED;
    drain();
    LittleEndian.putU32Le(buf, 0, crc.getValue());
    at = SIZE_CRC;
    flushWithoutCrc();
    if (stream != null) {
      stream.flush();
    }
    return flushed;
  }

  /** The bytes handed to the output so far, not counting the ones still buffered. */
  public long bytesFlushed() {
    return flushed;
  }

  /** One length-prefixed field; a field larger than the buffer goes through it in pieces. */
  private void put(byte[] field) throws IOException {
    if (buf.length - at < SIZE_LENGTH_PREFIX) {
      drain();
    }
    LittleEndian.putU32Le(buf, at, field.length);
    at += SIZE_LENGTH_PREFIX;
    int off = 0;
    while (off < field.length) {
      if (at == buf.length) {
        drain();
      }
      int n = Math.min(field.length - off, buf.length - at);
      System.arraycopy(field, off, buf, at, n);
      at += n;
      off += n;
    }
  }

  /** Feeds the buffered bytes to the CRC and writes them out. */
  private void drain() throws IOException {
    crc.update(buf, 0, at);
    flushWithoutCrc();
  }

  private void flushWithoutCrc() throws IOException {
    if (stream != null) {
      stream.write(buf, 0, at);
    } else {
      channelView.limit(at).position(0);
      while (channelView.hasRemaining()) {
        channel.write(channelView);
      }
    }
    flushed += at;
    at = 0;
  }
}
