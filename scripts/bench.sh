#!/usr/bin/env bash
# Whole-process benchmark of every implementation present, as a user runs each program
# (Java: build/bin/db20-java, the jar with its start-up archive, JVM start included; see
# scripts/lib.sh run_java). Builds them (scripts/build-all.sh), then runs
# each workload once to warm the file cache and `--runs` times measured, and prints a Markdown
# table: median wall time, ops/s, peak RSS (from /usr/bin/time), ratio to the fastest.
#
#   scripts/bench.sh [--runs N] [--workloads a,b,c,d] [--impls java,rust,go,cpp] [--no-build]
#
# Workloads (a-c: issue 8; d: issue 20):
#   a  cluster 5, keys 100000, 600k ops, partition 3 4, 200k ops, heal, 200k ops, digest  (1M ops)
#   b  the same with ten times every ops count                                           (10M ops)
#   c  cluster 5, keys 16, ops 1000000, digest                                           (1M ops)
#   d  cluster 7, keys 5000, 20k ops, the leader cut off, 20k ops, heal, 10k ops, digest   (50k ops)
#      (issue 20's small script: start-up is most of it)
# Each run's stdout is compared with the first implementation's: a benchmark of a wrong answer
# is no benchmark. The machine matters: quote numbers with `nproc` and the load at the time.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

runs=5
workloads=a,b,c,d
impls="${IMPLS[*]}"
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --workloads) workloads="$2"; shift 2 ;;
    --impls) impls="${2//,/ }"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) say "bench.sh: unknown argument '$1' (see --help)"; exit 2 ;;
  esac
done
case "$runs" in ''|*[!0-9]*|0) say "bench.sh: --runs wants a whole number >= 1, got '$runs'"; exit 2 ;; esac
[ -x /usr/bin/time ] || { say "bench.sh: /usr/bin/time is missing (apt-get install time)"; exit 2; }

[ "$build" = 1 ] && scripts/build-all.sh >/dev/null

dir="$ROOT/build/bench"
mkdir -p "$dir"
script_of() {
  case "$1" in
    a) printf 'cluster 5\nseed 7\nkeys 100000\nops 600000\npartition 3 4\nops 200000\nheal\nops 200000\ndigest\n' ;;
    b) printf 'cluster 5\nseed 7\nkeys 100000\nops 6000000\npartition 3 4\nops 2000000\nheal\nops 2000000\ndigest\n' ;;
    c) printf 'cluster 5\nkeys 16\nops 1000000\ndigest\n' ;;
    d) printf 'cluster 7\nseed 7\nkeys 5000\nops 20000\npartition 0\nops 20000\nheal\nops 10000\ndigest\n' ;;
    *) say "bench.sh: unknown workload '$1' (a, b, c or d)"; exit 2 ;;
  esac
}
ops_of() { case "$1" in a) echo 1000000 ;; b) echo 10000000 ;; c) echo 1000000 ;; d) echo 50000 ;; esac; }

median() { sort -n | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'; }

cds_flags
java_start="Java start-up archive: $([ ${#CDS_FLAGS[@]} -gt 0 ] && echo "used ($(basename "$JSA"))" || echo "NOT used (missing or stale: scripts/build-all.sh makes it)")"
printf '%s\n' "$java_start"
printf '%s\n' "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load before: $(cut -d' ' -f1-3 /proc/loadavg); $runs runs after 1 warm-up, median."
for w in ${workloads//,/ }; do
  script_of "$w" > "$dir/$w.txt"
  ops=$(ops_of "$w")
  rows=()
  reference=""
  for impl in $impls; do
    prog="$BIN/db20-$impl"
    [ -x "$prog" ] || { say "bench.sh: $prog missing, skipped"; continue; }
    "$prog" run "$dir/$w.txt" > "$dir/$w.$impl.out"
    if [ -z "$reference" ]; then
      reference="$dir/$w.$impl.out"
    elif ! cmp -s "$reference" "$dir/$w.$impl.out"; then
      say "bench.sh: $impl prints other bytes than $(basename "$reference" .out) on workload $w"; exit 1
    fi
    : > "$dir/$w.$impl.times"
    for _ in $(seq "$runs"); do
      # Wall time from bash's microsecond clock (/usr/bin/time's %e counts in 10 ms steps, and
      # the native ports finish workload d in less); peak RSS from /usr/bin/time.
      t0=$EPOCHREALTIME
      /usr/bin/time -f '%M' -o "$dir/$w.$impl.time1" "$prog" run "$dir/$w.txt" > /dev/null
      t1=$EPOCHREALTIME
      echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.6f", b - a}') $(cat "$dir/$w.$impl.time1")" >> "$dir/$w.$impl.times"
    done
    wall=$(cut -d' ' -f1 "$dir/$w.$impl.times" | median)
    rss=$(cut -d' ' -f2 "$dir/$w.$impl.times" | median)
    rows+=("$impl $wall $rss")
  done
  [ ${#rows[@]} -gt 0 ] || continue
  fastest=$(printf '%s\n' "${rows[@]}" | awk '{print $2}' | sort -n | head -n1)
  printf '\n### Workload %s (%s ops): %s\n\n' "$w" "$ops" "$(tr '\n' ' ' < "$dir/$w.txt" | sed 's/ $//')"
  printf '| implementation | median wall (s) | ops/s | peak RSS (MiB) | wall / fastest |\n|---|---:|---:|---:|---:|\n'
  for r in "${rows[@]}"; do
    set -- $r
    awk -v i="$1" -v wall="$2" -v rss="$3" -v ops="$ops" -v f="$fastest" \
      'BEGIN { printf "| %s | %.3f | %.0f | %.0f | %.2f |\n", i, wall, (wall > 0 ? ops / wall : 0), rss / 1024, (f > 0 ? wall / f : 1) }'
  done
done
