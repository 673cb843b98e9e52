#!/usr/bin/env bash
# Restore a dump made by scripts/backup.sh into a new (or empty) cluster.
#   restore.sh DUMP TARGET_CLUSTER_DIR PORT
# Checks DUMP against DUMP.sha256 and refuses on any mismatch; creates the
# cluster with scripts/pg.sh when TARGET_CLUSTER_DIR is new or empty, or
# uses an existing cluster whose portal database is still empty (never one
# with data); restores in one transaction with pg_restore --no-owner
# --role=portal -d portal; runs ANALYZE and a sanity query.  The cluster is
# left running: bash scripts/pg.sh stop TARGET_CLUSTER_DIR stops it.
set -euo pipefail
umask 077

me=restore.sh
root=$(cd "$(dirname "$0")/.." && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
[ -x "$PGBIN/pg_restore" ] || PGBIN=$(dirname "$(command -v pg_restore || echo /x/pg_restore)")

# die VIETNAMESE ENGLISH [DETAIL_FILE]
die() {
	{
		printf '%s: LỖI: %s\n' "$me" "$1"
		printf '%s: ERROR: %s\n' "$me" "$2"
		if [ -n "${3:-}" ] && [ -s "$3" ]; then
			tail -n 15 "$3" | sed 's/^/    /'
		fi
	} >&2
	exit 1
}

[ $# -eq 3 ] ||
    die "cách dùng: restore.sh TỆP_SAO_LƯU THƯ_MỤC_CỤM CỔNG" \
	"usage: restore.sh DUMP TARGET_CLUSTER_DIR PORT"
dump=$1
port=$3
[[ "$port" =~ ^[0-9]{4,5}$ ]] && [ "$port" -ge 1024 ] && [ "$port" -le 65535 ] ||
    die "cổng phải là số từ 1024 đến 65535, không phải '$port'" \
	"PORT must be a number from 1024 to 65535, not '$port'"
dir=$(realpath -m -- "$2")
for t in "$PGBIN/pg_restore" "$PGBIN/psql"; do
	[ -x "$t" ] || die "không tìm thấy $t (cài postgresql-client-15)" \
	    "$t not found (install postgresql-client-15)"
done

# 1. The file is the one backup.sh wrote: same SHA-256, readable, the
#    portal's database.
[ -f "$dump" ] && [ -r "$dump" ] ||
    die "không đọc được tệp sao lưu $dump" "cannot read dump $dump"
[ -f "$dump.sha256" ] ||
    die "thiếu tệp kiểm tra $dump.sha256: không khôi phục tệp chưa kiểm chứng được" \
	"$dump.sha256 is missing: an unverifiable dump is not restored"
want=$(awk 'NR == 1 {print tolower($1)}' "$dump.sha256")
[[ "$want" =~ ^[0-9a-f]{64}$ ]] ||
    die "tệp $dump.sha256 không đúng định dạng sha256sum" \
	"$dump.sha256 is not in sha256sum format"
have=$(sha256sum <"$dump" | cut -d' ' -f1)
[ "$have" = "$want" ] ||
    die "tệp sao lưu bị hỏng hoặc đã bị sửa (sha256 không khớp): không khôi phục gì" \
	"the dump is damaged or was altered (sha256 mismatch): nothing restored
    expected $want
    found    $have"
echo "sha256 OK: $dump"

work=$(mktemp -d "${TMPDIR:-/tmp}/portal-restore.XXXXXX") ||
    die "không tạo được thư mục tạm trong ${TMPDIR:-/tmp}" \
	"cannot create a temporary directory in ${TMPDIR:-/tmp}"
trap 'rm -rf "$work"' EXIT
"$PGBIN/pg_restore" --list "$dump" >"$work/list" 2>"$work/err" ||
    die "pg_restore không đọc được tệp sao lưu" "pg_restore cannot read the dump" \
	"$work/err"
grep -Eq ' TABLE DATA public schema_version ' "$work/list" ||
    die "tệp sao lưu không có bảng schema_version: không phải của cổng báo cáo" \
	"the dump has no schema_version table: not the portal's database"

# 2. The cluster: a new one, or an existing one whose portal database holds
#    nothing yet.  Never a directory with other things in it (pg.sh would
#    hand it to the postgres user).
if [ -f "$dir/data/PG_VERSION" ]; then
	echo "Dùng cụm có sẵn / using the existing cluster $dir"
else
	if [ -e "$dir" ] && { [ ! -d "$dir" ] || [ -n "$(ls -A -- "$dir")" ]; }; then
		die "$dir không phải cụm PostgreSQL và không trống: chọn thư mục mới hoặc trống" \
		    "$dir is no PostgreSQL cluster and is not empty: choose a new or empty directory"
	fi
	if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
		die "cổng $port đang được dùng: chọn cổng khác" \
		    "port $port is in use: choose another"
	fi
	echo "Tạo cụm mới / creating a new cluster in $dir (port $port)"
fi
bash "$root/scripts/pg.sh" start "$dir" "$port" ||
    die "không khởi động được cụm $dir" "cannot start the cluster $dir"

admin=(-X -q -v ON_ERROR_STOP=1 -h "$dir/run" -p "$port" -U postgres)
"$PGBIN/psql" "${admin[@]}" -d postgres -Atc 'SELECT 1' >/dev/null 2>"$work/err" ||
    die "không kết nối được cụm $dir ở cổng $port (cụm đang chạy ở cổng khác?)" \
	"cannot connect to the cluster $dir on port $port (running on another port?)" \
	"$work/err"
"$PGBIN/psql" "${admin[@]}" -d postgres >/dev/null 2>"$work/err" <<'SQL' ||
SELECT 'CREATE ROLE portal LOGIN'
    WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'portal') \gexec
SELECT 'CREATE DATABASE portal OWNER portal ENCODING ''UTF8'''
    WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'portal') \gexec
