package dev.db20.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The streaming writer and reader against the array ones, on generated and damaged snapshots. */
class StreamingPropertiesTest {
  private static final Path SCRATCH;

  static {
    try {
      SCRATCH = Files.createTempDirectory("db20-wire-streaming");
      SCRATCH.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Provide
  Arbitrary<SnapshotState> states() {
    Arbitrary<byte[]> keys = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(12);
    // Now and then a value longer than a 16-byte test buffer, so reads straddle and bypass it.
    Arbitrary<byte[]> values = Arbitraries.bytes().array(byte[].class).ofMaxSize(60);
    return Arbitraries.longs()
        .flatMap(
            commit ->
                Arbitraries.maps(keys, values)
                    .ofMaxSize(25)
                    .map(
                        m -> {
                          TreeMap<byte[], byte[]> sorted = new TreeMap<>(Arrays::compareUnsigned);
                          sorted.putAll(m);
                          List<SnapshotState.Entry> entries = new ArrayList<>();
                          for (Map.Entry<byte[], byte[]> e : sorted.entrySet()) {
                            entries.add(
                                new SnapshotState.Entry(
                                    Bytes.copyOf(e.getKey()), Bytes.copyOf(e.getValue())));
                          }
                          return new SnapshotState(commit, entries);
                        }));
  }

  @Property(tries = 200)
  void streamWriterWritesTheArrayWritersBytes(@ForAll("states") SnapshotState state)
      throws IOException {
    byte[] expected = SnapshotWriter.encode(state);
    ByteArrayOutputStream viaStream = new ByteArrayOutputStream();
    assertEquals(expected.length, SnapshotWriter.write(state, viaStream));
    assertArrayEquals(expected, viaStream.toByteArray());
    ByteArrayOutputStream viaChannel = new ByteArrayOutputStream();
    assertEquals(expected.length, SnapshotWriter.write(state, Channels.newChannel(viaChannel)));
    assertArrayEquals(expected, viaChannel.toByteArray());
  }

  @Property(tries = 200)
  void streamReaderReadsBackWhatTheStreamWriterWrote(@ForAll("states") SnapshotState state)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SnapshotWriter.write(state, out);
    List<SnapshotState.Entry> read = new ArrayList<>();
    SnapshotSummary s =
        SnapshotReader.read(
            new ByteArrayInputStream(out.toByteArray()),
            (i, offset, k, v) -> read.add(new SnapshotState.Entry(k, v)));
    assertEquals(state, new SnapshotState(s.commitIndex(), read));
    assertEquals(out.size(), s.size());
  }

  @Property(tries = 100)
  void everyReaderAgreesOnAcceptedSnapshots(@ForAll("states") SnapshotState state) {
    AllReaders.Outcome o = AllReaders.assertAllAgree(SnapshotWriter.encode(state), SCRATCH);
    assertNotNull(o.state());
  }

  /**
   * Damage of every kind a rule exists for, each with the CRC fixed up half the time so the
   * structural rules are reached: every reader must refuse (or accept) exactly as the array decoder
   * does, with the same rule at the same offset.
   */
  @Property(tries = 300)
  void everyReaderRefusesMutatedSnapshotsWithTheSameRuleAtTheSameOffset(
      @ForAll("states") SnapshotState state, @ForAll long seed) {
    byte[] b = mutate(SnapshotWriter.encode(state), new Random(seed));
    AllReaders.assertAllAgree(b, SCRATCH);
  }

  static byte[] mutate(byte[] original, Random r) {
    byte[] b = original.clone();
    switch (r.nextInt(6)) {
      case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
      case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1));
      case 2 -> b = Arrays.copyOf(b, b.length + 1 + r.nextInt(20));
      case 3 -> {
        // A length prefix or the count set to a small, a limit-sized or a huge value.
        int at = r.nextInt(Math.max(1, b.length - 3));
        long[] choices = {
          0, 1, 2, 9, 65_535, 65_536, 1_048_576, 1_048_577, 0xffff_ffffL, r.nextInt(100)
        };
        LittleEndian.putU32Le(b, at, choices[r.nextInt(choices.length)]);
      }
      case 4 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
      default -> {
        // Swap two bytes: keys out of order or duplicated, when it lands in keys.
        int i = r.nextInt(b.length);
        int j = r.nextInt(b.length);
        byte t = b[i];
        b[i] = b[j];
        b[j] = t;
      }
    }
    if (r.nextBoolean() && b.length >= SnapshotFormat.MIN_SNAPSHOT_SIZE) {
      LittleEndian.putU32Le(b, b.length - 4, Crc32c.of(b, 0, b.length - 4));
    }
    return b;
  }
}
