package dev.db20.conformance;

import dev.db20.conformance.RandomSchedule.Step;
import dev.db20.script.ScriptException;
import dev.db20.script.ScriptRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random SPEC §7 scripts for comparing implementations byte for byte ({@code scripts/cross_test.sh
 * --random N}), and a batch runner for the Java side so that one JVM runs them all.
 *
 * <pre>
 * RandomScripts --seed S --count N --out DIR [--clean]   writes DIR/r00000.txt ...
 * RandomScripts --run DIR                                writes NAME.java.{out,err,rc} per NAME.txt
 * </pre>
 *
 * <p>The scripts are {@link RandomSchedule}s rendered with varied spacing (spaces, tabs, leading
 * blanks), {@code \r\n} endings, comments and blank lines, decimal and hex numbers, and about one
 * script in three holds a bad line somewhere. Without {@code --clean} the bad lines and some keys
 * carry hostile bytes (NUL, ESC sequences, other control bytes, non-ASCII, tokens of hundreds or
 * 100,000 bytes, a {@code \r} inside a token) and the last line may lack its {@code \n} or end in a
 * lone {@code \r}; {@code --clean} keeps every byte printable ASCII, for comparing implementations
 * that predate the escaping rules (docs/spec-notes.md N12, N13).
 *
 * <p>Each script's first line is a comment naming the run's seed and the script's index; the script
 * is a pure function of the two.
 */
public final class RandomScripts {
  private RandomScripts() {}