ALTER DATABASE portal SET timezone TO 'Asia/Ho_Chi_Minh';
SQL
    die "không tạo được vai trò/cơ sở dữ liệu portal" \
	"cannot create the portal role or database" "$work/err"
used=$("$PGBIN/psql" "${admin[@]}" -d portal -At -c "
	SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n
	    ON n.oid = c.relnamespace WHERE n.nspname = 'public')
	    + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n
	    ON n.oid = p.pronamespace WHERE n.nspname = 'public')")
[ "$used" = 0 ] ||
    die "cơ sở dữ liệu portal trong $dir đã có dữ liệu: không ghi đè. Hãy khôi phục vào cụm mới" \
	"the portal database in $dir is not empty: not overwritten. Restore into a new cluster"

# 3. Restore: all of it or nothing.
echo "Khôi phục / restoring $dump"
"$PGBIN/pg_restore" --no-owner --role=portal --exit-on-error \
    --single-transaction -h "$dir/run" -p "$port" -U postgres -d portal \
    "$dump" 2>"$work/err" ||
    die "pg_restore thất bại: cơ sở dữ liệu portal trong $dir vẫn trống" \
	"pg_restore failed: the portal database in $dir is still empty" \
	"$work/err"
"$PGBIN/psql" "${admin[@]}" -d portal -c ANALYZE 2>"$work/err" ||
    die "ANALYZE thất bại" "ANALYZE failed" "$work/err"

# 4. Sanity: the portal role reads the tables the portal needs.
conn=$(bash "$root/scripts/pg.sh" conninfo "$dir" "$port")
sanity=$("$PGBIN/psql" "$conn" -X -At -F ' ' -v ON_ERROR_STOP=1 -c "
	SELECT (SELECT max(version) FROM schema_version),
	    (SELECT name FROM schema_version ORDER BY version DESC LIMIT 1),
	    (SELECT count(*) FROM districts), (SELECT count(*) FROM units),
	    (SELECT count(*) FROM users), (SELECT count(*) FROM reports),
	    (SELECT count(*) FROM audit),
	    (SELECT count(*) FROM pg_tables WHERE schemaname = 'public'
	        AND tableowner <> 'portal')" 2>"$work/err") ||
    die "truy vấn kiểm tra sau khôi phục thất bại" \
	"the sanity query after the restore failed" "$work/err"
read -r ver vname ndist nunits nusers nreports naudit foreign <<<"$sanity"
[ -n "$ver" ] && [ "$foreign" = 0 ] && [ "$ndist" -gt 0 ] ||
    die "dữ liệu khôi phục không hợp lệ (schema_version trống, thiếu quận/huyện hoặc bảng không thuộc portal)" \
	"the restored data looks wrong (empty schema_version, no districts, or tables not owned by portal)"
echo "Đã khôi phục / restored: schema_version $ver ($vname); districts $ndist, units $nunits, users $nusers, reports $nreports, audit $naudit"

# Which migrations: the dump's against this checkout's sql/.
latest=$(find "$root/sql" -maxdepth 1 -name '[0-9][0-9][0-9]_*.sql' -printf '%f\n' |
    sort | tail -1)
lver=$((10#${latest%%_*}))
if [ "$ver" -lt "$lver" ]; then
	echo "Lưu ý / note: the dump is at migration $ver, this checkout has $lver: bash scripts/migrate.sh \"$conn\" brings it up to date."
elif [ "$ver" -gt "$lver" ]; then
	echo "Lưu ý / note: the dump is at migration $ver, newer than this checkout ($lver): serve it with the matching version of the portal."
fi
echo "PORTAL_DB=\"$conn\""
echo "Dừng cụm / stop the cluster: bash scripts/pg.sh stop $dir"
