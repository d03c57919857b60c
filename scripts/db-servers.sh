#!/usr/bin/env bash
# Throwaway PostgreSQL and MariaDB servers for the database tests and benchmarks.
#
#   scripts/db-servers.sh COMMAND [ARG...]
#
# Installs Debian's `postgresql` and `mariadb-server` when they are missing (as root, with
# package-started services disabled), starts one instance of each in a temporary folder on free
# 127.0.0.1 ports, runs COMMAND with these variables set, then stops both servers by pid and
# removes the folder, whatever COMMAND did. The exit code is COMMAND's.
#
#   PRC_TEST_POSTGRES_URL  postgres://postgres:<password>@127.0.0.1:<port>/prc_test (superuser)
#   PRC_TEST_MYSQL_URL     mysql://prc:<password>@127.0.0.1:<port>/prc_test (all privileges, GRANT OPTION)
#   PRC_TEST_DB_DIR        the temporary folder
#
# Tests that stop and restart a server mid-run call, while COMMAND runs:
#
#   scripts/db-servers.sh --stop postgres|mariadb
#   scripts/db-servers.sh --start postgres|mariadb
#
# (these read PRC_TEST_DB_DIR; the server comes back on the same port with the same data).
set -euo pipefail

log() { printf 'db-servers: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

pg_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]] && printf '%s\n' "$dir"
}
maria_bin() {
  local name
  for name in mariadbd /usr/sbin/mariadbd; do
    command -v "$name" 2>/dev/null && return 0
  done
  return 1
}

