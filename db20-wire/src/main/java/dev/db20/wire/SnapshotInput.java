package dev.db20.wire;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.zip.CRC32C;

/**
 * The bytes {@link SnapshotReader} parses: either one array held whole, or a stream or channel read
 * through a bounded buffer. One class for both, so the parser is the same code whatever the source
 * and refuses a snapshot with the same rule at the same offset.
 *
 * <p>Positions are {@code long}: {@code base} is the offset of {@code buf[0]} in the snapshot, so a
 * stream of any length is addressed exactly. The CRC-32C is fed every byte once, as the buffer
 * moves past it ({@link #compact}) and once more at the end ({@link #finishCrc}); for an array that
 * is a single call over the whole snapshot.
 */
final class SnapshotInput {
  /** The buffer a stream or channel is read through: the memory a streaming read needs. */
  static final int BUFFER_SIZE = 64 * 1024;

  /** Size when unknown (a stream or a non-file channel, until it ends). */
  static final long UNKNOWN_SIZE = -1;

  private final InputStream stream;
  private final ReadableByteChannel channel;
  private final ByteBuffer channelView;

  /** The bytes at hand: {@code buf[pos..lim)} are read but not yet parsed. */
  byte[] buf;

  int pos;
  int lim;

  /** The snapshot offset of {@code buf[0]}. */
  private long base;

  /** The snapshot's size: known from the start for arrays and files, else once the input ends. */
  private long size;

  private boolean ended;

  private final CRC32C crc = new CRC32C();

  /** {@code buf[0..crcMark)} has been fed to the CRC (or lies before the CRC's start). */
  private int crcMark;

  private boolean crcDone;

  private SnapshotInput(
      byte[] buf,
      int lim,
      long size,
      boolean ended,
      InputStream stream,
      ReadableByteChannel channel) {
    this.buf = buf;
    this.lim = lim;
    this.size = size;
    this.ended = ended;
    this.stream = stream;
    this.channel = channel;
    this.channelView = channel == null ? null : ByteBuffer.wrap(buf);
  }

  /** All of {@code bytes}, already at hand: reads never block and never fill. */
  static SnapshotInput ofArray(byte[] bytes) {
    return new SnapshotInput(bytes, bytes.length, bytes.length, true, null, null);
  }

  /**
   * {@code in} through a buffer; {@code size} is its length if known, else {@link #UNKNOWN_SIZE}.
   */
  static SnapshotInput ofStream(InputStream in, long size) {
    return ofStream(in, size, BUFFER_SIZE);
  }

  /**
   * {@link #ofStream(InputStream, long)} with a buffer of {@code bufferSize} (at least 8) bytes.
   */
  static SnapshotInput ofStream(InputStream in, long size, int bufferSize) {
    return new SnapshotInput(new byte[bufferSize], 0, size, false, in, null);
  }

  /**
   * {@code ch} through a buffer; {@code size} is its length if known, else {@link #UNKNOWN_SIZE}.
   */
  static SnapshotInput ofChannel(ReadableByteChannel ch, long size) {
    return new SnapshotInput(new byte[BUFFER_SIZE], 0, size, false, null, ch);
  }

  /** Whether the whole snapshot is {@code buf} (an array): bytes taken from it never move. */
  boolean isWhole() {
    return stream == null && channel == null;
  }

  /** The snapshot offset of the next unparsed byte. */
  long position() {
    return base + pos;
  }

  /** Whether the total size is known (an array, a file, or any input that has ended). */
  boolean sizeKnown() {
    return size != UNKNOWN_SIZE;
  }

  /** The total size; only meaningful when {@link #sizeKnown()}. */
  long size() {
    return size;
  }

  /** Where the next unparsed byte is in {@code buf}. */
  int bufferPosition() {
    return pos;
  }

  /**
   * How many bytes from {@link #bufferPosition()} are at hand in {@code buf} and inside the
   * snapshot (a file's size bounds them even if the file has grown since it was measured).
   */
  int buffered() {
    int n = lim - pos;
    return sizeKnown() ? (int) Math.min(n, size - position()) : n;
  }

  /** Moves past {@code n} bytes at hand, {@code n <= buffered()}, as {@link #take} would. */
  void skip(int n) {
    assert n >= 0 && n <= buffered() : n;
    pos += n;
  }

