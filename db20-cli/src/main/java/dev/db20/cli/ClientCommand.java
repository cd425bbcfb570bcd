package dev.db20.cli;

import dev.db20.script.ExitCode;

import dev.db20.api.KvCluster;
import dev.db20.api.Op;
import dev.db20.api.ReadResult;
import dev.db20.ratis.NodeDigest;
import dev.db20.ratis.Peers;
import dev.db20.ratis.RatisCluster;
import dev.db20.script.ScriptException;
import dev.db20.script.ScriptRunner;
import dev.db20.wire.Bytes;
import dev.db20.wire.Fnv1a64;
import dev.db20.wire.Hex;
import dev.db20.workload.Workload;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code db20 client --peers ... COMMAND}: talks to a running cluster. Output lines are those of
 * the script language (SPEC §7): {@code committed I}, {@code value HEX}, {@code missing}, {@code
 * digest HEX16}. Keys and values on the command line are their UTF-8 bytes.
 */
@Command(
    name = "client",
    mixinStandardHelpOptions = true,
    description = "Talks to a running db20 cluster on Apache Ratis.",
    subcommandsRepeatable = false)
public final class ClientCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--peers", required = true, paramLabel = "0=HOST:PORT,1=...",
      description = "every node of the cluster, by id")
  String peers;

  @Option(names = "--tls-dir", paramLabel = "DIR",
      description = "mutual TLS with DIR/client.pem, client.key, trusting DIR/ca-node.pem")
  Path tlsDir;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "a command is required: put, get, del, noop, digest, run, load");
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
  int put(@Parameters(paramLabel = "KEY") String key, @Parameters(paramLabel = "VALUE") String value) {
    Op op = op(key, value);
    return withCluster(c -> {
      printCommitted(c.propose(op));
      return 0;
    });
  }

  @Command(name = "del", description = "Removes KEY; prints 'committed I'.")
  int del(@Parameters(paramLabel = "KEY") String key) {
    Op op = op(key, null);
    return withCluster(c -> {
      printCommitted(c.propose(op));
      return 0;
    });
  }

  @Command(name = "noop", description = "Commits a no-op; prints 'committed I'.")
  int noop() {
    return withCluster(c -> {
      printCommitted(c.propose(Op.NoOp.INSTANCE));
      return 0;
    });
  }

  @Command(name = "get", description = "Reads KEY linearizably; prints 'value HEX' or 'missing'.")
  int get(@Parameters(paramLabel = "KEY") String key) {
    return withCluster(c -> {
      ReadResult r = c.read(utf8(key));
      System.out.println(r instanceof ReadResult.Value v
          ? "value " + Hex.encode(v.bytes().toByteArray()) : "missing");
      return 0;
    });
  }

  @Command(name = "digest", description = {
      "Prints each node's index and snapshot digest, then the cluster digest.",
      "First waits (at most 30 s) until every node has applied the last committed index.",
      "Lines: 'node ID index=I digest HEX16' per node, then 'digest HEX16' (SPEC §5).",
      "Exit 1 if two nodes at the same index disagree (stderr names them)."})
  int digest() {
    return withCluster(c -> {
      List<NodeDigest> ds = new ArrayList<>();
      for (int id = 0; id < c.size(); id++) {
        NodeDigest d = c.nodeDigest(id);
        ds.add(d);
        System.out.println("node " + id + " index=" + d.index() + " digest " + Fnv1a64.toHex(d.fnv1a64()));
      }
      System.out.println("digest " + Fnv1a64.toHex(c.digest()));
      List<String> bad = disagreements(ds);
      bad.forEach(line -> System.err.println("db20 client: " + line));
      int status = bad.isEmpty() ? 0 : ExitCode.FAILED;
      return status;
    });
  }

  /**
   * Every pair of nodes at the same index whose states differ (replicas at one index must hold
   * one state; anything else is divergence), as lines naming both.
   */
  static List<String> disagreements(List<NodeDigest> ds) {
    List<String> out = new ArrayList<>();
    for (int a = 0; a < ds.size(); a++) {
      for (int b = a + 1; b < ds.size(); b++) {
        NodeDigest x = ds.get(a);
        NodeDigest y = ds.get(b);
        if (x.index() == y.index() && x.fnv1a64() != y.fnv1a64()) {
          out.add("nodes " + a + " and " + b + " disagree at index " + x.index() + ": digest "
              + Fnv1a64.toHex(x.fnv1a64()) + " vs " + Fnv1a64.toHex(y.fnv1a64()));
        }
      }
    }
    return out;
  }

  @Command(name = "run", description = {
      "Runs a script (SPEC §7) against the cluster.",
      "'cluster N' must name its size; partition, heal and leader are refused (no fault injection)."})
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
    return withCluster(c -> {
      try (InputStream script = in) {
        new ScriptRunner(new FileOutputStream(FileDescriptor.out), c.factory()).run(script);
        return 0;
      } catch (ScriptException e) {
        System.err.println(e.getMessage());
        return ExitCode.BAD_INPUT;
      }
    });
  }

  @Command(name = "load", description = {
      "Drives the SPEC §6 workload against the cluster and prints ops/s and latency.",
      "3/4 puts, 1/4 dels; C clients, each one synchronous write at a time. Progress on stderr,",
      "then 'load ops=M clients=C window=W seconds=S ops/s=R p50=Xms p99=Yms'."})
  int load(
      @Option(names = "--ops", required = true, paramLabel = "M") long ops,
      @Option(names = "--seed", defaultValue = "1", paramLabel = "S") long seed,
      @Option(names = "--keys", defaultValue = "16", paramLabel = "K") long keys,
      @Option(names = "--clients", defaultValue = "1", paramLabel = "C") int clients,
      @Option(names = "--window", defaultValue = "1", paramLabel = "W",
          description = "writes each client keeps in flight (Ratis async API); 1 = synchronous") int window) {
    if (ops < 1 || ops > Integer.MAX_VALUE || keys < 1 || clients < 1 || clients > 1024 || window < 1 || window > 4096) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "load: --ops 1..2^31-1, --keys >= 1, --clients 1..1024, --window 1..4096");
    }
    Peers p = Cli.peers(spec.commandLine(), peers);
    return load(p, Optional.ofNullable(tlsDir), (int) ops, seed, keys, clients, window,
        System.out, System.err);
  }

  /** The load generator: C threads, each with its own client, sharing one workload stream. */
  static int load(Peers p, Optional<Path> tlsDir, int ops, long seed, long keys, int clients,
      int window, PrintStream out, PrintStream err) {
    Workload w = new Workload(seed, keys);
    long[] latency = new long[ops];
    AtomicLong done = new AtomicLong();
    int[] issued = {0};
    List<Thread> threads = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    List<RatisCluster> cs = new ArrayList<>();
    try {
      for (int i = 0; i < clients; i++) {
        cs.add(new RatisCluster(p, tlsDir));
      }
      long start = System.nanoTime();
      for (RatisCluster c : cs) {
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(window);
        Thread t = new Thread(() -> {
          while (true) {
            synchronized (failures) {
              if (!failures.isEmpty()) {
                return;
              }
            }
            Op op;
            int n;
            synchronized (issued) {
              if (issued[0] >= ops) {
                return;
              }
              n = issued[0]++;
              op = w.nextOp();
            }
            long t0 = System.nanoTime();
            if (window > 1) {
              // Async: at most `window` writes of this client in flight.
              try {
                inFlight.acquire();
              } catch (InterruptedException e) {
                return;
              }
              c.proposeAsync(op).whenComplete((index, e) -> {
                inFlight.release();
                if (e != null) {
                  synchronized (failures) {
                    failures.add(e.getMessage());
                  }
                } else {
                  latency[n] = System.nanoTime() - t0;
                  done.incrementAndGet();
                }
              });
              continue;
            }
            try {
              c.propose(op);
            } catch (RuntimeException e) {
              synchronized (failures) {
                failures.add(e.getMessage());
              }
              return;
            }
            latency[n] = System.nanoTime() - t0;
            done.incrementAndGet();
          }
        }, "db20-load");
        threads.add(t);
        t.start();
      }
      long last = 0;
      long lastAt = start;
      while (threads.stream().anyMatch(Thread::isAlive) || done.get() < ops && failuresEmpty(failures)) {
        long waitUntil = System.nanoTime() + 1_000_000_000L;
        for (Thread t : threads) {
          t.join(Math.max(1, (waitUntil - System.nanoTime()) / 1_000_000));
        }
        if (!threads.stream().anyMatch(Thread::isAlive)) {
          // Async writes still in flight: wait out the rest of the second.
          Thread.sleep(Math.max(0, (waitUntil - System.nanoTime()) / 1_000_000));
        }
        long now = System.nanoTime();
        long d = done.get();
        err.printf(Locale.ROOT, "\rload: %d/%d ops, %.0f ops/s   ", d, ops, (d - last) * 1e9 / Math.max(1, now - lastAt));
        last = d;
        lastAt = now;
      }
      err.println();
      double seconds = (System.nanoTime() - start) / 1e9;
      if (!failures.isEmpty()) {
        err.println("db20 client: load stopped after " + done.get() + " ops: " + failures.get(0));
        return ExitCode.FAILED;
      }
      long[] sorted = latency.clone();
      Arrays.sort(sorted);
      out.printf(Locale.ROOT, "load ops=%d clients=%d window=%d seconds=%.3f ops/s=%.0f p50=%.2fms p99=%.2fms%n",
          ops, clients, window, seconds, ops / seconds, sorted[(int) (ops * 0.50)] / 1e6,
          sorted[Math.min(ops - 1, (int) (ops * 0.99))] / 1e6);
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("db20 client: " + e.getMessage());
      return ExitCode.BAD_INPUT;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.FAILED;
    } finally {
      for (RatisCluster c : cs) {
        try {
          c.close();
        } catch (IOException e) {
          // Closing a client that failed; nothing more to do.
        }
      }
    }
  }

  private static boolean failuresEmpty(List<String> failures) {
    synchronized (failures) {
      return failures.isEmpty();
    }
  }

  /** Runs the client outside {@code db20}. */
  public static void main(String[] args) {
    System.exit(Cli.execute(new ClientCommand(), args));
  }
}
