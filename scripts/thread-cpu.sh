#!/usr/bin/env bash
# Where a running process spends its CPU, by thread: samples utime+stime of every thread of
# each PID (/proc/PID/task/*/stat), waits SECONDS, samples again, and prints each process's
# total and its busiest thread groups in clock ticks (1/CLK_TCK s). A group is a thread name
# with its trailing number removed ("grpc-default-worker-ELG-3-1" and "-2" are one group).
# No agent, no safepoints: unlike JFR it does not trigger recompilation, so it measures a
# warmed-up JVM as it runs (docs/benchmarks.md, "Steady state").
#
#   scripts/thread-cpu.sh [--top N] SECONDS PID...
#
# Exit 2 for a bad argument or a PID that is not running at the start. A thread that exits
# during the window is not counted (its ticks leave /proc with it); one born in it counts from 0.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() { say "usage: scripts/thread-cpu.sh [--top N] SECONDS PID..."; exit 2; }
top=12
if [ "${1:-}" = --top ]; then
  [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || usage
  top=$2
  shift 2
fi
[ $# -ge 2 ] || usage
secs=$1
shift
[[ "$secs" =~ ^[1-9][0-9]*$ ]] || { say "thread-cpu.sh: SECONDS must be a whole number >= 1, not '$secs'"; exit 2; }
for p in "$@"; do
  [[ "$p" =~ ^[1-9][0-9]*$ ]] || { say "thread-cpu.sh: not a PID: '$p'"; exit 2; }
  [ -d "/proc/$p/task" ] || { say "thread-cpu.sh: no process $p"; exit 2; }
done

shopt -s extglob
snapshot() { # PID: one "TID<TAB>GROUP<TAB>TICKS" line per thread
  local f name
  for f in /proc/"$1"/task/*; do
    read_stat "$f/stat" || continue
    name=${STAT_COMM%%+([0-9])}
    name=${name%[-_ ]}
    printf '%s\t%s\t%s\n' "${f##*/}" "${name//[^[:print:]]/?}" "$STAT_TICKS"
  done
}

declare -A before
for p in "$@"; do before[$p]=$(snapshot "$p"); done
sleep "$secs"
echo "CPU by thread group over $secs s, in ticks of 1/$(getconf CLK_TCK) s:"
for p in "$@"; do
  after=$(snapshot "$p")
  # ticks per group: after minus before, per thread id (a thread born in the window from 0)
  awk -F'\t' -v pid="$p" -v top="$top" '
    NR == FNR { t0[$1] = $3; next }
    { d = $3 - (($1 in t0) ? t0[$1] : 0); g[$2] += d; total += d }
    END {
      printf "pid %s: %d ticks\n", pid, total
      n = 0
      for (k in g) { names[++n] = k }
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (g[names[j]] > g[names[i]]) { x = names[i]; names[i] = names[j]; names[j] = x }
      for (i = 1; i <= n && i <= top; i++) printf "  %6d  %s\n", g[names[i]], names[i]
    }' <(printf '%s\n' "${before[$p]}") <(printf '%s\n' "$after")
done
