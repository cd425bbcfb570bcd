package dev.db20.script;

import dev.db20.api.Faults;
import dev.db20.api.KvCluster;
import dev.db20.api.LeaderView;
import dev.db20.api.NodeState;
import dev.db20.api.Op;
import dev.db20.api.ReadResult;
import dev.db20.core.Cluster;
import dev.db20.wire.Bytes;
import dev.db20.wire.Fnv1a64;
import dev.db20.wire.Hex;
import dev.db20.workload.Workload;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The interpreter of SPEC §7's script language, the one interface every implementation runs.
 * Output goes line by line through a buffer to the given stream, flushed whenever the runner is
 * about to read more input (so a driver on a pipe gets each result before it sends the next
 * line); input is read a line at a time, so a script of millions of ops runs in constant memory
 * beyond the cluster itself.
 *
 * <p>The script drives a {@link KvCluster}: the model by default ({@link #MODEL}), or any other
 * implementation of the seam (a real cluster's client). {@code partition}, {@code heal} and
 * {@code leader} need the cluster's {@link Faults} capability; a cluster without it refuses them
 * as a bad line. A bad line throws {@link ScriptException}; everything
 * printed for earlier lines has been flushed by then. The choices SPEC leaves open are in {@code
 * docs/spec-notes.md} (N1–N16).
 */
public final class ScriptRunner {
  /**
   * Every command of SPEC §7 in one table: its name, how many arguments it takes (-1: any
   * number), whether they are all numbers, and whether it needs a cluster. The checks of
   * spec-notes N3 run from this table in its order: unknown command, arity, numbers, cluster.
   */
  private enum Command {
    CLUSTER("cluster", 1, true, false),
    SEED("seed", 1, true, false),
    KEYS("keys", 1, true, false),
    OPS("ops", 1, true, true),
    PUT("put", 2, false, true),
    DEL("del", 1, false, true),
    NOOP("noop", 0, false, true),
    GET("get", 1, false, true),
    PARTITION("partition", -1, true, true),
    HEAL("heal", 0, false, true),
    LEADER("leader", 0, false, true),
    REPLICA("replica", 1, true, true),
    SNAPSHOT("snapshot", 1, true, true),
    DIGEST("digest", 0, false, true);

    final String text;
    final int arity;
    final boolean numericArgs;
    final boolean needsCluster;

    Command(String text, int arity, boolean numericArgs, boolean needsCluster) {
      this.text = text;
      this.arity = arity;
      this.numericArgs = numericArgs;
      this.needsCluster = needsCluster;
    }

    private static final Map<Bytes, Command> BY_NAME = new HashMap<>();

    static {
      for (Command c : values()) {
        BY_NAME.put(Bytes.ofAscii(c.text), c);
      }
    }
  }

  /** The model of SPEC §3: what {@code cluster N} makes unless a runner is given another factory. */
  public static final KvCluster.Factory MODEL = Cluster::new;

  /** Most tokens a line can hold before the rest is only counted (arity errors need the count). */
  private static final int MAX_TOKENS_KEPT = 256;

  private final OutputStream out;
  private final KvCluster.Factory factory;
  private final Workload workload = new Workload();
  private KvCluster cluster; // null until the first `cluster` line
  private long lineNo;
  // The current line's tokens as offsets into line: tokens [start[i], end[i]).
  private byte[] line;
  private final int[] start = new int[MAX_TOKENS_KEPT];
  private final int[] end = new int[MAX_TOKENS_KEPT];
  private int tokenCount;

  /** A runner over the model that writes its output lines to {@code out} (buffered). */
  public ScriptRunner(OutputStream out) {
    this(out, MODEL);
  }

  /** A runner whose {@code cluster N} lines make their cluster with {@code factory}. */
  public ScriptRunner(OutputStream out, KvCluster.Factory factory) {
    this.out = new BufferedOutputStream(out, 1 << 16);
    this.factory = factory;
  }

  /**
   * Runs the script in {@code in} to its end, or to its first bad line.
   *
   * @throws ScriptException on a bad line, after flushing the output of the lines before it
   * @throws IOException if reading the script or writing the output fails
   */
  public void run(InputStream in) throws IOException, ScriptException {
    LineReader lines = new LineReader(in, out::flush);
    try {
      while ((line = lines.next()) != null) {
        lineNo++;
        tokenize(lines.length());
        if (tokenCount == 0 || line[start[0]] == '#') {
          continue;
        }
        execute();
      }
    } finally {
      out.flush();
    }
  }

  /** The cluster the script's last {@code cluster} line made, or null before the first. */
  public KvCluster cluster() {
    return cluster;
  }

  /** Splits on spaces and tabs only (spec-notes N1). */
  private void tokenize(int length) {
    tokenCount = 0;
    int i = 0;
    while (i < length) {
      while (i < length && (line[i] == ' ' || line[i] == '\t')) {
        i++;
      }
      int s = i;
      while (i < length && line[i] != ' ' && line[i] != '\t') {
        i++;
      }
      if (i > s) {
        if (tokenCount < MAX_TOKENS_KEPT) {
          start[tokenCount] = s;
          end[tokenCount] = i;
        }
        tokenCount++;
      }
    }
  }

  private void execute() throws IOException, ScriptException {
    Command command = Command.BY_NAME.get(Bytes.copyOf(line, start[0], Math.min(end[0] - start[0], 16)));
    if (command == null || end[0] - start[0] != command.text.length()) {
      throw error("unknown command '" + Escape.token(line, start[0], end[0] - start[0]) + "'");
    }
    int argc = tokenCount - 1;
    if (command.arity >= 0 && argc != command.arity) {
      throw error("'" + command.text + "' expects " + command.arity
          + (command.arity == 1 ? " argument" : " arguments") + ", got " + argc);
    }
    long[] n = new long[command.numericArgs ? argc : 0];
    for (int i = 0; i < n.length; i++) {
      n[i] = parseNumber(i + 1);
    }
    KvCluster c = cluster;
    if (command.needsCluster && c == null) {
      throw error("'" + command.text + "' before the first 'cluster'");
    }
    switch (command) {
      case CLUSTER -> {
        if (Long.compareUnsigned(n[0], KvCluster.MIN_NODES) < 0 || Long.compareUnsigned(n[0], KvCluster.MAX_NODES) > 0) {
          throw error("cluster size " + Long.toUnsignedString(n[0]) + " out of range "
              + KvCluster.MIN_NODES + ".." + KvCluster.MAX_NODES);
        }
        try {
          cluster = factory.create((int) n[0]);
        } catch (UnsupportedOperationException e) {
          throw error(e.getMessage());
        }
      }
      case SEED -> workload.setSeed(n[0]);
      case KEYS -> {
        if (n[0] == 0) {
          throw error("key space 0 out of range (must be >= 1)");
        }
        workload.setKeySpace(n[0]);
      }
      case OPS -> ops(c, n[0]);
      case PUT -> {
        Bytes key = key(1);
        int valueLength = end[2] - start[2];
        if (valueLength > Op.MAX_VALUE_LEN) {
          throw error("value length " + valueLength + " exceeds the limit of " + Op.MAX_VALUE_LEN + " bytes");
        }
        printPropose(c.put(key, token(2)));
      }
      case DEL -> printPropose(c.del(key(1)));
      case NOOP -> printPropose(c.noop());
      case GET -> {
        // A read checks no op limit (spec-notes N10): an overlong key is simply missing.
        ReadResult r = c.read(token(1));
        if (r instanceof ReadResult.Value v) {
          write("value ");
          out.write(Hex.encodeAscii(v.bytes().toByteArray()));
          out.write('\n');
        } else {
          print(r instanceof ReadResult.Missing ? "missing" : "rejected");
        }
      }
      case PARTITION -> {
        int[] ids = new int[n.length];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = id(c, n[i]);
        }
        faults(c, command).partition(ids);
      }
      case HEAL -> faults(c, command).heal();
      case LEADER -> {
        LeaderView leader = faults(c, command).leader();
        print("leader " + leader.id() + " view=" + Long.toUnsignedString(leader.view()));
      }
      case REPLICA -> {
        int id = id(c, n[0]);
        NodeState s = c.node(id);
        print("replica " + id + " commit=" + Long.toUnsignedString(s.commitIndex()) + " keys=" + s.keyCount()
            + " partitioned=" + s.partitioned());
      }
      case SNAPSHOT -> {
        int id = id(c, n[0]);
        write("snapshot " + id + " ");
        out.write(Hex.encodeAscii(c.snapshot(id)));
        out.write('\n');
      }
      case DIGEST -> print("digest " + Fnv1a64.toHex(c.digest()));
    }
  }

  private void ops(KvCluster c, long m) throws IOException {
    // spec-notes N15: a long run stopped by a signal keeps everything printed before it.
    out.flush();
    long committed = 0;
    for (long i = 0; Long.compareUnsigned(i, m) < 0; i++) {
      if (workload.next(c) != KvCluster.REJECTED) {
        committed++;
      }
    }
    print("ops committed=" + Long.toUnsignedString(committed) + " rejected=" + Long.toUnsignedString(m - committed));
  }

  /** The cluster's fault commands, or a bad line if it has none. */
  private Faults faults(KvCluster c, Command command) throws ScriptException {
    Faults f = c.faults().orElse(null);
    if (f == null) {
      throw error("'" + command.text + "' needs fault injection, which this cluster does not have");
    }
    return f;
  }

  private Bytes token(int i) {
    return Bytes.copyOf(line, start[i], end[i] - start[i]);
  }

  private Bytes key(int i) throws ScriptException {
    int length = end[i] - start[i];
    if (length > Op.MAX_KEY_LEN) {
      throw error("key length " + length + " exceeds the limit of " + Op.MAX_KEY_LEN + " bytes");
    }
    return token(i);
  }

  private void printPropose(long index) throws IOException {
    print(index == KvCluster.REJECTED ? "rejected" : "committed " + Long.toUnsignedString(index));
  }

  private void write(String ascii) throws IOException {
    out.write(ascii.getBytes(StandardCharsets.US_ASCII));
  }

  private void print(String line) throws IOException {
    write(line);
    out.write('\n');
  }

  private int id(KvCluster c, long raw) throws ScriptException {
    if (Long.compareUnsigned(raw, c.size()) >= 0) {
      throw error("replica id " + Long.toUnsignedString(raw) + " out of range 0.." + (c.size() - 1));
    }
    return (int) raw;
  }

  private long parseNumber(int i) throws ScriptException {
    try {
      return Numbers.parseU64(line, start[i], end[i]);
    } catch (NumberFormatException e) {
      throw error("invalid number '" + Escape.token(line, start[i], end[i] - start[i])
          + "' (want decimal or 0x hex, at most 2^64-1)");
    }
  }

  private ScriptException error(String detail) throws ScriptException {
    try {
      out.flush();
    } catch (IOException e) {
      // The error line matters more; a failing stdout shows up on the next write anyway.
    }
    return new ScriptException(lineNo, detail);
  }
}
