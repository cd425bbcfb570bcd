package dev.db20.cli;

import static dev.db20.wire.SnapshotFormat.*;

import dev.db20.wire.Crc32c;
import dev.db20.wire.Hex;
import dev.db20.wire.LittleEndian;
import dev.db20.wire.SnapshotFormatException;
import dev.db20.wire.SnapshotReader;
import dev.db20.wire.SnapshotState;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code db20 inspect FILE}: decodes a snapshot with the strict reader and shows every field. */
@Command(
    name = "inspect",
    description = {
      "Decodes a snapshot file (SPEC §4) with the strict reader and prints each header field",
      "with its offset, size and value, the entries, and the CRC stored and computed.",
      "A corrupt file exits 1 with the offset and the rule it breaks."
    })
final class InspectCommand implements Callable<Integer> {
  /** Entries shown without {@code --all}. */
  static final int DEFAULT_SHOWN = 10;

  @Parameters(paramLabel = "FILE", description = "the snapshot file")
  Path file;

  @Option(names = "--all", description = "show every entry, not only the first " + DEFAULT_SHOWN)
  boolean all;

  @Option(names = "--json", description = "print JSON instead of a table")
  boolean json;

  /** One field of the layout, as the table and the JSON show it. */
  record Field(String name, long offset, long size, String value) {}

  /** One entry, with where it sits in the file. */
  record EntryView(long index, long offset, byte[] key, byte[] value) {}

  @Override
  public Integer call() throws IOException {
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > MAX_SNAPSHOT_BYTES) {
        System.err.println("db20 inspect: " + file + ": " + size + " bytes is more than this reader holds (" + MAX_SNAPSHOT_BYTES + ")");
        return Db20.EXIT_CHECK_FAILED;
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      System.err.println("db20 inspect: " + file + ": no such file");
      return Db20.EXIT_BAD_INPUT;
    } catch (IOException e) {
      System.err.println("db20 inspect: " + file + ": " + e.getMessage());
      return Db20.EXIT_BAD_INPUT;
    }
    SnapshotState state;
    try {
      state = SnapshotReader.loadState(bytes);
    } catch (SnapshotFormatException e) {
      System.err.println("db20 inspect: " + file + ": corrupt snapshot: " + e.getMessage());
      return Db20.EXIT_CHECK_FAILED;
    }
    List<Field> fields = fields(bytes, state);
    List<EntryView> entries = entries(state, all ? Integer.MAX_VALUE : DEFAULT_SHOWN);
    if (json) {
      printJson(System.out, bytes.length, fields, entries, state.entries().size());
    } else {
      printTable(System.out, bytes.length, fields, entries, state.entries().size());
    }
    return 0;
  }

  List<Field> fields(byte[] bytes, SnapshotState state) {
    int crcAt = bytes.length - SIZE_CRC;
    long stored = LittleEndian.getU32Le(bytes, crcAt);
    long computed = Crc32c.of(bytes, 0, crcAt);
    List<Field> f = new ArrayList<>();
    f.add(new Field("magic", OFFSET_MAGIC, SIZE_MAGIC, "DB20"));
    f.add(new Field("version", OFFSET_VERSION, SIZE_VERSION, Integer.toString(LittleEndian.getU16Le(bytes, OFFSET_VERSION))));
    f.add(new Field("flags", OFFSET_FLAGS, SIZE_FLAGS, Integer.toString(LittleEndian.getU16Le(bytes, OFFSET_FLAGS))));
    f.add(new Field("commit_index", OFFSET_COMMIT_INDEX, SIZE_COMMIT_INDEX, Long.toUnsignedString(state.commitIndex())));
    f.add(new Field("entry_count", OFFSET_ENTRY_COUNT, SIZE_ENTRY_COUNT, Integer.toString(state.entries().size())));
    f.add(new Field("entries", HEADER_SIZE, crcAt - HEADER_SIZE, state.entries().size() + " entries"));
    f.add(new Field("crc32c", crcAt, SIZE_CRC, "0x" + Hex.u32(stored) + " (computed 0x" + Hex.u32(computed) + ", ok)"));
    return f;
  }

  static List<EntryView> entries(SnapshotState state, int limit) {
    List<EntryView> out = new ArrayList<>();
    long at = HEADER_SIZE;
    long i = 0;
    for (SnapshotState.Entry e : state.entries()) {
      if (i >= limit) {
        break;
      }
      byte[] k = e.key().toByteArray();
      byte[] v = e.value().toByteArray();
      out.add(new EntryView(i, at, k, v));
      at += 2L * SIZE_LENGTH_PREFIX + k.length + v.length;
      i++;
    }
    return out;
  }

  private static void printTable(PrintStream o, int size, List<Field> fields, List<EntryView> entries, int total) {
    o.println("snapshot format version 1, " + size + " bytes");
    o.printf("%-13s %8s %8s  %s%n", "field", "offset", "size", "value");
    for (Field f : fields) {
      o.printf("%-13s %8d %8d  %s%n", f.name(), f.offset(), f.size(), f.value());
    }
    o.println();
    o.println(entries.size() == total
        ? "entries (" + total + "):"
        : "entries (first " + entries.size() + " of " + total + "; --all shows every one):");
    if (total > 0) {
      o.printf("%6s %8s %7s %-24s %9s %s%n", "#", "offset", "key_len", "key", "value_len", "value");
    }
    for (EntryView e : entries) {
      o.printf("%6d %8d %7d %-24s %9d %s%n", e.index(), e.offset(), e.key().length, show(e.key()), e.value().length, show(e.value()));
    }
  }

  /** Printable ASCII as a quoted string, anything else as hex. */
  static String show(byte[] b) {
    for (byte x : b) {
      if (x < 0x20 || x > 0x7e || x == '"' || x == '\\') {
        return "0x" + Hex.encode(b);
      }
    }
    return "\"" + new String(b, StandardCharsets.US_ASCII) + "\"";
  }

  private static void printJson(PrintStream o, int size, List<Field> fields, List<EntryView> entries, int total) {
    StringBuilder j = new StringBuilder();
    j.append("{\n  \"size\": ").append(size).append(",\n  \"fields\": [\n");
    for (int i = 0; i < fields.size(); i++) {
      Field f = fields.get(i);
      j.append("    {\"name\": \"").append(f.name()).append("\", \"offset\": ").append(f.offset())
          .append(", \"size\": ").append(f.size()).append(", \"value\": \"").append(f.value()).append("\"}")
          .append(i + 1 < fields.size() ? ",\n" : "\n");
    }
    j.append("  ],\n  \"entry_count\": ").append(total).append(",\n  \"entries_shown\": ").append(entries.size())
        .append(",\n  \"entries\": [\n");
    for (int i = 0; i < entries.size(); i++) {
      EntryView e = entries.get(i);
      j.append("    {\"index\": ").append(e.index()).append(", \"offset\": ").append(e.offset())
          .append(", \"key_hex\": \"").append(Hex.encode(e.key())).append("\", \"value_hex\": \"")
          .append(Hex.encode(e.value())).append("\"}").append(i + 1 < entries.size() ? ",\n" : "\n");
    }
    j.append("  ]\n}");
    o.println(j);
  }
}
