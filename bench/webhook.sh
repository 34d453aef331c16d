#!/usr/bin/env bash
# Webhook throughput and latency on this machine, in one run: a bare endpoint, a gateway node on
# SQLite, one gateway node on PostgreSQL, and two PostgreSQL nodes sharing one database behind the
# same load generator (wrk's threads round-robin over their ports).
#
#   bash bench/webhook.sh              # 16 connections, 2 wrk threads, 10 s each
#   DURATION=30s CONNECTIONS=16 bash bench/webhook.sh
#   LOGLEVEL=Warning bash bench/webhook.sh   # the gateways without their per-message log lines
#   SQLITE_ONLY=1 bash bench/webhook.sh      # the SQLite node alone (for A/B runs of a SQLite change)
#   POSTGRES_ONLY=1 bash bench/webhook.sh    # one and two PostgreSQL nodes alone (for A/B runs of a PostgreSQL change)
#
# Every server gets the same Kestrel settings, the same signed, varied Twilio forms (100,000
# synthetic subscribers, 30 phrasings in four languages, a fresh MessageSid each) and the same wrk
# run after a warm-up. The bare endpoint parses the form, checks the signature and writes a constant
# TwiML; a gateway does everything (signature, grammar, account reads, the message and its reply
# committed durably, TwiML). Each gateway case starts on a freshly seeded database, and afterwards
# its database is checked: every 200 must be there. On PostgreSQL (a throwaway server from Debian's
# binaries, synchronous_commit on, as the tests start theirs) it also prints the statements and
# transactions per handled message, from pg_stat_statements and pg_stat_database.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-10s}
# Long enough for the runtime's tiered compilation to settle: after 5 s the JIT still took a
# quarter of a node's CPU, and a node's steady state is what is measured.
warmup=${WARMUP:-15s}
connections=${CONNECTIONS:-16}
threads=2
out=bench/out
mkdir -p "$out"

source bench/common.sh
need wrk sqlite3 curl
build
token=bench-token
public=https://bench.smshall.test
# The gateways log as in production (appsettings.json: one line per message at Information), to
# their files in bench/out; the bare endpoint has nothing to say per request.
settings=(--Twilio:AuthToken=$token --Twilio:PublicBaseUrl=$public --Logging:LogLevel:Default=${LOGLEVEL:-Information})

# The measured run's forms have other sids than the warm-up's: no request is a redelivery.
[ "$(wc -l <"$out/warmup.txt" 2>/dev/null || echo 0)" -ge 200000 ] || dotnet $bench requests --count 200000 --sid-prefix SMWARMUP --seed 1 --out "$out/warmup.txt" --url "$public/twilio/sms" --token $token
[ -f "$out/requests.txt" ] || dotnet $bench requests --count 400000 --sid-prefix SMBENCH --seed 2 --out "$out/requests.txt" --url "$public/twilio/sms" --token $token

