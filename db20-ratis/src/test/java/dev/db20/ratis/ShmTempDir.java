package dev.db20.ratis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Temp directories on /dev/shm when it exists. Ratis fsyncs its log on every commit; this machine's
 * disk takes ~6 ms per fsync, which would make a test of a thousand sequential writes take a
 * minute. The tests check replication, snapshots and recovery logic, not the disk; the benchmark in
 * docs/ratis.md runs on the real disk.
 */
public final class ShmTempDir implements TempDirFactory {
  @Override
  public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context)
      throws IOException {
    Path shm = Path.of("/dev/shm");
    return Files.isDirectory(shm) && Files.isWritable(shm)
        ? Files.createTempDirectory(shm, "db20-ratis-test-")
        : Files.createTempDirectory("db20-ratis-test-");
  }
}