  /**
   * Makes {@code n} bytes ({@code n <= buf.length}) available at {@code buf[pos]}; false if the
   * input ends first, after which the size is known. With {@code readAhead} false, reads no more
   * than needed: a bad magic is refused after reading four bytes, whatever follows them.
   */
  boolean ensure(int n, boolean readAhead) throws IOException {
    if (lim - pos >= n) {
      return true;
    }
    if (ended) {
      return false;
    }
    compact();
    while (lim - pos < n) {
      int want = readAhead ? buf.length - lim : n - (lim - pos);
      int r = fill(buf, lim, want);
      if (r < 0) {
        markEnded(base + lim);
        return false;
      }
      lim += r;
    }
    return true;
  }

  /** {@link #ensure(int, boolean)} reading ahead a whole buffer: the usual case. */
  boolean ensure(int n) throws IOException {
    return ensure(n, true);
  }

  int u16Le() {
    int v = LittleEndian.getU16Le(buf, pos);
    pos += 2;
    return v;
  }

  long u32Le() {
    long v = LittleEndian.getU32Le(buf, pos);
    pos += 4;
    return v;
  }

  long u64Le() {
    long v = LittleEndian.getU64Le(buf, pos);
    pos += 8;
    return v;
  }

  /**
   * Makes the next {@code length} bytes ({@code length <= buf.length}) available at {@code
   * buf[at..at + length)}, moves past them and returns {@code at}; -1 if the input ends first.
   * {@code length} has been checked against the limits; when the size is known it is also checked
   * against the bytes that remain before anything is read. The bytes stay where they are until the
   * next call that reads.
   */
  int take(int length) throws IOException {
    if (sizeKnown() && length > size - position()) {
      return -1;
    }
    if (!ensure(length)) {
      return -1;
    }
    int at = pos;
    pos += length;
    return at;
  }

  /**
   * Copies the next {@code length} bytes into {@code dst[0..length)} and moves past them; false if
   * the input ends first. The same checks as {@link #take}, at any length up to the limits.
   */
  boolean readInto(byte[] dst, int length) throws IOException {
    if (length <= buf.length) {
      int at = take(length);
      if (at < 0) {
        return false;
      }
      System.arraycopy(buf, at, dst, 0, length);
      return true;
    }
    if (sizeKnown() && length > size - position()) {
      return false;
    }
    // Longer than the buffer (a value over 64 KiB from a stream): the buffered part, then
    // straight from the input into dst.
    int buffered = lim - pos; // less than length, which exceeds the whole buffer
    System.arraycopy(buf, pos, dst, 0, buffered);
    pos = lim;
    compact(); // feeds the CRC the buffered part; base is now the offset just after it
    int have = buffered;
    while (have < length) {
      int r = fill(dst, have, length - have);
      if (r < 0) {
        markEnded(base + (have - buffered));
        return false;
      }
      crc.update(dst, have, r);
      have += r;
    }
    base += length - buffered;
    return true;
  }

  /**
   * Feeds the CRC every byte before {@link #position()}, and nothing after: the CRC starts here.
   */
  long finishCrc() {
    crc.update(buf, crcMark, pos - crcMark);
    crcMark = pos;
    crcDone = true;
    return crc.getValue();
  }

  /**
   * Whether the input holds at least {@code total} bytes. When the size is unknown, reads (and
   * discards) up to that many: only on the way to a refusal, to name the same rule as a reader that
   * saw the size from the start.
   */
  boolean holdsAtLeast(long total) throws IOException {
    crcDone = true;
    while (!sizeKnown() && base + lim < total) {
      base += lim;
      pos = lim = crcMark = 0;
      int r = fill(buf, 0, buf.length);
      if (r < 0) {
        markEnded(base);
      } else {
        lim = r;
      }
    }
    return size == UNKNOWN_SIZE || size >= total;
  }

  /** Moves the unparsed bytes to the front of the buffer, feeding the CRC the parsed ones. */
  private void compact() {
    if (!crcDone) {
      crc.update(buf, crcMark, pos - crcMark);
    }
    System.arraycopy(buf, pos, buf, 0, lim - pos);
    base += pos;
    lim -= pos;
    pos = 0;
    crcMark = 0;
  }

  private void markEnded(long at) {
    ended = true;
    size = at;
  }

  /** Reads up to {@code len} bytes into {@code dst}; -1 at the end of the input. */
  private int fill(byte[] dst, int off, int len) throws IOException {
    if (stream != null) {
      int r;
      do {
        r = stream.read(dst, off, len);
      } while (r == 0);
      return r;
    }
    if (channel == null) {
      return -1;
    }
    ByteBuffer view = dst == buf ? channelView : ByteBuffer.wrap(dst);
    view.limit(off + len).position(off);
    int r;
    do {
      r = channel.read(view);
    } while (r == 0);
    return r;
  }
}