run() { # name, port...: warm-up and measured run against the nodes on those ports
  local name=$1
  shift
  local ports
  ports=$(IFS=,; echo "$*")
  for port in "$@"; do
    for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
  done
  WRK_PORTS=$ports wrk -t$threads -c$connections -d"$warmup" -s bench/webhook.lua "http://127.0.0.1:$1" -- "$out/warmup.txt" $threads >/dev/null
  local before result allocated
  before=$(cpu_split)
  allocated=$(allocated_bytes "$@")
  result=$(WRK_PORTS=$ports wrk -t$threads -c$connections -d"$duration" -s bench/webhook.lua "http://127.0.0.1:$1" -- "$out/requests.txt" $threads | grep '^RESULT' | sed "s/^RESULT/$name/")
  echo "$result $(cpu_split_since "$before")$(allocated_per_request "$allocated" "$result" "$@")"
}
# Bytes the nodes' managed heaps allocated, from their /metrics (the runtime's own counter); empty for
# the bare endpoint, which has none.
allocated_bytes() { # ports...
  local total=0 port bytes
  for port in "$@"; do
    bytes=$(curl -sf "http://127.0.0.1:$port/metrics" | sed -n 's/^dotnet_gc_heap_total_allocated_bytes_total[^ ]* \([0-9.e+]*\).*/\1/p' | head -n 1)
    [ -n "$bytes" ] || return 0
    total=$(awk -v a="$total" -v b="$bytes" 'BEGIN { printf "%.0f", a + b }')
  done
  echo "$total"
}
allocated_per_request() { # bytes before, the wrk result, ports...
  [ -n "$1" ] || return 0
  local after requests
  after=$(allocated_bytes "${@:3}")
  requests=$(sed -n 's/.* requests=\([0-9]*\).*/\1/p' <<<"$2")
  [ -n "$after" ] && [ "${requests:-0}" -gt 0 ] && awk -v a="$1" -v b="$after" -v n="$requests" 'BEGIN { printf " alloc_per_request_kb=%.1f", (b - a) / n / 1024 }'
}
# Where the two cores went during the measured run: CPU seconds of the gateway nodes (or the bare
# endpoint) and of PostgreSQL's processes, as shares of both cores, from /proc (utime + stime); the
# rest is wrk's, and idle.
cpu_of() { # pids...: their CPU ticks together
  local total=0 pid
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] && total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
cpu_split() {
  echo "$(cpu_of $(pgrep -f 'smshall.dll serve|SmsHall.Bench.dll bare')) $(cpu_of $(pgrep -x postgres)) $(date +%s%N)"
}
cpu_split_since() { # the cpu_split taken before the run; wrk's own share is the rest of the two cores
  local node db at node2 db2 at2
  read -r node db at <<<"$1"
  read -r node2 db2 at2 <<<"$(cpu_split)"
  awk -v n=$((node2 - node)) -v d=$((db2 - db)) -v t=$((at2 - at)) -v hz="$(getconf CLK_TCK)" -v cores="$(nproc)" \
    'BEGIN { s = t / 1e9; printf "cpu_node=%.0f%% cpu_db=%.0f%% cpu_wrk_idle=%.0f%%", 100 * n / hz / s / cores, 100 * d / hz / s / cores, 100 - 100 * (n + d) / hz / s / cores }'
}
stop() { kill "$@"; wait "$@" 2>/dev/null || true; }

if [ -z "${SQLITE_ONLY:-}${POSTGRES_ONLY:-}" ]; then
  dotnet $bench bare --urls http://127.0.0.1:5091 "${settings[@]}" --Logging:LogLevel:Default=Warning & bare=$!
  bare_line=$(run bare 5091); stop $bare
fi

if [ -z "${POSTGRES_ONLY:-}" ]; then
  rm -f "$out"/webhook.db*
  dotnet $smshall db seed --subscribers 100000 --Database:Path="$out/webhook.db" >/dev/null
  dotnet $smshall serve --urls http://127.0.0.1:5090 --Database:Path="$out/webhook.db" "${settings[@]}" >"$out/sqlite-node.log" 2>&1 & gateway=$!
  sqlite_line=$(run sqlite 5090); stop $gateway
  sqlite_handled=$(sqlite3 "$out/webhook.db" "SELECT COUNT(*) FROM inbound_messages WHERE status = 'handled'")
  sqlite_replies=$(sqlite3 "$out/webhook.db" "SELECT COUNT(*) FROM outbound_messages")
  sqlite_failed=$(sqlite3 "$out/webhook.db" "SELECT COUNT(*) FROM inbound_messages WHERE status <> 'handled'")
fi

if [ -n "${SQLITE_ONLY:-}" ]; then
  echo "$sqlite_line"
  echo "  sqlite database: $sqlite_handled messages handled, $sqlite_replies replies recorded, $sqlite_failed recorded but not answered"
  exit 0
fi

