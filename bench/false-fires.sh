#!/usr/bin/env bash
# Chatter that fires commands: every real SMS of ../shared/corpora/real-sms/ (beside the repository,
# not in it: 47,177 messages written between people in English, Chinese, French and Persian, with
# sources and licences in its README) is read by `smshall parse`, and the script prints, per corpus
# and in total:
#   (a) state-changing commands (confirm, cancel, stop, start, lang, topup with a voucher, points.redeem,
#       services.cancel and datapack.buy naming what, plan.change
#       naming a plan — TOPUP alone only says how, CHANGE PLAN alone only asks which — and feedback
#       with a text and agent, which open a ticket) fired on a message that is not a bare answer
#       (a bare AGENT request counts as one) — target 0;
#   (b) read-only answers (balance, usage, bill, plan, help, several at once) fired through typo
#       matching (`match` fuzzy) — target at most 1 per 1,000 messages;
#   (c) messages not understood that were given a "did you mean" — target at most 5 % of them;
# and the most frequent messages behind each. A measurement, not a test: it exits 0 whatever the
# figures, and says which targets are met.
#
# A bare answer: the message, lower-cased and without accents, punctuation, symbols or emoji (the
# grammar's own normalisation, so traditional Chinese reads as simplified), is nothing but the fired
# command's own words — the keywords and aliases of its section (confirm, cancel, stop, start or agent) in
# commands.md — and politeness or greeting phrases from a short fixed list (please, thanks, hi, merci,
# svp, bonjour, 谢谢, 请, Chinese tone particles such as 吧 and 了, لطفا, ممنون, سلام …; the output
# prints the whole list), each Chinese character counting as a word. `yes please`, `ok thanks`,
# `好的`, `non merci` are bare; `ok see you at 5`, `yes i can`, `不用谢` are not. The rule is in
# bench/SmsHall.Bench/FalseFires.cs (BareAnswers).
#
# `smshall parse` runs against a database seeded by `smshall db seed` (bench/out/false-fires.db),
# so plan names are known as in production and PLAN <name> reads as it would there. The texts are
# never written anywhere: each file is streamed into `smshall parse` and its answers are counted as
# they come out. CORPUS=<folder> measures another folder of one-message-a-line .txt files.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${CORPUS:-../shared/corpora/real-sms}
if [ ! -d "$corpus" ]; then
  echo "bench/false-fires.sh: no corpus at $corpus — the real-SMS corpus lives beside the repository, not in it; set CORPUS=<folder> to point at a copy" >&2
  exit 1
fi
out=bench/out
mkdir -p "$out"
source bench/common.sh
build

rm -f "$out"/false-fires.db*
dotnet $smshall db seed --Database:Path="$out/false-fires.db" >/dev/null
dotnet $bench false-fires --smshall $smshall --corpus "$corpus" --db "$out/false-fires.db" --catalogue commands.md --now 2026-11-22
