package dev.db20.cli;

import dev.db20.api.KvCluster;
import dev.db20.api.Op;
import dev.db20.api.ReadResult;
import dev.db20.ratis.NodeDigest;
import dev.db20.ratis.Peers;
import dev.db20.ratis.RatisCluster;
import dev.db20.ratis.RatisLoad;
import dev.db20.script.ExitCode;
import dev.db20.script.ScriptException;
import dev.db20.script.ScriptRunner;
import dev.db20.wire.Bytes;
import dev.db20.wire.Fnv1a64;
import dev.db20.wire.Hex;
import dev.db20.workload.SplitMix64;
import dev.db20.workload.Workload;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code db20 client --peers ... COMMAND}: talks to a running cluster. Output lines are those of
 * the script language (SPEC §7): {@code committed I}, {@code value HEX}, {@code missing}, {@code
 * digest HEX16}. Keys and values on the command line are their UTF-8 bytes.
 */
@Command(
    name = "client",
    mixinStandardHelpOptions = true,
    // Every nested command gets --help and --version too. Added to a method command's spec after
    // parsing, the options would shift its parameters (picocli binds them by position).
    scope = CommandLine.ScopeType.INHERIT,
    description = "Talks to a running db20 cluster on Apache Ratis.",
    subcommandsRepeatable = false)
