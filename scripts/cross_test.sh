#!/usr/bin/env bash
# Runs every implementation on every conformance vector (scenarios A and B included) and prints a
# table: vector x implementation -> pass (or the digest, for the scenarios) or FAIL. Exits 1 on
# any disagreement with a vector or with the golden digests below.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Golden digests of SPEC §7's scenarios. Captured from the Java run and the independent Rust port,
# which agreed byte for byte (then Go and C++ too); the same values are in
# db20-conformance/vectors/scenario-{a,b}.out, db20-conformance's GoldenDigestsTest and
# ports/rust/tests/golden.rs. Change them only with a written reason in the same commit.
GOLDEN_A=4bb303c0591ddfa5
GOLDEN_B=7bade6322003f43c

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
