#!/usr/bin/env bash
# Webhook throughput and latency, side by side with a bare endpoint, on this machine.
#
#   bash bench/webhook.sh              # 16 connections, 2 wrk threads, 10 s each
#   DURATION=30s CONNECTIONS=16 bash bench/webhook.sh
#
# Both servers get the same Kestrel settings, the same signed, varied Twilio forms (100,000
# synthetic subscribers, 30 phrasings in four languages, a fresh MessageSid each) and the same wrk
# run after a warm-up. The bare endpoint parses the form, checks the signature and writes a constant
# TwiML; the gateway does everything (signature, grammar, account reads, the message and its reply
# committed durably, TwiML). Afterwards the gateway's database is checked: every 200 must be there.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-10s}
connections=${CONNECTIONS:-16}
threads=2
out=bench/out
mkdir -p "$out"

source bench/common.sh
need wrk sqlite3 curl
build
token=bench-token
public=https://bench.smshall.test
settings=(--Twilio:AuthToken=$token --Twilio:PublicBaseUrl=$public --Logging:LogLevel:Default=Warning)

rm -f "$out"/webhook.db*
dotnet $smshall db seed --subscribers 100000 --Database:Path="$out/webhook.db" >/dev/null
# The measured run's forms have other sids than the warm-up's: no request is a redelivery.
[ -f "$out/warmup.txt" ] || dotnet $bench requests --count 60000 --sid-prefix SMWARMUP --seed 1 --out "$out/warmup.txt" --url "$public/twilio/sms" --token $token
[ -f "$out/requests.txt" ] || dotnet $bench requests --count 400000 --sid-prefix SMBENCH --seed 2 --out "$out/requests.txt" --url "$public/twilio/sms" --token $token

run() { # name, url
  local name=$1 url=$2
  for _ in $(seq 100); do curl -sf "$url/health" >/dev/null && break; sleep 0.1; done
  wrk -t$threads -c$connections -d5s -s bench/webhook.lua "$url" -- "$out/warmup.txt" $threads >/dev/null
  wrk -t$threads -c$connections -d"$duration" -s bench/webhook.lua "$url" -- "$out/requests.txt" $threads | grep '^RESULT' | sed "s/^RESULT/$name/"
}

dotnet $bench bare --urls http://127.0.0.1:5091 "${settings[@]}" & bare=$!
bare_line=$(run bare http://127.0.0.1:5091); kill $bare; wait $bare 2>/dev/null || true

dotnet $smshall serve --urls http://127.0.0.1:5090 --Database:Path="$out/webhook.db" "${settings[@]}" & gateway=$!
gateway_line=$(run gateway http://127.0.0.1:5090); kill $gateway; wait $gateway 2>/dev/null || true

echo "$bare_line"
echo "$gateway_line"
value() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" <<<"$1"; }
awk -v g="$(value "$gateway_line" rps)" -v b="$(value "$bare_line" rps)" 'BEGIN { printf "ratio gateway/bare = %.0f %%\n", 100 * g / b }'
handled=$(sqlite3 "$out/webhook.db" "SELECT COUNT(*) FROM inbound_messages WHERE status = 'handled'")
replies=$(sqlite3 "$out/webhook.db" "SELECT COUNT(*) FROM outbound_messages")
echo "gateway database: $handled messages handled, $replies replies recorded (warm-up included)"
