package dev.db20.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots over 2 GiB, streamed: too slow and too big for every build, so opt-in with {@code
 * -Ddb20.bigTests=true}. Entries are 1 MiB values sharing one array, so only the stream is big.
 */
@EnabledIfSystemProperty(named = "db20.bigTests", matches = "true")
class BigSnapshotTest {
  @TempDir Path scratch;

  /** 2,150 entries of a 1 MiB value: about 2.1 GiB, past every int offset. */
  private static final long ENTRIES = 2_150;

  private static final Bytes VALUE = Bytes.copyOf(new byte[SnapshotFormat.MAX_VALUE_LEN]);

  private static Bytes key(long i) {
    return Bytes.ofAscii(String.format("k%08d", i));
  }

  private static Iterator<SnapshotState.Entry> entries() {
    return new Iterator<>() {
      long i;

      @Override
      public boolean hasNext() {
        return i < ENTRIES;
      }

      @Override
      public SnapshotState.Entry next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return new SnapshotState.Entry(key(i++), VALUE);
      }
    };
  }

  private static final long EXPECTED_SIZE =
      SnapshotFormat.MIN_SNAPSHOT_SIZE + ENTRIES * (8 + 9 + SnapshotFormat.MAX_VALUE_LEN);

  /** Checks what a reader visits: every key in order, offsets as computed from the layout. */
  private static SnapshotVisitor checking(long[] visited) {
    return (index, offset, key, value) -> {
      assertEquals(key(index), key);
      assertEquals(
          SnapshotFormat.HEADER_SIZE + index * (8 + 9 + SnapshotFormat.MAX_VALUE_LEN), offset);
      visited[0]++;
    };
  }

  @Test
  void snapshotOver2GibStreamsThroughAPipeAndReadsBack() throws Exception {
    Pipe pipe = Pipe.open();
    CompletableFuture<Long> written =
        CompletableFuture.supplyAsync(
            () -> {
              try (Pipe.SinkChannel out = pipe.sink()) {
                return SnapshotWriter.write(5, ENTRIES, entries(), out);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    long[] visited = {0};
    SnapshotSummary s;
    try (Pipe.SourceChannel in = pipe.source()) {
      s = SnapshotReader.read(in, checking(visited));
    }
    assertEquals(EXPECTED_SIZE, (long) written.get());
    assertTrue(s.size() > Integer.MAX_VALUE);
    assertEquals(EXPECTED_SIZE, s.size());
    assertEquals(ENTRIES, visited[0]);
  }

  @Test
  void snapshotOver2GibIsWrittenToAFileAndReadBackFromIt() throws Exception {
    Path file = scratch.resolve("big.db20");
    long size;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      size = SnapshotWriter.write(5, ENTRIES, entries(), out);
    }
    assertEquals(EXPECTED_SIZE, size);
    assertEquals(EXPECTED_SIZE, Files.size(file));
    long[] visited = {0};
    SnapshotSummary s = SnapshotReader.read(file, checking(visited));
    assertEquals(EXPECTED_SIZE, s.size());
    assertEquals(ENTRIES, visited[0]);
    Files.delete(file);
  }
}