  /** Entry point; see the class comment. Exits 2 on bad usage. */
  public static void main(String[] args) throws IOException {
    Long seed = null;
    int count = -1;
    Path out = null;
    Path run = null;
    boolean clean = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seed" -> seed = Long.parseUnsignedLong(arg(args, ++i));
        case "--count" -> count = Integer.parseInt(arg(args, ++i));
        case "--out" -> out = Path.of(arg(args, ++i));
        case "--run" -> run = Path.of(arg(args, ++i));
        case "--clean" -> clean = true;
        default -> usage("unknown argument " + args[i]);
      }
    }
    if (run != null) {
      System.out.println("ran " + runDirectory(run) + " scripts");
      return;
    }
    if (seed == null || count < 0 || out == null) {
      usage("--seed, --count and --out are required");
    }
    Files.createDirectories(out);
    for (int i = 0; i < count; i++) {
      Files.write(out.resolve(String.format("r%05d.txt", i)), script(seed, i, clean));
    }
  }

  private static String arg(String[] args, int i) {
    if (i >= args.length) {
      usage(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  private static void usage(String why) {
    System.err.println("RandomScripts: " + why);
    System.err.println("usage: RandomScripts --seed S --count N --out DIR [--clean] | --run DIR");
    System.exit(2);
  }

  /**
   * Runs every {@code NAME.txt} in {@code dir} as {@code db20 run} would and writes {@code
   * NAME.java.out} (standard output), {@code NAME.java.err} (the first standard error line) and
   * {@code NAME.java.rc} (the exit status). Returns how many scripts ran.
   */
  public static int runDirectory(Path dir) throws IOException {
    List<Path> scripts = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.txt")) {
      ds.forEach(scripts::add);
    }
    scripts.sort(null);
    for (Path script : scripts) {
      String name = script.getFileName().toString().replaceFirst("\\.txt$", "");
      ByteArrayOutputStream stdout = new ByteArrayOutputStream();
      String err = "";
      int rc = 0;
      try (InputStream in = Files.newInputStream(script)) {
        new ScriptRunner(stdout).run(in);
      } catch (ScriptException e) {
        err = e.getMessage() + "\n";
        rc = 2;
      }
      Files.write(dir.resolve(name + ".java.out"), stdout.toByteArray());
      Files.write(dir.resolve(name + ".java.err"), err.getBytes(StandardCharsets.UTF_8));
      Files.writeString(dir.resolve(name + ".java.rc"), rc + "\n");
    }
    return scripts.size();
  }

  /** Script {@code index} of the run with {@code seed}. */
  public static byte[] script(long seed, int index, boolean clean) {
    // One mixed draw per index: SplittableRandom(s) and SplittableRandom(s + k * gamma) walk the
    // same stream shifted by k, so seeds in arithmetic steps would repeat scripts.
    SplittableRandom rnd =
        new SplittableRandom(
            new SplittableRandom(new SplittableRandom(seed).nextLong() + index).nextLong());
    Renderer r = new Renderer(rnd, clean);
    r.raw(
        "# random script seed="
            + Long.toUnsignedString(seed)
            + " index="
            + index
            + (clean ? " clean" : ""));
    r.end();
    List<Step> steps = RandomSchedule.generate(rnd, 50, false);
    int badAt = rnd.nextInt(3) == 0 ? rnd.nextInt(steps.size() + 1) : -1;
    for (int i = 0; i <= steps.size(); i++) {
      if (i == badAt) {
        r.badLine(i == 0);
      }
      if (i == steps.size()) {
        break;
      }
      r.filler();
      r.step(steps.get(i));
    }
    r.finish();
    return r.out.toByteArray();
  }

  /** Writes one script's bytes. */
  private static final class Renderer {
    final SplittableRandom rnd;
    final boolean clean;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    int clusterSize = 1;

    Renderer(SplittableRandom rnd, boolean clean) {
      this.rnd = rnd;
      this.clean = clean;
    }

    void raw(String ascii) {
      out.writeBytes(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    void bytes(byte[] b) {
      out.writeBytes(b);
    }

    void end() {
      raw(rnd.nextInt(8) == 0 ? "\r\n" : "\n");
    }

    void sep() {
      String[] seps = {" ", " ", " ", "\t", "  ", " \t "};
      raw(seps[rnd.nextInt(seps.length)]);
    }

    /** Sometimes a blank line, a whitespace-only line or a comment before the next step. */
    void filler() {
      int roll = rnd.nextInt(30);
      if (roll == 0) {
        end();
      } else if (roll == 1) {
        raw(" \t ");
        end();
      } else if (roll == 2) {
        raw(rnd.nextBoolean() ? "# a comment: put x y" : "\t#no space after the hash");
        end();
      }
    }

    String number(long v) {
      int roll = rnd.nextInt(6);
      if (roll == 0) {
        return "0x" + Long.toHexString(v);
      }
      if (roll == 1 && !clean) {
        return "0x" + Long.toHexString(v).toUpperCase(java.util.Locale.ROOT);
      }
      return Long.toUnsignedString(v);
    }

    void line(String... tokens) {
      if (rnd.nextInt(15) == 0) {
        sep(); // leading blanks
      }
      for (int i = 0; i < tokens.length; i++) {
        if (i > 0) {
          sep();
        }
        raw(tokens[i]);
      }
      if (rnd.nextInt(15) == 0) {
        sep(); // trailing blanks
      }
      end();
    }

    void step(Step s) {
      if (s instanceof RandomSchedule.NewCluster c) {
        clusterSize = c.size();
        line("cluster", number(c.size()));
      } else if (s instanceof RandomSchedule.Seed x) {
        line("seed", number(x.seed()));
      } else if (s instanceof RandomSchedule.Keys k) {
        line("keys", number(k.keySpace()));
      } else if (s instanceof RandomSchedule.Ops o) {
        line("ops", number(o.count() * (rnd.nextInt(4) == 0 ? 8L : 1L)));
      } else if (s instanceof RandomSchedule.Put p) {
        if (!clean && rnd.nextInt(6) == 0) {
          hostilePut();
        } else {
          line("put", p.key(), p.value());
        }
      } else if (s instanceof RandomSchedule.Partition p) {
        String[] t = new String[p.ids().length + 1];
        t[0] = "partition";
        for (int i = 0; i < p.ids().length; i++) {
          t[i + 1] = number(p.ids()[i]);
        }
        line(t);
      } else if (s instanceof RandomSchedule.ReplicaLine x) {
        line("replica", number(x.id()));
      } else if (s instanceof RandomSchedule.SnapshotLine x) {
        line("snapshot", number(x.id()));
      } else {
        line(s.line().split(" "));
      }
    }

    /**
     * A valid put whose key and value hold bytes outside printable ASCII (SPEC §7: bytes as they
     * stand).
     */
    void hostilePut() {
      raw("put");
      sep();
      bytes(hostileToken(1 + rnd.nextInt(12), false));
      sep();
      bytes(hostileToken(1 + rnd.nextInt(12), false));
      end();
      if (rnd.nextBoolean()) {
        raw("snapshot 0");
        end();
      }
    }

    /**
     * {@code length} random bytes that stay one token: never a space, tab or {@code \n}; a {@code
     * \r} only inside when {@code allowCr}, and never first (a {@code #} first would make a
     * comment).
     */
    byte[] hostileToken(int length, boolean allowCr) {
      byte[] b = new byte[length];
      for (int i = 0; i < length; i++) {
        int c;
        do {
          int roll = rnd.nextInt(4);
          c =
              roll == 0
                  ? rnd.nextInt(0x20)
                  : roll == 1 ? 0x80 + rnd.nextInt(0x80) : rnd.nextInt(256);
        } while (c == ' '
            || c == '\t'
            || c == '\n'
            || (c == '\r' && (!allowCr || i == length - 1))
            || (i == 0 && c == '#'));
        b[i] = (byte) c;
      }
      return b;
    }

    /** One bad line: the run stops here in every implementation. */
    void badLine(boolean first) {
      int kinds = clean ? 8 : 13;
      switch (rnd.nextInt(kinds)) {
        case 0 -> line("frob" + (char) ('a' + rnd.nextInt(26)), "1");
        case 1 -> {
          String[][] arity = {
            {"put", "a"},
            {"del"},
            {"get", "a", "b"},
            {"heal", "now"},
            {"cluster"},
            {"ops", "1", "2"},
            {"noop", "x"},
            {"digest", "0"},
            {"replica"},
            {"leader", "1"}
          };
          line(arity[rnd.nextInt(arity.length)]);
        }
        case 2 -> {
          String[] bad = {
            "x",
            "18446744073709551616",
            "-1",
            "0x",
            "1e3",
            "0x10000000000000000",
            "+5",
            "99999999999999999999999"
          };
          String[] cmd = {"cluster", "seed", "keys", "ops", "replica", "snapshot", "partition"};
          line(cmd[rnd.nextInt(cmd.length)], bad[rnd.nextInt(bad.length)]);
        }
        case 3 -> {
          String[][] range = {
            {"cluster", "0"},
            {"cluster", "256"},
            {"keys", "0"},
            {"replica", Integer.toString(clusterSize + rnd.nextInt(3))},
            {"snapshot", Integer.toString(clusterSize)},
            {"partition", "0", Integer.toString(clusterSize)}
          };
          line(range[rnd.nextInt(range.length)]);
        }
        case 4 -> {
          // A key one byte over the limit (or more): refused before it reaches any replica.
          raw("put ");
          raw("k".repeat(65_536 + rnd.nextInt(100)));
          raw(" v");
          end();
        }
        case 5 -> line("GET", "a"); // commands are case-sensitive
        case 6 -> {
          if (first) {
            line("get", "a"); // before the first cluster
          } else {
            line("partition", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
          }
        }
        case 7 -> line("clusterx", "3");
        case 8 -> {
          bytes(hostileToken(1 + rnd.nextInt(40), true));
          end();
        }
        case 9 -> {
          // A long token: the error line quotes 64 bytes and the length.
          int len = rnd.nextInt(20) == 0 ? 100_000 : 65 + rnd.nextInt(200);
          bytes(hostileToken(len, true));
          end();
        }
        case 10 -> {
          raw("seed");
          sep();
          bytes(hostileToken(1 + rnd.nextInt(30), true));
          end();
        }
        case 11 -> {
          // Non-ASCII text and a terminal escape sequence.
          String[] words = {
            "ключ", "\u001b]0;pwned\u0007", "\u001b[2J", "caf\u00e9", "\u00ff\u00fe"
          };
          bytes(words[rnd.nextInt(words.length)].getBytes(StandardCharsets.UTF_8));
          raw(" 1");
          end();
        }
        default -> {
          raw("cluster\t");
          bytes(new byte[] {0, 0x1b, '[', '3', '1', 'm'});
          end();
        }
      }
    }

    /**
     * Without {@code --clean}, the last line may lose its {@code \n} or end in a lone {@code \r}.
     */
    void finish() {
      if (clean || rnd.nextInt(10) != 0) {
        return;
      }
      raw(rnd.nextBoolean() ? "digest" : "digest\r");
    }
  }
}
