#!/usr/bin/env bash
# Rebuilds the word lists the grammar embeds (en.words.gz, fr.words.gz, fa.words.gz) from Debian's
# dictionaries: a word of a message found in one of them is a real word, never corrected into a
# keyword ("will" is not a slip of BILL). Sources and licences: README.md beside this script.
# Needs Debian's wamerican, wfrench and myspell-fa (installed here if missing). Run from anywhere;
# commit the .gz files it writes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
for package in wamerican wfrench myspell-fa; do
  dpkg -s "$package" >/dev/null 2>&1 || $sudo apt-get install -y -q "$package" >/dev/null
done
dotnet build -c Release "$root/bench/SmsHall.Bench" -v quiet -nologo >/dev/null
bench="$root/bench/SmsHall.Bench/bin/Release/net10.0/SmsHall.Bench.dll"
dotnet "$bench" words --from /usr/share/dict/american-english --out "$here/en.words.gz"
dotnet "$bench" words --from /usr/share/dict/french --out "$here/fr.words.gz"
dotnet "$bench" words --from /usr/share/hunspell/fa_IR.dic --hunspell --out "$here/fa.words.gz"
for package in wamerican wfrench myspell-fa; do
  cp "/usr/share/doc/$package/copyright" "$here/$package.copyright"
done
