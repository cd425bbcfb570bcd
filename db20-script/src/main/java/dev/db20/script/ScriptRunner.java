package dev.db20.script;

import dev.db20.core.Cluster;
import dev.db20.core.Op;
import dev.db20.core.ProposeResult;
import dev.db20.core.ReadResult;
import dev.db20.core.Replica;
import dev.db20.wire.Fnv1a64;
import dev.db20.wire.Hex;
import dev.db20.workload.Workload;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The interpreter of SPEC §7's script language, the one interface every implementation runs.
 * Output goes line by line through a buffer to the given stream; input is read a line at a time,
 * so a script of millions of ops runs in constant memory beyond the cluster itself.
 *
 * <p>A bad line throws {@link ScriptException}; everything printed for earlier lines has been
 * flushed by then. The choices SPEC leaves open are in {@code docs/spec-notes.md} (N1–N11).
 */
public final class ScriptRunner {
  private final OutputStream out;
  private final Workload workload = new Workload();
  private Cluster cluster; // null until the first `cluster` line
  private long lineNo;

  /** A runner that writes its output lines to {@code out} (buffered; flushed by {@link #run}). */
  public ScriptRunner(OutputStream out) {
    this.out = new BufferedOutputStream(out, 1 << 16);
  }

  /**
   * Runs the script in {@code in} to its end, or to its first bad line.
   *
   * @throws ScriptException on a bad line, after flushing the output of the lines before it
   * @throws IOException if reading the script or writing the output fails
   */
  public void run(InputStream in) throws IOException, ScriptException {
    LineReader lines = new LineReader(in);
    try {
      byte[] line;
      while ((line = lines.next()) != null) {
        lineNo++;
        List<byte[]> tokens = tokenize(line, lines.length());
        if (tokens.isEmpty() || tokens.get(0)[0] == '#') {
          continue;
        }
        execute(tokens);
      }
    } finally {
      out.flush();
    }
  }

  /** The cluster the script built, or null before its first {@code cluster} line. */
  public Cluster cluster() {
    return cluster;
  }

  /** Splits on spaces and tabs only (spec-notes N1). */
  static List<byte[]> tokenize(byte[] line, int length) {
    List<byte[]> tokens = new ArrayList<>();
    int i = 0;
    while (i < length) {
      while (i < length && (line[i] == ' ' || line[i] == '\t')) {
        i++;
      }
      int start = i;
      while (i < length && line[i] != ' ' && line[i] != '\t') {
        i++;
      }
      if (i > start) {
        tokens.add(Arrays.copyOfRange(line, start, i));
      }
    }
    return tokens;
  }

