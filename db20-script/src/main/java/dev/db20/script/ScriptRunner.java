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
 * The interpreter of SPEC §7's script language, the one interface every implementation runs. Output
 * goes line by line through a buffer to the given stream, flushed whenever the runner is about to
 * read more input (so a driver on a pipe gets each result before it sends the next line); input is
 * read a line at a time, so a script of millions of ops runs in constant memory beyond the cluster
 * itself.
 *
 * <p>The script drives a {@link KvCluster}: the model by default ({@link #MODEL}), or any other
 * implementation of the seam (a real cluster's client). {@code partition}, {@code heal} and {@code
 * leader} need the cluster's {@link Faults} capability; a cluster without it refuses them as a bad
 * line. A bad line throws {@link ScriptException}; everything printed for earlier lines has been
 * flushed by then. The choices SPEC leaves open are in {@code docs/spec-notes.md} (N1–N17).
 */
public final class ScriptRunner {
  /**
   * Every command of SPEC §7 in one table: its name, how many arguments it takes (-1: any number),
   * whether they are all numbers, and whether it needs a cluster. The checks of spec-notes N3 run
   * from this table in its order: unknown command, arity, numbers, cluster.
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

  /**
   * The model of SPEC §3: what {@code cluster N} makes unless a runner is given another factory.
   */
  public static final KvCluster.Factory MODEL = Cluster::new;

  /** Bytes held of a command word or a number: a longer one is unknown or invalid (N17). */
  static final int MAX_WORD_LEN = Escape.MAX_QUOTED_BYTES;

  private final OutputStream out;
  private final KvCluster.Factory factory;
  private final Workload workload = new Workload();
  private KvCluster cluster; // null until the first `cluster` line
  private long lineNo;
  private TokenReader reader;
  // The current line: its command word, and the arguments the command uses (N17's bounds).
  private final TokenReader.Kept word = new TokenReader.Kept();
  private long wordLength;
  private final TokenReader.Kept[] args = {new TokenReader.Kept(), new TokenReader.Kept()};
  private final long[] argLength = new long[2];
  private long argc;
  // `partition`'s ids, folded as they are read: the set, and the first id out of range.
  private final boolean[] partitionIds = new boolean[KvCluster.MAX_NODES];
  private long firstBadId;
  private boolean anyBadId;

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
    reader = new TokenReader(in, out::flush);
    try {
      while (reader.nextLine()) {
        lineNo++;
        wordLength = reader.token(word, MAX_WORD_LEN, TokenReader.NO_LIMIT);
        if (wordLength == TokenReader.END_OF_LINE) {
          continue;
        }
        if (word.bytes[0] == '#') {
          reader.skipLine();
          continue;
        }
        execute();
      }
    } finally {
      reader = null;
      out.flush();
    }
  }

  /** The cluster the script's last {@code cluster} line made, or null before the first. */
  public KvCluster cluster() {
    return cluster;
  }

  /**
   * Reads the rest of the line as {@code command}'s arguments, each within its bound (N17): the key
   * of {@code put} and {@code del} is refused past 65,535 bytes and the value of {@code put} past 1
   * MiB as soon as the bound is passed; the key of {@code get} is kept to 65,536 bytes (a longer
   * key is missing whatever follows); a number is kept to 64 bytes; arguments past the arity are
   * only counted; {@code partition}'s ids are folded into a set as they come.
   */
  private void readArgs(Command command) throws IOException, ScriptException {
    argc = 0;
    anyBadId = false;
    java.util.Arrays.fill(partitionIds, false);
    while (true) {
      TokenReader.Kept into = null;
      int keep = 0;
      long limit = TokenReader.NO_LIMIT;
      int slot = argc < command.arity ? (int) argc : -1;
      if (command == Command.PARTITION) {
        into = args[0];
        keep = MAX_WORD_LEN;
      } else if (slot >= 0) {
        into = args[slot];
        if (command == Command.PUT || command == Command.DEL) {
          limit = slot == 0 ? Op.MAX_KEY_LEN : Op.MAX_VALUE_LEN;
          keep = (int) limit;
        } else if (command == Command.GET) {
          keep = Op.MAX_KEY_LEN + 1;
        } else {
          keep = MAX_WORD_LEN;
        }
      }
      long length = reader.token(into, keep, limit);
      if (length == TokenReader.END_OF_LINE) {
        return;
      }
      if (length == TokenReader.OVER_LIMIT) {
        throw error(
            slot == 0
                ? "key length exceeds the limit of " + Op.MAX_KEY_LEN + " bytes"
                : "value length exceeds the limit of " + Op.MAX_VALUE_LEN + " bytes");
      }
      argc++;
      if (command == Command.PARTITION) {
        // Arity never fails for partition: the first bad number is the line's error.
        long id = parseNumber(args[0], length);
        if (cluster != null && Long.compareUnsigned(id, cluster.size()) >= 0) {
          if (!anyBadId) {
            anyBadId = true;
            firstBadId = id;
          }
        } else if (cluster != null) {
          partitionIds[(int) id] = true;
        }
      } else if (slot >= 0) {
        argLength[slot] = length;
      }
    }
  }

  private void execute() throws IOException, ScriptException {
    Command command =
        wordLength > MAX_WORD_LEN
            ? null
            : Command.BY_NAME.get(Bytes.copyOf(word.bytes, 0, word.length));
    if (command == null) {
      throw error("unknown command '" + Escape.token(word.bytes, 0, word.length, wordLength) + "'");
    }
    readArgs(command);
    if (command.arity >= 0 && argc != command.arity) {
      throw error(
          "'"
              + command.text
              + "' expects "
              + command.arity
              + (command.arity == 1 ? " argument" : " arguments")
              + ", got "
              + argc);
    }
    long[] n = new long[command.numericArgs && command != Command.PARTITION ? command.arity : 0];
    for (int i = 0; i < n.length; i++) {
      n[i] = parseNumber(args[i], argLength[i]);
    }
    KvCluster c = cluster;
    if (command.needsCluster && c == null) {
      throw error("'" + command.text + "' before the first 'cluster'");
    }
    switch (command) {
      case CLUSTER -> {
        if (Long.compareUnsigned(n[0], KvCluster.MIN_NODES) < 0
            || Long.compareUnsigned(n[0], KvCluster.MAX_NODES) > 0) {
          throw error(
              "cluster size "
                  + Long.toUnsignedString(n[0])
                  + " out of range "
                  + KvCluster.MIN_NODES
                  + ".."
                  + KvCluster.MAX_NODES);
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
      // The bounds of put's and del's key and value were checked as they were read (N17).
      case PUT -> printPropose(c.put(token(0), token(1)));
      case DEL -> printPropose(c.del(token(0)));
      case NOOP -> printPropose(c.noop());
      case GET -> {
        // A read checks no op limit (N10): an overlong key is simply missing. Its first 65,536
        // bytes stand for it (N17): no key that long is ever stored.
        ReadResult r = c.read(token(0));
        if (r instanceof ReadResult.Value v) {
          write("value ");
          out.write(Hex.encodeAscii(v.bytes().toByteArray()));
          out.write('\n');
        } else {
          print(r instanceof ReadResult.Missing ? "missing" : "rejected");
        }
      }
      case PARTITION -> {
        if (anyBadId) {
          id(c, firstBadId);
        }
        int count = 0;
        for (boolean b : partitionIds) {
          count += b ? 1 : 0;
        }
        int[] ids = new int[count];
        for (int i = 0, j = 0; i < partitionIds.length; i++) {
          if (partitionIds[i]) {
            ids[j++] = i;
          }
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
        print(
            "replica "
                + id
                + " commit="
                + Long.toUnsignedString(s.commitIndex())
                + " keys="
                + s.keyCount()
                + " partitioned="
                + s.partitioned());
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
    print(
        "ops committed="
            + Long.toUnsignedString(committed)
            + " rejected="
            + Long.toUnsignedString(m - committed));
  }

  /** The cluster's fault commands, or a bad line if it has none. */
  private Faults faults(KvCluster c, Command command) throws ScriptException {
    Faults f = c.faults().orElse(null);
    if (f == null) {
      throw error("'" + command.text + "' needs fault injection, which this cluster does not have");
    }
    return f;
  }

  private Bytes token(int slot) {
    return Bytes.copyOf(args[slot].bytes, 0, args[slot].length);
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
      throw error(
          "replica id " + Long.toUnsignedString(raw) + " out of range 0.." + (c.size() - 1));
    }
    return (int) raw;
  }

  /** A number token of full length {@code length}: over 64 bytes it is invalid (N17). */
  private long parseNumber(TokenReader.Kept t, long length) throws ScriptException {
    try {
      if (length > MAX_WORD_LEN) {
        throw new NumberFormatException("longer than " + MAX_WORD_LEN + " bytes");
      }
      return Numbers.parseU64(t.bytes, 0, t.length);
    } catch (NumberFormatException e) {
      throw error(
          "invalid number '"
              + Escape.token(t.bytes, 0, t.length, length)
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
