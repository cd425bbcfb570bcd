#!/usr/bin/env bash
# Usage: scripts/tck-sample.sh PROGRAM
# Installs the db20 TCK and what it depends on into the local Maven repository (tests skipped),
# then runs examples/tck-sample, a project outside the reactor that depends on dev.db20:db20-tck
# by coordinates, against PROGRAM: every conformance vector is a JUnit test of `PROGRAM run -`.
# MAVEN_REPO_LOCAL, if set, is the local repository to install into and read from.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [ $# -ne 1 ]; then
  say "usage: scripts/tck-sample.sh PROGRAM"
  exit 2
fi
program="$1"
case "$program" in /*) ;; *) program="$PWD/$program" ;; esac
if [ ! -x "$program" ] || [ -d "$program" ]; then
  say "scripts/tck-sample.sh: $1: not an executable file"
  exit 2
fi

repo=()
if [ -n "${MAVEN_REPO_LOCAL:-}" ]; then
  repo=("-Dmaven.repo.local=$MAVEN_REPO_LOCAL")
fi

cd "$ROOT"
mvn -B -q -Dstyle.color=never "${repo[@]}" -DskipTests -pl db20-tck -am install
cd "$ROOT/examples/tck-sample"
mvn -B -Dstyle.color=never "${repo[@]}" verify -Ddb20.impl="$program"
