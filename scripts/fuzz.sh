#!/usr/bin/env bash
# Fuzzes the Java readers and the script interpreter with Jazzer (db20-fuzz), SECONDS per target
# (default 60), one target after the other, and prints each target's input count and findings.
#   scripts/fuzz.sh [SECONDS] [TARGET...]     TARGET: SnapshotReaderFuzzTest OpRecordFuzzTest ScriptFuzzTest
# Not part of CI: `mvn verify` replays the committed inputs (regression mode) instead. New corpus
# entries go to db20-fuzz/.cifuzz-corpus/ (ignored by git); a finding is written into the
# target's inputs directory under db20-fuzz/src/test/resources/dev/db20/fuzz/, where every later
# `mvn verify` replays it. Logs: build/fuzz/TARGET.log. Exits 1 if any target found something.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} = 0 ] && targets=(SnapshotReaderFuzzTest OpRecordFuzzTest ScriptFuzzTest)
mkdir -p "$ROOT/build/fuzz"
# Compile once first, so that a compile error is not reported as a finding.
(cd "$ROOT" && mvn -B -q -Dstyle.color=never -pl db20-fuzz -am test-compile) >"$ROOT/build/fuzz/compile.log" 2>&1 \
  || { cat "$ROOT/build/fuzz/compile.log" >&2; exit 1; }
found=0
for t in "${targets[@]}"; do
  log="$ROOT/build/fuzz/$t.log"
  say "fuzzing $t for ${seconds}s (log: build/fuzz/$t.log)"
  # JAZZER_FUZZ turns the @FuzzTest from replaying its inputs into fuzzing; JAZZER_MAX_DURATION
  # replaces the annotation's default of 5 minutes.
  (cd "$ROOT" && JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${seconds}s" mvn -B -Dstyle.color=never -pl db20-fuzz \
      -am test -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false) >"$log" 2>&1
  rc=$?
  runs="$(grep -aoE 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n1)"
  last="$(grep -aoE '^#[0-9]+' "$log" | tail -n1)"
  if [ "$rc" = 0 ]; then
    echo "$t: ${runs:-${last:-no libFuzzer statistics}}; no findings"
  else
    found=1
    echo "$t: FINDING (exit $rc) after ${runs:-${last:-?} inputs}; see $log"
    grep -aE '== Java Exception|Caused by|Exception:|Error:' "$log" | head -n 5
  fi
done
exit "$found"
