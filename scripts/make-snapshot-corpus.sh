#!/usr/bin/env bash
# Regenerates db20-conformance/snapshots/ (the small, committed snapshot corpus: NAME.db20 and
# the exact `check` line in NAME.expected) from SnapshotCorpus in db20-conformance.
#   scripts/make-snapshot-corpus.sh          the committed corpus
#   scripts/make-snapshot-corpus.sh --big D  the multi-megabyte good snapshots into D (not
#                                            committed: a pure function of the generator)
# SnapshotCorpusTest fails when the committed files and the generator disagree.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_jar
if [ "${1:-}" = "--big" ]; then
  exec java -cp "$JAR" dev.db20.conformance.SnapshotCorpus --big "${2:?--big needs a directory}"
fi
out="$ROOT/db20-conformance/snapshots"
rm -f "$out"/*.db20 "$out"/*.expected
java -cp "$JAR" dev.db20.conformance.SnapshotCorpus --out "$out"
say "wrote $(ls "$out"/*.db20 | wc -l) snapshots to $out"
