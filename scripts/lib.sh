# Shared helpers for the scripts in this folder. Source it; do not run it.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/build/bin"
JAR="$ROOT/db20-cli/target/db20.jar"

say() { printf '%s\n' "$*" >&2; }

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

# The implementations build-all.sh produces, in table order.
IMPLS=(java rust go cpp)
