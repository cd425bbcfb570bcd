#!/usr/bin/env bash
# db20 on Ratis against etcd, side by side (issue 17). Builds the db20 jar and bench/ratis (etcd
# 3.7.3 from go.mod, a clientv3 load client mirroring `db20 client load`, an fdatasync probe),
# starts a 3-node cluster of each on 127.0.0.1 with data on the same disk, warms both up, then
# runs every configuration for both, interleaved, --rounds times; prints one Markdown table of
# medians over the rounds on stdout (progress on stderr).
#
#   scripts/bench-ratis.sh [--rounds N] [--seconds S] [--configs 1x1,16x1,16x16,64x1]
#                          [--warmup S] [--run-warmup S] [--dir DATA] [--quick] [--no-build]
#                          [--insecure] [--server-opts "OPTIONS"] [--etcd-tls]
#
#   --rounds N    measured rounds after the warm-up (default 3)
#   --seconds S   measured seconds of one run (default 10)
#   --warmup S    one 16x16 run of S seconds on each system before the rounds (default 90):
#                 db20's servers spend most of their first minute under load in the JIT's C2
#                 compiler (docs/benchmarks.md), and the table is of steady state
#   --run-warmup S  load before each run's clock starts, both systems (default 15): db20's
#                 load client keeps C2 (LOAD_JVM_FLAGS in lib.sh), whose compilations are
#                 mostly done after 10-15 s of 16x16 (not at 1x1; docs/benchmarks.md)
#   --configs     clients x window pairs (default 1x1,16x1,16x16,64x1)
#   --dir DATA    data directory (default build/bench-ratis/data); emptied first
#   --insecure    db20 without TLS (`local --insecure`; the default is mutual TLS on every
#                 endpoint, as `db20 local` runs it)
#   --etcd-tls    etcd with mutual TLS on its client and peer endpoints, as db20 has by
#                 default (certificates from `db20 certs`: node-I for member I, client for the
#                 load client); the default is etcd's own default, plain HTTP
#   --server-opts db20 tuning options for `db20 local` to pass to every server, as one word
#                 (e.g. "--append-wait-min-ms 1"; docs/ratis.md#tuning-options)
#   --quick       a smoke run: 1 round, 2 s runs, 0.5 s run warm-ups, a 7.5 s first warm-up
#
# Measured per run, for the three server processes of the system under load:
#   ops/s, p50, p99        from the load client's line (clock from the end of its warm-up to
#                          its last reply)
#   CPU per write          utime+stime of the three servers (/proc/PID/stat) from the end of
#                          the client's warm-up to its exit / the measured writes
#   load client CPU        the client's own CPU time over its measured phase (its cpu=Zms,
#                          from getrusage / the JVM's process CPU time) / measured writes
#   flushes per write      flush requests completed by the data directory's block device
#                          (/proc/diskstats, flushes completed), over the same span: one per fdatasync,
#                          but device-wide, so other writers on the disk count too
#   db20's JIT share       CPU of the servers' C1 and C2 compiler threads over all measured
#                          db20 runs / the servers' CPU over them (printed above the table)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
# The machine's load before this script adds any (the runs' own figures include the benchmark).
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

rounds=3
insecure=()
etcd_tls=0
server_opts=()
seconds=10
warm=15
first_warm=90
configs=1x1,16x1,16x16,64x1
build=1
out="$ROOT/build/bench-ratis"
data="$out/data"
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="${2:-}"; shift 2 ;;
    --seconds) seconds="${2:-}"; shift 2 ;;
    --configs) configs="${2:-}"; shift 2 ;;
    --dir) data="${2:-}"; shift 2 ;;
    --warmup) first_warm="${2:-}"; shift 2 ;;
    --run-warmup) warm="${2:-}"; shift 2 ;;
    --quick) rounds=1; seconds=2; warm=0.5; first_warm=7.5; shift ;;
    --no-build) build=0; shift ;;
    --insecure) insecure=(--insecure); shift ;;
    --etcd-tls) etcd_tls=1; shift ;;
    --server-opts) read -r -a server_opts <<< "${2:-}"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) say "bench-ratis.sh: unknown argument '$1' (see --help)"; exit 2 ;;
  esac
