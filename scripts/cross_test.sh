#!/usr/bin/env bash
# Runs every implementation on every conformance vector (scenarios A and B included) and prints a
# table: vector x implementation -> pass (or the digest, for the scenarios) or FAIL. Exits 1 on
# any disagreement with a vector or with the golden digests below.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Golden digests of SPEC §7's scenarios, read from the spec's table (§7.8): the one place they are
# written; the scenario vectors must hold the same lines, and every implementation must print them.
golden() { sed -n "s/^| $1 *| \`digest \([0-9a-f]\{16\}\)\` *|$/\1/p" "$ROOT/docs/spec.md"; }
GOLDEN_A="$(golden A)"
GOLDEN_B="$(golden B)"
if [ -z "$GOLDEN_A" ] || [ -z "$GOLDEN_B" ]; then
  say "cannot read the golden digests from docs/spec.md §7.8"
  exit 2
fi

# --random N [--seed S] [--clean]: instead of the vectors, N random scripts (RandomScripts in
# db20-conformance, the generator of the schedule property test) through every implementation
# present; fails on the first byte difference in stdout, exit status or first stderr line, and
# prints the seed and the script's path. --clean keeps every script byte printable ASCII (no N12
# escaping or N13 line-ending cases), for comparing ports that predate those notes.
if [ "${1:-}" = "--random" ]; then
  count="${2:?--random needs a count}"
  shift 2
  seed="$(date +%s)"
  clean=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --seed) seed="${2:?--seed needs a value}"; shift 2 ;;
      --clean) clean="--clean"; shift ;;
      *) say "unknown argument $1"; exit 2 ;;
    esac
  done
  "$ROOT/scripts/build-all.sh" || exit 1
  others=()
  for i in "${IMPLS[@]}"; do
    [ "$i" != java ] && [ -x "$BIN/db20-$i" ] && others+=("$i")
  done
  dir="$ROOT/build/random/seed-$seed"
  rm -rf "$dir" && mkdir -p "$dir"
  say "random: $count scripts, seed $seed${clean:+ (clean)}, in $dir; java (batch) vs ${others[*]:-nothing}"
  java -cp "$JAR" dev.db20.conformance.RandomScripts --seed "$seed" --count "$count" --out "$dir" $clean || exit 1
  # The Java side runs every script in one JVM (the same ScriptRunner `db20 run` uses); the first
  # few also go through the real CLI to show the batch runner prints what it prints.
  java -cp "$JAR" dev.db20.conformance.RandomScripts --run "$dir" >/dev/null || exit 1
  first_diff=""
  differences=0
  n=0
  for script in "$dir"/r*.txt; do
    name="${script%.txt}"
    impls_here=("${others[@]}")
    [ "$n" -lt 20 ] && impls_here+=(javacli)
    n=$((n + 1))
    for i in "${impls_here[@]}"; do
      prog="$BIN/db20-$i"
      [ "$i" = javacli ] && prog="$BIN/db20-java"
      "$prog" run "$script" >"$name.$i.out" 2>"$name.$i.err"
      rc=$?
      # Two forks per script and implementation (the program and cmp): the run takes minutes
      # for 10,000 scripts, and every other comparison is a shell builtin. `read` gives the
      # first stderr line without its \n (a NUL in it would be dropped: harmless here, since
      # every line that could hold one is escaped in one implementation and raw in the other).
      e1="" && IFS= read -r e1 <"$name.$i.err"
      ej="" && IFS= read -r ej <"$name.java.err"
      IFS= read -r rcj <"$name.java.rc"
      what=""
      cmp -s "$name.$i.out" "$name.java.out" || what="$what stdout"
      [ "$rc" = "$rcj" ] || what="$what exit($rc vs $rcj)"
      [ "$e1" = "$ej" ] || what="$what stderr"
      if [ -n "$what" ]; then
        differences=$((differences + 1))
        echo "DIFF $i vs java:$what  $script"
        if [ -z "$first_diff" ]; then
          first_diff="$i on $script:$what"
          if [ -z "${CROSS_ALL:-}" ]; then break 2; fi
        fi
      fi
    done
  done
  if [ "$differences" = 0 ]; then
    echo "cross_test --random: $count scripts (seed $seed${clean:+, clean}), java ${others[*]} agree byte for byte"
    rm -rf "$dir"
    exit 0
  fi
  echo "cross_test --random: $differences differences (seed $seed); first: $first_diff"
  echo "  (CROSS_ALL=1 counts them all; the outputs are beside the scripts in $dir)"
  exit 1
fi

"$ROOT/scripts/build-all.sh" || exit 1
VECTORS="$ROOT/db20-conformance/vectors"
impls=()
for i in "${IMPLS[@]}"; do
  [ -x "$BIN/db20-$i" ] && impls+=("$i")
done
say "implementations: ${impls[*]}"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failures=0
printf '%-48s' "vector"
for i in "${impls[@]}"; do printf ' %-17s' "$i"; done
printf '\n'

for script in "$VECTORS"/*.txt; do
  name="$(basename "$script" .txt)"
  [ -f "$VECTORS/$name.out" ] || [ -f "$VECTORS/$name.err" ] || continue
  expected_out="$VECTORS/$name.out"
  [ -f "$expected_out" ] || expected_out=/dev/null
  printf '%-48s' "$name"
  first=""
  for i in "${impls[@]}"; do
    "$BIN/db20-$i" run "$script" >"$tmp/$i.out" 2>"$tmp/$i.err"
    rc=$?
    ok=1
    if [ -f "$VECTORS/$name.err" ]; then
      prefix="$(head -n1 "$VECTORS/$name.err")"
      [ "$rc" = 2 ] || ok=0
      case "$(head -n1 "$tmp/$i.err")" in "$prefix"*) ;; *) ok=0 ;; esac
    else
      [ "$rc" = 0 ] || ok=0
    fi
    cmp -s "$tmp/$i.out" "$expected_out" || ok=0
    # Every implementation must also agree with the first one, byte for byte.
    if [ -z "$first" ]; then first="$i"; else cmp -s "$tmp/$i.out" "$tmp/$first.out" || ok=0; fi
    if [ "$ok" = 1 ]; then
      cell=pass
      case "$name" in scenario-*) cell="$(sed -n 's/^digest //p' "$tmp/$i.out")" ;; esac
    else
      cell=FAIL
      failures=$((failures + 1))
      echo >&2 "  $i on $name: exit $rc; first stderr line: $(head -n1 "$tmp/$i.err")"
      diff <(cat "$expected_out") "$tmp/$i.out" | head -n 4 >&2
    fi
    printf ' %-17s' "$cell"
  done
  printf '\n'
done

for pair in "a $GOLDEN_A" "b $GOLDEN_B"; do
  set -- $pair
  if ! grep -qx "digest $2" "$VECTORS/scenario-$1.out"; then
    say "FAIL: scenario-$1.out does not hold the golden digest $2"
    failures=$((failures + 1))
  fi
done

if [ "$failures" = 0 ]; then
  echo "cross_test: ${#impls[@]} implementations agree on every vector; A=$GOLDEN_A B=$GOLDEN_B"
else
  echo "cross_test: $failures disagreements"
  exit 1
fi
