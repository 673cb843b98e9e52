#!/usr/bin/env bash
# make test: cmocka unit tests, then integration tests against a throw-away
# PostgreSQL cluster and Kore server that this script starts and stops.
# Exits non-zero on any failure; ends with "N passed, M failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

passed=0
failed=0
failures=()
# TEST_PARTS: the parts after the integration tests, all when it is not
# set, none when it is empty.  A shorter list is for working on one thing;
# make test and CI run them all.  PORTAL_TESTS (a glob) picks integration
# files, BROWSER_TESTS (words of file names) browser files.
PARTS=${TEST_PARTS-twonode front host backup browser fuzz faults}
wanted() { case " $PARTS " in *" $1 "*) return 0;; esac; return 1; }
want() { wanted "$1" && return 0
	echo "== $1: skipped (TEST_PARTS)"; return 1; }

run_unit() {
	local t out
	for t in build/tests/test_*; do
		[ -x "$t" ] || continue
		out=$("$t" 2>&1)
		local rc=$?
		local p f
		# cmocka's summary lines may share a line when stdout and
		# stderr interleave: look for them anywhere.
		p=$(printf '%s\n' "$out" | grep -o '\[  PASSED  \] [0-9]*' | grep -o '[0-9]*$' | head -1)
		f=$(printf '%s\n' "$out" | grep -o '\[  FAILED  \] [0-9]*' | grep -o '[0-9]*$' | head -1)
		passed=$((passed + ${p:-0}))
		failed=$((failed + ${f:-0}))
		if [ $rc -ne 0 ]; then
			printf '%s\n' "$out" | grep -E 'FAILED|ERROR|error' | head -20
			failures+=("$t")
			[ -z "$f" ] && failed=$((failed + 1))
		fi
		echo "  $(basename "$t"): ${p:-0} passed, ${f:-0} failed"
	done
}

echo "== unit tests (cmocka)"
run_unit

if [ "${1:-}" = "--unit-only" ]; then
	echo "$passed passed, $failed failed"
	[ $failed -eq 0 ]
	exit
fi

echo "== integration tests"
mkdir -p var
# The work directory is also the Kore workers' jail (scripts/privsep.sh):
# they see the cluster's socket as /pg/run and their scratch space as /tmp.
work=$(mktemp -d "$root/var/test.XXXXXX")
chmod 755 "$work"
. scripts/ports.sh
. scripts/privsep.sh
pgport=$(free_port) || exit 1
# The server, the second node and nginx in front of both.
webport=$(free_port 3) || exit 1
kore_pid=""
kore2_pid=""
nginx_pid=""
sink_pid=""
# The front connects to the nodes from this address, which they trust
# for X-Real-IP; the tests reach the nodes directly from 127.0.0.1.
front_bind=127.0.0.2

