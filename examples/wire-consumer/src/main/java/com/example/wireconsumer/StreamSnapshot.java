package com.example.wireconsumer;

import dev.db20.wire.Bytes;
import dev.db20.wire.SnapshotFormatException;
import dev.db20.wire.SnapshotReader;
import dev.db20.wire.SnapshotSink;
import dev.db20.wire.SnapshotSummary;
import dev.db20.wire.SnapshotWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a snapshot file of N entries by streaming (never holding it whole), reads it back by
 * streaming, checks every entry, and prints the entry count and CRC-32C. Exits 1 on any mismatch.
 *
 * <p>Usage: {@code StreamSnapshot FILE [ENTRIES]}.
 */
public final class StreamSnapshot {
  private StreamSnapshot() {}

  /** Keys {@code key-0000000000 ..}: zero-padded, so numeric order is the bytewise order SPEC §4 wants. */
  static Bytes key(long i) {
    return Bytes.ofAscii(String.format("key-%010d", i));
  }

  static Bytes value(long i) {
    return Bytes.ofAscii(Long.toHexString(i * 0x9E3779B97F4A7C15L));
  }

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    long entries = args.length > 1 ? Long.parseLong(args[1]) : 100_000;
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }

    long written;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      SnapshotSink sink = SnapshotWriter.sink(out);
      sink.begin(42, entries);
      for (long i = 0; i < entries; i++) {
        sink.entry(key(i), value(i));
      }
      written = sink.finish();
    }

    long[] seen = {0};
    SnapshotSummary summary;
    try {
      summary = SnapshotReader.read(file, (index, offset, key, value) -> {
        if (!key.equals(key(index)) || !value.equals(value(index))) {
          throw new IllegalStateException("entry " + index + " at offset " + offset + " reads back as " + key + "=" + value);
        }
        seen[0]++;
      });
    } catch (SnapshotFormatException e) {
      System.err.println("wire-consumer: " + file + ": refused: " + e.getMessage());
      System.exit(1);
      return;
    }
    if (summary.entryCount() != entries || seen[0] != entries || summary.size() != written
        || Files.size(file) != written || summary.commitIndex() != 42) {
      System.err.println("wire-consumer: mismatch: wrote " + entries + " entries, " + written + " bytes; read " + summary);
      System.exit(1);
    }
    System.out.printf("wire-consumer: %s: %d entries, %d bytes, crc32c %08x%n",
        file.getFileName(), summary.entryCount(), summary.size(), summary.crc32c());
  }
}