  private void execute(List<byte[]> tokens) throws IOException, ScriptException {
    String command = new String(tokens.get(0), StandardCharsets.ISO_8859_1);
    List<byte[]> args = tokens.subList(1, tokens.size());
    switch (command) {
      case "cluster" -> {
        long n = number(args, 1, command)[0];
        if (Long.compareUnsigned(n, Cluster.MIN_SIZE) < 0 || Long.compareUnsigned(n, Cluster.MAX_SIZE) > 0) {
          throw error("cluster size " + Long.toUnsignedString(n) + " out of range "
              + Cluster.MIN_SIZE + ".." + Cluster.MAX_SIZE);
        }
        cluster = new Cluster((int) n);
      }
      case "seed" -> workload.setSeed(number(args, 1, command)[0]);
      case "keys" -> {
        long k = number(args, 1, command)[0];
        if (k == 0) {
          throw error("key space 0 out of range (must be >= 1)");
        }
        workload.setKeySpace(k);
      }
      case "ops" -> {
        long m = number(args, 1, command)[0];
        Cluster c = needCluster(command);
        long committed = 0;
        long rejected = 0;
        for (long i = 0; Long.compareUnsigned(i, m) < 0; i++) {
          if (c.propose(workload.nextOp()) instanceof ProposeResult.Committed) {
            committed++;
          } else {
            rejected++;
          }
        }
        print("ops committed=" + Long.toUnsignedString(committed) + " rejected=" + Long.toUnsignedString(rejected));
      }
      case "put" -> {
        arity(args, 2, command);
        Cluster c = needCluster(command);
        checkKey(args.get(0));
        if (args.get(1).length > Op.MAX_VALUE_LEN) {
          throw error("value length " + args.get(1).length + " exceeds the limit of " + Op.MAX_VALUE_LEN + " bytes");
        }
        printPropose(c.propose(new Op.Put(args.get(0), args.get(1))));
      }
      case "del" -> {
        arity(args, 1, command);
        Cluster c = needCluster(command);
        checkKey(args.get(0));
        printPropose(c.propose(new Op.Del(args.get(0))));
      }
      case "noop" -> {
        arity(args, 0, command);
        printPropose(needCluster(command).propose(Op.NoOp.INSTANCE));
      }
      case "get" -> {
        arity(args, 1, command);
        ReadResult r = needCluster(command).read(args.get(0));
        if (r instanceof ReadResult.Value v) {
          out.write("value ".getBytes(StandardCharsets.US_ASCII));
          out.write(Hex.encodeAscii(v.bytes()));
          out.write('\n');
        } else {
          print(r instanceof ReadResult.Missing ? "missing" : "rejected");
        }
      }
      case "partition" -> {
        long[] ids = new long[args.size()];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = parseNumber(args.get(i));
        }
        Cluster c = needCluster(command);
        int[] checked = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
          checked[i] = id(c, ids[i]);
        }
        c.partition(checked);
      }
      case "heal" -> {
        arity(args, 0, command);
        needCluster(command).heal();
      }
      case "leader" -> {
        arity(args, 0, command);
        Cluster c = needCluster(command);
        print("leader " + c.leader() + " view=" + Long.toUnsignedString(c.view()));
      }
      case "replica" -> {
        long raw = number(args, 1, command)[0];
        Cluster c = needCluster(command);
        int id = id(c, raw);
        Replica r = c.replica(id);
        print("replica " + id + " commit=" + Long.toUnsignedString(r.commitIndex()) + " keys=" + r.keyCount()
            + " partitioned=" + c.isPartitioned(id));
      }
      case "snapshot" -> {
        long raw = number(args, 1, command)[0];
        Cluster c = needCluster(command);
        int id = id(c, raw);
        out.write(("snapshot " + id + " ").getBytes(StandardCharsets.US_ASCII));
        out.write(Hex.encodeAscii(c.replica(id).dumpState()));
        out.write('\n');
      }
      case "digest" -> {
        arity(args, 0, command);
        print("digest " + Fnv1a64.toHex(needCluster(command).digest()));
      }
      default -> throw error("unknown command '" + command + "'");
    }
  }

  private void printPropose(ProposeResult r) throws IOException {
    if (r instanceof ProposeResult.Committed c) {
      print("committed " + Long.toUnsignedString(c.index()));
    } else {
      print("rejected");
    }
  }

  private void print(String line) throws IOException {
    out.write(line.getBytes(StandardCharsets.US_ASCII));
    out.write('\n');
  }

  private Cluster needCluster(String command) throws ScriptException {
    if (cluster == null) {
      throw error("'" + command + "' before the first 'cluster'");
    }
    return cluster;
  }

  private void checkKey(byte[] key) throws ScriptException {
    if (key.length > Op.MAX_KEY_LEN) {
      throw error("key length " + key.length + " exceeds the limit of " + Op.MAX_KEY_LEN + " bytes");
    }
  }

  private int id(Cluster c, long raw) throws ScriptException {
    if (Long.compareUnsigned(raw, c.size()) >= 0) {
      throw error("replica id " + Long.toUnsignedString(raw) + " out of range 0.." + (c.size() - 1));
    }
    return (int) raw;
  }

  private void arity(List<byte[]> args, int expected, String command) throws ScriptException {
    if (args.size() != expected) {
      throw error("'" + command + "' expects " + expected + (expected == 1 ? " argument" : " arguments")
          + ", got " + args.size());
    }
  }

  private long[] number(List<byte[]> args, int expected, String command) throws ScriptException {
    arity(args, expected, command);
    long[] values = new long[expected];
    for (int i = 0; i < expected; i++) {
      values[i] = parseNumber(args.get(i));
    }
    return values;
  }

  private long parseNumber(byte[] token) throws ScriptException {
    try {
      return Numbers.parseU64(token);
    } catch (NumberFormatException e) {
      throw error("invalid number '" + new String(token, StandardCharsets.ISO_8859_1)
          + "' (want decimal or 0x hex, at most 2^64-1)");
    }
  }

  private ScriptException error(String detail) {
    return new ScriptException(lineNo, detail);
  }
}
