#!/usr/bin/env bash
# The "use db20-wire alone" promise, tested: install db20-wire by itself, then build and run
# examples/wire-consumer -- a project that knows db20-wire only by its Maven coordinates -- from
# a copy outside this repository, so nothing of the reactor can leak into its build. The example
# writes a snapshot file of 100,000 entries by streaming and reads it back by streaming.
#
# Extra Maven arguments come from MAVEN_ARGS, e.g. a private local repository:
#   MAVEN_ARGS=-Dmaven.repo.local=/tmp/m2 scripts/wire-consumer.sh
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
# shellcheck disable=SC2206 # MAVEN_ARGS is a list of words, as Maven itself reads it.
mvn_args=(-B -q -Dstyle.color=never ${MAVEN_ARGS:-})

# db20-wire has no parent POM (so it installs and copies alone), which means it repeats some of
# the root POM's versions; so does the example. A repeated version must equal the root's.
property() { # property FILE NAME: the value of <NAME> in FILE, empty if absent
  sed -n "s:.*<$2>\(.*\)</$2>.*:\1:p" "$1" | head -n1
}
for pom in db20-wire/pom.xml examples/wire-consumer/pom.xml; do
  for name in $(sed -n 's:.*<\([a-z][a-z0-9.-]*\.version\)>.*</\1>.*:\1:p' "$pom"); do
    ours="$(property "$pom" "$name")"
    root="$(property pom.xml "$name")"
    if [ -n "$root" ] && [ "$ours" != "$root" ]; then
      say "FAIL: $pom has $name $ours, the root pom.xml has $root: keep them equal"
      exit 1
    fi
  done
done

say "wire-consumer: installing db20-wire alone"
mvn "${mvn_args[@]}" -pl db20-wire install -DskipTests

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r examples/wire-consumer "$work/"
rm -rf "$work/wire-consumer/target"
say "wire-consumer: building and running the example in $work"
(cd "$work/wire-consumer" && mvn "${mvn_args[@]}" verify)
