package dev.db20.cli;

import dev.db20.wire.DurableFile;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;

/**
 * The CLI's I/O conventions in one place: failures become one line naming the path and the reason
 * (exit 2, never a stack trace), standard output failures become spec-notes N14's line, and files
 * are written atomically with the permissions the umask allows.
 */
final class Io {
  private Io() {}

  /** spec-notes N14: the whole line printed when standard output cannot be written. */
  static final String STDOUT_FAILED = "error: cannot write to standard output";

  /**
   * The OS reason of an I/O failure, in lower case as {@code strerror} words it ({@code no such
   * file or directory}, {@code not a directory}, {@code permission denied}, {@code no space left on
   * device}), without Java's exception names or repeated paths.
   */
  static String reason(IOException e) {
    String r;
    if (e instanceof NoSuchFileException) {
      r = "no such file or directory";
    } else if (e instanceof AccessDeniedException) {
      r = "permission denied";
    } else if (e instanceof FileSystemException f && f.getReason() != null) {
      r = f.getReason();
    } else if (e instanceof FileSystemException) {
      r = e.getClass().getSimpleName().replace("Exception", "");
    } else {
      r = String.valueOf(e.getMessage());
    }
    return r.isEmpty() ? r : r.substring(0, 1).toLowerCase(Locale.ROOT) + r.substring(1);
  }

  /** N18's reason for a file that cannot be read: one of five fixed texts. */
  static String readReason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NotRegular n) {
      return n.words;
    }
    return "read error";
  }

  /** A path that names a directory or another file that is not regular (N18). */
  static final class NotRegular extends FileSystemException {
    private static final long serialVersionUID = 1L;
    final String words;

    NotRegular(Path p, String words) {
      super(p.toString(), null, words);
      this.words = words;
    }
  }

  /**
   * Opens {@code p} for reading if it is a regular file (symbolic links followed). Anything else is
   * refused from its attributes, before it is opened: a FIFO is never opened (that would block), a
   * device such as {@code /dev/zero} never read (N18).
   *
   * @throws IOException {@link NotRegular} ({@code is a directory}, {@code not a regular file}), or
   *     the failure to stat or open it, worded by {@link #readReason}
   */
  static FileChannel openRegular(Path p) throws IOException {
    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
    if (a.isDirectory()) {
      throw new NotRegular(p, "is a directory");
    }
    if (!a.isRegularFile()) {
      throw new NotRegular(p, "not a regular file");
    }
    return FileChannel.open(p, StandardOpenOption.READ);
  }

  /** A path as the user gave it, with control bytes escaped so one line stays one line. */
  static String show(Object path) {
    String s = String.valueOf(path);
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** An I/O failure already worded as one line (without the {@code db20 SUB: } prefix). */
  static final class Failure extends IOException {
    private static final long serialVersionUID = 1L;

    Failure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** {@code cannot write PATH: REASON}. */
  static Failure cannotWrite(Path path, IOException e) {
    return new Failure("cannot write " + show(path) + ": " + reason(e), e);
  }

  /**
   * Creates {@code dir} and its parents if missing.
   *
   * @throws Failure {@code cannot create directory DIR: REASON}; an existing non-directory is
   *     {@code not a directory}
   */
  static void createDirectories(Path dir) throws Failure {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new Failure("cannot create directory " + show(dir) + ": not a directory", null);
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new Failure("cannot create directory " + show(dir) + ": " + reason(e), e);
    }
  }

  /**
   * Checks, before any long work, that {@link #writeAtomically} can probably create {@code target}:
   * its directory exists and it is not something other than a regular file.
   */
  static void checkWritable(Path target) throws Failure {
    Path dir = DurableFile.directoryOf(target);
    if (!Files.exists(dir)) {
      throw new Failure("cannot write " + show(target) + ": no such file or directory", null);
    }
    if (!Files.isDirectory(dir)) {
      throw new Failure("cannot write " + show(target) + ": not a directory", null);
    }
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)
        && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new Failure(
          "cannot write "
              + show(target)
              + ": "
              + (Files.isDirectory(target) ? "is a directory" : "not a regular file"),
          null);
    }
  }

  /**
   * Writes {@code data} to {@code target} so that it appears whole or not at all, with {@link
   * DurableFile#writeAtomically} (the one atomic durable write). The file gets the default mode, so
   * it honours the umask (0644 under the usual 022).
   *
   * @throws Failure {@code cannot write TARGET: REASON}
   */
  static void writeAtomically(Path target, byte[] data) throws Failure {
    checkWritable(target);
    try {
      DurableFile.writeAtomically(target, data);
    } catch (IOException e) {
      throw cannotWrite(target, e);
    }
  }

  /**
   * Standard output that remembers whether writing to it failed, so a command can tell a broken
   * stdout (N14) from a failure to read its input: both reach it as {@link IOException}.
   */
  static final class Stdout extends FilterOutputStream {
    private boolean failed;

    /** The process's standard output, unbuffered (the script runner buffers). */
    Stdout() {
      this(new FileOutputStream(java.io.FileDescriptor.out));
    }

    Stdout(OutputStream out) {
      super(out);
    }

    /** Whether a write or flush failed. */
    boolean failed() {
      return failed;
    }

    @Override
    public void write(int b) throws IOException {
      try {
        out.write(b);
      } catch (IOException e) {
        failed = true;
        throw e;
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        failed = true;
        throw e;
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (IOException e) {
        failed = true;
        throw e;
      }
    }
  }
}
