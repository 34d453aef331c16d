#!/usr/bin/env bash
# Replay benchmark: how many recorded messages per second `smshall replay` gets through, and its
# peak memory, for logs of growing length. Prints one line per size.
#
#   bash bench/replay.sh                 # 10,000 and 100,000 messages
#   bash bench/replay.sh 20000 200000    # other sizes
#
# Steps, per size: seed a snapshot with 10,000 synthetic subscribers; write N messages from them
# (mixed commands in four languages, no number over the rate limit); replay once to record the
# replies (--keep-db), export that as a real message log, then time the replay of the log against
# the snapshot, where every reply should come out the same.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10000 100000)
out=bench/out
mkdir -p "$out"

source bench/common.sh
need time
build

rm -f "$out"/snapshot.db*
dotnet $smshall db seed --subscribers 10000 --Database:Path="$out/snapshot.db" >/dev/null
day=$(date -u +%Y-%m-%d)

for n in "${sizes[@]}"; do
  # N messages over the day from 10,000 numbers; a number's messages are at least ~8 s apart.
  awk -v n="$n" -v day="$day" 'BEGIN {
    split("bal|balance|usage|bill|bill october|plan gold|yes|no|help|blance|solde|conso|facture|余额|流量|账单|موجودی|مصرف|hello|topup 1234-5678-9012|lang fr|lang en|data|credit", body, "|");
    srand(42);
    for (i = 0; i < n; i++) {
      t = int(i * 86000 / n);
      # The number as text: mawk prints a %d past 2^31 - 1 as 2147483647 (every message from one number).
      printf "{\"direction\":\"inbound\",\"sid\":\"SMBENCH%026d\",\"from\":\"+1555%07d\",\"to\":\"SMSHALL\",\"body\":\"%s\",\"at\":\"%sT%02d:%02d:%02dZ\"}\n",
        i, 1000000 + (i % 10000), body[1 + int(rand() * 24)], day, t / 3600, (t / 60) % 60, t % 60;
    }
  }' > "$out/inbound-$n.jsonl"

  rm -f "$out/recorded-$n.db"
  dotnet $smshall replay "$out/inbound-$n.jsonl" --db "$out/snapshot.db" --keep-db "$out/recorded-$n.db" --show 0 >/dev/null 2>&1 || true
  dotnet $smshall log export --Database:Path="$out/recorded-$n.db" --out "$out/log-$n.jsonl" >/dev/null

  /usr/bin/time -f "%M" -o "$out/rss-$n.txt" \
    dotnet $smshall replay "$out/log-$n.jsonl" --db "$out/snapshot.db" --show 0 \
    > "$out/replay-$n.txt" 2>/dev/null || true
  echo "$n messages: $(tail -1 "$out/replay-$n.txt"); peak RSS $(( $(cat "$out/rss-$n.txt") / 1024 )) MB"
done
