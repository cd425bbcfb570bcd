package dev.db20.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A set of vectors and where it came from: the released suite shipped in this jar ({@link
 * #bundled()}), a directory, or a single vector file ({@link #load(Path)}).
 *
 * <p>The released suite carries a version, {@code db20-vectors N}, so a release of any
 * implementation can say which suite it passed. The version is a number bumped by hand in {@code
 * suite.properties}, pinned to the SHA-256 of the vector set ({@link #sha256()}); a test fails when
 * the vectors change and the pin does not, so the number cannot silently mean two sets. A directory
 * whose vectors hash to the pinned value is that version too; any other set is labelled unreleased.
 *
 * <p>Three kinds of vector: script vectors ({@link Vector}: {@code NAME.txt} run by {@code PROGRAM
 * run -}), {@code check} vectors ({@link CheckVector}: {@code check-NAME.db20} checked by {@code
 * PROGRAM check FILE}) and process vectors ({@link ProcessVector}: {@code proc-NAME.run} run under
 * a closed or full standard output, or a SIGTERM).
 *
 * @param source where the vectors were read from, for reports ({@code jar}, a directory or a file)
 * @param vectors the script vectors, sorted by name
 * @param checks the check vectors, sorted by name
 * @param processes the process vectors, sorted by name
 * @param sha256 the digest of the set, lowercase hex (see {@link #digest(List, List, List)})
 */
public record Suite(
    String source,
    List<Vector> vectors,
    List<CheckVector> checks,
    List<ProcessVector> processes,
    String sha256) {
  /** Where the vectors sit on the classpath. */
  static final String RESOURCE_DIR = "vectors/";

  /** The list of vector files, written by the build next to them (see the module's POM). */
  static final String INDEX = RESOURCE_DIR + "INDEX";

  /** Freezes the lists. */
  public Suite {
    vectors = List.copyOf(vectors);
    checks = List.copyOf(checks);
    processes = List.copyOf(processes);
  }

  /** A suite of script vectors only. */
  public Suite(String source, List<Vector> vectors, String sha256) {
    this(source, vectors, List.of(), List.of(), sha256);
  }

  /** How many vectors of every kind. */
  public int size() {
    return vectors.size() + checks.size() + processes.size();
  }

  /** The released suite's name and version, e.g. {@code db20-vectors 2}. */
  public static String releasedVersion() {
    Properties p = pins();
    return p.getProperty("name") + " " + p.getProperty("version");
  }

  /** The SHA-256 the released suite must have. */
  public static String releasedSha256() {
    return pins().getProperty("sha256");
  }

  /** Whether this set is, byte for byte, the released suite. */
  public boolean isReleased() {
    return sha256.equals(releasedSha256());
  }

  /**
   * What to print in a summary: {@code db20-vectors 2} for the released set (from the jar or a
   * directory holding exactly it), else {@code unreleased vectors from SOURCE}.
   */
  public String label() {
    return isReleased() ? releasedVersion() : "unreleased vectors from " + source;
  }

  /** The vectors shipped in this jar, listed by the build-generated index. */
  public static Suite bundled() throws IOException {
    byte[] index = resource(INDEX);
    if (index == null) {
      throw new IOException("the vector index " + INDEX + " is missing from the classpath");
    }
    TreeSet<String> files =
        new TreeSet<>(
            new String(index, StandardCharsets.UTF_8)
                .lines()
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList());
    List<Vector> vectors = new ArrayList<>();
    List<CheckVector> checks = new ArrayList<>();
    List<ProcessVector> processes = new ArrayList<>();
    for (String file : files) {
      if (file.endsWith(ProcessVector.EXPECTED)) {
        String name = file.substring(0, file.length() - ProcessVector.EXPECTED.length());
        String out = name + ProcessVector.STDOUT;
        processes.add(
            ProcessVector.of(
                name,
                required(RESOURCE_DIR + name + ProcessVector.SCRIPT),
                required(RESOURCE_DIR + file),
                files.contains(out) ? required(RESOURCE_DIR + out) : null,
                "jar:"));
      } else if (file.endsWith(".txt")) {
        String name = file.substring(0, file.length() - 4);
        vectors.add(
            Vector.of(
                name,
                required(RESOURCE_DIR + file),
                files.contains(name + ".out") ? required(RESOURCE_DIR + name + ".out") : null,
                files.contains(name + ".err") ? required(RESOURCE_DIR + name + ".err") : null,
                "jar:"));
      } else if (file.endsWith(CheckVector.EXPECTED)) {
        String name = file.substring(0, file.length() - CheckVector.EXPECTED.length());
        String stored = name + CheckVector.FILE;
        checks.add(
            CheckVector.of(
                name,
                required(RESOURCE_DIR + file),
                files.contains(stored) ? required(RESOURCE_DIR + stored) : null,
                "jar:"));
      }
    }
    return new Suite("jar", vectors, checks, processes, digest(vectors, checks, processes));
  }

  /**
   * The vectors in a directory (every {@code NAME.txt} and {@code NAME.check} in it), or the one
   * vector whose {@code .txt}, {@code .out}, {@code .err}, {@code .check} or {@code .db20} file
   * {@code path} names.
   *
   * @throws Vector.InvalidVectorException if a script has neither {@code .out} nor {@code .err}
   * @throws NoSuchFileException if {@code path} does not exist
   */
  public static Suite load(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      List<Path> files;
      try (Stream<Path> s = Files.list(path)) {
        files = s.sorted().toList();
      }
      List<Vector> vectors = new ArrayList<>();
      List<CheckVector> checks = new ArrayList<>();
      List<ProcessVector> processes = new ArrayList<>();
      for (Path file : files) {
        String f = file.getFileName().toString();
        if (f.endsWith(".txt")) {
          vectors.add(loadOne(file));
        } else if (f.endsWith(CheckVector.EXPECTED)) {
          checks.add(loadCheck(file));
        } else if (f.endsWith(ProcessVector.EXPECTED)) {
          processes.add(loadProcess(file));
        }
      }
      return new Suite(
          path.toString(), vectors, checks, processes, digest(vectors, checks, processes));
    }
    if (!Files.exists(path)) {
      throw new NoSuchFileException(path.toString());
    }
    String file = String.valueOf(path.getFileName());
    int dot = file.lastIndexOf('.');
    String ext = dot < 0 ? "" : file.substring(dot);
    if (ext.equals(CheckVector.EXPECTED) || ext.equals(CheckVector.FILE)) {
      List<CheckVector> one =
          List.of(loadCheck(path.resolveSibling(file.substring(0, dot) + CheckVector.EXPECTED)));
      return new Suite(
          path.toString(), List.of(), one, List.of(), digest(List.of(), one, List.of()));
    }
    if (ext.equals(ProcessVector.EXPECTED) || ext.equals(ProcessVector.SCRIPT)) {
      List<ProcessVector> one =
          List.of(
              loadProcess(path.resolveSibling(file.substring(0, dot) + ProcessVector.EXPECTED)));
      return new Suite(
          path.toString(), List.of(), List.of(), one, digest(List.of(), List.of(), one));
    }
    if (!ext.equals(".txt") && !ext.equals(".out") && !ext.equals(".err")) {
      throw new Vector.InvalidVectorException(
          path
              + ": not a vector file (want NAME.txt, NAME.out, NAME.err, "
              + "NAME.check or NAME.db20) nor a directory");
    }
    List<Vector> one = List.of(loadOne(path.resolveSibling(file.substring(0, dot) + ".txt")));
    return new Suite(path.toString(), one, digest(one));
  }

  private static Vector loadOne(Path txt) throws IOException {
    String file = txt.getFileName().toString();
    String name = file.substring(0, file.length() - ".txt".length());
    Path out = txt.resolveSibling(name + ".out");
    Path err = txt.resolveSibling(name + ".err");
    Path parent = txt.getParent();
    String where = parent == null ? "" : parent + java.io.File.separator;
    return Vector.of(
        name,
        Files.readAllBytes(txt),
        Files.exists(out) ? Files.readAllBytes(out) : null,
        Files.exists(err) ? Files.readAllBytes(err) : null,
        where);
  }

  private static CheckVector loadCheck(Path check) throws IOException {
    String file = check.getFileName().toString();
    String name = file.substring(0, file.length() - CheckVector.EXPECTED.length());
    Path stored = check.resolveSibling(name + CheckVector.FILE);
    if (!Files.exists(check)) {
      throw new Vector.InvalidVectorException(
          check + ": missing (a check vector is NAME.check and NAME.db20)");
    }
    Path parent = check.getParent();
    String where = parent == null ? "" : parent + java.io.File.separator;
    return CheckVector.of(
        name,
        Files.readAllBytes(check),
        Files.exists(stored) ? Files.readAllBytes(stored) : null,
        where);
  }

  private static ProcessVector loadProcess(Path proc) throws IOException {
    String file = proc.getFileName().toString();
    String name = file.substring(0, file.length() - ProcessVector.EXPECTED.length());
    Path script = proc.resolveSibling(name + ProcessVector.SCRIPT);
    Path out = proc.resolveSibling(name + ProcessVector.STDOUT);
    Path parent = proc.getParent();
    String where = parent == null ? "" : parent + java.io.File.separator;
    if (!Files.exists(proc) || !Files.exists(script)) {
      throw new Vector.InvalidVectorException(
          where
              + name
              + ": a process vector is "
              + name
              + ProcessVector.SCRIPT
              + " and "
              + name
              + ProcessVector.EXPECTED);
    }
    return ProcessVector.of(
        name,
        Files.readAllBytes(script),
        Files.readAllBytes(proc),
        Files.exists(out) ? Files.readAllBytes(out) : null,
        where);
  }

  /** {@link #digest(List, List, List)} of script vectors only. */
  public static String digest(List<Vector> vectors) {
    return digest(vectors, List.of(), List.of());
  }

  /**
   * SHA-256 over the meaning of the vectors, independent of where they sit: for each script vector
   * in name order, its name, its script, its expected stdout and its expected stderr line (or a
   * marker for none); then for each check vector in name order, a marker, its name, its file
   * (generated ones included), its expected line and exit status; then for each process vector in
   * name order, two markers, its name, script, expectation and expected stdout. Each field is
   * prefixed by its length so no two sets collide by concatenation.
   */
  public static String digest(
      List<Vector> vectors, List<CheckVector> checks, List<ProcessVector> processes) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    vectors.stream()
        .sorted((a, b) -> a.name().compareTo(b.name()))
        .forEach(
            v -> {
              field(md, v.name().getBytes(StandardCharsets.UTF_8));
              field(md, v.script());
              field(md, v.expectedStdout());
              field(
                  md, v.isError() ? v.expectedStderrLine().getBytes(StandardCharsets.UTF_8) : null);
            });
    checks.stream()
        .sorted((a, b) -> a.name().compareTo(b.name()))
        .forEach(
            v -> {
              field(md, null);
              field(md, v.name().getBytes(StandardCharsets.UTF_8));
              field(md, v.file());
              field(md, v.expectedLine().getBytes(StandardCharsets.ISO_8859_1));
              field(md, new byte[] {(byte) v.expectedExit()});
            });
    processes.stream()
        .sorted((a, b) -> a.name().compareTo(b.name()))
        .forEach(
            v -> {
              field(md, null);
              field(md, null);
              field(md, v.name().getBytes(StandardCharsets.UTF_8));
              field(md, v.script());
              field(md, v.expectedText().getBytes(StandardCharsets.UTF_8));
              field(md, v.expectedStdout());
            });
    return HexFormat.of().formatHex(md.digest());
  }

  private static void field(MessageDigest md, byte[] bytes) {
    long n = bytes == null ? -1 : bytes.length;
    for (int i = 0; i < 8; i++) {
      md.update((byte) (n >>> (8 * i)));
    }
    if (bytes != null) {
      md.update(bytes);
    }
  }

  private static Properties pins() {
    Properties p = new Properties();
    try (InputStream in = Suite.class.getResourceAsStream("suite.properties")) {
      if (in == null) {
        throw new IllegalStateException(
            "suite.properties is missing from the db20-conformance jar");
      }
      p.load(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read suite.properties: " + e.getMessage(), e);
    }
    return p;
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = Suite.class.getResourceAsStream(name)) {
      return in == null ? null : in.readAllBytes();
    }
  }

  private static byte[] required(String name) throws IOException {
    byte[] b = resource(name);
    if (b == null) {
      throw new IOException("the vector index lists " + name + " but the jar does not hold it");
    }
    return b;
  }
}
