package dev.db20.ratis;

import dev.db20.api.OpSink;
import dev.db20.core.OpRecord;
import dev.db20.wire.Bytes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;

/**
 * The load generator behind {@code db20 client load}: the SPEC §6 stream as Raft writes, {@code
 * clients × window} of them in flight: each logical client is its own {@link RaftClient} (its own
 * connection and ordered stream) with {@code window} writes in flight through Ratis's async API. A
 * leader takes in one ordered stream's requests one at a time (gRPC delivers a call's messages
 * serially, and Ratis hands each to its client executor and waits), so with every write in one
 * stream the leader appended, and fsynced, one entry at a time however many were in flight. Each of
 * the {@code clients × window} slots sends its next write from the callback of its last reply; no
 * thread per client and no lock. Per write it allocates only the request (the op record and the
 * message around it) and the callback node {@code whenComplete} adds; latencies go into a shared
 * {@link LatencyHistogram} (one atomic add).
 *
 * <p>A warm-up phase runs first and is not counted; the clock starts after it and stops at the last
 * reply. The writes come from a {@link Source}: write {@code n} (counted from the start of the
 * warm-up) is the source's {@code n}-th, whichever slot sends it.
 */
public final class RatisLoad {
  /**
   * What to run.
   *
   * @param clients logical clients, 1..1024
   * @param window writes each logical client keeps in flight, 1..4096
   * @param warmup load before the clock starts (zero: none)
   * @param ops writes to measure; 0 means run for {@code duration} instead
   * @param duration how long to send writes when {@code ops} is 0
   */
  public record Plan(int clients, int window, Duration warmup, long ops, Duration duration) {
    /** Checks the ranges; the message names the value. */
    public Plan {
      if (clients < 1 || clients > 1024 || window < 1 || window > 4096) {
        throw new IllegalArgumentException(
            "load: clients "
                + clients
                + ", window "
                + window
                + ": wants clients 1..1024, window 1..4096");
      }
      if (warmup.isNegative()
          || ops < 0
          || ops == 0 && (duration.isNegative() || duration.isZero())) {
        throw new IllegalArgumentException(
            "load: warmup "
                + warmup
                + ", ops "
                + ops
                + ", duration "
                + duration
                + ": wants warmup >= 0 and either ops >= 1 or a positive duration");
      }
    }
  }

  /**
   * What the measured phase did.
   *
   * @param ops writes acknowledged in the measured phase
   * @param nanos from the start of the measured phase to its last reply
   * @param p50Nanos median latency (at most 1.6 % high, {@link LatencyHistogram})
   * @param p99Nanos 99th percentile latency
   * @param warmupOps writes acknowledged in the warm-up (not in the figures above)
   */
  public record Result(long ops, long nanos, long p50Nanos, long p99Nanos, long warmupOps) {
    /** Seconds measured. */
    public double seconds() {
      return nanos / 1e9;
    }

    /** Acknowledged writes per second. */
    public double opsPerSecond() {
      return ops * 1e9 / Math.max(1, nanos);
    }
  }

  /**
   * The writes: {@code write(n, sink)} hands write {@code n} (counted from 0 at the start of the
   * warm-up) to {@code sink} as a put or a del. Called from several threads at once, each with its
   * own sink.
   */
  @FunctionalInterface
  public interface Source {
    void write(long n, OpSink sink);
  }

  /** How long one write waits for its reply before the client resends it. */
  static final TimeDuration REQUEST_TIMEOUT = TimeDuration.valueOf(15, TimeUnit.SECONDS);

  private RatisLoad() {}

  /**
   * Runs {@code plan} against {@code peers}.
   *
   * @throws RatisCluster.UnavailableException if a write fails (after the client's retries)
   * @throws IllegalArgumentException if the leader refuses a record (a bug of this class)
   */
  public static Result run(Peers peers, Plan plan, Source source)
      throws IOException, InterruptedException {
    return run(peers, Optional.empty(), plan, source, () -> {});
  }

