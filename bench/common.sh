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

# A throwaway PostgreSQL server from Debian's binaries (installed if missing), as the tests start
# theirs: a cluster in a temp folder, on 127.0.0.1 only, with its socket in that folder, run as the
# postgres user when we are root (the server refuses root), synchronous_commit on, and
# pg_stat_statements to count statements. pg_start <port> sets pg_dir and pg_connection;
# pg_database <name> creates a database and sets pg_connection to it; pg_stop removes it all.
pg_start() {
  local port=$1
  if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    echo "installing postgresql"
    $sudo apt-get install -y -q postgresql >/dev/null
  fi
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  pg_dir=$(mktemp -d /tmp/smshall-bench-pg.XXXXXX)
  pg_as=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$pg_dir"
    pg_as=(runuser -u postgres --)
  fi
  "${pg_as[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U smshall -E UTF8 --no-locale --auth=trust >/dev/null
  "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 -o \
    "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$pg_dir -c synchronous_commit=on -c max_connections=300 -c shared_buffers=512MB -c shared_preload_libraries=pg_stat_statements" \
    start >/dev/null
  pg_port=$port
}
pg_database() {
  "${pg_as[@]}" "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U smshall -d postgres -c "CREATE DATABASE $1" >/dev/null
  "${pg_as[@]}" "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U smshall -d "$1" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
  pg_connection="Host=127.0.0.1;Port=$pg_port;Username=smshall;Database=$1"
}
pg_sql() { # database, sql: prints the result, unaligned
  "${pg_as[@]}" "$pg_bin/psql" -qAt -h 127.0.0.1 -p "$pg_port" -U smshall -d "$1" -c "$2"
}
pg_stop() {
  "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
