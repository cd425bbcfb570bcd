package dev.db20.cli;

import java.io.BufferedInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opens a script argument: a path, or {@code -} for standard input. */
final class Scripts {
  private Scripts() {}

  /** A script that cannot be opened; the message names it and why. */
  static final class UnreadableException extends IOException {
    private static final long serialVersionUID = 1L;

    UnreadableException(String message) {
      super(message);
    }
  }

  static InputStream open(String file) throws UnreadableException {
    if (file.equals("-")) {
      return new FileInputStream(FileDescriptor.in);
    }
    Path p = Path.of(file);
    if (Files.isDirectory(p)) {
      throw new UnreadableException(file + ": is a directory");
    }
    try {
      return new BufferedInputStream(Files.newInputStream(p), 1 << 16);
    } catch (NoSuchFileException e) {
      throw new UnreadableException(file + ": no such file");
    } catch (IOException e) {
      throw new UnreadableException(file + ": " + e.getMessage());
    }
  }
}
