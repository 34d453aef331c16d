# Sourced by the bench scripts, from the repository root.

# Installs, from Debian's packages, the tools given that are missing (files on PATH, so `time` is
# /usr/bin/time, not the shell's keyword).
need() {
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  for tool in "$@"; do
    if ! type -P "$tool" >/dev/null; then
      echo "installing $tool"
      $sudo apt-get install -y -q "$tool" >/dev/null
    fi
  done
}

# Release builds of the gateway and of the bench tool.
build() {
  dotnet build -c Release src/SmsHall -v quiet -nologo >/dev/null
  dotnet build -c Release bench/SmsHall.Bench -v quiet -nologo >/dev/null
}
smshall=src/SmsHall/bin/Release/net10.0/smshall.dll
bench=bench/SmsHall.Bench/bin/Release/net10.0/SmsHall.Bench.dll
