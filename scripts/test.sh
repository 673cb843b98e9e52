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
work=$(mktemp -d "$root/var/test.XXXXXX")
chmod 755 "$work"
pgport=$((20000 + RANDOM % 20000))
webport=$((40000 + RANDOM % 20000))
kore_pid=""

cleanup() {
	[ -n "$kore_pid" ] && kill "$kore_pid" 2>/dev/null && wait "$kore_pid" 2>/dev/null
	bash scripts/pg.sh stop "$work/pg" >/dev/null 2>&1
	if [ "${KEEP_TEST_DIR:-}" = "" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT

bash scripts/pg.sh start "$work/pg" "$pgport" || exit 1
conn=$(bash scripts/pg.sh conninfo "$work/pg" "$pgport")
bash scripts/migrate.sh "$conn" >/dev/null || exit 1
# Migrations must be idempotent: a second run applies nothing.
[ -z "$(bash scripts/migrate.sh "$conn")" ] || { echo "migrations ran twice"; exit 1; }
for f in sql/demo/*.sql; do
	psql "$conn" -X -q -v ON_ERROR_STOP=1 -f "$f" >/dev/null || exit 1
done

mkdir -p "$work/tmp"
sed -e "s/bind[[:space:]]*127.0.0.1 8888/bind 127.0.0.1 $webport/" \
    -e "s#pidfile.*#pidfile $work/kore.pid#" kore.conf >"$work/kore.conf"
PORTAL_DB="$conn" PORTAL_ROOT="$root" PORTAL_TMP="$work/tmp" \
    stdbuf -oL kore -c "$work/kore.conf" -n -r -f >"$work/kore.log" 2>&1 &
kore_pid=$!

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

# Browser tests: Debian's Chromium driven by playwright-core from npm.
if [ -f tests/browser/run.mjs ]; then
	echo "== browser tests"
	( cd tests/browser && { [ -d node_modules/playwright-core ] ||
	    npm install --no-audit --no-fund --silent; } ) || failed=$((failed + 1))
	fixture=$(PORTAL_URL="http://127.0.0.1:$webport" PORTAL_DB="$conn" \
	    PORTAL_CTL="$root/build/portalctl" /usr/bin/python3 \
	    tests/integration/portal.py browser-fixture)
	mkdir -p "$work/shots"
	out=$(env $fixture PORTAL_URL="http://127.0.0.1:$webport" \
	    PORTAL_SHOTS="${PORTAL_SHOTS:-$work/shots}" \
	    node tests/browser/run.mjs 2>&1)
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

if grep -qE 'died|violation|exited with status' "$work/kore.log"; then
	echo "server log shows a crashed worker:"
	grep -E 'died|violation|exited with status' "$work/kore.log" | head
	failed=$((failed + 1))
fi

echo
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
