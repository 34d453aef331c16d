#!/usr/bin/env bash
# Refreshes the console screenshots the README shows: runs the console's browser tests with
# SMSHALL_SCREENSHOTS set to a scratch folder (the tests write a PNG of each main page there), then
# copies the desktop-size ones and the phone-size overview here. CI never runs this: the tests
# write only when the variable is set, and never into the tree.
set -euo pipefail
cd "$(dirname "$0")/../.."
# Chinese text needs a CJK font in Chromium, or the pictures show empty boxes for it.
if ! fc-list 2>/dev/null | grep -qi "wqy\|noto sans cjk"; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y -q fonts-wqy-zenhei >/dev/null 2>&1 || echo "warning: no CJK font; Chinese shows as boxes"
fi
shots=$(mktemp -d)
trap 'rm -rf "$shots"' EXIT
SMSHALL_SCREENSHOTS="$shots" ./test.sh --filter "FullyQualifiedName~SmsHall.Tests.Console" >/dev/null
cp "$shots"/*-1280x800.png docs/console/
[ -f "$shots/overview-390x844.png" ] && cp "$shots/overview-390x844.png" docs/console/
ls docs/console/*.png
