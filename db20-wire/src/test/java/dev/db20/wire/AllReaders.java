package dev.db20.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the same bytes through every way of reading a snapshot: the array decoder, and the streaming
 * reader over a stream (unknown size, its own 64 KiB buffer and a 16-byte one fed a few bytes at a
 * time), a file channel (size known) and a plain channel (size unknown).
 */
final class AllReaders {
  private AllReaders() {}

  /**
   * What a reader made of the bytes: the state it accepted, or the rule and offset it refused at.
   */
  record Outcome(String state, SnapshotFormatException.Rule rule, long offset) {
    static Outcome of(SnapshotFormatException e) {
      return new Outcome(null, e.rule(), e.offset());
    }
  }

  /** Every reader's outcome, by reader name; the array decoder's first. */
  static Map<String, Outcome> outcomes(byte[] bytes, Path scratchDir) {
    Map<String, Outcome> out = new LinkedHashMap<>();
    try {
      out.put("decode(byte[])", decode(bytes));
      out.put(
          "read(InputStream)",
          stream(bytes, new ByteArrayInputStream(bytes), SnapshotInput.BUFFER_SIZE));
      out.put(
          "read(InputStream, 16-byte buffer, short reads)", stream(bytes, new Dribble(bytes), 16));
      out.put(
          "read(ReadableByteChannel)",
          read(
              bytes,
              v -> SnapshotReader.read(Channels.newChannel(new ByteArrayInputStream(bytes)), v)));
      if (scratchDir != null) {
        Path file = Files.createTempFile(scratchDir, "snapshot", ".db20");
        Files.write(file, bytes);
        out.put("read(Path)", read(bytes, v -> SnapshotReader.read(file, v)));
        try (FileChannel ch = FileChannel.open(file)) {
          out.put("read(FileChannel)", read(bytes, v -> SnapshotReader.read(ch, v)));
        }
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Asserts every reader agrees with the array decoder, and returns that outcome. */
  static Outcome assertAllAgree(byte[] bytes, Path scratchDir) {
    Map<String, Outcome> all = outcomes(bytes, scratchDir);
    Outcome expected = all.get("decode(byte[])");
    for (Map.Entry<String, Outcome> e : all.entrySet()) {
      assertEquals(
          expected,
          e.getValue(),
          e.getKey() + " disagrees with decode(byte[]) on " + Hex.encode(bytes));
    }
    return expected;
  }

  private static Outcome decode(byte[] bytes) {
    try {
      SnapshotState s = SnapshotReader.decode(bytes);
      return new Outcome(describe(s.commitIndex(), s.entries()), null, -1);
    } catch (SnapshotFormatException e) {
      return Outcome.of(e);
    }
  }

  private static Outcome stream(byte[] bytes, InputStream in, int bufferSize) throws IOException {
    return read(bytes, v -> SnapshotReader.read(in, v, bufferSize));
  }

  interface Read {
    SnapshotSummary run(SnapshotVisitor v) throws IOException, SnapshotFormatException;
  }

  private static Outcome read(byte[] bytes, Read r) throws IOException {
    List<SnapshotState.Entry> entries = new ArrayList<>();
    long[] header = {0, -1};
    long[] lastOffset = {-1};
    try {
      SnapshotSummary s =
          r.run(
              new SnapshotVisitor() {
                @Override
                public void header(long commitIndex, long entryCount) {
                  header[0] = commitIndex;
                  header[1] = entryCount;
                }

                @Override
                public void entry(long index, long offset, Bytes key, Bytes value) {
                  assertEquals(entries.size(), index, "entries are visited in order");
                  assertEquals(
                      key.toString(),
                      Hex.encode(
                          java.util.Arrays.copyOfRange(
                              bytes, (int) offset + 4, (int) offset + 4 + key.length())),
                      "the offset given is where the key's length prefix is");
                  entries.add(new SnapshotState.Entry(key, value));
                  lastOffset[0] = offset;
                }
              });
      assertEquals(header[0], s.commitIndex());
      assertEquals(header[1], s.entryCount());
      assertEquals(entries.size(), s.entryCount());
      assertEquals(bytes.length, s.size());
      assertEquals(LittleEndian.getU32Le(bytes, bytes.length - 4), s.crc32c());
      return new Outcome(describe(s.commitIndex(), entries), null, -1);
    } catch (SnapshotFormatException e) {
      return Outcome.of(e);
    }
  }

  private static String describe(long commitIndex, List<SnapshotState.Entry> entries) {
    return commitIndex + " " + entries;
  }

  /**
   * A stream that hands out 1 to 7 bytes a read: every field straddles the buffer's edge somewhere.
   */
  static final class Dribble extends InputStream {
    private final byte[] bytes;
    private int at;

    Dribble(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int read() {
      return at < bytes.length ? bytes[at++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (at == bytes.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, 1 + at % 7), bytes.length - at);
      System.arraycopy(bytes, at, b, off, n);
      at += n;
      return n;
    }
  }
}
