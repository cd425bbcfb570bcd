package dev.db20.ratis;

import dev.db20.wire.DurableFile;
import dev.db20.wire.SnapshotFormatException;
import dev.db20.wire.SnapshotReader;
import dev.db20.wire.SnapshotState;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot files of one node: {@code db20-snapshot.TERM_INDEX}, where TERM and INDEX are the
 * Raft term and log index the snapshot covers, and the content is exactly the canonical SPEC §4
 * snapshot whose commit index is the number of db20 ops applied (so {@code db20 inspect} reads it).
 * Written atomically: temp file, fsync, rename, fsync of the directory.
 */
public final class SnapshotFiles {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotFiles.class);

  /** The file name: term and index of the Raft log entry the snapshot covers. */
  static final Pattern NAME = Pattern.compile("db20-snapshot\\.(\\d+)_(\\d+)");

  private SnapshotFiles() {}

  /** One snapshot file, parsed from its name. */
  public record Ref(Path path, long term, long index) {}

  /** A snapshot file that the strict reader accepted. */
  public record Loaded(Ref ref, SnapshotState state) {}

  /** The file name for a snapshot at {@code term} and {@code index}. */
  public static String name(long term, long index) {
    return "db20-snapshot." + term + "_" + index;
  }

  /**
   * Writes {@code bytes} as the snapshot at {@code term}/{@code index}, atomically and durably
   * ({@link DurableFile#writeAtomically}: a failed directory fsync fails the write too).
   */
  public static Path write(Path dir, long term, long index, byte[] bytes) throws IOException {
    Files.createDirectories(dir);
    Path target = dir.resolve(name(term, index));
    DurableFile.writeAtomically(target, bytes);
    return target;
  }

  /** Every snapshot file in {@code dir}, newest (highest index, then term) first. */
  public static List<Ref> list(Path dir) throws IOException {
    List<Ref> refs = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return refs;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (m.matches()) {
          refs.add(new Ref(p, Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
        }
      }
    }
    refs.sort(Comparator.comparingLong(Ref::index).thenComparingLong(Ref::term).reversed());
    return refs;
  }

  /**
   * The newest snapshot in {@code dir} the strict reader accepts, or null if there is none. A
   * refused file is logged with the reader's offset and rule, renamed to {@code NAME.corrupt} so it
   * is neither retried nor sent to a follower, and the next older one is tried.
   */
  public static Loaded loadNewestValid(Path dir) throws IOException {
    for (Ref ref : list(dir)) {
      byte[] bytes = Files.readAllBytes(ref.path());
      try {
        return new Loaded(ref, SnapshotReader.loadState(bytes));
      } catch (SnapshotFormatException e) {
        LOG.error(
            "refusing snapshot {}: {} (rule {}, offset {}); trying the next older one",
            ref.path(),
            e.getMessage(),
            e.rule(),
            e.offset());
        Files.move(
            ref.path(),
            ref.path().resolveSibling(ref.path().getFileName() + ".corrupt"),
            StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return null;
  }

  /** Deletes all but the {@code keep} newest snapshot files. */
  public static void retain(Path dir, int keep) throws IOException {
    List<Ref> refs = list(dir);
    for (int i = keep; i < refs.size(); i++) {
      Files.deleteIfExists(refs.get(i).path());
    }
  }
}