  /**
   * {@link #run(Peers, Plan, Source)}, calling {@code measuring} when the measured phase starts
   * (after the warm-up), so a caller can sample what it measures over the same span.
   */
  public static Result run(Peers peers, Plan plan, Source source, Runnable measuring)
      throws IOException, InterruptedException {
    return run(peers, Optional.empty(), plan, source, measuring);
  }

  /**
   * {@link #run(Peers, Plan, Source, Runnable)} with the client certificate of {@code tlsDir}
   * (mutual TLS), or without TLS if it is empty.
   */
  public static Result run(
      Peers peers, Optional<Path> tlsDir, Plan plan, Source source, Runnable measuring)
      throws IOException, InterruptedException {
    Parameters rpc =
        tlsDir.isPresent()
            ? TlsFiles.forParty(tlsDir.get(), TlsFiles.Party.CLIENT)
            : new Parameters();
    RaftProperties p = Db20Server.properties();
    // Ratis's async client holds at most this many requests in flight (default 100).
    RaftClientConfigKeys.Async.setOutstandingRequestsMax(
        p, Math.max(RaftClientConfigKeys.Async.OUTSTANDING_REQUESTS_MAX_DEFAULT, plan.window()));
    // A client's writes share one ordered stream: a request that times out makes Ratis resend it
    // and every later one, so Ratis's 3 s default, reached by queueing alone on a loaded
    // machine, turned a slow second into a storm of resends. A write is still retried after
    // REQUEST_TIMEOUT.
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, REQUEST_TIMEOUT);
    List<RaftClient> clients = new ArrayList<>(plan.clients());
    try {
      for (int i = 0; i < plan.clients(); i++) {
        clients.add(RatisCluster.newClient(peers, p, rpc, 300));
      }
      Stream stream = new Stream(source);
      LatencyHistogram warm = new LatencyHistogram();
      if (!plan.warmup().isZero()) {
        // A client's first write opens its connection (seconds on a loaded machine): one write
        // per client, then the warm-up's clock.
        phase(clients, stream, 1, clients.size(), Long.MAX_VALUE, warm);
        phase(clients, stream, plan.window(), 0, deadline(plan.warmup()), warm);
      }
      LatencyHistogram h = new LatencyHistogram();
      measuring.run();
      long start = System.nanoTime();
      long end =
          plan.ops() > 0
              ? phase(clients, stream, plan.window(), plan.ops(), Long.MAX_VALUE, h)
              : phase(clients, stream, plan.window(), 0, start + plan.duration().toNanos(), h);
      return new Result(h.count(), end - start, h.quantile(0.50), h.quantile(0.99), warm.count());
    } finally {
      closeAll(clients);
    }
  }

  private static long deadline(Duration d) {
    return System.nanoTime() + d.toNanos();
  }

  private static void closeAll(List<RaftClient> clients) throws IOException {
    IOException first = null;
    for (RaftClient c : clients) {
      try {
        c.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /**
   * Runs {@code window} senders on each client until {@code limit} writes were sent (limit > 0) or
   * the clock passes {@code deadline}, then waits for every reply; returns the time of the last
   * reply.
   */
  private static long phase(
      List<RaftClient> clients,
      Stream stream,
      int window,
      long limit,
      long deadline,
      LatencyHistogram h)
      throws InterruptedException {
    int slots = clients.size() * window;
    Phase phase = new Phase(stream, limit, deadline, h, slots);
    List<Slot> all = new ArrayList<>(slots);
    for (RaftClient c : clients) {
      for (int i = 0; i < window; i++) {
        all.add(new Slot(phase, c));
      }
    }
    for (Slot s : all) {
      s.sendNext();
    }
    phase.finished.await();
    Throwable failure = phase.failure.get();
    if (failure instanceof RuntimeException e) {
      throw e;
    }
    if (failure != null) {
      throw new RatisCluster.UnavailableException("write failed: " + failure.getMessage(), failure);
    }
    long last = Long.MIN_VALUE;
    for (Slot s : all) {
      last = Math.max(last, s.lastReply);
    }
    return last;
  }

  /** One phase's shared state: the counter, the clock, the histogram, the first failure. */
  private static final class Phase {
    final Stream stream;
    final long limit;
    final long deadline;
    final LatencyHistogram histogram;
    final CountDownLatch finished;
    final AtomicLong sent = new AtomicLong();
    final AtomicReference<Throwable> failure = new AtomicReference<>();

    Phase(Stream stream, long limit, long deadline, LatencyHistogram h, int n) {
      this.stream = stream;
      this.limit = limit;
      this.deadline = deadline;
      this.histogram = h;
      this.finished = new CountDownLatch(n);
    }
  }

  /** One write in flight at a time; its callback records the latency and sends the next. */
  private static final class Slot implements BiConsumer<RaftClientReply, Throwable> {
    private final Phase phase;
    private final RaftClient client;
    private long sentAt;
    // Written by the callback thread before finished.countDown(), read after await().
    long lastReply = Long.MIN_VALUE;

    Slot(Phase phase, RaftClient client) {
      this.phase = phase;
      this.client = client;
    }

    void sendNext() {
      if (phase.failure.get() != null
          || phase.limit > 0 && phase.sent.get() >= phase.limit
          || phase.limit == 0 && System.nanoTime() - phase.deadline >= 0) {
        phase.finished.countDown();
        return;
      }
      long n = phase.sent.getAndIncrement();
      if (phase.limit > 0 && n >= phase.limit) {
        phase.finished.countDown();
        return;
      }
      try {
        Message m = phase.stream.message(phase.stream.position.getAndIncrement());
        sentAt = System.nanoTime();
        client.async().send(m).whenComplete(this);
      } catch (RuntimeException e) {
        // Thrown inside a callback it would vanish into the dependent future, and the phase
        // would wait for this slot forever.
        phase.failure.compareAndSet(null, e);
        phase.finished.countDown();
      }
    }

    @Override
    public void accept(RaftClientReply reply, Throwable e) {
      long now = System.nanoTime();
      if (e != null
          || !reply.isSuccess()
          || reply.getMessage().getContent().isEmpty()
          || reply.getMessage().getContent().byteAt(0) != Protocol.STATUS_OK) {
        Throwable why =
            e != null
                ? e
                : reply.isSuccess()
                    ? new IOException("write: reply without status OK")
                    : reply.getException();
        phase.failure.compareAndSet(null, why == null ? new IOException("write: no reply") : why);
        phase.finished.countDown();
        return;
      }
      phase.histogram.record(now - sentAt);
      lastReply = now;
      sendNext();
    }
  }

  /** The source's writes as messages: each thread encodes with its own sink. */
  private static final class Stream {
    private final Source source;
    // The next write's position in the source, across phases.
    final AtomicLong position = new AtomicLong();
    private final ThreadLocal<Encoder> encoders = ThreadLocal.withInitial(Encoder::new);

    Stream(Source source) {
      this.source = source;
    }

    Message message(long n) {
      Encoder e = encoders.get();
      source.write(n, e);
      Message m = e.message;
      if (m == null) {
        throw new IllegalStateException("the load source gave no write for write " + n);
      }
      e.message = null;
      return m;
    }
  }

  /** Encodes the op it is handed as the request's message (one op record, not copied). */
  private static final class Encoder implements OpSink {
    Message message;

    private long keep(byte[] record) {
      message = Message.valueOf(UnsafeByteOperations.unsafeWrap(record));
      return 0;
    }

    @Override
    public long put(Bytes key, Bytes value) {
      return keep(OpRecord.encodePut(key, value));
    }

    @Override
    public long del(Bytes key) {
      return keep(OpRecord.encodeDel(key));
    }

    @Override
    public long noop() {
      return keep(OpRecord.encode(dev.db20.api.Op.NoOp.INSTANCE));
    }
  }
}
