#!/usr/bin/env bash
# The Java launcher's start-up archive (lib.sh: ensure_cds, cds_flags, run_java) on a copy of the
# jar in a temporary directory: with the archive the run maps the jar's classes from it; with the
# archive missing, truncated, overwritten with garbage, made for another jar (stale) or the jar
# touched since, the run falls back to no archive. In every case stdout is the vector's golden
# output byte for byte, stderr is empty and the exit code 0.
#   scripts/cds-test.sh [JAVA_HOME...]   (default: the java on PATH)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ -f "$JAR" ] || { say "cds-test: $JAR missing (scripts/build-all.sh builds it)"; exit 2; }
vector="$ROOT/db20-conformance/vectors/10-put-get-del"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$JAR" "$work/db20.jar"
JAR="$work/db20.jar"
JSA="$work/db20.jsa"
failures=0

# case NAME WANT_ARCHIVE: runs the launcher as build/bin/db20-java does, checks its output.
case_() {
  local name="$1" want="$2" rc=0 used
  (run_java run "$vector.txt") >"$work/out" 2>"$work/err" || rc=$?
  cds_flags
  used=no
  [ ${#CDS_FLAGS[@]} -gt 0 ] && used=yes
  if [ "$rc" != 0 ] || ! cmp -s "$work/out" "$vector.out" || [ -s "$work/err" ] || [ "$used" != "$want" ]; then
    say "FAIL $name: exit $rc, archive used: $used (want $want); stdout vs $(basename "$vector").out:"
    diff "$vector.out" "$work/out" >&2 || true
    say "stderr:"; cat "$work/err" >&2
    failures=$((failures + 1))
  else
    echo "ok   $name (archive used: $used)"
  fi
}

# shared_classes: how many of db20's own classes the JVM mapped from the archive.
shared_classes() {
  cds_flags
  java "${CDS_FLAGS[@]}" -Xlog:class+load -cp "$JAR" dev.db20.cli.Main run "$vector.txt" \
    | grep -c ' dev\.db20\..* source: shared objects file' || true
}

javas=("$@")
[ ${#javas[@]} -gt 0 ] || javas=("$(dirname "$(dirname "$(java_path)")")")
for home in "${javas[@]}"; do
  PATH="$home/bin:$PATH"
  rm -f "$JSA" "$JSA.key"
  echo "java $(java_major) ($home)"
  case_ "no archive yet" no
  ensure_cds
  [ -s "$JSA" ] || { say "FAIL: ensure_cds made no archive"; failures=$((failures + 1)); continue; }
  case_ "archive" yes
  n="$(shared_classes)"
  if [ "$n" -lt 20 ]; then
    say "FAIL: only $n classes came from the archive"; failures=$((failures + 1))
  else
    echo "ok   $n dev.db20 classes mapped from the archive"
  fi
  cp "$JSA" "$work/good.jsa"

  rm -f "$JSA"
  case_ "archive missing" no
  head -c 4096 "$work/good.jsa" > "$JSA"
  case_ "archive truncated" no
  # Garbage of the recorded size: the key matches, the JVM itself refuses the archive.
  head -c "$(stat -c %s "$work/good.jsa")" /dev/urandom > "$JSA"
  case_ "archive garbage (JVM refuses, silently)" yes
  # The archive of another jar under this jar's key: the JVM's own check of the jar refuses it.
  cp "$JAR" "$work/other.jar" && touch -d '2001-01-01' "$work/other.jar"
  (JAR="$work/other.jar" JSA="$work/other.jsa"; ensure_cds)
  cp -f "$work/other.jsa" "$JSA"
  sed -i "2s/ .*/ $(stat -c %s "$JSA")/" "$JSA.key"
  case_ "archive of another jar (JVM refuses, silently)" yes
  cp -f "$work/good.jsa" "$JSA"
  sed -i "2s/ .*/ $(stat -c %s "$JSA")/" "$JSA.key"
  case_ "archive restored" yes
  touch -d '+1 minute' "$JAR"
  case_ "jar newer than the archive (stale)" no
  ensure_cds
  case_ "archive remade" yes
done
[ "$failures" = 0 ] || { say "cds-test: $failures failed"; exit 1; }
echo "cds-test: every case printed the golden output, nothing on stderr"