done
case "$rounds" in ''|*[!0-9]*|0) say "bench-ratis.sh: --rounds wants a whole number >= 1, got '$rounds'"; exit 2 ;; esac
case "$seconds" in ''|*[!0-9.]*|*.*.*|.) say "bench-ratis.sh: --seconds wants a number > 0, got '$seconds'"; exit 2 ;; esac
awk -v s="$seconds" 'BEGIN {exit !(s > 0 && s <= 3600)}' || { say "bench-ratis.sh: --seconds wants 0 < S <= 3600, got '$seconds'"; exit 2; }
case "$first_warm" in ''|*[!0-9.]*|*.*.*|.) say "bench-ratis.sh: --warmup wants a number > 0, got '$first_warm'"; exit 2 ;; esac
awk -v s="$first_warm" 'BEGIN {exit !(s > 0 && s <= 3600)}' || { say "bench-ratis.sh: --warmup wants 0 < S <= 3600, got '$first_warm'"; exit 2; }
case "$warm" in ''|*[!0-9.]*|*.*.*|.) say "bench-ratis.sh: --run-warmup wants a number >= 0, got '$warm'"; exit 2 ;; esac
awk -v s="$warm" 'BEGIN {exit !(s >= 0 && s <= 3600)}' || { say "bench-ratis.sh: --run-warmup wants 0 <= S <= 3600, got '$warm'"; exit 2; }
for c in ${configs//,/ }; do
  [[ "$c" =~ ^[1-9][0-9]{0,3}x[1-9][0-9]{0,3}$ ]] || { say "bench-ratis.sh: bad config '$c' (CLIENTSxWINDOW, e.g. 16x1)"; exit 2; }
done
need go "the etcd side" || exit 2
need java "the db20 side" || exit 2

if [ "$build" = 1 ]; then
  ensure_jar
  say "building bench/ratis (etcd 3.7.3 and the clientv3 load client)..."
  mkdir -p "$out"
  (cd bench/ratis && GOFLAGS=-mod=readonly go build -o "$out/db20bench" .)
fi
[ -f "$JAR" ] || { say "bench-ratis.sh: $JAR missing (run without --no-build)"; exit 2; }
[ -x "$out/db20bench" ] || { say "bench-ratis.sh: $out/db20bench missing (run without --no-build)"; exit 2; }
B="$out/db20bench"

case "$data" in /*) ;; *) data="$PWD/$data" ;; esac
if [ -e "$data" ] && [ ! -f "$data/.bench-ratis" ]; then
  say "bench-ratis.sh: $data exists and is not a bench-ratis data directory; refusing to empty it"
  exit 2
fi
rm -rf "$data"
mkdir -p "$data"
: > "$data/.bench-ratis"

# The block device under the data directory, for its flush count.
dev=$(df --output=source "$data" | tail -1)
devname=$(basename "$(readlink -f "$dev")")
grep -q " $devname " /proc/diskstats || { say "bench-ratis.sh: $devname (under $data) not in /proc/diskstats"; exit 2; }
flushes() { awk -v d="$devname" '$3 == d {print $19}' /proc/diskstats; }
hz=$(getconf CLK_TCK)
cpu_ticks() { # the summed utime+stime of PIDs
  local t=0 p
  for p in "$@"; do read_stat "/proc/$p/stat" && t=$((t + STAT_TICKS)); done
  echo "$t"
}
jit_ticks() { # the summed utime+stime of the C1 and C2 compiler threads of PIDs
  local t=0 p f
  for p in "$@"; do
    for f in /proc/"$p"/task/*; do
      read_stat "$f/stat" || continue
      case "$STAT_COMM" in "C1 Compiler"*|"C2 Compiler"*) t=$((t + STAT_TICKS)) ;; esac
    done
  done
  echo "$t"
}

pids=()
cleanup() {
  local p
  # SIGTERM: `db20 local` stops its servers itself.
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# etcd: three members, default flags apart from addresses and names (and, with --etcd-tls,
# mutual TLS on both its client and its peer endpoints: the client CA for clients, the node CA
# for members, as db20's servers check them).
read -r ec0 ep0 ec1 ep1 ec2 ep2 <<<"$("$B" ports 6)"
scheme=http
etcd_client_tls=()
if [ "$etcd_tls" = 1 ]; then
  scheme=https
  certs="$data/etcd-tls"
  java -jar "$JAR" certs --out "$certs" --nodes 3 >/dev/null \
    || { say "bench-ratis.sh: db20 certs failed for etcd's certificates"; exit 1; }
  etcd_client_tls=(--cacert "$certs/ca-node.pem" --cert "$certs/client.pem" --key "$certs/client.key")
fi
initial="e0=$scheme://127.0.0.1:$ep0,e1=$scheme://127.0.0.1:$ep1,e2=$scheme://127.0.0.1:$ep2"
etcd_pids=()
for i in 0 1 2; do
  c="ec$i"; p="ep$i"
  member_tls=()
  if [ "$etcd_tls" = 1 ]; then
    member_tls=(--cert-file "$certs/node-$i.pem" --key-file "$certs/node-$i.key"
      --trusted-ca-file "$certs/ca-client.pem" --client-cert-auth
      --peer-cert-file "$certs/node-$i.pem" --peer-key-file "$certs/node-$i.key"
      --peer-trusted-ca-file "$certs/ca-node.pem" --peer-client-cert-auth)
  fi
  "$B" etcd --name "e$i" --data-dir "$data/etcd-$i" \
    --listen-client-urls "$scheme://127.0.0.1:${!c}" --advertise-client-urls "$scheme://127.0.0.1:${!c}" \
    --listen-peer-urls "$scheme://127.0.0.1:${!p}" --initial-advertise-peer-urls "$scheme://127.0.0.1:${!p}" \
    --initial-cluster "$initial" --initial-cluster-state new --initial-cluster-token db20bench \
    "${member_tls[@]}" --log-level warn >"$data/etcd-$i.log" 2>&1 &
  pids+=($!); etcd_pids+=($!)
done
endpoints="$scheme://127.0.0.1:$ec0,$scheme://127.0.0.1:$ec1,$scheme://127.0.0.1:$ec2"

# db20: `db20 local` (three `db20 server` children, with the JVM flags and ports it picks).
java -jar "$JAR" local --nodes 3 --dir "$data/db20" "${insecure[@]}" "${server_opts[@]}" >"$data/db20-local.out" 2>"$data/db20-local.err" &
local_pid=$!
pids+=($local_pid)
db20_pids=()
for _ in $(seq 100); do
  mapfile -t db20_pids < <(pgrep -P "$local_pid" || true)
  [ "${#db20_pids[@]}" -eq 3 ] && [ -s "$data/db20-local.out" ] && break
  sleep 0.1
done
[ "${#db20_pids[@]}" -eq 3 ] || { say "bench-ratis.sh: db20 local did not start 3 servers ($data/db20-local.err)"; exit 1; }
# local prints the client's options: --peers P, and --tls-dir T unless --insecure.
read -r -a client_opts < <(grep '^--peers ' "$data/db20-local.out")
jvm_flags=$(tr '\0' ' ' < "/proc/${db20_pids[0]}/cmdline" | sed 's/ -cp .*//; s/^[^ ]* *//')

"$B" ready --endpoints "$endpoints" "${etcd_client_tls[@]}" || { say "bench-ratis.sh: etcd did not come up (logs: $data/etcd-N.log)"; exit 1; }
java "${CLIENT_JVM_FLAGS[@]}" -jar "$JAR" client "${client_opts[@]}" get k0 >/dev/null \
  || { say "bench-ratis.sh: db20 did not come up (logs: $data/db20/node-N.log)"; exit 1; }

probe=$("$B" fsync --dir "$data" --count 300)

# run SYSTEM CLIENTS WINDOW SECONDS WARMUP: one load run; prints
# "ops ops/s p50 p99 server_cpu_ms flushes client_cpu_ms" (per measured write).
# CPU and flushes are sampled when the client says "load: measuring" on stderr (end of its
# warm-up) and when it exits, and divided by the measured writes.
run() {
  local sys=$1 c=$2 w=$3 s=$4 wu=$5 line f0 f1 t0 t1 j0 j1 client sp
  local errf="$data/load.err" outf="$data/load.out"
  : > "$errf"
  if [ "$sys" = db20 ]; then
    sp=("${db20_pids[@]}")
    java "${LOAD_JVM_FLAGS[@]}" -jar "$JAR" client "${client_opts[@]}" load --seconds "$s" --warmup "$wu" \
      --clients "$c" --window "$w" --seed 1 --keys 16 >"$outf" 2>"$errf" &
  else
    sp=("${etcd_pids[@]}")
    "$B" load --endpoints "$endpoints" "${etcd_client_tls[@]}" --seconds "$s" --warmup "$wu" \
      --clients "$c" --window "$w" --seed 1 --keys 16 >"$outf" 2>"$errf" &
  fi
  client=$!
  until grep -q '^load: measuring' "$errf" || ! kill -0 "$client" 2>/dev/null; do sleep 0.01; done
  # Each server's CPU, read once per end of the span: the total is their sum.
  local -a n0=() n1=(); local q i
  f0=$(flushes); for q in "${sp[@]}"; do n0+=("$(cpu_ticks "$q")"); done; j0=$(jit_ticks "${sp[@]}")
  if ! wait "$client"; then
    say "bench-ratis.sh: $sys load ${c}x$w failed:"; tail -3 "$errf" >&2; exit 1
  fi
  for q in "${sp[@]}"; do n1+=("$(cpu_ticks "$q")"); done; f1=$(flushes); j1=$(jit_ticks "${sp[@]}")
  # Each server's own CPU over the run, in the order of sp, so a node that did little shows.
  local per=""; t0=0; t1=0
  for i in "${!sp[@]}"; do per="$per $((n1[i] - n0[i]))"; t0=$((t0 + n0[i])); t1=$((t1 + n1[i])); done
  echo "$sys${per}" >> "$data/per-node"
  if [ "$sys" = db20 ]; then echo "$((j1 - j0)) $((t1 - t0))" >> "$data/jit"; fi
  line=$(grep '^load ops=' "$outf")
  # load ops=M clients=C window=W seconds=S ops/s=R p50=Xms p99=Yms warmup-ops=N cpu=Zms
  awk -v l="$line" -v dt=$((t1 - t0)) -v df=$((f1 - f0)) -v hz="$hz" 'BEGIN {
    n = split(l, f, " "); for (i = 2; i <= n; i++) { split(f[i], kv, "="); v[kv[1]] = kv[2] }
    sub(/ms$/, "", v["p50"]); sub(/ms$/, "", v["p99"]); sub(/ms$/, "", v["cpu"])
    client = sprintf("%.3f", v["cpu"] / v["ops"])
    printf "%s %s %s %s %.3f %.2f %s\n", v["ops"], v["ops/s"], v["p50"], v["p99"],
      dt * 1000 / hz / v["ops"], df / v["ops"], client }'
}

