#!/usr/bin/env bash
# Runs `PROGRAM check FILE` (docs/spec-notes.md N16) on every snapshot of the corpus
# (db20-conformance/snapshots/, plus the multi-megabyte ones SnapshotCorpus generates) and
# compares the one stdout line with NAME.expected and the exit status with 0 (ok) or 1 (refused).
#   scripts/check-corpus.sh                 every program in build/bin (scripts/build-all.sh)
#   scripts/check-corpus.sh PROGRAM...      the given programs
# Exits 1 on any difference, naming the program and the file.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_jar || exit 1
programs=("$@")
if [ ${#programs[@]} = 0 ]; then
  for i in "${IMPLS[@]}"; do
    [ -x "$BIN/db20-$i" ] && programs+=("$BIN/db20-$i")
  done
fi
big="$ROOT/build/snapshots-big"
if [ ! -f "$big/big-limits.expected" ]; then
  java -cp "$JAR" dev.db20.conformance.SnapshotCorpus --big "$big" || exit 1
fi
failures=0
files=0
for prog in "${programs[@]}"; do
  for f in "$ROOT"/db20-conformance/snapshots/*.db20 "$big"/*.db20; do
    files=$((files + 1))
    expected="$(cat "${f%.db20}.expected")"
    want_rc=1
    case "$expected" in ok*) want_rc=0 ;; esac
    got="$("$prog" check "$f" 2>/tmp/check-corpus-err.$$)"
    rc=$?
    if [ "$got" != "$expected" ] || [ "$rc" != "$want_rc" ]; then
      failures=$((failures + 1))
      echo "FAIL $(basename "$prog") $(basename "$f"): exit $rc (want $want_rc)"
      echo "  got:  $got"
      echo "  want: $expected"
      head -n1 /tmp/check-corpus-err.$$ | sed 's/^/  stderr: /'
    fi
  done
done
rm -f /tmp/check-corpus-err.$$
if [ "$failures" = 0 ]; then
  echo "check-corpus: ${#programs[@]} programs x $((files / ${#programs[@]})) snapshots agree"
else
  echo "check-corpus: $failures failures"
  exit 1
fi
