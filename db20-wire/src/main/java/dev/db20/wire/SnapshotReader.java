package dev.db20.wire;

import static dev.db20.wire.SnapshotFormat.*;

import dev.db20.wire.SnapshotFormatException.Rule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The strict reader of SPEC §4 ({@code load_state}). It accepts exactly the bytes {@link
 * SnapshotWriter} writes and refuses everything else, naming the offset and the rule.
 *
 * <p>Two ways in, one parser: {@link #decode(byte[])} takes a whole snapshot in an array and
 * returns a {@link SnapshotState}; the {@code read} methods take a file, channel or stream, hand
 * each entry to a {@link SnapshotVisitor} as it is read, and hold at most one 64 KiB buffer and the
 * entry at hand, whatever the snapshot's size (offsets are {@code long}: snapshots over 2 GiB
 * work). Both refuse a given input with the same {@link Rule} at the same offset.
 *
 * <p>The bytes are read front to back: header, entries, CRC, end of input. The CRC is computed as
 * the bytes go by and checked last, once the structure has told where it is. Nothing is allocated
 * from a count or length in the input before that count or length has been checked against the
 * limits, and against the bytes that remain whenever the size is known (an array, a file). A stream
 * of unknown size gets a buffer of at most the limit (65,535 bytes for a key, 1 MiB for a value)
 * and is refused at the same offset, with the same rule, once it ends early.
 */
public final class SnapshotReader {
  private SnapshotReader() {}

  // Field names for messages: constants, so the success path builds no strings.
  private static final String MAGIC = "magic";
  private static final String VERSION_FIELD = "format version";
  private static final String FLAGS_FIELD = "flags";
  private static final String COMMIT_INDEX = "commit_index";
  private static final String ENTRY_COUNT = "entry count";
  private static final String KEY = "key";
  private static final String VALUE = "value";
  private static final String CRC = "CRC";

  /**
   * Decodes a snapshot held whole in an array.
   *
   * @param bytes the snapshot, not modified
   * @return the commit index and entries
   * @throws SnapshotFormatException naming the offset and the rule, if the bytes are not a
   *     canonical snapshot
   */
  public static SnapshotState decode(byte[] bytes) throws SnapshotFormatException {
    Collector entries = new Collector();
    SnapshotSummary summary;
    try {
      summary = parse(SnapshotInput.ofArray(bytes), entries);
    } catch (IOException e) {
      // An array input never reads: there is no I/O to fail.
      throw new UncheckedIOException(e);
    }
    return new SnapshotState(summary.commitIndex(), entries.list());
  }

  /**
   * {@link #decode(byte[])} under SPEC §4's name, {@code load_state}.
   *
   * @param bytes the snapshot, not modified
   * @return the commit index and entries
   * @throws SnapshotFormatException as {@link #decode(byte[])}
   */
  public static SnapshotState loadState(byte[] bytes) throws SnapshotFormatException {
    return decode(bytes);
  }

