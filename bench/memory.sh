#!/usr/bin/env bash
# Resident memory of the gateway after a million messages (default; MESSAGES=N for another count):
# 100,000 synthetic subscribers, wrk posting signed, varied forms at 16 connections until N have
# been answered, then the gateway's VmRSS and its peak (VmHWM) from /proc.
set -euo pipefail
cd "$(dirname "$0")/.."
messages=${MESSAGES:-1000000}
out=bench/out
mkdir -p "$out"
source bench/common.sh
need wrk sqlite3 curl
build
public=https://bench.smshall.test

rm -f "$out"/memory.db*
dotnet $smshall db seed --subscribers 100000 --Database:Path="$out/memory.db" >/dev/null
[ -f "$out/memory-$messages.txt" ] ||
  dotnet $bench requests --count "$messages" --sid-prefix SMMEMORY --seed 3 --out "$out/memory-$messages.txt" --url "$public/twilio/sms" --token bench-token

dotnet $smshall serve --urls http://127.0.0.1:5092 --Database:Path="$out/memory.db" --Twilio:AuthToken=bench-token \
  --Twilio:PublicBaseUrl=$public --Logging:LogLevel:Default=Warning & gateway=$!
until curl -sf http://127.0.0.1:5092/health >/dev/null; do sleep 0.1; done
# wrk stops on time, not on count: give it ample time and stop it once N messages are in the log.
wrk -t2 -c16 -d3600s -s bench/webhook.lua http://127.0.0.1:5092 -- "$out/memory-$messages.txt" 2 >/dev/null & load=$!
while [ "$(sqlite3 "$out/memory.db" "SELECT COUNT(*) FROM outbound_messages")" -lt "$messages" ]; do sleep 5; done
kill $load; wait $load 2>/dev/null || true
echo "after $(sqlite3 "$out/memory.db" "SELECT COUNT(*) FROM outbound_messages") messages: $(grep -E 'VmRSS|VmHWM' /proc/$gateway/status | tr -s ' ' | tr '\n' ' ')"
kill $gateway; wait $gateway 2>/dev/null || true
