package dev.db20.conformance;

import dev.db20.script.ExitCode;
import dev.db20.wire.Hex;
import dev.db20.wire.LittleEndian;
import dev.db20.wire.SnapshotFormatException;
import dev.db20.wire.SnapshotReader;
import dev.db20.wire.SnapshotState;
import dev.db20.wire.SnapshotSummary;
import dev.db20.wire.SnapshotVisitor;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * The one line {@code check FILE} prints for a snapshot (docs/spec-notes.md N16), computed with the
 * strict reader: {@code ok commit=C entries=N crc=XXXXXXXX} or {@code refused offset O: RULE}. Kept
 * apart from the command so that the corpus tests and the CLI print the same text.
 */
public final class SnapshotCheck {
  private SnapshotCheck() {}

  /** Exit status of a good snapshot. */
  public static final int EXIT_OK = ExitCode.OK;

  /** Exit status of a refused snapshot. */
  public static final int EXIT_REFUSED = ExitCode.FAILED;

  /**
   * What {@code check} prints and exits with.
   *
   * @param exit {@link #EXIT_OK} or {@link #EXIT_REFUSED}
   * @param line the line, without its {@code \n}
   */
  public record Result(int exit, String line) {}

  /** Checks {@code bytes} with the strict reader. */
  public static Result check(byte[] bytes) {
    try {
      SnapshotState state = SnapshotReader.loadState(bytes);
      // A loaded snapshot ends in its CRC: the stored value, read as a u32.
      long crc = LittleEndian.getU32Le(bytes, bytes.length - 4);
      return new Result(
          EXIT_OK,
          "ok commit="
              + Long.toUnsignedString(state.commitIndex())
              + " entries="
              + state.entries().size()
              + " crc="
              + Hex.u32(crc));
    } catch (SnapshotFormatException e) {
      return new Result(EXIT_REFUSED, "refused offset " + e.offset() + ": " + words(e.rule()));
    }
  }

  /**
   * Checks the snapshot in {@code ch} from its position to its end with the streaming strict
   * reader: memory is one buffer and the largest entry, whatever the file's size, and a bad magic
   * is refused after 4 bytes (N18). The same line as {@link #check(byte[])} for the same bytes.
   *
   * @throws IOException if reading fails
   */
  public static Result check(FileChannel ch) throws IOException {
    try {
      SnapshotSummary s = SnapshotReader.read(ch, SnapshotVisitor.CHECK_ONLY);
      return new Result(
          EXIT_OK,
          "ok commit="
              + Long.toUnsignedString(s.commitIndex())
              + " entries="
              + s.entryCount()
              + " crc="
              + Hex.u32(s.crc32c()));
    } catch (SnapshotFormatException e) {
      return new Result(EXIT_REFUSED, "refused offset " + e.offset() + ": " + words(e.rule()));
    }
  }

  /** N16's text for a rule: {@link SnapshotFormatException.Rule#words}. */
  public static String words(SnapshotFormatException.Rule rule) {
    return rule.words();
  }
}
