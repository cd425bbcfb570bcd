package dev.db20.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one atomic durable write: a file that appears whole, with its contents on disk, or not at all
 * — also across a crash. A temporary file with a unique name in the target's directory (so the
 * rename stays on one file system), written, fsynced, renamed over the target atomically, then the
 * directory fsynced so the rename itself survives a crash. A failure of any step, the directory
 * fsync included, fails the write, and the temporary file is removed.
 */
public final class DurableFile {
  private DurableFile() {}

  private static final Set<OpenOption> CREATE_NEW =
      Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

  /**
   * Writes {@code data} to {@code target} atomically and durably. {@code attributes} apply to the
   * new file when it is created (e.g. POSIX permissions 0600); with none, it gets the default mode
   * under the umask.
   *
   * @throws IOException if any step fails; {@code target} is then what it was before
   */
  public static void writeAtomically(Path target, byte[] data, FileAttribute<?>... attributes)
      throws IOException {
    Path dir = directoryOf(target);
    Path tmp =
        dir.resolve(
            "."
                + target.getFileName()
                + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".tmp");
    boolean moved = false;
    try {
      try (FileChannel ch = FileChannel.open(tmp, CREATE_NEW, attributes)) {
        ByteBuffer buf = ByteBuffer.wrap(data);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      moved = true;
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      }
    } finally {
      if (!moved) {
        deleteQuietly(tmp);
      }
    }
  }

  private static void deleteQuietly(Path tmp) {
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException | SecurityException e) {
      // The write failed already and its exception is on its way; a stray temporary file, named
      // as one, is the lesser problem.
    }
  }

  /** The directory a target lives in (its parent, or the root for a path at the root). */
  public static Path directoryOf(Path target) {
    Path absolute = target.toAbsolutePath();
    Path parent = absolute.getParent();
    return parent == null ? absolute.getRoot() : parent;
  }
}
