#!/usr/bin/env bash
# Regenerates the check vectors of the released suite (db20-conformance/vectors/check-NAME.db20
# and check-NAME.check: the exact `check` line and exit status) from SnapshotCorpus in
# db20-conformance. The multi-megabyte ones are written as a .check naming their recipe only.
# SnapshotCorpusTest fails when the committed files and the generator disagree; after changing
# them, bump the suite version (db20-conformance's suite.properties, SuiteTest prints the sha256).
#   scripts/make-snapshot-corpus.sh
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_jar
out="$ROOT/db20-conformance/vectors"
rm -f "$out"/check-*.db20 "$out"/check-*.check
java -cp "$JAR" dev.db20.conformance.SnapshotCorpus --out "$out"
say "wrote $(ls "$out"/check-*.check | wc -l) check vectors to $out"
