package dev.db20.cli;

import dev.db20.api.Op;
import dev.db20.api.ReadResult;
import dev.db20.ratis.LinkProxy;
import dev.db20.ratis.NodeDigest;
import dev.db20.ratis.NodeIdentity;
import dev.db20.ratis.Peers;
import dev.db20.ratis.ProxiedLinks;
import dev.db20.ratis.RatisCluster;
import dev.db20.ratis.RegisterChecker;
import dev.db20.ratis.RegisterChecker.Call;
import dev.db20.wire.Bytes;
import dev.db20.wire.Fnv1a64;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One nemesis run: N {@code db20 server} processes whose every peer link, and the client's link to
 * each node, goes through a {@link LinkProxy}; concurrent clients record a history while a seeded
 * schedule of faults runs (kill -9 and restart, SIGSTOP/SIGCONT, partitions, one-way drops,
 * delays); then every fault is undone and the run checks that the history is linearizable
 * (Wing–Gong–Lowe, {@link RegisterChecker}), that no two acknowledged writes got the same db20
 * index, and that every node reaches the leader's index with one digest.
 *
 * <p>The schedule (which fault, which nodes, how long) is a function of the seed; when each op runs
 * and what the cluster does under it is up to the OS.
 */
final class Nemesis {
  /** What a run is given. */
  record Config(long seed, int nodes, int faultSeconds, int clients, Path dir) {}

  /** What a run found: passed, and one line saying what. */
  record Result(boolean passed, String summary) {}

  /** Bound for every node to reach the leader's index after the faults stop. */
  static final long CATCH_UP_SECONDS = 30;

  private static final int KEYS = 4;

  /** Bound for the fresh cluster to commit its first write. */
  static final long READY_SECONDS = 180;

  private final Config cfg;
  private final PrintStream log;
  private final ProxiedLinks links;
  private final Process[] procs;
  private final List<Call> history = Collections.synchronizedList(new ArrayList<>());
  private final Map<Long, String> writeIndexes = new HashMap<>();
  private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
  private final long t0 = System.nanoTime();
  private PrintWriter events;
  private volatile boolean stopClients;

  Nemesis(Config cfg, PrintStream log) throws IOException {
    this.cfg = cfg;
    this.log = log;
    this.links = new ProxiedLinks(Peers.freeLoopback(cfg.nodes()));
    this.procs = new Process[cfg.nodes()];
  }

  private double now() {
    return (System.nanoTime() - t0) / 1e9;
  }

  private void event(String line) {
    String s = String.format(Locale.ROOT, "%9.3f %s", now(), line);
    synchronized (this) {
      events.println(s);
      events.flush();
    }
  }

  Result run() throws IOException, InterruptedException {
    Files.createDirectories(cfg.dir());
    events =
        new PrintWriter(
            Files.newBufferedWriter(cfg.dir().resolve("history.txt"), StandardCharsets.UTF_8));
    try {
      return runChecked();
    } finally {
      for (int i = 0; i < cfg.nodes(); i++) {
        if (procs[i] != null) {
          resume(i);
          procs[i].destroyForcibly();
          procs[i].waitFor(30, TimeUnit.SECONDS);
        }
      }
      links.close();
      events.close();
    }
  }