  /**
   * Reads the snapshot file at {@code file} in bounded memory, handing each entry to {@code
   * visitor}. A bad magic is refused after reading four bytes, whatever the file's size.
   *
   * @param file the snapshot file
   * @param visitor receives the header and the entries, in file order
   * @return the header fields, the size and the CRC of the snapshot accepted
   * @throws SnapshotFormatException naming the offset and the rule, as {@link #decode(byte[])}
   *     would for the file's bytes
   * @throws IOException if the file cannot be opened or read
   */
  public static SnapshotSummary read(Path file, SnapshotVisitor visitor)
      throws IOException, SnapshotFormatException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(ch, visitor);
    }
  }

  /**
   * Reads a snapshot from {@code ch}'s position to its end in bounded memory. The channel's size
   * bounds every length before anything is allocated. The channel is not closed.
   *
   * @param ch a file channel positioned at the snapshot's first byte
   * @param visitor receives the header and the entries, in file order
   * @return the header fields, the size and the CRC of the snapshot accepted
   * @throws SnapshotFormatException as {@link #decode(byte[])} would for the same bytes
   * @throws IOException if the channel cannot be read
   */
  public static SnapshotSummary read(FileChannel ch, SnapshotVisitor visitor)
      throws IOException, SnapshotFormatException {
    long size = Math.max(0, ch.size() - ch.position());
    return parse(SnapshotInput.ofChannel(ch, size), visitor);
  }

  /**
   * Reads a snapshot from {@code ch} to its end in bounded memory; its size is not known
   * beforehand. The channel is not closed.
   *
   * @param ch a blocking channel at the snapshot's first byte
   * @param visitor receives the header and the entries, in order
   * @return the header fields, the size and the CRC of the snapshot accepted
   * @throws SnapshotFormatException as {@link #decode(byte[])} would for the same bytes
   * @throws IOException if the channel cannot be read
   */
  public static SnapshotSummary read(ReadableByteChannel ch, SnapshotVisitor visitor)
      throws IOException, SnapshotFormatException {
    if (ch instanceof FileChannel f) {
      return read(f, visitor);
    }
    return parse(SnapshotInput.ofChannel(ch, SnapshotInput.UNKNOWN_SIZE), visitor);
  }

  /**
   * Reads a snapshot from {@code in} to its end in bounded memory; its size is not known
   * beforehand, so a length is bounded by the limits only, and a snapshot that ends early is
   * refused when the stream ends. The stream is read through its own buffer (no need to wrap it in
   * a {@code BufferedInputStream}) and not closed.
   *
   * @param in the stream, at the snapshot's first byte
   * @param visitor receives the header and the entries, in order
   * @return the header fields, the size and the CRC of the snapshot accepted
   * @throws SnapshotFormatException as {@link #decode(byte[])} would for the same bytes
   * @throws IOException if the stream cannot be read
   */
  public static SnapshotSummary read(InputStream in, SnapshotVisitor visitor)
      throws IOException, SnapshotFormatException {
    return parse(SnapshotInput.ofStream(in, SnapshotInput.UNKNOWN_SIZE), visitor);
  }

  /** {@link #read(InputStream, SnapshotVisitor)} through a buffer of another size: for tests. */
  static SnapshotSummary read(InputStream in, SnapshotVisitor visitor, int bufferSize)
      throws IOException, SnapshotFormatException {
    return parse(SnapshotInput.ofStream(in, SnapshotInput.UNKNOWN_SIZE, bufferSize), visitor);
  }

  /**
   * Collects entries for {@link #decode(byte[])} into a list sized from the checked entry count,
   * which becomes the state's list without a second copy. The parser hands it each key and value
   * where they lie in the input, and each becomes one {@link Bytes} copied straight from there.
   */
  private static final class Collector implements SnapshotVisitor {
    private EntryList.Builder entries = new EntryList.Builder(0);

    @Override
    public void header(long commitIndex, long entryCount) {
      // The count has been checked against the array's size, so it is below 2^31.
      entries = new EntryList.Builder((int) entryCount);
    }

    /** The entry whose key and value lie in {@code key[keyAt..)} and {@code value[valueAt..)}. */
    void entry(byte[] key, int keyAt, int keyLength, byte[] value, int valueAt, int valueLength) {
      entries.add(
          new SnapshotState.Entry(
              Bytes.copyOf(key, keyAt, keyLength), Bytes.copyOf(value, valueAt, valueLength)));
    }

    @Override
    public void entry(long index, long offset, Bytes key, Bytes value) {
      entries.add(new SnapshotState.Entry(key, value));
    }

    @Override
    public void entry(long index, long offset, ByteBuffer key, ByteBuffer value) {
      entries.add(new SnapshotState.Entry(Bytes.copyOf(key), Bytes.copyOf(value)));
    }

    /** The entries, all of them added. */
    EntryList list() {
      return entries.build();
    }
  }

  /** The one parser: every read and decode goes through here. */
  private static SnapshotSummary parse(SnapshotInput in, SnapshotVisitor visitor)
      throws IOException, SnapshotFormatException {
    if (!in.ensure(SIZE_MAGIC, false)) {
      throw truncated(in, SIZE_MAGIC, MAGIC);
    }
    long magic = in.u32Le();
    if (magic != MAGIC_U32_LE) {
      throw new SnapshotFormatException(
          OFFSET_MAGIC, Rule.BAD_MAGIC, "expected 44423230 (\"DB20\"), found " + hexLe32(magic));
    }
    if (!in.ensure(SIZE_VERSION)) {
      throw truncated(in, SIZE_VERSION, VERSION_FIELD);
    }
    int version = in.u16Le();
    if (version != VERSION) {
      throw new SnapshotFormatException(
          OFFSET_VERSION,
          Rule.UNKNOWN_VERSION,
          "format version " + version + ", this reader knows only " + VERSION);
    }
    if (!in.ensure(SIZE_FLAGS)) {
      throw truncated(in, SIZE_FLAGS, FLAGS_FIELD);
    }
    int flags = in.u16Le();
    if (flags != FLAGS) {
      throw new SnapshotFormatException(
          OFFSET_FLAGS,
          Rule.NONZERO_FLAGS,
          "flags 0x" + Integer.toHexString(flags) + ", must be 0 (reserved)");
    }
    if (!in.ensure(SIZE_COMMIT_INDEX)) {
      throw truncated(in, SIZE_COMMIT_INDEX, COMMIT_INDEX);
    }
    long commitIndex = in.u64Le();
    if (!in.ensure(SIZE_ENTRY_COUNT)) {
      throw truncated(in, SIZE_ENTRY_COUNT, ENTRY_COUNT);
    }
    long count = in.u32Le();
    if (in.sizeKnown() && in.size() < minimumSize(count)) {
      throw countPastEnd(in, count);
    }
    visitor.header(commitIndex, count);

    Entries entries = new Entries(in, count, visitor);
    for (long i = 0; i < count; i++) {
      if (!entries.inBuffer(i)) {
        entries.read(i);
      }
    }

    long crcAt = in.position();
    long computed = in.finishCrc();
    if (!in.ensure(SIZE_CRC)) {
      throw refusal(in, count, truncated(in, SIZE_CRC, CRC));
    }
    long stored = in.u32Le();
    long end = in.position();
    if (in.ensure(1)) {
      String trailing =
          in.sizeKnown() ? Long.toString(in.size() - end) : "at least " + (in.lim - in.pos);
      throw new SnapshotFormatException(
          end, Rule.TRAILING_BYTES, trailing + " bytes after the CRC");
    }
    if (stored != computed) {
      throw new SnapshotFormatException(
          crcAt,
          Rule.CRC_MISMATCH,
          "stored CRC-32C 0x" + Hex.u32(stored) + ", computed 0x" + Hex.u32(computed));
    }
    return new SnapshotSummary(commitIndex, count, end, stored);
  }

  /**
   * The entries of one parse, in turn: each is taken from the input's buffer where it lies when the
   * whole entry is there and breaks no rule ({@link #inBuffer}, one bounds check for the entry),
   * and otherwise read field by field with every rule checked in SPEC §4.0's order ({@link #read}),
   * which is where every refusal comes from. The two agree on every entry the first one takes, so
   * the fast path changes no refusal.
   *
   * <p>The previous key, for the order check, is where it was read: in the input's buffer, or in a
   * scratch array when the bytes around it had to move. From a stream, a key that is read field by
   * field goes into a scratch array and is compared with the previous one, held in the other; the
   * value is handed over where it lies in the input's buffer (or, when longer than the buffer, in a
   * third scratch array). The scratch arrays grow to the longest field seen and are reused: an
   * entry allocates nothing but what the visitor does.
   */
  private static final class Entries {
    private final SnapshotInput in;
    private final long count;
    private final SnapshotVisitor visitor;
    // decode's collector, which takes the bytes where they lie; null for any other visitor.
    private final Collector collector;
    private final boolean whole;
    private Field key = new Field();
    private Field previous = new Field();
    private final Field longValue = new Field();
    // Two views of the input's buffer, for a key and a value handed over together.
    private final ByteBuffer keyInBuffer;
    private final ByteBuffer valueInBuffer;
    // The previous key: previousArray[previousAt..previousAt + previousLength); length -1 if none.
    private byte[] previousArray;
    private int previousAt;
    private int previousLength = -1;

    Entries(SnapshotInput in, long count, SnapshotVisitor visitor) {
      this.in = in;
      this.count = count;
      this.visitor = visitor;
      this.collector = visitor instanceof Collector c ? c : null;
      this.whole = in.isWhole();
      this.keyInBuffer = ByteBuffer.wrap(in.buf).asReadOnlyBuffer();
      this.valueInBuffer = ByteBuffer.wrap(in.buf).asReadOnlyBuffer();
    }

    /**
     * Hands over entry {@code i} and returns true if it lies whole in the input's buffer and breaks
     * no rule: both lengths within the limits, the key after the previous one. Otherwise moves
     * nothing and returns false, and {@link #read} takes the entry from the same position.
     */
    boolean inBuffer(long i) throws IOException {
      byte[] buf = in.buf;
      int at = in.bufferPosition();
      int room = in.buffered();
      if (room < MIN_ENTRY_SIZE) {
        return false;
      }
      long keyLength = LittleEndian.getU32Le(buf, at);
      if (keyLength < MIN_KEY_LEN
          || keyLength > MAX_KEY_LEN
          || keyLength > room - 2 * SIZE_LENGTH_PREFIX) {
        return false;
      }
      int kl = (int) keyLength;
      int keyAt = at + SIZE_LENGTH_PREFIX;
      if (previousLength >= 0
          && Bytes.compareUnsigned(previousArray, previousAt, previousLength, buf, keyAt, kl)
              >= 0) {
        return false;
      }
      int valueLengthAt = keyAt + kl;
      long valueLength = LittleEndian.getU32Le(buf, valueLengthAt);
      if (valueLength > MAX_VALUE_LEN || valueLength > room - 2 * SIZE_LENGTH_PREFIX - kl) {
        return false;
      }
      int vl = (int) valueLength;
      int valueAt = valueLengthAt + SIZE_LENGTH_PREFIX;
      long offset = in.position();
      in.skip(valueAt + vl - at);
      hand(i, offset, buf, keyAt, kl, keyInBuffer, buf, valueAt, vl, valueInBuffer);
      previousArray = buf;
      previousAt = keyAt;
      previousLength = kl;
      return true;
    }

    /** Reads entry {@code i} field by field, checking each rule in turn. */
    void read(long i) throws IOException, SnapshotFormatException {
      if (!whole && previousArray == in.buf) {
        // The buffer's bytes may move now: the previous key goes where they cannot reach it.
        byte[] saved = previous.room(previousLength);
        System.arraycopy(previousArray, previousAt, saved, 0, previousLength);
        previousArray = saved;
        previousAt = 0;
      }
      long keyLengthAt = in.position();
      if (!in.ensure(SIZE_LENGTH_PREFIX)) {
        throw refusal(in, count, truncated(in, SIZE_LENGTH_PREFIX, KEY, i));
      }
      long keyLength = in.u32Le();
      if (keyLength == 0) {
        throw refusal(
            in,
            count,
            new SnapshotFormatException(
                keyLengthAt, Rule.EMPTY_KEY, "entry " + i + " has a key of length 0"));
      }
      if (keyLength > MAX_KEY_LEN) {
        throw refusal(
            in,
            count,
            new SnapshotFormatException(
                keyLengthAt,
                Rule.KEY_TOO_LONG,
                "entry "
                    + i
                    + " key length "
                    + keyLength
                    + " exceeds the limit of "
                    + MAX_KEY_LEN
                    + " bytes"));
      }
      int kl = (int) keyLength;
      // An array never moves: there the key is compared, and handed over, where it lies.
      byte[] keyArray;
      int keyAt;
      ByteBuffer keyView;
      if (whole) {
        keyAt = in.take(kl);
        if (keyAt < 0) {
          throw refusal(in, count, pastEnd(in, keyLengthAt, keyLength, KEY, i));
        }
        keyArray = in.buf;
        keyView = keyInBuffer;
      } else {
        if (!in.readInto(key.room(kl), kl)) {
          throw refusal(in, count, pastEnd(in, keyLengthAt, keyLength, KEY, i));
        }
        keyArray = key.bytes;
        keyAt = 0;
        keyView = key.view;
      }
      checkOrder(i, keyLengthAt, keyArray, keyAt, kl);
      long valueLengthAt = in.position();
      if (!in.ensure(SIZE_LENGTH_PREFIX)) {
        throw refusal(in, count, truncated(in, SIZE_LENGTH_PREFIX, VALUE, i));
      }
      long valueLength = in.u32Le();
      if (valueLength > MAX_VALUE_LEN) {
        throw refusal(
            in,
            count,
            new SnapshotFormatException(
                valueLengthAt,
                Rule.VALUE_TOO_LONG,
                "entry "
                    + i
                    + " value length "
                    + valueLength
                    + " exceeds the limit of "
                    + MAX_VALUE_LEN
                    + " bytes"));
      }
      int vl = (int) valueLength;
      byte[] valueArray;
      int valueAt;
      ByteBuffer valueView;
      if (vl <= in.buf.length) {
        valueAt = in.take(vl);
        if (valueAt < 0) {
          throw refusal(in, count, pastEnd(in, valueLengthAt, valueLength, VALUE, i));
        }
        valueArray = in.buf;
        valueView = valueInBuffer;
      } else {
        if (!in.readInto(longValue.room(vl), vl)) {
          throw refusal(in, count, pastEnd(in, valueLengthAt, valueLength, VALUE, i));
        }
        valueArray = longValue.bytes;
        valueAt = 0;
        valueView = longValue.view;
      }
      hand(i, keyLengthAt, keyArray, keyAt, kl, keyView, valueArray, valueAt, vl, valueView);
      previousArray = keyArray;
      previousAt = keyAt;
      previousLength = kl;
      if (!whole) {
        Field t = previous;
        previous = key;
        key = t;
      }
    }

    /** Refuses entry {@code i}'s key unless it sorts after the previous key. */
    private void checkOrder(long i, long keyLengthAt, byte[] keyArray, int keyAt, int kl)
        throws IOException, SnapshotFormatException {
      if (previousLength < 0) {
        return;
      }
      int order =
          Bytes.compareUnsigned(previousArray, previousAt, previousLength, keyArray, keyAt, kl);
      if (order >= 0) {
        Bytes k = Bytes.copyOf(keyArray, keyAt, kl);
        throw refusal(
            in,
            count,
            order == 0
                ? new SnapshotFormatException(
                    keyLengthAt, Rule.DUPLICATE_KEY, "entry " + i + " repeats key " + k)
                : new SnapshotFormatException(
                    keyLengthAt,
                    Rule.KEYS_OUT_OF_ORDER,
                    "entry "
                        + i
                        + " key "
                        + k
                        + " sorts before the previous key "
                        + Bytes.copyOf(previousArray, previousAt, previousLength)));
      }
    }

    /** Hands entry {@code i} to the collector as arrays, or to the visitor as views. */
    private void hand(
        long i,
        long offset,
        byte[] keyArray,
        int keyAt,
        int kl,
        ByteBuffer keyView,
        byte[] valueArray,
        int valueAt,
        int vl,
        ByteBuffer valueView) {
      if (collector != null) {
        collector.entry(keyArray, keyAt, kl, valueArray, valueAt, vl);
      } else {
        visitor.entry(i, offset, view(keyView, keyAt, kl), view(valueView, valueAt, vl));
      }
    }
  }

  /** {@code view} (read-only, over a buffer of the reader's) set to {@code [at, at + length)}. */
  private static ByteBuffer view(ByteBuffer view, int at, int length) {
    view.limit(at + length).position(at);
    return view;
  }

  /** A scratch array for one field, and a read-only view of it; grown on demand, then reused. */
  private static final class Field {
    byte[] bytes = EMPTY;
    ByteBuffer view = ByteBuffer.wrap(EMPTY).asReadOnlyBuffer();

    private static final byte[] EMPTY = new byte[0];

    /** The smallest array a field grows to: most keys fit, so most reads never grow it again. */
    private static final int MIN_ROOM = 64;

    /** {@code bytes}, with room for {@code n} bytes (at most the 1 MiB limit). */
    byte[] room(int n) {
      if (bytes.length < n) {
        // Doubling: a stream of ever longer fields costs O(longest) in all, never O(n^2).
        long doubled = Math.max(MIN_ROOM, 2L * bytes.length);
        int grown = (int) Math.min(MAX_VALUE_LEN, Math.max(n, doubled));
        bytes = new byte[grown];
        view = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
      }
      return bytes;
    }
  }

  /**
   * The smallest snapshot that can hold {@code count} entries: header, {@code count} minimal
   * entries, CRC. At most about 38.7 GB for a u32 count, so it cannot overflow a long.
   */
  static long minimumSize(long count) {
    return HEADER_SIZE + count * MIN_ENTRY_SIZE + SIZE_CRC;
  }

  /**
   * The refusal to throw for {@code e}, found after the entry count: when the size was not known up
   * front, the entry count check that {@link #decode(byte[])} makes first may fail on the size the
   * input turns out to have, and then that is the refusal, as it would be for the array.
   */
  private static SnapshotFormatException refusal(
      SnapshotInput in, long count, SnapshotFormatException e) throws IOException {
    if (in.holdsAtLeast(minimumSize(count))) {
      return e;
    }
    return countPastEnd(in, count);
  }

  private static SnapshotFormatException countPastEnd(SnapshotInput in, long count) {
    long room = Math.max(0, in.size() - HEADER_SIZE - SIZE_CRC);
    return new SnapshotFormatException(
        OFFSET_ENTRY_COUNT,
        Rule.LENGTH_PAST_END,
        "entry count "
            + count
            + " needs at least "
            + count * MIN_ENTRY_SIZE
            + " bytes of entries, "
            + room
            + " remain before the CRC");
  }

  /** A fixed-size field of the header or trailer that the input ends before. */
  private static SnapshotFormatException truncated(SnapshotInput in, int size, String field) {
    long at = in.position();
    return new SnapshotFormatException(
        at,
        Rule.TRUNCATED,
        "buffer ends early: "
            + field
            + " needs "
            + size
            + " bytes, "
            + (in.size() - at)
            + " remain");
  }

  /** The length prefix of entry {@code i}'s key or value that the input ends before. */
  private static SnapshotFormatException truncated(
      SnapshotInput in, int size, String field, long i) {
    return truncated(in, size, field + " length of entry " + i);
  }

  /** A key or value of entry {@code i} longer than the bytes that remain after its length. */
  private static SnapshotFormatException pastEnd(
      SnapshotInput in, long lengthAt, long length, String field, long i) {
    long remain = in.size() - (lengthAt + SIZE_LENGTH_PREFIX);
    return new SnapshotFormatException(
        lengthAt,
        Rule.LENGTH_PAST_END,
        field
            + " of entry "
            + i
            + " of length "
            + length
            + " runs past the end: "
            + remain
            + " bytes remain");
  }

  /** Four bytes as they stood in the input, from their little-endian u32 value. */
  private static String hexLe32(long u32) {
    byte[] b = new byte[SIZE_MAGIC];
    LittleEndian.putU32Le(b, 0, u32);
    return Hex.encode(b);
  }
}
