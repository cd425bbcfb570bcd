package dev.db20.bench;

import dev.db20.wire.Bytes;
import dev.db20.wire.SnapshotFormat;
import dev.db20.wire.SnapshotFormatException;
import dev.db20.wire.SnapshotReader;
import dev.db20.wire.SnapshotState;
import dev.db20.wire.SnapshotSummary;
import dev.db20.wire.SnapshotVisitor;
import dev.db20.wire.SnapshotWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The snapshot codec alone, in bytes per second: the array writer (CRC included), the strict array
 * decoder, and the streaming writer and reader over in-memory streams, on two shapes (issue 20):
 * {@code 1000000x8}, 10^6 small entries as the workloads make them (keys {@code k0 .. k999999},
 * sorted bytewise, 8-byte values, 23 MB), and {@code 10000x65536}, 10^4 entries of a 64 KiB value
 * (655 MB; the values share one array, so only the snapshot is big).
 *
 * <p>Read the {@code bytes} secondary result ({@code ·bytes}, in bytes/s); the primary ops/s is
 * snapshots per second. Allocation per snapshot: {@code -prof gc}, {@code gc.alloc.rate.norm}. Run:
 * {@code java -jar db20-bench/target/benchmarks.jar SnapshotCodecBench} (docs/benchmarks.md).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(Scope.Benchmark)
public class SnapshotCodecBench {
  /** ENTRIESxVALUE_BYTES: how many entries, and the size of each value. */
  @Param({"1000000x8", "10000x65536"})
  public String shape;

  private SnapshotState state;
  private byte[] snapshot;
  private byte[] copyTarget;
  private long payloadBytes;

  /** Snapshot bytes processed, reported by JMH as a rate next to the ops/s. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Throughput {
    /** Bytes written or read. */
    public long bytes;

    /** Starts each iteration from zero. */
    @Setup(Level.Iteration)
    public void reset() {
      bytes = 0;
    }
  }

  /** The state and its snapshot, built once per shape. */
  @Setup
  public void setUp() {
    String[] parts = shape.split("x", -1);
    int entries = Integer.parseInt(parts[0]);
    int valueBytes = Integer.parseInt(parts[1]);
    List<SnapshotState.Entry> list = new ArrayList<>(entries);
    Bytes shared = valueBytes > 8 ? Bytes.copyOf(new byte[valueBytes]) : null;
    for (int i = 0; i < entries; i++) {
      Bytes value = shared;
      if (value == null) {
        byte[] v = new byte[valueBytes];
        for (int b = 0; b < valueBytes; b++) {
          v[b] = (byte) (i >>> (8 * (b % 4)));
        }
        value = Bytes.copyOf(v);
      }
      list.add(new SnapshotState.Entry(Bytes.ofAscii("k" + i), value));
    }
    list.sort((a, b) -> a.key().compareTo(b.key()));
    state = new SnapshotState(entries, list);
    snapshot = SnapshotWriter.encode(state);
    copyTarget = new byte[snapshot.length];
    payloadBytes = snapshot.length - SnapshotFormat.MIN_SNAPSHOT_SIZE;
  }

  /**
   * A floor under {@link #encode}: the pass the writer makes first, summing every entry's encoded
   * size (reads the entry and its two {@link Bytes}, not their arrays), in key order.
   */
  @Benchmark
  public long floorSizePass(Throughput t) {
    long n = 0;
    for (SnapshotState.Entry e : state.entries()) {
      n += e.encodedSize();
    }
    t.bytes += snapshot.length;
    return n;
  }

  /** A floor under {@link #encode}: one byte of every key and value read, in key order. */
  @Benchmark
  public long floorTouch(Throughput t) {
    long n = 0;
    for (SnapshotState.Entry e : state.entries()) {
      n += e.key().byteAt(0);
      if (!e.value().isEmpty()) {
        n += e.value().byteAt(0);
      }
    }
    t.bytes += snapshot.length;
    return n;
  }

  /**
   * A floor under {@link #encode}: every key and value copied, in key order, into one array made
   * once — no length prefixes, order check, allocation or CRC.
   */
  @Benchmark
  public byte[] floorCopy(Throughput t) {
    byte[] dst = copyTarget;
    int at = 0;
    for (SnapshotState.Entry e : state.entries()) {
      e.key().copyTo(dst, at);
      at += e.key().length();
      e.value().copyTo(dst, at);
      at += e.value().length();
    }
    t.bytes += snapshot.length;
    return dst;
  }

  /** The array writer: one exact-size array, CRC-32C over it. */
  @Benchmark
  public byte[] encode(Throughput t) {
    byte[] b = SnapshotWriter.encode(state);
    t.bytes += b.length;
    return b;
  }

  /**
   * The array writer given the entries' encoded size, as db20-core calls it (it keeps the size as
   * the state changes): {@link #encode} without its size pass.
   */
  @Benchmark
  public byte[] encodeKnownSize(Throughput t) {
    byte[] b = SnapshotWriter.encode(state.commitIndex(), state.entries(), payloadBytes);
    t.bytes += b.length;
    return b;
  }

  /** The strict array decoder, every entry materialized as a {@link SnapshotState}. */
  @Benchmark
  public SnapshotState decode(Throughput t) throws SnapshotFormatException {
    SnapshotState s = SnapshotReader.decode(snapshot);
    t.bytes += snapshot.length;
    return s;
  }

  /** The streaming writer into a stream that drops the bytes: the 64 KiB buffer, CRC, checks. */
  @Benchmark
  public long writeStream(Throughput t) throws IOException {
    long n = SnapshotWriter.write(state, OutputStream.nullOutputStream());
    t.bytes += n;
    return n;
  }

  /**
   * The streaming reader from an in-memory stream, checking only: each entry is handed over as
   * views of the reader's buffer, so nothing is allocated per entry.
   */
  @Benchmark
  public SnapshotSummary readStream(Throughput t) throws IOException, SnapshotFormatException {
    SnapshotSummary s =
        SnapshotReader.read(new ByteArrayInputStream(snapshot), SnapshotVisitor.CHECK_ONLY);
    t.bytes += s.size();
    return s;
  }

  /** The streaming reader with a visitor of {@link Bytes}: every key and value copied out. */
  @Benchmark
  public SnapshotSummary readStreamCopies(Throughput t, Blackhole bh)
      throws IOException, SnapshotFormatException {
    SnapshotVisitor copies =
        (index, offset, key, value) -> {
          bh.consume(key);
          bh.consume(value);
        };
    SnapshotSummary s = SnapshotReader.read(new ByteArrayInputStream(snapshot), copies);
    t.bytes += s.size();
    return s;
  }
}
