# Shared helpers for the scripts in this folder. Source it; do not run it.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/build/bin"
JAR="$ROOT/db20-cli/target/db20.jar"
# The class-data archive of the jar's `run` path (ensure_cds), and its key file.
JSA="$ROOT/db20-cli/target/db20.jsa"

say() { printf '%s\n' "$*" >&2; }

# read_stat FILE: from one /proc/PID/stat or /proc/PID/task/TID/stat file, sets STAT_COMM (the
# thread's or process's name) and STAT_TICKS (utime+stime in clock ticks, fields 14 and 15).
# Builtins only (no fork), so sampling many threads costs little. Returns 1 if the file is gone
# (a thread or process that has exited).
read_stat() {
  local s
  { IFS= read -r s <"$1"; } 2>/dev/null || return 1
  STAT_COMM=${s#*\(}
  STAT_COMM=${STAT_COMM%\)*}
  s=${s##*) }
  # shellcheck disable=SC2086 # split the fields after the name on purpose
  set -- $s
  STAT_TICKS=$((${12} + ${13}))
}

# need TOOL WHAT: true if TOOL is on PATH. Without it: under CI a failure (CI must run every
# suite), otherwise a clear skip line.
need() {
  if command -v "$1" >/dev/null 2>&1; then
    return 0
  fi
  if [ -n "${CI:-}" ]; then
    say "FAIL: $1 not found; CI runs every suite ($2). Install it (see README, Requirements)."
    exit 1
  fi
  say "SKIP: $1 not found, so $2 is skipped (set CI=1 to make this a failure)."
  return 1
}

# The Java CLI jar, built if missing or older than any Java source, pom or vector. Maven's
# output goes to build/mvn-package.log and is shown only if the build fails.
ensure_jar() {
  if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT" \( -path "$ROOT/ports" -o -path "$ROOT/build" -o -name target -o -name .git \) -prune -o \
        \( -name '*.java' -o -name 'pom.xml' -o -path '*/vectors/*' \) -newer "$JAR" -print -quit 2>/dev/null)" ]; then
    say "building the Java CLI (mvn package, tests skipped)..."
    mkdir -p "$ROOT/build"
    if ! (cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests package) >"$ROOT/build/mvn-package.log" 2>&1; then
      cat "$ROOT/build/mvn-package.log" >&2
      say "FAIL: mvn package (log: build/mvn-package.log)"
      return 1
    fi
  fi
}

# The Java program's start-up archive. `java -XX:ArchiveClassesAtExit` (AppCDS, JDK 17+) or, on
# JDK 25+, `-XX:AOTCacheOutput` (the AOT cache, JEP 483/514) records the classes one training
# `run` loaded, already parsed and verified, so the next JVM maps them instead of reading them
# from the 25 MB jar. "$JSA.key" says what the archive was made from: line 1 the java binary
# (resolved) and the jar's size and mtime, line 2 the kind (cds or aot) and the archive's size.
# The JVM checks the jar and its own build itself, but maps a truncated archive without
# checking its length (JDK 17.0.15: SIGBUS), so the size is checked here first.

# java_path: the java on PATH, symlinks resolved.
java_path() {
  local j
  j="$(command -v java)" || return 1
  readlink -f "$j"
}

# java_major: the feature version of the java on PATH, from its release file (no JVM start).
java_major() {
  local line v release
  release="$(dirname "$(dirname "$(java_path)")")/release"
  [ -f "$release" ] || return 1
  while IFS= read -r line; do
    case "$line" in JAVA_VERSION=*) v="${line#JAVA_VERSION=\"}"; echo "${v%%[.\"]*}"; return 0 ;; esac
  done < "$release"
  return 1
}