install_missing() {
  local packages=()
  pg_bindir > /dev/null || packages+=(postgresql)
  { maria_bin > /dev/null && command -v mariadb-install-db > /dev/null; } || packages+=(mariadb-server)
  ((${#packages[@]} == 0)) && return 0
  [[ $(id -u) == 0 ]] || die "${packages[*]} missing and not root: install them with apt-get"
  log "installing ${packages[*]} from Debian"
  # Keep the packages from starting their own services (and the machine's default cluster):
  # invoke-rc.d asks policy-rc.d, and 101 means "not allowed".
  local policy=/usr/sbin/policy-rc.d placed=
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && placed=1
  fi
  local status=0
  {
    DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" > /dev/null
  } || status=$?
  [[ -n $placed ]] && rm -f "$policy"
  ((status == 0)) || die "apt-get install ${packages[*]} failed (exit $status)"
  # Where no policy-rc.d was honoured (systemd), stop what the packages started: we never use them.
  if command -v systemctl > /dev/null && [[ -d /run/systemd/system ]]; then
    systemctl stop postgresql mariadb 2> /dev/null || true
  fi
  pg_bindir > /dev/null || die "postgresql installed but no /usr/lib/postgresql/*/bin/initdb"
  maria_bin > /dev/null || die "mariadb-server installed but no mariadbd"
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# Waits until pid $1 is gone (up to $2 tenths of a second); 0 when gone.
wait_gone() {
  local pid=$1 tries=$2
  while kill -0 "$pid" 2> /dev/null && ((tries-- > 0)); do sleep 0.1; done
  ! kill -0 "$pid" 2> /dev/null
}

# Stops the process in pid file $1 with signal $2 (falls back to SIGKILL after 15 s).
stop_pidfile() {
  local file=$1 signal=$2 pid
  [[ -s $file ]] || return 0
  pid=$(head -n 1 "$file")
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  if kill -0 "$pid" 2> /dev/null; then
    kill "-$signal" "$pid" 2> /dev/null || true
    wait_gone "$pid" 150 || { kill -KILL "$pid" 2> /dev/null || true; wait_gone "$pid" 50 || true; }
  fi
  rm -f "$file"
}

# True when the pid in file $1 is a running process.
running() {
  local pid
  [[ -s $1 ]] && pid=$(head -n 1 "$1") && [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2> /dev/null
}

# Pids of processes started from folder $1 (their command line names it): a safety net, so that
# a server whose pid file was lost is still stopped.
pids_inside() {
  local entry pid
  for entry in /proc/[0-9]*/cmdline; do
    pid=${entry#/proc/}
    pid=${pid%/cmdline}
    [[ $pid == "$$" ]] && continue
    # A process may end while we look: its file is then gone, which is no error.
    { tr '\0' ' ' < "$entry"; } 2> /dev/null | grep -qF -- "$1/" && printf '%s\n' "$pid"
  done
  return 0
}

# ---- PostgreSQL (must not run as root: everything runs as the postgres user) -----------------

as_postgres() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
  local dir=$1 bin
  running "$dir/pg/pid" && return 0
  bin=$(pg_bindir)
  # -w waits until it accepts connections; sockets stay in our folder, never /var/run/postgresql.
  as_postgres "$bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w -t 60 -s \
    -o "-c listen_addresses=127.0.0.1 -p $(cat "$dir/pg/port") -k $dir/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start || { tail -n 30 "$dir/pg/server.log" >&2; return 1; }
  head -n 1 "$dir/pg/data/postmaster.pid" > "$dir/pg/pid"
}

pg_stop() {
  # SIGINT is PostgreSQL's "fast" shutdown: sessions are ended, no waiting for clients.
  stop_pidfile "$1/pg/pid" INT
}

pg_setup() {
  local dir=$1 bin password port
  bin=$(pg_bindir)
  mkdir -p "$dir/pg"
  password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  printf '%s\n' "$password" > "$dir/pg/pwfile"
  free_port > "$dir/pg/port"
  port=$(cat "$dir/pg/port")
  [[ $(id -u) == 0 ]] && chown -R postgres: "$dir/pg"
  as_postgres "$bin/initdb" -D "$dir/pg/data" -U postgres --pwfile="$dir/pg/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 > "$dir/pg/initdb.log" 2>&1 ||
    { cat "$dir/pg/initdb.log" >&2; return 1; }
  pg_start "$dir"
  as_postgres "$bin/psql" -h "$dir/pg" -p "$port" -U postgres -d postgres -qAt -c 'CREATE DATABASE prc_test' > /dev/null
  export PRC_TEST_POSTGRES_URL="postgres://postgres:$password@127.0.0.1:$port/prc_test"
}

# ---- MariaDB ---------------------------------------------------------------------------------

maria_user() { if [[ $(id -u) == 0 ]] && id mysql > /dev/null 2>&1; then echo mysql; else id -un; fi; }

maria_start() {
  local dir=$1 bin user
  running "$dir/maria/pid" && return 0
  bin=$(maria_bin)
  user=$(maria_user)
  # --no-defaults: nothing from /etc/mysql; every path is in our folder; 127.0.0.1 only.
  "$bin" --no-defaults --user="$user" --datadir="$dir/maria/data" --socket="$dir/maria/sock" \
    --port="$(cat "$dir/maria/port")" --bind-address=127.0.0.1 --pid-file="$dir/maria/server.pid" \
    --log-error="$dir/maria/server.log" --skip-name-resolve --skip-log-bin \
    --innodb-buffer-pool-size=256M --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 \
    --max-connections=300 > /dev/null 2>&1 &
  echo $! > "$dir/maria/pid"
  local tries=600
  until mariadb-admin --no-defaults --socket="$dir/maria/sock" -uroot ping > /dev/null 2>&1; do
    if ! kill -0 "$(cat "$dir/maria/pid")" 2> /dev/null || ((tries-- == 0)); then
      tail -n 30 "$dir/maria/server.log" >&2
      return 1
    fi
    sleep 0.1
  done
}

maria_stop() {
  stop_pidfile "$1/maria/pid" TERM
}

maria_setup() {
  local dir=$1 user password port
  user=$(maria_user)
  mkdir -p "$dir/maria/data"
  free_port > "$dir/maria/port"
  port=$(cat "$dir/maria/port")
  [[ $user == mysql ]] && chown -R mysql: "$dir/maria"
  mariadb-install-db --no-defaults --user="$user" --datadir="$dir/maria/data" \
    --auth-root-authentication-method=socket --skip-test-db > "$dir/maria/install.log" 2>&1 ||
    { cat "$dir/maria/install.log" >&2; return 1; }
  maria_start "$dir"
  password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  mariadb --no-defaults --socket="$dir/maria/sock" -uroot <<SQL
CREATE DATABASE prc_test;
CREATE USER 'prc'@'127.0.0.1' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO 'prc'@'127.0.0.1' WITH GRANT OPTION;
SQL
  export PRC_TEST_MYSQL_URL="mysql://prc:$password@127.0.0.1:$port/prc_test"
}

# ---- stop/start one server while the command runs ---------------------------------------------

if [[ ${1:-} == --stop || ${1:-} == --start ]]; then
  [[ -n ${PRC_TEST_DB_DIR:-} && -d $PRC_TEST_DB_DIR ]] || die "$1 needs PRC_TEST_DB_DIR (run under scripts/db-servers.sh)"
  case "$1 ${2:-}" in
    "--stop postgres") pg_stop "$PRC_TEST_DB_DIR" ;;
    "--start postgres") pg_start "$PRC_TEST_DB_DIR" ;;
    "--stop mariadb") maria_stop "$PRC_TEST_DB_DIR" ;;
    "--start mariadb") maria_start "$PRC_TEST_DB_DIR" ;;
    *) die "usage: $0 --stop|--start postgres|mariadb" ;;
  esac
  exit 0
fi

(($# > 0)) || die "usage: $0 COMMAND [ARG...]   (e.g. $0 npx vitest run --config vitest.db.config.ts)"

install_missing

dir=$(mktemp -d "${TMPDIR:-/tmp}/prc-db.XXXXXX")
chmod 755 "$dir" # the postgres and mysql users must reach their folders inside
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  maria_stop "$dir" || true
  pg_stop "$dir" || true
  local pid
  for pid in $(pids_inside "$dir"); do
    log "stopping leftover process $pid"
    kill -KILL "$pid" 2> /dev/null || true
  done
  rm -rf "$dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
export PRC_TEST_DB_DIR=$dir

started=$(date +%s%N)
pg_setup "$dir" || die "PostgreSQL did not start"
maria_setup "$dir" || die "MariaDB did not start"
log "PostgreSQL $(as_postgres "$(pg_bindir)/postgres" --version | awk '{print $3}') on 127.0.0.1:$(cat "$dir/pg/port"), $("$(maria_bin)" --version | awk '{print $3}') on 127.0.0.1:$(cat "$dir/maria/port"), in $dir ($((($(date +%s%N) - started) / 1000000)) ms)"

# Not exec: the trap must run after the command.
status=0
"$@" || status=$?
exit "$status"
