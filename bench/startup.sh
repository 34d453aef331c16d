#!/usr/bin/env bash
# Start-up on a warm machine: `smshall parse` and `smshall text` from start to answer (hyperfine),
# and `smshall serve` from start to its first 200 on /health.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
source bench/common.sh
need hyperfine curl
build
smshall=src/SmsHall/bin/Release/net10.0/smshall # the executable itself: its start-up is what is timed
rm -f "$out"/startup.db*
"$smshall" db seed --Database:Path="$out/startup.db" >/dev/null

hyperfine --warmup 3 --runs 15 --export-markdown "$out/startup.md" \
  "$smshall parse bal --Database:Path=$out/startup.db" \
  "$smshall text +15550000001 bal --Database:Path=$out/startup.db"

# serve: from the process start to the first answer of /health, five times.
for i in 1 2 3 4 5; do
  start=$(date +%s%N)
  "$smshall" serve --urls http://127.0.0.1:5099 --Database:Path="$out/startup.db" --Twilio:AuthToken=x --Logging:LogLevel:Default=Warning >/dev/null 2>&1 &
  pid=$!
  until curl -sf http://127.0.0.1:5099/health >/dev/null; do sleep 0.01; done
  echo "serve: /health answered after $(( ($(date +%s%N) - start) / 1000000 )) ms"
  kill $pid; wait $pid 2>/dev/null || true
done
