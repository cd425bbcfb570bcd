package dev.db20.cli;

import dev.db20.conformance.Conformance;
import dev.db20.conformance.Implementation;
import dev.db20.conformance.Vector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code db20 conform}: checks an implementation against the conformance vectors. */
@Command(
    name = "conform",
    description = {
      "Runs every vector (NAME.txt with NAME.out or NAME.err) against the Java implementation,",
      "or against an external program given 'run -' and the script on stdin; compares stdout",
      "byte for byte and the exit code. Prints a line per vector and 'N passed, M failed'."
    })
final class ConformCommand implements Callable<Integer> {
  @Option(
      names = "--impl",
      paramLabel = "COMMAND",
      description = "the program to check, split on spaces, e.g. 'build/bin/db20-rust'; default: Java in-process")
  String impl;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
      description = "longest run allowed for one vector (default: ${DEFAULT-VALUE})")
  long timeoutSeconds;

  @Parameters(paramLabel = "VECTOR_DIR", arity = "0..1",
      description = "the vectors; default: db20-conformance/vectors of this checkout")
  Path dir;

  @Override
  public Integer call() throws IOException {
    Path vectors = dir != null ? dir : defaultVectorDir();
    if (vectors == null || !Files.isDirectory(vectors)) {
      System.err.println("db20 conform: no vector directory " + (vectors == null ? "found; pass VECTOR_DIR" : vectors.toString()));
      return Db20.EXIT_BAD_INPUT;
    }
    List<Vector> all = Vector.loadAll(vectors);
    if (all.isEmpty()) {
      System.err.println("db20 conform: " + vectors + " holds no vectors");
      return Db20.EXIT_BAD_INPUT;
    }
    Implementation implementation;
    if (impl == null) {
      implementation = Implementation.java();
    } else {
      List<String> argv = Arrays.stream(impl.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
      if (argv.isEmpty()) {
        System.err.println("db20 conform: --impl is empty");
        return Db20.EXIT_BAD_INPUT;
      }
      Path program = Path.of(argv.get(0)).getFileName();
      implementation = Implementation.external(program == null ? argv.get(0) : program.toString(), argv, timeoutSeconds);
    }
    int failed = Conformance.checkAll(implementation, all, System.out);
    return failed == 0 ? 0 : Db20.EXIT_CHECK_FAILED;
  }

  /** {@code db20-conformance/vectors} under the working directory, else beside this jar's checkout. */
  static Path defaultVectorDir() {
    Path here = Path.of("db20-conformance", "vectors");
    if (Files.isDirectory(here)) {
      return here;
    }
    try {
      Path jar = Path.of(ConformCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // db20-cli/target/db20.jar -> checkout root
      Path root = jar.getParent() == null ? null : jar.getParent().getParent();
      root = root == null ? null : root.getParent();
      Path candidate = root == null ? null : root.resolve("db20-conformance").resolve("vectors");
      return candidate != null && Files.isDirectory(candidate) ? candidate : null;
    } catch (Exception e) {
      return null;
    }
  }
}