  private Result runChecked() throws IOException, InterruptedException {
    event(
        "nemesis seed="
            + cfg.seed()
            + " nodes="
            + cfg.nodes()
            + " faults="
            + cfg.faultSeconds()
            + "s clients="
            + cfg.clients()
            + " client peers "
            + links.clientView());
    for (int i = 0; i < cfg.nodes(); i++) {
      start(i);
    }
    Peers clientView = links.clientView();
    // Faults start once the cluster serves: on a loaded machine JVMs take many seconds to start.
    if (!ready(clientView)) {
      return new Result(
          false,
          "seed="
              + cfg.seed()
              + " nodes="
              + cfg.nodes()
              + " PROBLEMS: the cluster did not commit a first write within "
              + READY_SECONDS
              + " s");
    }
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < cfg.clients(); c++) {
      int id = c;
      Thread t = new Thread(() -> client(id, clientView), "nemesis-client-" + c);
      t.start();
      clients.add(t);
    }
    int faults = faults();
    healAll();
    event("faults stopped after " + faults + " faults; clients run 3 s more");
    Thread.sleep(3000);
    stopClients = true;
    for (Thread t : clients) {
      t.join(TimeUnit.SECONDS.toMillis(RatisCluster.WAIT.toSeconds() + 30));
      if (t.isAlive()) {
        problems.add(t.getName() + " did not stop");
      }
    }
    long ok;
    synchronized (history) {
      ok = history.stream().filter(h -> h.complete() != RegisterChecker.NEVER).count();
    }
    finalWrite(clientView);
    String catchUp = catchUp(clientView);
    finalReads(clientView);
    boolean linearizable;
    synchronized (history) {
      linearizable = RegisterChecker.check(new ArrayList<>(history));
    }
    // The nodes dial each other through the proxies (else no fault above was real): every
    // node's peer traffic went through its links.
    for (int j = 0; j < cfg.nodes(); j++) {
      if (links.peerBytesThrough(j) == 0) {
        problems.add("no peer traffic of node " + j + " went through its link proxies");
      }
    }
    if (!linearizable) {
      problems.add("history not linearizable (see history.txt)");
    }
    String summary =
        String.format(
            Locale.ROOT,
            "seed=%d nodes=%d faults=%d ops=%d ok=%d linearizable=%s %s%s",
            cfg.seed(),
            cfg.nodes(),
            faults,
            history.size(),
            ok,
            linearizable,
            catchUp,
            problems.isEmpty() ? "" : " PROBLEMS: " + String.join("; ", problems));
    event(summary);
    return new Result(problems.isEmpty(), summary);
  }

  // ---- nodes ----

  private void start(int i) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Path nodeLog = cfg.dir().resolve("node-" + i + ".log");
    Path data = cfg.dir().resolve("node-" + i);
    // The flags of the servers `db20 local` starts, plus two for runs of a minute with three to
    // five nodes on a small machine: a bounded heap, and C1 only (C2 would compete with the nodes).
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx192m", "-XX:TieredStopAtLevel=1"));
    cmd.addAll(LocalCommand.SERVER_JVM_FLAGS);
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            ServerCommand.class.getName(),
            "--id",
            Integer.toString(i),
            "--peers",
            links.nodeView(i).toString(),
            "--dir",
            data.toString(),
            // Small, as in issue 16's runs 2-3: snapshots, purges and installs happen in a
            // short run.
            "--snapshot-every",
            "200",
            "--segment-bytes",
            "16384",
            "--purge-gap",
            "8",
            // Loopback behind the run's own link proxies: no TLS, said explicitly.
            "--insecure"));
    if (!Files.exists(NodeIdentity.file(data))) {
      cmd.add("--bootstrap"); // the first start of this run's node
    }
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(nodeLog.toFile()));
    procs[i] = pb.start();
    event("start node " + i + " pid " + procs[i].pid());
  }

  private void kill9(int i) throws InterruptedException {
    procs[i].destroyForcibly();
    procs[i].waitFor(30, TimeUnit.SECONDS);
    event("kill -9 node " + i);
  }

  private void signal(int i, String sig) throws IOException, InterruptedException {
    Process k =
        new ProcessBuilder("kill", "-" + sig, Long.toString(procs[i].pid()))
            .redirectErrorStream(true)
            .start();
    k.getInputStream().readAllBytes();
    k.waitFor();
  }

  private void pause(int i) throws IOException, InterruptedException {
    signal(i, "STOP");
    event("SIGSTOP node " + i);
  }

  private void resume(int i) {
    try {
      signal(i, "CONT");
    } catch (IOException e) {
      problems.add("SIGCONT node " + i + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- faults ----

  /** Cuts {@code side} off from the other nodes and from the clients. */
  private void partition(List<Integer> side) {
    links.partition(side);
    event("partition " + side);
  }

  private void healAll() throws IOException {
    links.passAll();
    for (int i = 0; i < cfg.nodes(); i++) {
      if (procs[i].isAlive()) {
        resume(i);
      } else {
        start(i);
      }
    }
    event("heal: every link passes, every node running");
  }

  private List<Integer> someNodes(Random r, int count) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < cfg.nodes(); i++) {
      all.add(i);
    }
    Collections.shuffle(all, r);
    return new ArrayList<>(all.subList(0, count));
  }

  /** Runs the seeded schedule for the fault phase; returns how many faults it made. */
  private int faults() throws IOException, InterruptedException {
    Random r = new Random(cfg.seed());
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(cfg.faultSeconds());
    int n = cfg.nodes();
    int minority = (n - 1) / 2;
    int count = 0;
    Thread.sleep(2000 + r.nextInt(2000));
    while (System.nanoTime() < end) {
      int kind = r.nextInt(6);
      long hold = 1000 + r.nextInt(3000);
      count++;
      switch (kind) {
        case 0 -> { // kill -9, restart on the same directory
          int i = r.nextInt(n);
          kill9(i);
          Thread.sleep(hold);
          start(i);
        }
        case 1 -> { // SIGSTOP, SIGCONT
          int i = r.nextInt(n);
          pause(i);
          Thread.sleep(hold);
          resume(i);
          event("SIGCONT node " + i);
        }
        case 2 -> { // a minority cut off (from the others and the clients)
          partition(someNodes(r, 1 + r.nextInt(minority)));
          Thread.sleep(hold + 1000);
          healAll();
        }
        case 3 -> { // one way: j's replies to i dropped, or i's bytes to j dropped
          List<Integer> ij = someNodes(r, 2);
          LinkProxy l = links.link(ij.get(0), ij.get(1));
          l.setMode(r.nextBoolean() ? LinkProxy.Mode.DROP_BACK : LinkProxy.Mode.DROP_FORWARD);
          event("one-way drop " + l);
          Thread.sleep(hold + 1000);
          healAll();
        }
        case 4 -> { // slow links
          long d = 20 + r.nextInt(180);
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
              if (i != j) {
                links.link(i, j).setDelayMillis(d);
              }
            }
          }
          event("delay every peer link " + d + " ms");
          Thread.sleep(hold);
          healAll();
        }
        default -> { // issue 16's "both at once": kill one node, pause another
          List<Integer> two = someNodes(r, 2);
          kill9(two.get(0));
          pause(two.get(1));
          Thread.sleep(hold);
          resume(two.get(1));
          event("SIGCONT node " + two.get(1));
          start(two.get(0));
        }
      }
      Thread.sleep(1000 + r.nextInt(2000));
    }
    return count;
  }

  // ---- clients ----

  private void client(int id, Peers view) {
    Random r = new Random(cfg.seed() * 1_000_003L + id);
    try (RatisCluster c = new RatisCluster(view)) {
      for (int i = 0; !stopClients; i++) {
        String key = "k" + r.nextInt(KEYS);
        int p = r.nextInt(100);
        if (p < 45) {
          get(c, id, key);
        } else if (p < 90) {
          write(c, id, key, "c" + id + "-" + i);
        } else {
          write(c, id, key, null);
        }
      }
    } catch (IOException | RuntimeException e) {
      problems.add("client " + id + " failed: " + e);
    }
  }

  private void get(RatisCluster c, int id, String key) {
    long invoke = System.nanoTime();
    event("c" + id + " invoke get " + key);
    try {
      ReadResult res = c.read(Bytes.ofAscii(key));
      long complete = System.nanoTime();
      String v =
          res instanceof ReadResult.Value val
              ? new String(val.bytes().toByteArray(), StandardCharsets.US_ASCII)
              : null;
      history.add(Call.get(key, v, invoke, complete));
      event("c" + id + " ok get " + key + " " + (v == null ? "missing" : v));
    } catch (RatisCluster.UnavailableException e) {
      // A read that failed observed nothing: it is left out of the history.
      event("c" + id + " fail get " + key + " " + e.getMessage());
    }
  }

  private void write(RatisCluster c, int id, String key, String value) {
    long invoke = System.nanoTime();
    String what = value == null ? "del " + key : "put " + key + " " + value;
    event("c" + id + " invoke " + what);
    Bytes k = Bytes.ofAscii(key);
    try {
      long index = c.propose(value == null ? new Op.Del(k) : new Op.Put(k, Bytes.ofAscii(value)));
      long complete = System.nanoTime();
      history.add(
          value == null ? Call.del(key, invoke, complete) : Call.put(key, value, invoke, complete));
      event("c" + id + " ok " + what + " committed " + index);
      synchronized (writeIndexes) {
        String before = writeIndexes.put(index, what);
        if (before != null) {
          problems.add(
              "two acknowledged writes at db20 index " + index + ": " + before + ", " + what);
        }
      }
    } catch (RatisCluster.UnavailableException e) {
      // Indeterminate: it may commit at any time after its call, or never.
      history.add(
          value == null
              ? Call.del(key, invoke, RegisterChecker.NEVER)
              : Call.put(key, value, invoke, RegisterChecker.NEVER));
      event("c" + id + " info " + what + " " + e.getMessage());
    }
  }

  /** Whether the fresh cluster commits a write within {@link #READY_SECONDS}. */
  private boolean ready(Peers view) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
    try (RatisCluster c = new RatisCluster(view)) {
      while (true) {
        int before = history.size();
        write(c, -1, "k0", "ready");
        if (history.get(before).complete() != RegisterChecker.NEVER) {
          event("cluster ready");
          return true;
        }
        if (System.nanoTime() > deadline) {
          return false;
        }
      }
    }
  }

  /** A write after the faults must commit: the healed cluster is available again. */
  private void finalWrite(Peers view) throws IOException {
    try (RatisCluster c = new RatisCluster(view)) {
      int before = history.size();
      write(c, -1, "k0", "final");
      Call last = history.get(history.size() - 1);
      if (history.size() == before || last.complete() == RegisterChecker.NEVER) {
        problems.add(
            "the healed cluster did not commit a write within "
                + RatisCluster.WAIT.toSeconds()
                + " s");
      }
    }
  }

  /** One read of every key after the faults: lost acknowledged writes show up here. */
  private void finalReads(Peers view) throws IOException {
    try (RatisCluster c = new RatisCluster(view)) {
      for (int k = 0; k < KEYS; k++) {
        get(c, -1, "k" + k);
      }
    }
  }

  /** Waits for every node to reach the leader's db20 index; compares their digests. */
  private String catchUp(Peers view) throws IOException {
    long start = System.nanoTime();
    try (RatisCluster c = new RatisCluster(view)) {
      long[] index = new long[cfg.nodes()];
      long[] fnv = new long[cfg.nodes()];
      for (int i = 0; i < cfg.nodes(); i++) {
        try {
          NodeDigest d = c.nodeDigest(i);
          index[i] = d.index();
          fnv[i] = d.fnv1a64();
          event("node " + i + " index=" + d.index() + " digest " + Fnv1a64.toHex(d.fnv1a64()));
        } catch (RatisCluster.UnavailableException e) {
          problems.add(e.getMessage());
          event("node " + i + ": " + e.getMessage());
          index[i] = -1;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      if (seconds > CATCH_UP_SECONDS) {
        problems.add(
            String.format(
                Locale.ROOT, "catch-up took %.1f s (bound %d s)", seconds, CATCH_UP_SECONDS));
      }
      for (int i = 1; i < cfg.nodes(); i++) {
        if (index[i] >= 0 && index[0] >= 0 && (index[i] != index[0] || fnv[i] != fnv[0])) {
          problems.add(
              "node "
                  + i
                  + " index="
                  + index[i]
                  + " digest "
                  + Fnv1a64.toHex(fnv[i])
                  + " differs from node 0 index="
                  + index[0]
                  + " digest "
                  + Fnv1a64.toHex(fnv[0]));
        }
      }
      return String.format(Locale.ROOT, "index=%d caught-up-in=%.1fs", index[0], seconds);
    }
  }
}