cleanup() {
	for p in $nginx_pid $kore2_pid $kore_pid; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	# The mail sink, also when a test started it again (its pid file).
	[ -f "$work/mail/sink.pid" ] && kill "$(cat "$work/mail/sink.pid")" 2>/dev/null
	[ -n "$sink_pid" ] && wait "$sink_pid" 2>/dev/null
	bash scripts/pg.sh stop "$work/pg" >/dev/null 2>&1
	if [ "${KEEP_TEST_DIR:-}" = "" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT

# start_kore NAME PORT: a node from a copy of kore.conf on PORT, its log
# in $work/NAME.log; sets started_pid.
start_kore() {
	sed -e "s/bind[[:space:]]*127.0.0.1 8888/bind 127.0.0.1 $2/" \
	    -e "s#^pidfile.*#pidfile $work/$1.pid#" \
	    -e "s#^root[[:space:]].*#root $work#" kore.conf >"$work/$1.conf"
	# shellcheck disable=SC2046
	PORTAL_DB="$kconn" PORTAL_ROOT="$root" PORTAL_TMP="$ktmp" \
	    PORTAL_TRUSTED_PROXIES="$front_bind" \
	    PORTAL_MAIL_CONF="$work/mail.conf" \
	    stdbuf -oL kore -c "$work/$1.conf" $(privsep_kore_flags) -f \
	    >"$work/$1.log" 2>&1 &
	started_pid=$!
}

# run_suite NAME DIR FILE VAR=VALUE...: one Python test file through
# tests/integration/run.py, counted in passed/failed.
run_suite() {
	local name=$1 dir=$2 file=$3 rc p f
	shift 3
	env "$@" PORTAL_CTL="$root/build/portalctl" PORTAL_ROOT="$root" \
	    PORTAL_TEST_DIR="$dir" PORTAL_TESTS="$file" \
	    PORTAL_SUMMARY="$work/$name.summary" \
	    /usr/bin/python3 tests/integration/run.py
	rc=$?
	p=$(sed -n 's/^passed=//p' "$work/$name.summary" 2>/dev/null)
	f=$(sed -n 's/^failed=//p' "$work/$name.summary" 2>/dev/null)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	[ $rc -ne 0 ] && [ "${f:-0}" = "0" ] && failed=$((failed + 1))
	return 0
}

bash scripts/pg.sh start "$work/pg" "$pgport" || exit 1
conn=$(bash scripts/pg.sh conninfo "$work/pg" "$pgport")
bash scripts/migrate.sh "$conn" >/dev/null || exit 1
# Migrations must be idempotent: a second run applies nothing.
[ -z "$(bash scripts/migrate.sh "$conn")" ] || { echo "migrations ran twice"; exit 1; }
# The demo's example outline version (sql/demo/*_outline_*.sql) would
# change the outline of the periods the tests file in: left out here,
# tests/integration/test_outline.py activates it from a far period.
for f in sql/demo/*.sql; do
	case $f in *_outline_*) continue ;; esac
	psql "$conn" -X -q -v ON_ERROR_STOP=1 -f "$f" >/dev/null || exit 1
done

privsep_scratch "$work/tmp"
privsep_jail_files "$work" || exit 1
# As the workers see them, from inside their jail.
kconn=$(bash scripts/pg.sh conninfo "$work/pg" "$pgport" "$work") || exit 1
ktmp=$(privsep_inside "$work" "$work/tmp") || exit 1
# The mail server of the tests (tests/integration/mailsink.py): a real
# SMTP server on loopback, STARTTLS and AUTH required, with a certificate
# made now for the name the nodes use (mail.test, given its address in
# mail.conf's resolve: the jail has no resolver).  Every node sends
# through it; the tests read what it received, stop it and start it.
smtpport=$(free_port) || exit 1
mkdir -p "$work/mail"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=mail.test \
    -addext subjectAltName=DNS:mail.test -keyout "$work/mail/sink.key" \
    -out "$work/mail/sink.crt" >/dev/null 2>&1 || { echo "openssl failed"; exit 1; }
sink_password=$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
(umask 077 && printf '%s\n' "$sink_password" >"$work/mail/smtp.secret")
export PORTAL_SMTP_PORT=$smtpport PORTAL_MAIL_DIR="$work/mail/inbox" \
    PORTAL_SINK_CERT="$work/mail/sink.crt" PORTAL_SINK_KEY="$work/mail/sink.key" \
    PORTAL_SINK_USER=portal-test PORTAL_SINK_PASSWORD="$sink_password" \
    PORTAL_SINK_PID="$work/mail/sink.pid"
/usr/bin/python3 tests/integration/mailsink.py serve >"$work/mail/sink.log" 2>&1 &
sink_pid=$!
for _ in $(seq 100); do
	[ -f "$work/mail/sink.pid" ] && break
	sleep 0.1
done
[ -f "$work/mail/sink.pid" ] || { echo "the mail sink did not start:"; cat "$work/mail/sink.log"; exit 1; }
# Short waits, so that the tests see retries and sends in seconds.
cat >"$work/mail.conf" <<EOF
url = smtp://mail.test:$smtpport
resolve = mail.test:$smtpport:127.0.0.1
starttls = yes
username = portal-test
password_file = $work/mail/smtp.secret
cainfo = $work/mail/sink.crt
from = noreply@portal.test
from_name = Cổng báo cáo (kiểm thử)
reply_to = vanphong@portal.test
portal_url = http://127.0.0.1:$webport
office = vanphong@portal.test
remind_days = 3, 1, 0
digest_hour = 0
interval = 1
batch = 20
attempts = 5
retry_base = 1
retry_max = 8
connect_timeout = 3
timeout = 20
EOF

start_kore kore "$webport"
kore_pid=$started_pid

PORTAL_URL="http://127.0.0.1:$webport" PORTAL_DB="$conn" \
    PORTAL_CTL="$root/build/portalctl" PORTAL_ROOT="$root" \
    PORTAL_SUMMARY="$work/integration.summary" PORTAL_LOG="$work/kore.log" \
    /usr/bin/python3 tests/integration/run.py
rc=$?
ip=$(sed -n 's/^passed=//p' "$work/integration.summary" 2>/dev/null)
if_=$(sed -n 's/^failed=//p' "$work/integration.summary" 2>/dev/null)
passed=$((passed + ${ip:-0}))
failed=$((failed + ${if_:-0}))
if [ $rc -ne 0 ] && [ "${if_:-0}" = "0" ]; then
	failed=$((failed + 1))
	echo "server log (last lines):"
	tail -n 20 "$work/kore.log"
fi

# The front (conf/nginx.conf.in, rendered by conf/render.sh) in front of
# two app nodes over the same database: the two-node tests, then the
# front's own (limits, slow and idle clients, its refusals).
if wanted twonode || wanted front; then
echo "== two nodes behind the front (nginx, conf/nginx.conf.in)"
webport2=$((webport + 1))
nginxport=$((webport + 2))
start_kore kore2 "$webport2"
kore2_pid=$started_pid
mkdir -p "$work/nginx"
nginx_user="nobody nogroup"
privsep_active || nginx_user=-
if bash conf/render.sh LISTEN="127.0.0.1:$nginxport" \
    NODES="127.0.0.1:$webport,127.0.0.1:$webport2" PROXY_BIND="$front_bind" \
    USER="$nginx_user" WORKERS=2 PID="$work/nginx/nginx.pid" \
    ERROR_LOG="$work/nginx/error.log" ACCESS_LOG=off TEMP="$work/nginx" \
    NODE_HEADER=yes >"$work/nginx/nginx.conf"; then
	nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" -g 'daemon off;' &
	nginx_pid=$!
else
	failed=$((failed + 1))
fi
front_env=(PORTAL_URL="http://127.0.0.1:$nginxport" PORTAL_DB="$conn"
    PORTAL_NODES="http://127.0.0.1:$webport,http://127.0.0.1:$webport2"
    PORTAL_WORK="$work" PORTAL_FRONT_LOG="$work/nginx/error.log")
if want twonode; then
	run_suite twonode "$root/tests/system" test_twonode.py "${front_env[@]}"
	echo "== two nodes sending one mail queue"
	run_suite twonode_mail "$root/tests/system" test_twonode_mail.py \
	    "${front_env[@]}"
fi
if want front; then
	echo "== the front: limits, slow and idle clients, refusals"
	run_suite front "$root/tests/system" test_front.py "${front_env[@]}"
fi
kill "$nginx_pid" "$kore2_pid" 2>/dev/null
wait "$nginx_pid" "$kore2_pid" 2>/dev/null
nginx_pid=""
kore2_pid=""
fi

# The host: the workers' user and jail, who may connect to the cluster,
# the cluster started again after a crash.
if want host; then
echo "== host: privileges, database access, pg.sh after a crash"
run_suite host "$root/tests/system" test_host.py \
    PORTAL_URL="http://127.0.0.1:$webport" PORTAL_DB="$conn" \
    PORTAL_KORE_PID="$kore_pid" PORTAL_WORK="$work" \
    PORTAL_PG_DIR="$work/pg" PORTAL_PG_PORT="$pgport"
fi

# Backups: dump the throw-away database, restore it into a new cluster on
# another port and compare the two table by table.
if want backup; then
echo "== backup tests"
out=$(bash tests/backup/test_backup.sh "$conn" "$work" 2>&1)
krc=$?
printf '%s\n' "$out" | grep -vE '^[0-9]+ passed, [0-9]+ failed'
summary=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -1)
kp=$(printf '%s\n' "$summary" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
kf=$(printf '%s\n' "$summary" | sed -n 's/^[0-9]* passed, \([0-9]*\) failed.*/\1/p')
passed=$((passed + ${kp:-0}))
failed=$((failed + ${kf:-0}))
[ -z "$summary" ] || { [ $krc -ne 0 ] && [ "${kf:-0}" = "0" ]; } &&
    failed=$((failed + 1))
echo "  backup: ${kp:-0} passed, ${kf:-0} failed"
fi

# Browser tests: Debian's Chromium driven by playwright-core from npm.
if [ -f tests/browser/run.mjs ] && want browser; then
	echo "== browser tests"
	( cd tests/browser && { [ -d node_modules/playwright-core ] ||
	    npm install --no-audit --no-fund --silent; } ) || failed=$((failed + 1))
	fixture=$(PORTAL_URL="http://127.0.0.1:$webport" PORTAL_DB="$conn" \
	    PORTAL_CTL="$root/build/portalctl" /usr/bin/python3 \
	    tests/integration/portal.py browser-fixture)
	mkdir -p "$work/shots"
	out=$(env $fixture PORTAL_URL="http://127.0.0.1:$webport" \
	    PORTAL_SHOTS="${PORTAL_SHOTS:-$work/shots}" \
	    node tests/browser/run.mjs ${BROWSER_TESTS:-} 2>&1)
	brc=$?
	printf '%s\n' "$out"
	# A browser test skipped here (missing fixture) counts as failed.
	summary=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -1)
	bp=$(printf '%s\n' "$summary" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
	bf=$(printf '%s\n' "$summary" | sed -n 's/^[0-9]* passed, \([0-9]*\) failed.*/\1/p')
	bs=$(printf '%s\n' "$summary" | sed -n 's/.*, \([0-9]*\) skipped$/\1/p')
	passed=$((passed + ${bp:-0}))
	failed=$((failed + ${bf:-0} + ${bs:-0}))
	[ -z "$summary" ] || { [ $brc -ne 0 ] && [ "${bf:-0}" = "0" ]; } &&
	    failed=$((failed + 1))
fi

# A short fuzzing run of every parser of outside input (tests/fuzz);
# the long one is `make fuzz-long`.
if want fuzz; then
echo "== fuzzing (short)"
out=$(FUZZ_SECONDS=${FUZZ_SECONDS:-10} bash scripts/fuzz.sh short 2>&1)
frc=$?
printf '%s\n' "$out" | grep -E 'executions|passed|failed|crash|timeout' | tail -n 12
zline=$(printf '%s\n' "$out" | grep -oE '[0-9]+ passed, [0-9]+ failed' | tail -1)
zp=${zline%% passed*}
zf=$(printf '%s\n' "$zline" | sed -n 's/.* \([0-9]*\) failed/\1/p')
passed=$((passed + ${zp:-0}))
failed=$((failed + ${zf:-0}))
[ $frc -ne 0 ] && [ "${zf:-0}" = "0" ] && failed=$((failed + 1))
fi

# Faults last: they kill a worker and crash the database on purpose.
if want faults; then
echo "== faults"
run_suite faults "$root/tests/system" test_faults.py \
    PORTAL_URL="http://127.0.0.1:$webport" PORTAL_DB="$conn" \
    PORTAL_PG_DIR="$work/pg" PORTAL_PG_PORT="$pgport" \
    PORTAL_KORE_PID="$kore_pid" PORTAL_TMP_DIR="$work/tmp"
fi

# The worker killed on purpose is the only one allowed to have died.
for log in "$work/kore.log" "$work/kore2.log"; do
	[ -f "$log" ] || continue
	if grep -E 'died|violation|exited with status' "$log" |
	    grep -vE 'status 9$|signal 9|SIGKILL|killed' | grep -q .; then
		echo "server log $(basename "$log") shows a crashed worker:"
		grep -E 'died|violation|exited with status' "$log" | head
		failed=$((failed + 1))
	fi
done

echo
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