say "warm-up: 16x16 for $first_warm s on each system..."
run db20 16 16 "$first_warm" 0 >/dev/null || exit 1
run etcd 16 16 "$first_warm" 0 >/dev/null || exit 1

results="$data/results"
: > "$results"
: > "$data/jit"
: > "$data/per-node"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((r = 1; r <= rounds; r++)); do
  for cw in ${configs//,/ }; do
    c=${cw%x*}; w=${cw#*x}
    # Alternate which system goes first, round by round.
    if ((r % 2)); then order="db20 etcd"; else order="etcd db20"; fi
    for sys in $order; do
      say "round $r/$rounds: $sys ${c}x$w for $seconds s"
      res=$(run "$sys" "$c" "$w" "$seconds" "$warm") || exit 1
      echo "$cw $sys $res" >> "$results"
    done
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

median() { sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
col() { awk -v cw="$1" -v s="$2" -v k="$3" '$1 == cw && $2 == s {print $k}' "$results" | median; }

echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo);" \
  "load average at the start $load_start, before the runs (after the warm-ups) $load_before, after $load_after; data on $devname ($data);" \
  "fdatasync probe of 4 KiB there: ${probe#fsync }."
jit=$(awk '{j += $1; t += $2} END {printf "%.1f %%", t ? 100 * j / t : 0}' "$data/jit")
# Each server's share of its system's server CPU, lowest and highest over the measured runs.
per_node() { awk -v s="$1" '$1 == s { t = 0; for (i = 2; i <= NF; i++) t += $i
    if (t) for (i = 2; i <= NF; i++) { x = 100 * $i / t; if (!((i) in lo) || x < lo[i]) lo[i] = x; if (x > hi[i]) hi[i] = x } }
  END { for (i = 2; i in lo; i++) printf "%s%.0f-%.0f %%", (i > 2 ? ", " : ""), lo[i], hi[i] }' "$data/per-node"; }
echo "Medians of $rounds interleaved rounds of $seconds s after ${warm} s warm-ups, each system first warmed up for $first_warm s at 16x16" \
  "(db20's JIT share over its measured runs: $jit of its servers' CPU); etcd 3.7.3 default flags$([ "$etcd_tls" = 0 ] || echo ' apart from TLS')," \
  "db20 local's server JVM flags: ${jvm_flags:-none}, the db20 load client's: ${LOAD_JVM_FLAGS[*]};" \
  "db20 $([ ${#insecure[@]} -eq 0 ] && echo 'with mutual TLS on every endpoint' || echo 'without TLS (--insecure)')$([ ${#server_opts[@]} -eq 0 ] || echo " and ${server_opts[*]}"), etcd $([ "$etcd_tls" = 0 ] && echo 'plain HTTP' || echo 'with mutual TLS on its client and peer endpoints (db20 certs)')."
echo "Each server's share of its three servers' CPU, lowest-highest over the measured runs: db20 $(per_node db20); etcd $(per_node etcd)" \
  "(a leader takes more than a follower; a follower far below the other one did little of the work)."
echo
echo "| clients × window | db20 ops/s | etcd ops/s | etcd ÷ db20 | p50 db20 / etcd | p99 db20 / etcd | server CPU per write, 3 nodes, db20 / etcd | device flushes per write db20 / etcd | load client CPU per write db20 / etcd |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for cw in ${configs//,/ }; do
  do_=$(col "$cw" db20 4); eo=$(col "$cw" etcd 4)
  awk -v cw="$cw" -v d="$do_" -v e="$eo" \
    -v dp50="$(col "$cw" db20 5)" -v ep50="$(col "$cw" etcd 5)" \
    -v dp99="$(col "$cw" db20 6)" -v ep99="$(col "$cw" etcd 6)" \
    -v dcpu="$(col "$cw" db20 7)" -v ecpu="$(col "$cw" etcd 7)" \
    -v dfl="$(col "$cw" db20 8)" -v efl="$(col "$cw" etcd 8)" \
    -v dcl="$(col "$cw" db20 9)" -v ecl="$(col "$cw" etcd 9)" 'BEGIN {
      split(cw, x, "x")
      printf "| %d × %d | %.0f | %.0f | %.2f× | %.2f / %.2f ms | %.2f / %.2f ms | %.3f / %.3f ms | %.2f / %.2f | %.3f / %.3f ms |\n",
        x[1], x[2], d, e, e / d, dp50, ep50, dp99, ep99, dcpu, ecpu, dfl, efl, dcl, ecl }'
done
