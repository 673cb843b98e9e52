#!/usr/bin/env bash
# Backups end to end: back up the database at CONNINFO with
# scripts/backup.sh, restore the dump with scripts/restore.sh into brand
# new clusters on free loopback ports under CLUSTER_DIR_BASE, and compare
# the two databases table by table; then the refusals: a tampered dump, a
# missing checksum, a non-empty target, a missing, read-only or bogus
# destination, an unreachable database.  Stops and removes everything it
# made.  Ends with "N passed, M failed"; exits non-zero on any failure.
#   test_backup.sh CONNINFO CLUSTER_DIR_BASE
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
conn=${1:?usage: test_backup.sh CONNINFO CLUSTER_DIR_BASE}
base=${2:?usage: test_backup.sh CONNINFO CLUSTER_DIR_BASE}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
[ -x "$PGBIN/pg_restore" ] || PGBIN=$(dirname "$(command -v pg_restore)")

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "  ok   $1"; }
fail() {
	failed=$((failed + 1))
	echo "  FAIL $1"
	[ -z "${2:-}" ] || printf '%s\n' "$2" | head -n 20 | sed 's/^/       /'
}
# verdict DESCRIPTION [OUTPUT]: passes when the command just before it did;
# shows OUTPUT when it did not.
verdict() {
	local rc=$?
	if [ $rc -eq 0 ]; then ok "$1"; else fail "$1" "${2:-}"; fi
}
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

made_base=""
[ -d "$base" ] || made_base=1
mkdir -p "$base"
base=$(realpath "$base")
work=$(mktemp -d "$base/backup-test.XXXXXX") || { fail "mktemp in $base"; finish; }
chmod 755 "$work"
clusters=()
cleanup() {
	local c
	for c in "${clusters[@]}"; do
		bash "$root/scripts/pg.sh" stop "$c" >/dev/null 2>&1
	done
	rm -rf "$work"
	[ -z "$made_base" ] || rmdir "$base" 2>/dev/null
}
trap cleanup EXIT

. "$root/scripts/ports.sh"
q() { psql "$1" -X -q -At -v ON_ERROR_STOP=1 "${@:2}"; }

# Every table of the public schema: its row count and the md5 of its rows
# in primary-key order (whole-row order when it has no key); then the
# sequences and the definitions of functions, triggers, indexes and
# constraints.  In UTC and ISO so both sides print values alike.
fingerprint() {
	q "$1" -F ' ' <<'SQL'
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
SET intervalstyle = 'postgres';
SELECT format('SELECT %L, count(*), coalesce(md5(string_agg(t::text, E''\n'' ORDER BY %s)), ''-'') FROM public.%I t',
	c.relname,
	coalesce((SELECT string_agg(format('t.%I', a.attname), ', ' ORDER BY k.ord)
	    FROM pg_index i, unnest(i.indkey) WITH ORDINALITY k(attnum, ord),
	        pg_attribute a
	    WHERE i.indrelid = c.oid AND i.indisprimary
	        AND a.attrelid = c.oid AND a.attnum = k.attnum), 't::text'),
	c.relname)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
ORDER BY c.relname \gexec
SELECT '~sequences', count(*), md5(string_agg(sequencename || '=' ||
    coalesce(last_value::text, 'null'), ',' ORDER BY sequencename))
FROM pg_sequences WHERE schemaname = 'public';
SELECT '~definitions', count(*), md5(string_agg(d, E'\n' ORDER BY d)) FROM (
	SELECT pg_get_functiondef(p.oid) d FROM pg_proc p
	    JOIN pg_namespace n ON n.oid = p.pronamespace
	    WHERE n.nspname = 'public'
	UNION ALL SELECT pg_get_triggerdef(tg.oid) FROM pg_trigger tg
	    JOIN pg_class c ON c.oid = tg.tgrelid
	    JOIN pg_namespace n ON n.oid = c.relnamespace
	    WHERE n.nspname = 'public' AND NOT tg.tgisinternal
	UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'
	UNION ALL SELECT conrelid::regclass || ' ' || conname || ' ' ||
	    pg_get_constraintdef(co.oid) FROM pg_constraint co
	    JOIN pg_namespace n ON n.oid = co.connamespace
	    WHERE n.nspname = 'public') x;
SQL
}

echo "== backup: $work"