# cds_flags: sets the array CDS_FLAGS to the flags that use the archive if its key matches this
# java, this jar and the archive's size; otherwise to nothing (the JVM's default, -Xshare:auto).
# Logging of the archive is off either way: the JVM prints a rejected archive on stdout.
cds_flags() {
  CDS_FLAGS=()
  local id kind size now
  { IFS= read -r id && read -r kind size; } 2>/dev/null < "$JSA.key" || return 0
  now="$(java_path) $(stat -L -c '%s %Y' "$JAR" 2>/dev/null)" || return 0
  [ "$id" = "$now" ] && [ "$(stat -c %s "$JSA" 2>/dev/null)" = "$size" ] || return 0
  case "$kind" in
    cds) CDS_FLAGS=(-Xshare:auto "-XX:SharedArchiveFile=$JSA" '-Xlog:cds*=off') ;;
    aot) CDS_FLAGS=(-XX:AOTMode=auto "-XX:AOTCache=$JSA" '-Xlog:cds*=off' '-Xlog:aot*=off') ;;
  esac
}

# ensure_cds: (re)makes the archive if cds_flags would not use it, from one training run of a
# script that uses every command. A failure is a note, not an error: the program runs without.
ensure_cds() {
  cds_flags
  [ ${#CDS_FLAGS[@]} -gt 0 ] && return 0
  # A checkout one cannot write to runs without the archive, quietly.
  [ -w "$(dirname "$JSA")" ] || return 0
  local major tmp="$JSA.tmp.$$" train="$JSA.train.$$" kind flag
  major="$(java_major)" || major=0
  if [ "$major" -ge 25 ]; then
    kind=aot
    flag=(-XX:AOTCacheOutput="$tmp" '-Xlog:aot*=off' '-Xlog:cds*=off')
  else
    kind=cds
    flag=(-XX:ArchiveClassesAtExit="$tmp" '-Xlog:cds*=off')
  fi
  printf '%s\n' 'cluster 5' 'seed 1' 'keys 64' 'ops 2000' 'put alpha 1' 'get alpha' 'del alpha' \
    'noop' 'partition 0 1' 'ops 500' 'leader' 'replica 4' 'heal' 'snapshot 0' 'digest' > "$train"
  if java "${flag[@]}" -cp "$JAR" dev.db20.cli.Main run "$train" >/dev/null 2>&1 && [ -s "$tmp" ]; then
    mv -f "$tmp" "$JSA"
    printf '%s %s\n%s %s\n' "$(java_path)" "$(stat -L -c '%s %Y' "$JAR")" "$kind" "$(stat -c %s "$JSA")" > "$JSA.key.$$"
    mv -f "$JSA.key.$$" "$JSA.key"
  else
    say "note: no start-up archive made ($kind, java $major); db20 runs without it"
  fi
  rm -f "$tmp" "$train"
}

# The JVM flags of `db20 client` (a process of seconds to minutes): C1 only and the serial
# collector, which cost it less CPU than C2 and G1 do (docs/ratis.md, "JVM flags", has the
# measurement). Servers keep C2: they live long enough for it to pay.
CLIENT_JVM_FLAGS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)

# The JVM flags of a load client that warms up long enough for most of C2's compilations
# (bench-ratis.sh's, with a 15 s warm-up per run): the serial collector, C2 kept. Warm, it spends about 30 % less
# CPU per write than with C1 only (docs/ratis.md, "JVM flags").
LOAD_JVM_FLAGS=(-XX:+UseSerialGC)

# The JVM flags of `db20 run`: C1 only, the serial collector, and loops compiled (on-stack
# replacement) after 10,000 back-edges rather than 60,000. A script run is mostly start-up and
# warm-up: C2's compilations cost more than they repay, G1's write barriers and first young pause
# cost workload a 47 ms, and a snapshot's loops run once over every key, mostly interpreted at
# the default threshold (docs/benchmarks.md, "Issue 20", has the measurements).
RUN_JVM_FLAGS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:Tier3BackEdgeThreshold=10000)

# run_java ARGS...: runs the Java program as a user does, with the archive when it matches (and
# CLIENT_JVM_FLAGS for `client`, RUN_JVM_FLAGS for `run`).
run_java() {
  cds_flags
  local extra=()
  case "${1:-}" in
    client) extra=("${CLIENT_JVM_FLAGS[@]}") ;;
    run) extra=("${RUN_JVM_FLAGS[@]}") ;;
  esac
  exec java "${CDS_FLAGS[@]}" "${extra[@]}" -cp "$JAR" dev.db20.cli.Main "$@"
}

# The implementations build-all.sh produces, in table order.
IMPLS=(java rust go cpp)
