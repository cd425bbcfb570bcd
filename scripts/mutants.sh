#!/usr/bin/env bash
# The conformance suite's mutation score: applies single-fault mutations of the Rust port
# (scripts/mutants/NAME.patch, one fault each, a comment line naming the rule it breaks), builds
# each and runs `db20 conform` on it. A mutant is killed when at least one vector fails. A patch
# marked `# equivalent: WHY` cannot be observed (the argument is in the patch); it must survive
# and is counted apart. Prints one line per mutant, then `N killed, M survived` (M counts
# survivors that are not equivalent) and exits 1 if M > 0 or anything could not be run.
#
#   scripts/mutants.sh           the fast subset (the patches marked `# fast`), as verify.sh runs it
#   scripts/mutants.sh --all     every mutant
#   scripts/mutants.sh NAME...   the named mutants
#
# The port is copied once to build/mutants/src; every mutant builds into one shared
# CARGO_TARGET_DIR (build/mutants/target), so only the crate itself recompiles each time, at
# opt-level 1 (the vectors are small; build time dominates). The unmutated copy is built and must
# pass the suite first.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
dir="$ROOT/scripts/mutants"
mode=fast
names=()
case "${1:-}" in
  --all) mode=all ;;
  --help|-h) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
  --*) say "usage: scripts/mutants.sh [--all | NAME...]"; exit 2 ;;
  "") ;;
  *) mode=named; names=("$@") ;;
esac
need cargo "the mutation score (Rust port)" || exit 0
ensure_jar || exit 1

patches=()
case "$mode" in
  all) patches=("$dir"/*.patch) ;;
  fast) while IFS= read -r f; do patches+=("$f"); done < <(grep -l '^# fast$' "$dir"/*.patch) ;;
  named)
    for n in "${names[@]}"; do
      if [ ! -f "$dir/$n.patch" ]; then
        say "scripts/mutants.sh: no mutant '$n' (see $dir)"
        exit 2
      fi
      patches+=("$dir/$n.patch")
    done ;;
esac

work="$ROOT/build/mutants"
src="$work/src"
export CARGO_TARGET_DIR="$work/target"
export CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_INCREMENTAL=true CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
rm -rf "$src"
mkdir -p "$src"
(cd "$ROOT/ports/rust" && tar --exclude=./target --exclude=./fuzz -cf - .) | (cd "$src" && tar -xf -)
# Newer than anything in the shared target dir (the last mutant of a previous run was built
# from one of these paths): cargo decides by modification time.
find "$src" -type f -exec touch {} +
bin="$CARGO_TARGET_DIR/release/db20"
# One jar for the whole score, whatever is rebuilt meanwhile.
cp "$JAR" "$work/db20.jar"

build() {
  cargo build --quiet --release --manifest-path "$src/Cargo.toml" --bin db20 >"$work/build.log" 2>&1
}

# conform NAME: 0 all passed, 1 some failed (the first FAIL line in $work/NAME.log), 2 not run.
conform() {
  java -jar "$work/db20.jar" conform --impl "$bin" --timeout 20 >"$work/$1.log" 2>&1
}

if ! build; then
  cat "$work/build.log" >&2
  say "FAIL: the unmutated Rust port does not build"
  exit 1
fi
conform baseline
if [ $? != 0 ]; then
  grep -m3 '^FAIL' "$work/baseline.log" >&2
  say "FAIL: the unmutated Rust port does not pass the suite; no score can be given"
  exit 1
fi

killed=0 survived=0 equivalent=0 broken=0
for p in "${patches[@]}"; do
  name="$(basename "$p" .patch)"
  file="$(sed -n 's#^+++ b/\([^[:space:]]*\).*#\1#p' "$p" | head -1)"
  if ! patch -p1 -s -d "$src" <"$p" >"$work/patch.log" 2>&1; then
    broken=$((broken + 1))
    echo "BROKEN $name: the patch no longer applies ($(head -1 "$work/patch.log"))"
    cp "$ROOT/ports/rust/$file" "$src/$file"
    continue
  fi
  if ! build; then
    broken=$((broken + 1))
    echo "BROKEN $name: does not build ($(grep -m1 '^error' "$work/build.log"))"
  else
    conform "$name"
    rc=$?
    eq="$(sed -n 's/^# equivalent: //p' "$p")"
    if [ $rc = 1 ]; then
      killed=$((killed + 1))
      echo "killed $name: $(grep -m1 '^FAIL' "$work/$name.log" | cut -c1-160)"
    elif [ $rc = 0 ] && [ -n "$eq" ]; then
      equivalent=$((equivalent + 1))
      echo "equivalent $name: survived, as argued: $eq"
    elif [ $rc = 0 ]; then
      survived=$((survived + 1))
      echo "SURVIVED $name: $(sed -n 's/^# mutant [^:]*: //p' "$p")"
    else
      broken=$((broken + 1))
      echo "BROKEN $name: conform could not run ($(tail -1 "$work/$name.log"))"
    fi
  fi
  cp "$ROOT/ports/rust/$file" "$src/$file"
done
echo "$killed killed, $survived survived ($equivalent equivalent, listed with their argument; ${#patches[@]} mutants)"
[ $survived = 0 ] && [ $broken = 0 ]
