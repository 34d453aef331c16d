#!/usr/bin/env bash
# Runs every test: installs what the tests need when it is missing, then `dotnet test` on the whole
# solution with the arguments given (e.g. ./test.sh --filter Postgres). Needs the .NET 10 SDK.
#   chromium:   the replay HTML report is opened in a real browser (Playwright); or set CHROMIUM_PATH.
#   postgresql: the PostgreSQL tests start their own throwaway server from Debian's binaries.
set -uo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"

# Installs a Debian package when its check fails; refreshes the package lists once if need be.
need() {
  local package=$1 why=$2
  shift 2
  "$@" >/dev/null 2>&1 && return 0
  echo "installing $package ($why)"
  $sudo apt-get install -y -q "$package" >/dev/null 2>&1 ||
    { $sudo apt-get update -q >/dev/null 2>&1 && $sudo apt-get install -y -q "$package" >/dev/null 2>&1; } ||
    echo "warning: could not install $package; the tests that need it will fail"
}

need chromium "for the HTML report test" command -v chromium
need postgresql "for the PostgreSQL storage tests" compgen -G "/usr/lib/postgresql/*/bin/initdb"

exec dotnet test SmsHall.sln "$@"