pg_start 55432
trap pg_stop EXIT
pg_case() { # name, database, node count
  local name=$1 database=$2 count=$3 pids=() ports=()
  pg_database "$database"
  local db=(--Database:Provider=Postgres "--Database:ConnectionString=$pg_connection")
  dotnet $smshall db seed --subscribers 100000 "${db[@]}" >/dev/null
  # The seeding's WAL checkpointed, so a checkpoint set off by 1.45 M fresh rows does not run during
  # the measurement. (Not ANALYZE: on the empty message log it plans scans that the growing log then
  # pays for — tried, 759 messages a second.)
  pg_sql "$database" "CHECKPOINT" >/dev/null
  pg_sql "$database" "SELECT pg_stat_statements_reset()" >/dev/null
  for i in $(seq "$count"); do
    local port=$((5092 + i))
    dotnet $smshall serve --urls "http://127.0.0.1:$port" "${db[@]}" --Outbox:NodeName="node$i" "${settings[@]}" >"$out/$name-node$i.log" 2>&1 & pids+=($!)
    ports+=("$port")
  done
  local xacts_before
  xacts_before=$(pg_sql "$database" "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")
  local line
  line=$(run "$name" "${ports[@]}")
  stop "${pids[@]}"
  local handled replies statements xacts failed
  handled=$(pg_sql "$database" "SELECT COUNT(*) FROM inbound_messages WHERE status = 'handled'")
  failed=$(pg_sql "$database" "SELECT COUNT(*) FROM inbound_messages WHERE status <> 'handled'")
  replies=$(pg_sql "$database" "SELECT COUNT(*) FROM outbound_messages")
  statements=$(pg_sql "$database" "SELECT SUM(calls) FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat%' AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())")
  xacts=$(pg_sql "$database" "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")
  pg_sql "$database" "SELECT round(calls::numeric / $handled, 2) || ' ' || regexp_replace(left(query, 90), '\s+', ' ', 'g') FROM pg_stat_statements
    WHERE query NOT LIKE '%pg_stat%' AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY calls DESC LIMIT 15" >"$out/$name-statements.txt"
  echo "$line"
  echo "  $name database: $handled messages handled, $replies replies recorded, $failed recorded but not answered (cut off at the end of the run, or failed; warm-up included); per message $(awk -v s="$statements" -v h="$handled" 'BEGIN { printf "%.1f", s / h }') statements, $(awk -v x="$((xacts - xacts_before))" -v h="$handled" 'BEGIN { printf "%.2f", x / h }') transactions"
}
pg1_out=$(pg_case postgres1 bench_one 1)
pg2_out=$(pg_case postgres2 bench_two 2)

value() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" <<<"$1"; }
ratio() { awk -v a="$(value "$1" rps)" -v b="$(value "$2" rps)" -v name="$3" 'BEGIN { printf "%s = %.0f %%\n", name, 100 * a / b }'; }
if [ -n "${POSTGRES_ONLY:-}" ]; then
  echo "$pg1_out"
  echo "$pg2_out"
  ratio "$(head -n 1 <<<"$pg2_out")" "$(head -n 1 <<<"$pg1_out")" "ratio postgres2/postgres1"
  exit 0
fi

echo "$bare_line"
echo "$sqlite_line"
echo "  sqlite database: $sqlite_handled messages handled, $sqlite_replies replies recorded, $sqlite_failed recorded but not answered (cut off at the end of the run, or failed; warm-up included)"
echo "$pg1_out"
echo "$pg2_out"
ratio "$sqlite_line" "$bare_line" "ratio sqlite/bare"
ratio "$(head -n 1 <<<"$pg1_out")" "$sqlite_line" "ratio postgres1/sqlite"
ratio "$(head -n 1 <<<"$pg2_out")" "$sqlite_line" "ratio postgres2/sqlite"
ratio "$(head -n 1 <<<"$pg2_out")" "$(head -n 1 <<<"$pg1_out")" "ratio postgres2/postgres1"
