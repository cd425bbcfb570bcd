package com.example.db20;

import dev.db20.conformance.Implementation;
import dev.db20.tck.Db20Verification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every db20 conformance vector, run against the program named by {@code -Ddb20.impl=PATH}. The
 * program is started as {@code PATH run -} with the script on standard input.
 */
class ExternalProgramVerificationTest extends Db20Verification {
  @Override
  protected Implementation implementation() {
    String program = System.getProperty("db20.impl", "");
    if (program.isBlank()) {
      throw new IllegalStateException("set the program to verify: mvn verify -Ddb20.impl=/path/to/binary");
    }
    if (!Files.isExecutable(Path.of(program))) {
      throw new IllegalStateException("-Ddb20.impl=" + program + " is not an executable file");
    }
    return Implementation.program(List.of(program), Duration.ofSeconds(30));
  }
}
