#!/usr/bin/env bash
# Rest-mode delivery as subscribers see it: a real `smshall serve` in Rest mode sends through the
# Twilio stand-in the tests use (tests/SmsHall.Tests/TwilioStandIn.cs). 300 synthetic subscribers
# text it at once (16 signed webhook posts in flight) and each reply is followed to "delivered". For
# each case it prints the time until all are delivered and the 50th/99th percentile of each reply's
# delay (first try of its webhook post to Twilio creating it), with replies held, sent twice, lost:
#   (a) no faults;
#   (b) 30 % of Twilio's create calls failing (429, 500, 20 s stalls, connections dropped before and
#       after creating) and the gateway killed with SIGKILL half-way through the burst, then restarted;
#   (c) the same faults with Twilio's message list always failing: replies in doubt cannot be looked
#       up and wait for an operator (GET /operator/outbox/held).
# Targets: (b) every reply delivered exactly once within 60 s of the burst; (c) every reply not in
# doubt delivered within 30 s, the rest held and listed; nothing lost or duplicated in any case.
# Exits 1, after a FAILED line, when one is missed. The gateway runs on its defaults; settings given
# to the script change them, e.g. `bash bench/delivery.sh --Outbox:Concurrency=8`, and CASES=c runs
# one case. bench/out/ keeps each
# case's database, the gateway's log and a CSV with one line a reply.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
source bench/common.sh
build
dotnet $bench delivery --smshall $smshall --out "$out" --cases "${CASES:-abc}" -- "$@"
