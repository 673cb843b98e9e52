#!/usr/bin/env bash
# A project-local PostgreSQL 15 cluster: no system service, a unix socket
# in DIR/run and a loopback port.
#   pg.sh init  DIR PORT   create the cluster, role and database if absent
#   pg.sh start DIR PORT   start it (init first if needed)
#   pg.sh stop  DIR
#   pg.sh conninfo DIR PORT
set -euo pipefail

PGBIN=/usr/lib/postgresql/15/bin
cmd=${1:?usage: pg.sh init|start|stop|conninfo DIR [PORT]}
dir=$(realpath -m "${2:?directory}")
port=${3:-5433}

# initdb and postgres refuse root: run them as the postgres user then.
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# The server's user must be able to reach the data directory.
make_reachable() {
	local d=$1
	[ "$(id -u)" -eq 0 ] || return 0
	while [ "$d" != "/" ]; do
		d=$(dirname "$d")
		if ! runuser -u postgres -- test -x "$d"; then
			echo "pg.sh: cho phép postgres đi qua $d (chmod o+x)"
			chmod o+x "$d"
		fi
	done
}

do_init() {
	[ -f "$dir/data/PG_VERSION" ] && return 0
	mkdir -p "$dir/data" "$dir/run"
	make_reachable "$dir/data"
	[ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$dir"
	chmod 700 "$dir/data"
	as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres -E UTF8 \
	    --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 \
	    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log"; exit 1; }
	cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir/run'
timezone = 'Asia/Ho_Chi_Minh'
max_connections = 100
shared_buffers = 256MB
fsync = on
CONF
	do_start
	as_pg "$PGBIN/psql" -h "$dir/run" -p "$port" -U postgres -d postgres \
	    -q -v ON_ERROR_STOP=1 <<SQL
CREATE ROLE portal LOGIN;
CREATE DATABASE portal OWNER portal ENCODING 'UTF8';
ALTER DATABASE portal SET timezone TO 'Asia/Ho_Chi_Minh';
SQL
}

do_start() {
	[ -f "$dir/data/PG_VERSION" ] || { do_init; return 0; }
	if as_pg "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		return 0
	fi
	as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
	    -o "-p $port" start >/dev/null ||
	    { tail -n 20 "$dir/server.log"; exit 1; }
}

do_stop() {
	[ -f "$dir/data/PG_VERSION" ] || return 0
	as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 ||
	    true
}

case "$cmd" in
init)		do_init ;;
start)		do_start ;;
stop)		do_stop ;;
conninfo)	echo "host=$dir/run port=$port dbname=portal user=portal" ;;
*)		echo "pg.sh: unknown command $cmd" >&2; exit 2 ;;
esac