public final class ClientCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--peers",
      paramLabel = "0=HOST:PORT,1=...",
      // Required, but checked when a command runs (Cli.peers): picocli checks a parent's required
      // options before a subcommand's --help, which would refuse `client load --help`.
      description = "every node of the cluster, by id (required)")
  String peers;

  @Option(
      names = "--tls-dir",
      paramLabel = "DIR",
      description = "mutual TLS with DIR/client.pem, client.key, trusting DIR/ca-node.pem")
  Path tlsDir;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "a command is required: put, get, del, noop, digest, run, load");
  }

  private interface Action {
    int run(RatisCluster c) throws IOException;
  }

  /** Runs {@code action} on a client of the cluster; a failure to reach it is one line, exit 1. */
  private int withCluster(Action action) {
    Peers p = Cli.peers(spec.commandLine(), peers);
    try (RatisCluster c = new RatisCluster(p, Optional.ofNullable(tlsDir))) {
      return action.run(c);
    } catch (RatisCluster.UnavailableException | IOException e) {
      System.err.println("db20 client: " + e.getMessage());
      return ExitCode.FAILED;
    } catch (IllegalArgumentException e) {
      System.err.println("db20 client: " + e.getMessage());
      return ExitCode.BAD_INPUT;
    }
  }

  private static Bytes utf8(String s) {
    return Bytes.copyOf(s.getBytes(StandardCharsets.UTF_8));
  }

  private Op op(String key, String value) {
    try {
      return value == null ? new Op.Del(utf8(key)) : new Op.Put(utf8(key), utf8(value));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static void printCommitted(long index) {
    System.out.println(index == KvCluster.REJECTED ? "rejected" : "committed " + index);
  }

  @Command(name = "put", description = "Sets KEY to VALUE; prints 'committed I'.")
  int put(
      @Parameters(paramLabel = "KEY") String key, @Parameters(paramLabel = "VALUE") String value) {
    Op op = op(key, value);
    return withCluster(
        c -> {
          printCommitted(c.propose(op));
          return 0;
        });
  }

  @Command(name = "del", description = "Removes KEY; prints 'committed I'.")
  int del(@Parameters(paramLabel = "KEY") String key) {
    Op op = op(key, null);
    return withCluster(
        c -> {
          printCommitted(c.propose(op));
          return 0;
        });
  }

  @Command(name = "noop", description = "Commits a no-op; prints 'committed I'.")
  int noop() {
    return withCluster(
        c -> {
          printCommitted(c.propose(Op.NoOp.INSTANCE));
          return 0;
        });
  }

  @Command(name = "get", description = "Reads KEY linearizably; prints 'value HEX' or 'missing'.")
  int get(@Parameters(paramLabel = "KEY") String key) {
    return withCluster(
        c -> {
          ReadResult r = c.read(utf8(key));
          System.out.println(
              r instanceof ReadResult.Value v
                  ? "value " + Hex.encode(v.bytes().toByteArray())
                  : "missing");
          return 0;
        });
  }

  @Command(
      name = "digest",
      description = {
        "Prints each node's index and snapshot digest, then the cluster digest.",
        "First waits (at most 30 s) until every node has applied the last committed index.",
        "Lines: 'node ID index=I digest HEX16' per node, then 'digest HEX16' (SPEC §5).",
        "Exit 1 if two nodes at the same index disagree (stderr names them)."
      })
  int digest() {
    return withCluster(
        c -> {
          List<NodeDigest> ds = new ArrayList<>();
          for (int id = 0; id < c.size(); id++) {
            NodeDigest d = c.nodeDigest(id);
            ds.add(d);
            System.out.println(
                "node " + id + " index=" + d.index() + " digest " + Fnv1a64.toHex(d.fnv1a64()));
          }
          System.out.println("digest " + Fnv1a64.toHex(c.digest()));
          List<String> bad = disagreements(ds);
          bad.forEach(line -> System.err.println("db20 client: " + line));
          int status = bad.isEmpty() ? 0 : ExitCode.FAILED;
          return status;
        });
  }

  /**
   * Every pair of nodes at the same index whose states differ (replicas at one index must hold one
   * state; anything else is divergence), as lines naming both.
   */
  static List<String> disagreements(List<NodeDigest> ds) {
    List<String> out = new ArrayList<>();
    for (int a = 0; a < ds.size(); a++) {
      for (int b = a + 1; b < ds.size(); b++) {
        NodeDigest x = ds.get(a);
        NodeDigest y = ds.get(b);
        if (x.index() == y.index() && x.fnv1a64() != y.fnv1a64()) {
          out.add(
              "nodes "
                  + a
                  + " and "
                  + b
                  + " disagree at index "
                  + x.index()
                  + ": digest "
                  + Fnv1a64.toHex(x.fnv1a64())
                  + " vs "
                  + Fnv1a64.toHex(y.fnv1a64()));
        }
      }
    }
    return out;
  }

  @Command(
      name = "run",
      description = {
        "Runs a script (SPEC §7) against the cluster.",
        "'cluster N' must name its size; partition, heal and leader are refused (no fault injection)."
      })
  int run(@Parameters(paramLabel = "FILE|-") String file) {
    InputStream in;
    try {
      in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file));
    } catch (NoSuchFileException e) {
      System.err.println("db20 client: no such file: " + file);
      return ExitCode.BAD_INPUT;
    } catch (IOException e) {
      System.err.println("db20 client: cannot read " + file + ": " + e.getMessage());
      return ExitCode.BAD_INPUT;
    }
    return withCluster(
        c -> {
          try (InputStream script = in) {
            new ScriptRunner(new FileOutputStream(FileDescriptor.out), c.factory()).run(script);
            return 0;
          } catch (ScriptException e) {
            System.err.println(e.getMessage());
            return ExitCode.BAD_INPUT;
          }
        });
  }

  @Command(
      name = "load",
      description = {
        "Drives the SPEC §6 workload against the cluster and prints ops/s and latency.",
        "3/4 puts, 1/4 dels; C logical clients with W writes in flight each, each its own Raft",
        "client (Ratis's async API). A warm-up runs first; 'load: measuring' on stderr starts",
        "the clock, which stops at the last reply.",
        "Prints 'load ops=M clients=C window=W seconds=S ops/s=R p50=Xms p99=Yms warmup-ops=N",
        "cpu=Zms' (Z: this client's CPU time over the measured phase)."
      })
  int load(
      @Option(names = "--ops", paramLabel = "M", description = "writes to measure (or --seconds)")
          Long ops,
      @Option(
              names = "--seconds",
              paramLabel = "S",
              description = "measure for S seconds (or --ops)")
          Double seconds,
      @Option(
              names = "--warmup",
              defaultValue = "2",
              paramLabel = "S",
              description = "seconds of load before the clock starts (default ${DEFAULT-VALUE})")
          double warmup,
      @Option(names = "--seed", defaultValue = "1", paramLabel = "S") long seed,
      @Option(names = "--keys", defaultValue = "16", paramLabel = "K") long keys,
      @Option(names = "--clients", defaultValue = "1", paramLabel = "C") int clients,
      @Option(
              names = "--window",
              defaultValue = "1",
              paramLabel = "W",
              description = "writes each client keeps in flight; 1 = one at a time")
          int window) {
    if ((ops == null) == (seconds == null)
        || ops != null && (ops < 1 || ops > Integer.MAX_VALUE)
        || seconds != null && !(seconds > 0 && seconds <= 86_400)
        || !(warmup >= 0 && warmup <= 3_600)
        || keys < 1
        || clients < 1
        || clients > 1024
        || window < 1
        || window > 4096) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "load: one of --ops 1..2^31-1 or --seconds (0, 86400]; --warmup 0..3600,"
              + " --keys >= 1, --clients 1..1024, --window 1..4096");
    }
    Peers p = Cli.peers(spec.commandLine(), peers);
    RatisLoad.Plan plan =
        new RatisLoad.Plan(
            clients,
            window,
            nanos(warmup),
            ops == null ? 0 : ops,
            seconds == null ? Duration.ZERO : nanos(seconds));
    return load(p, Optional.ofNullable(tlsDir), plan, stream(seed, keys), System.out, System.err);
  }

  /**
   * The SPEC §6 stream at {@code seed}, readable at any position from any thread: splitmix64 is a
   * counter, so op {@code n} is the three draws after state {@code seed + 3n·GAMMA}, decoded by the
   * calling thread's own {@link Workload} (one decoder, no lock, no allocation).
   */
  static RatisLoad.Source stream(long seed, long keys) {
    ThreadLocal<Workload> decoders = ThreadLocal.withInitial(() -> new Workload(seed, keys));
    return (n, sink) -> {
      Workload w = decoders.get();
      w.setSeed(seed + 3 * n * SplitMix64.GAMMA);
      w.next(sink);
    };
  }

  /** This process's CPU time (user + system), or 0 where the JVM cannot tell. */
  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : 0;
  }

  private static Duration nanos(double seconds) {
    return Duration.ofNanos((long) (seconds * 1e9));
  }

  /** Runs {@code plan} and prints its one line; a failed write is one line on err, exit 1. */
  static int load(
      Peers p,
      Optional<Path> tlsDir,
      RatisLoad.Plan plan,
      RatisLoad.Source source,
      PrintStream out,
      PrintStream err) {
    RatisLoad.Result r;
    long[] cpuAtStart = {0};
    try {
      r =
          RatisLoad.run(
              p,
              tlsDir,
              plan,
              source,
              () -> {
                cpuAtStart[0] = processCpuNanos();
                err.println("load: measuring");
                err.flush();
              });
    } catch (RatisCluster.UnavailableException | IOException | IllegalArgumentException e) {
      err.println("db20 client: load failed: " + e.getMessage());
      return ExitCode.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.FAILED;
    }
    out.printf(
        Locale.ROOT,
        "load ops=%d clients=%d window=%d seconds=%.3f ops/s=%.0f p50=%.2fms p99=%.2fms"
            + " warmup-ops=%d cpu=%.0fms%n",
        r.ops(),
        plan.clients(),
        plan.window(),
        r.seconds(),
        r.opsPerSecond(),
        r.p50Nanos() / 1e6,
        r.p99Nanos() / 1e6,
        r.warmupOps(),
        (processCpuNanos() - cpuAtStart[0]) / 1e6);
    return 0;
  }

  /** Runs the client outside {@code db20}. */
  public static void main(String[] args) {
    CommonPool.ofTwo();
    System.exit(Cli.execute(new ClientCommand(), args));
  }
}
