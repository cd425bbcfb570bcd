package dev.db20.cli;

import static dev.db20.wire.SnapshotFormat.*;

import dev.db20.script.ExitCode;
import dev.db20.wire.Bytes;
import dev.db20.wire.SnapshotFormatException;
import dev.db20.wire.SnapshotReader;
import dev.db20.wire.SnapshotSummary;
import dev.db20.wire.SnapshotVisitor;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code db20 inspect FILE}: checks a snapshot with the streaming strict reader and shows every
 * field with its offset and size, the entries, and the CRC stored and computed.
 *
 * <p>Memory does not grow with the file: the first pass checks the whole file in one 64 KiB buffer,
 * keeping only the entries to show (the first {@value #DEFAULT_SHOWN}); with {@code --all} a second
 * pass streams every entry out as it is read. Output starts only once the file has been accepted,
 * so a refused file prints the refusal alone, never half a table or half a JSON document. Offsets
 * and sizes come from the reader ({@link SnapshotSummary}, the visitor's entry offsets), not
 * derived again here.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    header = "Checks a snapshot file and shows its fields, entries and CRC.",
    description = {
      "Checks a snapshot file (SPEC §4) with the strict reader, in memory that does not grow with",
      "the file, and prints each header field with its offset, size and value, the entries, and",
      "the CRC stored and computed. A refused file exits 1 with the offset and the rule it breaks.",
      "",
      "--json prints one JSON document: numbers are JSON numbers, except a u64 (commit_index)",
      "above 2^53 - 1, which is a decimal string because many JSON readers keep numbers as",
      "doubles. Keys and values are lowercase hex (an empty value is \"\"); the CRC is",
      "{\"stored\": \"xxxxxxxx\", \"computed\": \"xxxxxxxx\", \"ok\": true}. A refused file prints",
      "{\"error\": {\"offset\": N, \"rule\": \"RULE\", \"message\": \"...\"}} on stdout instead."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the snapshot is canonical",
      "1:the snapshot is refused (offset and rule printed)",
      "2:bad usage, or the file cannot be read (path and reason printed)"
    })
final class InspectCommand implements Callable<Integer> {
  /** Entries shown without {@code --all}. */
  static final int DEFAULT_SHOWN = 10;

  /** The largest integer every JSON reader holds exactly: 2^53 - 1. */
  static final long JSON_MAX_SAFE_INTEGER = (1L << 53) - 1;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "the snapshot file")
  Path file;

  @Option(names = "--all", description = "show every entry, not only the first " + DEFAULT_SHOWN)
  boolean all;

  @Option(names = "--json", description = "print one JSON document instead of a table (see above)")
  boolean json;

  /** One entry as shown, with its offset in the file. */
  record Shown(long index, long offset, byte[] key, byte[] value) {}

  /** Keeps the first {@code limit} entries of a pass; the reader has checked them all. */
  private static final class FirstEntries implements SnapshotVisitor {
    final List<Shown> shown = new ArrayList<>();
    final int limit;

    FirstEntries(int limit) {
      this.limit = limit;
    }

    @Override
    public void entry(long index, long offset, Bytes key, Bytes value) {
      if (shown.size() < limit) {
        shown.add(new Shown(index, offset, key.toByteArray(), value.toByteArray()));
      }
    }
  }

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    PrintWriter out = new PrintWriter(new BufferedWriter(stdout, 1 << 16));
    try {
      FirstEntries first = new FirstEntries(all ? 0 : DEFAULT_SHOWN);
      SnapshotSummary summary;
      // N18: a regular file only, refused from its attributes before it is opened.
      try (FileChannel ch = Io.openRegular(file)) {
        summary = SnapshotReader.read(ch, first);
      }
      Printer p = json ? new JsonPrinter(out) : new TablePrinter(out);
      boolean everyEntry = all || summary.entryCount() <= DEFAULT_SHOWN;
      p.begin(file, summary, everyEntry ? summary.entryCount() : DEFAULT_SHOWN);
      if (all) {
        try (FileChannel ch = Io.openRegular(file)) {
          SnapshotReader.read(
              ch,
              (index, offset, key, value) ->
                  p.entry(new Shown(index, offset, key.toByteArray(), value.toByteArray())));
        }
      } else {
        first.shown.forEach(p::entry);
      }
      p.end();
    } catch (SnapshotFormatException e) {
      if (json) {
        out.println(
            Json.object()
                .field(
                    "error",
                    Json.object()
                        .field("offset", e.offset())
                        .field("rule", e.rule().name())
                        .field("message", e.getMessage())));
      } else {
        stderr.println("db20 inspect: " + file + ": corrupt snapshot: " + e.getMessage());
      }
      return finish(out, stdout, stderr, ExitCode.FAILED);
    } catch (IOException e) {
      stderr.println("db20 inspect: " + file + ": " + reason(e));
      return finish(out, stdout, stderr, ExitCode.BAD_INPUT);
    }
    return finish(out, stdout, stderr, 0);
  }

  /** Flushes stdout; a stdout that cannot be written (closed, full) is exit 2 with one line. */
  private static int finish(PrintWriter out, PrintWriter stdout, PrintWriter stderr, int exit) {
    out.flush();
    if (stdout.checkError()) {
      stderr.println(Io.STDOUT_FAILED);
      return ExitCode.BAD_INPUT;
    }
    return exit;
  }

  /** Why a file could not be read: N18's words (never a stack trace). */
  static String reason(IOException e) {
    return Io.readReason(e);
  }

  /** Prints what was read: the header and layout first, then the entries as they come. */
  interface Printer {
    void begin(Path file, SnapshotSummary s, long shown);

    void entry(Shown e);

    void end();
  }

  /** The human table. */
  static final class TablePrinter implements Printer {
    private final PrintWriter o;
    private boolean headed;

    TablePrinter(PrintWriter o) {
      this.o = o;
    }

    @Override
    public void begin(Path file, SnapshotSummary s, long shown) {
      String crc = "0x" + u32Hex(s.crc32c());
      o.println("snapshot format version " + VERSION + ", " + s.size() + " bytes");
      o.printf("%-13s %8s %8s  %s%n", "field", "offset", "size", "value");
      row("magic", OFFSET_MAGIC, SIZE_MAGIC, "DB20");
      row("version", OFFSET_VERSION, SIZE_VERSION, Integer.toString(VERSION));
      row("flags", OFFSET_FLAGS, SIZE_FLAGS, Integer.toString(FLAGS));
      row(
          "commit_index",
          OFFSET_COMMIT_INDEX,
          SIZE_COMMIT_INDEX,
          Long.toUnsignedString(s.commitIndex()));
      row("entry_count", OFFSET_ENTRY_COUNT, SIZE_ENTRY_COUNT, Long.toString(s.entryCount()));
      row("entries", HEADER_SIZE, s.payloadSize(), s.entryCount() + " entries");
      row("crc32c", s.crcOffset(), SIZE_CRC, crc + " (computed " + crc + ", ok)");
      o.println();
      o.println(
          shown == s.entryCount()
              ? "entries (" + s.entryCount() + "):"
              : "entries (first " + shown + " of " + s.entryCount() + "; --all shows every one):");
      headed = s.entryCount() == 0;
    }

    private void row(String name, long offset, long size, String value) {
      o.printf("%-13s %8d %8d  %s%n", name, offset, size, value);
    }

    @Override
    public void entry(Shown e) {
      if (!headed) {
        o.printf(
            "%6s %8s %7s %-24s %9s %s%n", "#", "offset", "key_len", "key", "value_len", "value");
        headed = true;
      }
      o.printf(
          "%6d %8d %7d %-24s %9d %s%n",
          e.index(), e.offset(), e.key().length, show(e.key()), e.value().length, show(e.value()));
    }

    @Override
    public void end() {}

    /** Printable ASCII as a quoted string, anything else as hex, no bytes as {@code ""}. */
    static String show(byte[] b) {
      for (byte x : b) {
        if (x < 0x20 || x > 0x7e || x == '"' || x == '\\') {
          return "0x" + HexFormat.of().formatHex(b);
        }
      }
      return "\"" + new String(b, java.nio.charset.StandardCharsets.US_ASCII) + "\"";
    }
  }

  /** One JSON document; the entries array is written last, one entry at a time. */
  static final class JsonPrinter implements Printer {
    private final PrintWriter o;
    private boolean firstEntry = true;

    JsonPrinter(PrintWriter o) {
      this.o = o;
    }

    @Override
    public void begin(Path file, SnapshotSummary s, long shown) {
      String crc = u32Hex(s.crc32c());
      // One member a line, the layout one field a line, as a person reads it; still one document.
      o.println("{");
      member(Json.object().field("size", s.size()));
      member(Json.object().field("magic", "DB20"));
      member(Json.object().field("version", VERSION));
      member(Json.object().field("flags", FLAGS));
      member(Json.object().u64("commit_index", s.commitIndex()));
      member(Json.object().field("entry_count", s.entryCount()));
      o.println("  \"layout\": [");
      o.println("    " + field("magic", OFFSET_MAGIC, SIZE_MAGIC) + ",");
      o.println("    " + field("version", OFFSET_VERSION, SIZE_VERSION) + ",");
      o.println("    " + field("flags", OFFSET_FLAGS, SIZE_FLAGS) + ",");
      o.println("    " + field("commit_index", OFFSET_COMMIT_INDEX, SIZE_COMMIT_INDEX) + ",");
      o.println("    " + field("entry_count", OFFSET_ENTRY_COUNT, SIZE_ENTRY_COUNT) + ",");
      o.println("    " + field("entries", HEADER_SIZE, s.payloadSize()) + ",");
      o.println("    " + field("crc32c", s.crcOffset(), SIZE_CRC));
      o.println("  ],");
      member(
          Json.object()
              .field(
                  "crc",
                  Json.object().field("stored", crc).field("computed", crc).field("ok", true)));
      member(Json.object().field("entries_shown", shown));
      o.print("  \"entries\": [");
    }

    /** Prints the one member of {@code single} as a line of the document, with its comma. */
    private void member(Json single) {
      String text = single.toString();
      o.println("  " + text.substring(1, text.length() - 1) + ",");
    }

    private static Json field(String name, long offset, long size) {
      return Json.object().field("name", name).field("offset", offset).field("size", size);
    }

    @Override
    public void entry(Shown e) {
      o.print(firstEntry ? "\n    " : ",\n    ");
      firstEntry = false;
      o.print(
          Json.object()
              .field("index", e.index())
              .field("offset", e.offset())
              .field("key", HexFormat.of().formatHex(e.key()))
              .field("value", HexFormat.of().formatHex(e.value())));
    }

    @Override
    public void end() {
      o.println(firstEntry ? "]" : "\n  ]");
      o.println("}");
    }
  }

  /** A u32 as 8 lowercase hex digits. */
  static String u32Hex(long v) {
    return HexFormat.of().toHexDigits((int) v);
  }

  /**
   * A JSON value being built: an object or an array, written on {@link #toString()}. Hand-made
   * because inspect needs only objects, arrays, strings, numbers and booleans, and the escaping of
   * RFC 8259 §7; a library would be a dependency for forty lines.
   */
  static final class Json {
    private final StringBuilder b = new StringBuilder();
    private final char close;
    private boolean empty = true;

    private Json(char open, char close) {
      b.append(open);
      this.close = close;
    }

    static Json object() {
      return new Json('{', '}');
    }

    static Json array() {
      return new Json('[', ']');
    }

    private Json key(String name) {
      b.append(empty ? "" : ", ");
      empty = false;
      string(b, name);
      b.append(": ");
      return this;
    }

    Json field(String name, String value) {
      string(key(name).b, value);
      return this;
    }

    Json field(String name, long value) {
      key(name).b.append(value);
      return this;
    }

    Json field(String name, boolean value) {
      key(name).b.append(value);
      return this;
    }

    Json field(String name, Json value) {
      key(name).b.append(value);
      return this;
    }

    /** A u64 (two's complement in a long): a number up to 2^53 - 1, a decimal string above. */
    Json u64(String name, long value) {
      if (value >= 0 && value <= JSON_MAX_SAFE_INTEGER) {
        return field(name, value);
      }
      return field(name, Long.toUnsignedString(value));
    }

    Json add(Json value) {
      b.append(empty ? "" : ", ").append(value);
      empty = false;
      return this;
    }

    @Override
    public String toString() {
      return b.toString() + close;
    }

    /** {@code s} as a JSON string: quotes, backslashes and control characters escaped. */
    static void string(StringBuilder b, String s) {
      b.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"' -> b.append("\\\"");
          case '\\' -> b.append("\\\\");
          case '\n' -> b.append("\\n");
          case '\r' -> b.append("\\r");
          case '\t' -> b.append("\\t");
          default -> {
            if (c < 0x20) {
              b.append(String.format("\\u%04x", (int) c));
            } else {
              b.append(c);
            }
          }
        }
      }
      b.append('"');
    }
  }
}