# 1. The source answers and holds data worth comparing: a report with
#    values and an audit row (added here when it has none).
if ! q "$conn" -c 'SELECT 1' >/dev/null 2>&1; then
	fail "source database reachable"
	finish
fi
seed=$(q "$conn" 2>&1 <<'SQL'
INSERT INTO units (code, name, kind, district)
SELECT 'BKTEST', 'Đơn vị kiểm thử sao lưu', 'other',
    (SELECT min(code) FROM districts)
WHERE NOT EXISTS (SELECT 1 FROM units);
SELECT 'INSERT INTO periods (code, year, name, start_date, end_date, deadline, forms)
	VALUES (''2001-01'', 2001, ''Tháng 01/2001 (kiểm thử sao lưu)'',
	    ''2000-12-15'', ''2001-01-14'', ''2001-01-15'', ''{PL1}'')
	ON CONFLICT (code) DO NOTHING'
WHERE NOT EXISTS (SELECT 1 FROM report_values) \gexec
SELECT 'WITH r AS (INSERT INTO reports (unit_code, period_code, form, status,
	    version, checks)
	SELECT min(code), ''2001-01'', ''PL1'', ''submitted'', 2,
	    ''[{"level": "warning", "item": "1.1"}]'' FROM units
	ON CONFLICT (unit_code, period_code, form)
	    DO UPDATE SET updated_at = now() RETURNING id)
	INSERT INTO report_values (report_id, station, item, num, txt)
	SELECT r.id, '''', v.item, v.num, v.txt FROM r, (VALUES
	    (''1.1'', 12::bigint, NULL::text),
	    (''1.2'', 0, NULL),
	    (''2.1'', NULL, ''Bệnh án điện tử: "một phần", có dấu ''''nháy'''''' || chr(9) || ''tab''))
	    v(item, num, txt)
	ON CONFLICT DO NOTHING'
WHERE NOT EXISTS (SELECT 1 FROM report_values) \gexec
INSERT INTO audit (action, object, after)
SELECT 'backup_test', 'test:backup',
    '{"ghi_chú": "kiểm thử sao lưu", "n": 1, "null": null}'
WHERE NOT EXISTS (SELECT 1 FROM audit);
SELECT (SELECT count(*) FROM report_values) > 0
    AND (SELECT count(*) FROM audit) > 0;
SQL
)
[ "$(printf '%s\n' "$seed" | tail -n 1)" = t ]
verdict "source has a report with values and an audit row" "$seed"
before=$(fingerprint "$conn")

# 2. A backup, with an old dump to expire, a recent one to keep and a
#    stranger to leave alone.
bk="$work/backups"
mkdir -p "$bk"
old=portal-20000101-000000.dump
recent=portal-$(date -d '-2 days' +%Y%m%d-%H%M%S).dump
touch "$bk/$old" "$bk/$old.sha256" "$bk/$recent" "$bk/$recent.sha256" \
    "$bk/notes.txt"
out=$(bash "$root/scripts/backup.sh" "$conn" "$bk" 30 2>&1)
verdict "backup.sh exits 0" "$out"
printf '%s\n' "$out" | sed 's/^/       | /'
dumps=$(find "$bk" -maxdepth 1 -name 'portal-*.dump' -newer "$bk/notes.txt" -size +0)
dump=$(printf '%s\n' "$dumps" | head -n 1)
name=$(basename "$dump")
[ "$(printf '%s\n' "$dumps" | grep -c .)" = 1 ] && [ -f "$dump.sha256" ] &&
    [ -z "$(find "$bk" -maxdepth 1 -name '.portal-*')" ]
verdict "one new dump and its .sha256, no temporary files left" "$(ls -la "$bk")"
[[ "$name" =~ ^portal-[0-9]{8}-[0-9]{6}\.dump$ ]]
verdict "dump named portal-YYYYMMDD-HHMMSS.dump ($name)" "$name"
out=$(cd "$bk" && sha256sum -c "$name.sha256" 2>&1)
verdict "sha256sum -c accepts the dump" "$out"
[ "$(head -c 5 "$dump")" = PGDMP ] &&
    "$PGBIN/pg_restore" --list "$dump" >/dev/null 2>&1
verdict "custom format (PGDMP) and pg_restore --list reads it"
dv=$("$PGBIN/pg_restore" --data-only --table=schema_version -f - "$dump" 2>&1 |
    awk '/^COPY /{c=1; next} /^\\\.$/{c=0} c {print $1}' | sort -n | tr '\n' ' ')
sv=$(q "$conn" -c 'SELECT version FROM schema_version ORDER BY 1' | tr '\n' ' ')
[ -n "$sv" ] && [ "$dv" = "$sv" ]
verdict "the dump's schema_version lists the source's migrations ($sv)" "dump: $dv"
[ ! -e "$bk/$old" ] && [ ! -e "$bk/$old.sha256" ] && [ -e "$bk/$recent" ] &&
    [ -e "$bk/$recent.sha256" ] && [ -e "$bk/notes.txt" ]
verdict "retention: a 2000 dump and its .sha256 removed, a 2-day-old one and other files kept" \
    "$(ls -la "$bk")"
rm -f "$bk/$recent" "$bk/$recent.sha256" "$bk/notes.txt"

# 3. Restore into a brand new cluster on another free port and compare.
port=$(free_port) || { fail "a free loopback port"; finish; }
r1="$work/restored"
clusters+=("$r1")
out=$(bash "$root/scripts/restore.sh" "$dump" "$r1" "$port" 2>&1)
verdict "restore.sh into a new cluster on port $port exits 0" "$out"
printf '%s\n' "$out" | sed 's/^/       | /'
rconn=$(bash "$root/scripts/pg.sh" conninfo "$r1" "$port")
after=$(fingerprint "$rconn" 2>&1)
tables() { printf '%s\n' "$1" | awk '$1 !~ /^~/ {print $1}'; }
[ "$(tables "$before")" = "$(tables "$after")" ]
verdict "same tables ($(tables "$before" | grep -c .))" \
    "$(diff <(tables "$before") <(tables "$after"))"
while read -r t n sum; do
	[ -n "$t" ] || continue
	got=$(printf '%s\n' "$after" | awk -v t="$t" '$1 == t {print $2, $3}')
	case $t in
	\~*)	label="${t#\~}: $n" ;;
	*)	label="table $t: $n rows" ;;
	esac
	[ "$got" = "$n $sum" ]
	verdict "$label, same md5" "source $n $sum, restored ${got:-none}"
done <<<"$before"
own=$(q "$rconn" -c "SELECT count(*) FROM pg_tables
    WHERE schemaname = 'public' AND tableowner <> 'portal'" 2>&1)
[ "$own" = 0 ]
verdict "restored tables owned by portal (--no-owner --role=portal)" "$own"
out=$(q "$rconn" -c "UPDATE audit SET action = action" 2>&1)
grep -q 'append-only' <<<"$out"
verdict "audit stays append-only in the restored copy" "$out"
out=$(bash "$root/scripts/restore.sh" "$dump" "$r1" "$port" 2>&1)
rc=$?
[ $rc -ne 0 ] && grep -q 'not empty' <<<"$out" &&
    [ "$(fingerprint "$rconn" 2>&1)" = "$after" ]
verdict "restore.sh refuses a cluster whose database has data, changes nothing" "$out"

# 4. An existing, empty cluster is used as it is.
port2=$(free_port) || { fail "a second free loopback port"; finish; }
r2="$work/empty"
clusters+=("$r2")
bash "$root/scripts/pg.sh" init "$r2" "$port2" >/dev/null 2>&1
out=$(bash "$root/scripts/restore.sh" "$dump" "$r2" "$port2" 2>&1)
rc=$?
[ $rc -eq 0 ] && grep -q 'existing cluster' <<<"$out" &&
    [ "$(fingerprint "$(bash "$root/scripts/pg.sh" conninfo "$r2" "$port2")" 2>&1)" = "$before" ]
verdict "restore.sh into an existing empty cluster, same data" "$out"
bash "$root/scripts/pg.sh" stop "$r2" >/dev/null 2>&1

# 5. A tampered dump and a dump without its checksum are refused before
#    any cluster is made.
mkdir -p "$work/tampered"
cp "$dump" "$dump.sha256" "$work/tampered/"
td="$work/tampered/$name"
at=$(($(stat -c %s "$td") / 2))
byte=$(dd if="$td" bs=1 skip=$at count=1 2>/dev/null | od -An -tx1 | tr -d ' \n')
[ "$byte" = 58 ] && new=Y || new=X
printf '%s' "$new" | dd of="$td" bs=1 seek=$at conv=notrunc 2>/dev/null
port3=$(free_port)
out=$(bash "$root/scripts/restore.sh" "$td" "$work/tampered-cluster" "$port3" 2>&1)
rc=$?
[ $rc -ne 0 ] && grep -q 'sha256 mismatch' <<<"$out" &&
    grep -q 'sha256 không khớp' <<<"$out" && [ ! -e "$work/tampered-cluster" ]
verdict "restore.sh refuses a tampered dump (sha256 mismatch), makes no cluster" "$out"
printf '%s\n' "$out" | sed 's/^/       | /'
cp "$dump" "$work/tampered/nosum.dump"
out=$(bash "$root/scripts/restore.sh" "$work/tampered/nosum.dump" \
    "$work/nosum-cluster" "$port3" 2>&1)
rc=$?
[ $rc -ne 0 ] && grep -q 'is missing' <<<"$out" && [ ! -e "$work/nosum-cluster" ]
verdict "restore.sh refuses a dump without its .sha256" "$out"

# 6. Backups that cannot be made fail loudly, in both languages, leave
#    nothing behind and never show a password.
secret="Canary-$RANDOM$RANDOM"
nopw() { ! grep -q -- "$secret" <<<"$1"; }
out=$(bash "$root/scripts/backup.sh" "$conn password=$secret" "$work/missing" 2>&1)
rc=$?
[ $rc -ne 0 ] && grep -q 'does not exist' <<<"$out" &&
    grep -q 'không tồn tại' <<<"$out" && nopw "$out" && [ ! -e "$work/missing" ]
verdict "backup into a missing destination fails clearly" "$out"
printf '%s\n' "$out" | sed 's/^/       | /'
mkdir -p "$work/readonly"
if [ "$(id -u)" -eq 0 ]; then
	# root writes anywhere: try as the postgres user instead.
	out=$(runuser -u postgres -- bash "$root/scripts/backup.sh" \
	    "$conn password=$secret" "$work/readonly" 2>&1)
else
	chmod 555 "$work/readonly"
	out=$(bash "$root/scripts/backup.sh" "$conn password=$secret" \
	    "$work/readonly" 2>&1)
fi
rc=$?
chmod 755 "$work/readonly"
[ $rc -ne 0 ] && grep -q 'cannot write' <<<"$out" &&
    grep -q 'không ghi được' <<<"$out" && nopw "$out" &&
    [ -z "$(ls -A "$work/readonly")" ]
verdict "backup into a non-writable destination fails clearly" "$out"
printf '%s\n' "$out" | sed 's/^/       | /'
touch "$work/afile"
out=$(bash "$root/scripts/backup.sh" "$conn" "$work/afile" 2>&1)
rc=$?
[ $rc -ne 0 ] && grep -q 'not a directory' <<<"$out"
verdict "backup onto a file fails clearly" "$out"
mkdir -p "$work/unreached"
deadport=$(free_port)
out=$(bash "$root/scripts/backup.sh" \
    "host=127.0.0.1 port=$deadport dbname=portal user=portal password=$secret" \
    "$work/unreached" 2>&1)
rc=$?
[ $rc -ne 0 ] && grep -q 'pg_dump failed' <<<"$out" &&
    grep -q 'pg_dump thất bại' <<<"$out" && nopw "$out" &&
    [ -z "$(ls -A "$work/unreached")" ]
verdict "backup of an unreachable database fails clearly, leaves no file, hides the password" "$out"
printf '%s\n' "$out" | sed 's/^/       | /'
out=$(bash "$root/scripts/backup.sh" "$conn" "$bk" abc 2>&1)
rc=$?
[ $rc -ne 0 ] && grep -q 'KEEP_DAYS' <<<"$out"
verdict "backup with a bad KEEP_DAYS fails" "$out"

# 7. The source did not move under the test; stop and remove what it made.
[ "$(fingerprint "$conn")" = "$before" ]
verdict "source unchanged during the test"
running=""
for c in "${clusters[@]}"; do
	bash "$root/scripts/pg.sh" stop "$c" >/dev/null 2>&1
	[ -f "$c/data/PG_VERSION" ] &&
	    as_pg "$PGBIN/pg_ctl" -D "$c/data" status >/dev/null 2>&1 &&
	    running="$running $c"
done
[ -z "$running" ]
verdict "the clusters it made are stopped" "$running"
rm -rf "$work"
[ ! -e "$work" ]
verdict "its directory is removed" "$work"
finish
