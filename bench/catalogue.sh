#!/usr/bin/env bash
# How long a published catalogue takes to be served by every node: `smshall catalogue publish`
# stores a new version, and the script polls each node's /health (every 10 ms) until it names that
# version. Two nodes on one PostgreSQL database (a throwaway server, as bench/webhook.sh starts it),
# where nodes LISTEN for the version's NOTIFY; and one node on SQLite, which looks every two seconds.
# Each case publishes ROUNDS (default 10) versions, each a small edit (one more alias), and prints
# the delay from the publish command's return (the version is stored) to each node serving it.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-10}
out=bench/out
mkdir -p "$out"
source bench/common.sh
need curl
build
settings=(--Twilio:AuthToken=bench-token --Logging:LogLevel:Default=Warning)

now() { date +%s.%N; }
version_of() { curl -sf "http://127.0.0.1:$1/health" | sed -n 's/.*"version":\([0-9]*\).*/\1/p'; }
wait_for() { # port, version, when the version was stored: seconds from then until the node serves it, polling every 10 ms
  local start=$3
  until [ "$(version_of "$1")" = "$2" ]; do
    sleep 0.01
    if awk -v s="$start" -v n="$(now)" 'BEGIN { exit !(n - s > 30) }'; then echo "timeout"; return; fi
  done
  awk -v s="$start" -v n="$(now)" 'BEGIN { printf "%.3f", n - s }'
}

measure() { # name, "--db settings", ports...
  local name=$1 db=$2
  shift 2
  local delays=()
  for round in $(seq "$rounds"); do
    sed "s/^- en aliases: BAL, CXYE$/- en aliases: BAL, CXYE, XBENCH$round/" commands.md >"$out/catalogue-$round.md"
    # shellcheck disable=SC2086
    local published
    published=$(dotnet $smshall catalogue publish "$out/catalogue-$round.md" --note "bench round $round" $db)
    local stored
    stored=$(now)
    local version
    version=$(sed -n 's/.*version \([0-9]*\).*/\1/p' <<<"$published" | head -n 1)
    for port in "$@"; do delays+=("$(wait_for "$port" "$version" "$stored")"); done
  done
  printf '%s\n' "${delays[@]}" | sort -n | awk -v name="$name" '
    { d[NR] = $1; sum += $1 }
    END { printf "%s: %d switches, median %.3f s, max %.3f s, mean %.3f s\n", name, NR, d[int((NR + 1) / 2)], d[NR], sum / NR }'
}

pg_start 55433
trap pg_stop EXIT
pg_database bench_catalogue
pg=(--Database:Provider=Postgres "--Database:ConnectionString=$pg_connection")
dotnet $smshall db migrate "${pg[@]}" >/dev/null
dotnet $smshall serve --urls http://127.0.0.1:5101 "${pg[@]}" "${settings[@]}" & a=$!
dotnet $smshall serve --urls http://127.0.0.1:5102 "${pg[@]}" "${settings[@]}" & b=$!
for port in 5101 5102; do for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done; done
measure "postgres, two nodes (NOTIFY)" "${pg[*]}" 5101 5102
kill $a $b; wait $a $b 2>/dev/null || true

rm -f "$out"/catalogue.db*
sqlite=(--Database:Path="$out/catalogue.db")
dotnet $smshall db migrate "${sqlite[@]}" >/dev/null
dotnet $smshall serve --urls http://127.0.0.1:5103 "${sqlite[@]}" "${settings[@]}" & c=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:5103/health" >/dev/null && break; sleep 0.1; done
measure "sqlite, one node (looks every 2 s)" "${sqlite[*]}" 5103
kill $c; wait $c 2>/dev/null || true
