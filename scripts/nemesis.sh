#!/usr/bin/env bash
# Seeded nemesis runs against local db20-on-Ratis clusters (issue 16): each run starts N
# `db20 server` processes behind loopback link proxies, lets 4 clients record a history while
# a seeded schedule kills (-9) and restarts, pauses (SIGSTOP/SIGCONT), partitions, drops one
# way and delays, then checks the history (Wing-Gong-Lowe), unique write indexes, and that
# every node reaches the leader's index with one digest within 30 s (`db20 nemesis --help`).
#
#   scripts/nemesis.sh [--runs N] [--seed S] [--minutes M] [--dir DIR]
#
# Run i (0-based) uses seed S+i, 3 nodes for even i and 5 for odd i, and a fault phase of M
# minutes (decimals allowed; default 0.5). Prints one PASS/FAIL line per run, then
# `N passed, M failed` and each failure's seed and directory (history.txt, node-N.log and the
# nodes' data are kept there; passed runs are deleted). Exit 0 iff every run passed.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

runs=1
seed=1
minutes=0.5
dir="$ROOT/build/nemesis"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="${2:-}"; shift 2 ;;
    --seed) seed="${2:-}"; shift 2 ;;
    --minutes) minutes="${2:-}"; shift 2 ;;
    --dir) dir="${2:-}"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) say "nemesis.sh: unknown argument '$1' (see --help)"; exit 2 ;;
  esac
done
case "$runs" in ''|*[!0-9]*) say "nemesis.sh: --runs wants a whole number, got '$runs'"; exit 2 ;; esac
case "$seed" in ''|*[!0-9]*) say "nemesis.sh: --seed wants a whole number, got '$seed'"; exit 2 ;; esac
if ! seconds=$(awk -v m="$minutes" 'BEGIN { if (m !~ /^[0-9]+(\.[0-9]+)?$/ || m * 60 < 1) exit 1; printf "%d", m * 60 }'); then
  say "nemesis.sh: --minutes wants a positive number (at least 1 s), got '$minutes'"
  exit 2
fi
ensure_jar
mkdir -p "$dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
passed=0
failed=0
failures=()
for ((i = 0; i < runs; i++)); do
  s=$((seed + i))
  nodes=$((i % 2 == 0 ? 3 : 5))
  run_dir="$dir/$stamp-seed$s-n$nodes"
  if out=$(java -jar "$JAR" nemesis --seed "$s" --nodes "$nodes" --seconds "$seconds" \
      --dir "$run_dir" 2>"$dir/$stamp-seed$s.stderr"); then
    passed=$((passed + 1))
    rm -f "$dir/$stamp-seed$s.stderr"
  else
    failed=$((failed + 1))
    [ -n "$out" ] || out="FAIL seed=$s nodes=$nodes (no summary; stderr in $dir/$stamp-seed$s.stderr)"
    failures+=("seed $s nodes $nodes: $run_dir/history.txt, $run_dir/node-*.log")
  fi
  printf '%s\n' "$out"
done
printf '%d passed, %d failed\n' "$passed" "$failed"
for f in "${failures[@]+"${failures[@]}"}"; do
  printf '  %s\n' "$f"
done
[ "$failed" -eq 0 ]
