#!/usr/bin/env bash
# A project-local PostgreSQL 15 cluster: no system service, a unix socket
# in DIR/run and a loopback port.
#   pg.sh init  DIR PORT   create the cluster, role and database if absent
#   pg.sh start DIR PORT   start it (init first if needed); waits for a
#                          server that is still going away, fails loudly
#   pg.sh stop  DIR
#   pg.sh conninfo DIR PORT [JAIL]
#                          the portal's connection string; with JAIL, as
#                          the Kore workers chrooted there see it
#
# Who may connect: nobody by password (no role has one; TCP asks for
# scram-sha-256), and over the socket only the operating-system users that
# pg_ident.conf maps (peer): the Kore workers' user to the portal role, the
# user running the scripts (root, or whoever owns the cluster) to portal
# and postgres, postgres to postgres.  The socket directory is closed to
# everyone else (0750, group of the workers' user).  Both files are written
# again at every start, so an older cluster is brought to this too.
set -euo pipefail

PGBIN=/usr/lib/postgresql/15/bin
cmd=${1:?usage: pg.sh init|start|stop|conninfo DIR [PORT]}
dir=$(realpath -m "${2:?directory}")
port=${3:-5433}
# How long start waits for a server on its way out, or on its way up.
wait_s=${PG_START_WAIT:-60}
. "$(dirname "$0")/privsep.sh"

# initdb and postgres refuse root: run them as the postgres user then.
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

die() {
	printf 'pg.sh: LỖI: %s\npg.sh: ERROR: %s\n' "$1" "$2" >&2
	[ -z "${3:-}" ] || [ ! -s "$3" ] || tail -n 20 "$3" | sed 's/^/    /' >&2
	exit 1
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

# pg_hba.conf and pg_ident.conf: peer through the map, scram on TCP.
write_auth() {
	local me hba ident
	me=$(id -un)
	hba="$dir/data/pg_hba.conf"
	ident="$dir/data/pg_ident.conf"
	{
		echo "# Written by scripts/pg.sh at every start: edit it there."
		echo "# TYPE  DATABASE  USER  ADDRESS       METHOD"
		echo "local   all       all                 peer map=portal"
		echo "host    all       all   127.0.0.1/32  scram-sha-256"
		echo "host    all       all   ::1/128       scram-sha-256"
	} >"$hba.new"
	{
		echo "# Written by scripts/pg.sh at every start: edit it there."
		printf '%-10s %-16s %s\n' "# MAPNAME" SYSTEM-USERNAME PG-USERNAME \
		    portal postgres postgres portal "$me" postgres \
		    portal "$me" portal
		if privsep_active; then
			printf '%-10s %-16s %s\n' portal "$(privsep_user)" portal
		fi
	} >"$ident.new"
	for f in "$hba" "$ident"; do
		if cmp -s "$f.new" "$f"; then
			rm -f "$f.new"
		else
			[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$f.new"
			chmod 600 "$f.new"
			mv -f "$f.new" "$f"
			auth_changed=1
		fi
	done
}

# The socket directory: the server's, and the workers' to pass through.
close_socket_dir() {
	mkdir -p "$dir/run"
	if privsep_active; then
		chown "postgres:$(id -gn "$(privsep_user)")" "$dir/run"
		chmod 750 "$dir/run"
	else
		chmod 700 "$dir/run"
	fi
}

do_init() {
	[ -f "$dir/data/PG_VERSION" ] && return 0
	privsep_ensure_user
	mkdir -p "$dir/data" "$dir/run"
	make_reachable "$dir/data"
	[ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$dir"
	chmod 700 "$dir/data"
	as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres -E UTF8 \
	    --locale=C.UTF-8 --auth-local=peer --auth-host=scram-sha-256 \
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

# Processes of a server on this data directory, the postmaster's and all
# its children's: each has it as its working directory.  A zombie has no
# working directory left and holds nothing.
pg_procs() {
	local link pid
	find /proc -mindepth 2 -maxdepth 2 -name cwd -lname "$dir/data" \
	    2>/dev/null | while read -r link; do
		pid=${link#/proc/}
		pid=${pid%/cwd}
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = postgres ] &&
		    echo "$pid"
	done
}

# The postmaster named in postmaster.pid, when it is alive (not a zombie
# whose parent has not reaped it yet, not another process with its pid).
postmaster_alive() {
	local pid
	[ -f "$dir/data/postmaster.pid" ] || return 1
	pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null) || return 1
	[[ "$pid" =~ ^[0-9]+$ ]] || return 1
	[ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$dir/data" ]
}

# A server that was killed leaves a postmaster.pid and, for a moment, its
# children: PostgreSQL refuses to start beside them (or beside the pid of
# a zombie postmaster), and pg_ctl takes a zombie for a running server.
# So: a live postmaster is waited for until it accepts connections; a dead
# one until its last child is gone, then it is started afresh.
do_start() {
	local deadline left sock pport off
	[ -f "$dir/data/PG_VERSION" ] || { do_init; return 0; }
	privsep_ensure_user
	close_socket_dir
	auth_changed=""
	write_auth
	deadline=$((SECONDS + wait_s))
	while :; do
		left=$((deadline - SECONDS))
		[ "$left" -gt 0 ] ||
		    die "máy chủ PostgreSQL trong $dir không khởi động được sau ${wait_s} giây" \
			"the PostgreSQL server in $dir did not start within ${wait_s} s" \
			"$dir/server.log"
		if postmaster_alive; then
			[ -n "$auth_changed" ] &&
			    as_pg "$PGBIN/pg_ctl" -D "$dir/data" reload >/dev/null
			auth_changed=""
			pport=$(sed -n 4p "$dir/data/postmaster.pid")
			sock=$(sed -n 5p "$dir/data/postmaster.pid")
			"$PGBIN/pg_isready" -q -h "${sock:-$dir/run}" \
			    -p "${pport:-$port}" -U postgres -d postgres \
			    -t 2 && return 0
			sleep 0.2
			continue
		fi
		if [ -n "$(pg_procs)" ]; then
			sleep 0.1
			continue
		fi
		# Gone for good: a pid file left behind names a zombie or a
		# stranger that took the pid (a postmaster that is starting
		# has already moved into the data directory, see above).
		postmaster_alive || rm -f "$dir/data/postmaster.pid"
		off=$(stat -c %s "$dir/server.log" 2>/dev/null || echo 0)
		if as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
		    -t "$left" -o "-p $port" start >/dev/null 2>&1; then
			return 0
		fi
		# Another start raced us (its pid file, its shared memory):
		# look again; anything else is a real failure.
		if tail -c +$((off + 1)) "$dir/server.log" 2>/dev/null |
		    grep -qE 'lock file .* already exists|shared memory block is still in use'; then
			sleep 0.2
			continue
		fi
		die "không khởi động được PostgreSQL trong $dir" \
		    "cannot start PostgreSQL in $dir" "$dir/server.log"
	done
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
conninfo)
	host="$dir/run"
	[ -z "${4:-}" ] || host=$(privsep_inside "$4" "$host")
	echo "host=$host port=$port dbname=portal user=portal" ;;
*)		echo "pg.sh: unknown command $cmd" >&2; exit 2 ;;
esac
