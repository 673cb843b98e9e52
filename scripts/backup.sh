#!/usr/bin/env bash
# Back up the portal database (Quy chế ban hành kèm QĐ của Bộ Y tế, Điều 5
# khoản 3: sao lưu tự động hàng ngày, lưu trên máy chủ khác).
#   backup.sh CONNINFO DEST_DIR [KEEP_DAYS]
# One pg_dump in custom format (compressed) to DEST_DIR/portal-YYYYMMDD-
# HHMMSS.dump (local time), written under a temporary name, synced, checked
# with pg_restore --list and renamed; its checksum beside it in .sha256
# (sha256sum format).  Then dumps older than KEEP_DAYS days (default 30,
# judged by the time in their names) are removed.  DEST_DIR must already
# exist: it is meant to be another disk or the mount of another server, and
# a missing mount must fail rather than fill the local disk.  With
# PORTAL_BACKUP_REQUIRE_MOUNT=1, DEST_DIR must itself be a mount point.
# Exits non-zero with a message in Vietnamese and English on any failure;
# never prints a password.  docs/BACKUP.md has the daily job.
set -euo pipefail
umask 077	# a dump holds password hashes and contact details

me=backup.sh
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
[ -x "$PGBIN/pg_dump" ] || PGBIN=$(dirname "$(command -v pg_dump || echo /x/pg_dump)")

# Anything shown to the user goes through mask: password=… in a conninfo
# and user:password@ in a URI become ***.
mask() {
	sed -E -e "s/(password[[:space:]]*=[[:space:]]*)('([^'\\\\]|\\\\.)*'|[^[:space:]&]+)/\\1***/Ig" \
	    -e 's#(postgres(ql)?://[^:/@[:space:]]*:)[^@[:space:]]*@#\1***@#Ig'
}

# die VIETNAMESE ENGLISH [DETAIL_FILE]
die() {
	{
		printf '%s: LỖI: %s\n' "$me" "$1"
		printf '%s: ERROR: %s\n' "$me" "$2"
		if [ -n "${3:-}" ] && [ -s "$3" ]; then
			tail -n 15 "$3" | mask | sed 's/^/    /'
		fi
	} >&2
	exit 1
}

[ $# -ge 2 ] && [ $# -le 3 ] ||
    die "cách dùng: backup.sh CONNINFO THƯ_MỤC_ĐÍCH [SỐ_NGÀY_GIỮ]" \
	"usage: backup.sh CONNINFO DEST_DIR [KEEP_DAYS]"
conn=$1
dest=${2%/}
[ -n "$dest" ] || dest=/
keep=${3:-30}

[[ "$keep" =~ ^[1-9][0-9]{0,4}$ ]] ||
    die "số ngày giữ bản sao lưu phải là số nguyên dương, không phải '$keep'" \
	"KEEP_DAYS must be a positive whole number, not '$keep'"
for t in "$PGBIN/pg_dump" "$PGBIN/pg_restore"; do
	[ -x "$t" ] || die "không tìm thấy $t (cài postgresql-client-15)" \
	    "$t not found (install postgresql-client-15)"
done
command -v sha256sum >/dev/null ||
    die "không tìm thấy sha256sum (coreutils)" "sha256sum not found (coreutils)"

# The destination: there, a directory, writable (really: try it), and a
# mount point when asked.
[ -e "$dest" ] ||
    die "thư mục đích $dest không tồn tại (ổ đĩa/máy chủ sao lưu đã được gắn chưa?)" \
	"destination $dest does not exist (is the backup disk or share mounted?)"
[ -d "$dest" ] ||
    die "đích $dest không phải là thư mục" \
	"destination $dest is not a directory"
if [ "${PORTAL_BACKUP_REQUIRE_MOUNT:-}" = 1 ] && ! mountpoint -q "$dest"; then
	die "$dest không phải là điểm gắn (mount point): ổ đĩa/máy chủ sao lưu chưa được gắn" \
	    "$dest is not a mount point: the backup disk or share is not mounted"
fi
probe=""
if [ -w "$dest" ] && [ -x "$dest" ]; then
	probe=$(mktemp "$dest/.portal-probe.XXXXXX" 2>/dev/null) || probe=""
fi
[ -n "$probe" ] ||
    die "không ghi được vào thư mục đích $dest (quyền ghi? ổ chỉ đọc? hết chỗ?)" \
	"cannot write to destination $dest (permissions? read-only? full?)"
rm -f "$probe"

# A name of its own: one dump per second at most.
for _ in 1 2 3 4 5; do
	stamp=$(date +%Y%m%d-%H%M%S)
	name="portal-$stamp.dump"
	[ -e "$dest/$name" ] || [ -e "$dest/$name.sha256" ] || break
	sleep 1
done
[ ! -e "$dest/$name" ] ||
    die "$dest/$name đã tồn tại" "$dest/$name already exists"

work=$(mktemp -d "${TMPDIR:-/tmp}/portal-backup.XXXXXX") ||
    die "không tạo được thư mục tạm trong ${TMPDIR:-/tmp}" \
	"cannot create a temporary directory in ${TMPDIR:-/tmp}"
tmp="$dest/.$name.tmp.$$"
tmpsum="$dest/.$name.sha256.tmp.$$"
cleanup() { rm -rf "$work"; rm -f "$tmp" "$tmpsum"; }
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

echo "Sao lưu / backing up: $(printf '%s' "$conn" | mask) -> $dest/$name"

# -w: never wait for a password prompt (cron has no terminal): use
# ~/.pgpass or PGPASSFILE.  The lock timeout keeps a dump from queueing
# forever behind a migration that holds a table.
"$PGBIN/pg_dump" -Fc -w --lock-wait-timeout=120000 -d "$conn" -f "$tmp" \
    2>"$work/pg_dump.err" ||
    die "pg_dump thất bại, không có bản sao lưu mới" \
	"pg_dump failed, no new backup was made" "$work/pg_dump.err"

# The dump must read back and be the portal's database.
"$PGBIN/pg_restore" --list "$tmp" >"$work/list" 2>"$work/list.err" ||
    die "bản sao lưu vừa tạo không đọc lại được (pg_restore --list)" \
	"the new dump does not read back (pg_restore --list)" "$work/list.err"
grep -Eq ' TABLE DATA public schema_version ' "$work/list" ||
    die "bản sao lưu không có bảng schema_version: đây không phải cơ sở dữ liệu của cổng báo cáo?" \
	"the dump has no schema_version table: is this the portal's database?"
"$PGBIN/pg_restore" --data-only --table=schema_version -f "$work/versions" \
    "$tmp" 2>"$work/list.err" ||
    die "không đọc được schema_version trong bản sao lưu" \
	"cannot read schema_version from the dump" "$work/list.err"
schema=$(awk '/^COPY /{c=1; next} /^\\\.$/{c=0} c && $1+0 > v {v=$1+0; n=$2}
    END {if (v) print v " (" n ")"; else print "?"}' "$work/versions")

sum=$(sha256sum "$tmp" | cut -d' ' -f1)
printf '%s  %s\n' "$sum" "$name" >"$tmpsum" ||
    die "không ghi được tệp $name.sha256" "cannot write $name.sha256"
sync -- "$tmp" "$tmpsum" ||
    die "không đồng bộ (sync) được bản sao lưu xuống đĩa" \
	"cannot sync the dump to disk"
# The checksum first: a dump never stands without its .sha256.
mv -f -T -- "$tmpsum" "$dest/$name.sha256" &&
    mv -T -- "$tmp" "$dest/$name" ||
    die "không đổi tên được tệp tạm thành $dest/$name" \
	"cannot rename the temporary file to $dest/$name"
sync -- "$dest" 2>/dev/null ||
    echo "$me: cảnh báo / warning: sync $dest failed (the files are written)" >&2

size=$(du -h -- "$dest/$name" | cut -f1)
echo "Đã sao lưu / backed up: $dest/$name ($size, schema_version $schema)"
echo "  sha256 $sum"

# Retention, by the time in the names (copies keep their names, not always
# their mtimes).  Orphan checksums and stale temporary files go too.
cutoff=$(date -d "-$keep days" +%Y%m%d-%H%M%S)
removed=0
shopt -s nullglob
for f in "$dest"/portal-*.dump "$dest"/portal-*.dump.sha256; do
	b=$(basename "$f")
	[[ "$b" =~ ^portal-([0-9]{8}-[0-9]{6})\.dump(\.sha256)?$ ]] || continue
	[[ "${BASH_REMATCH[1]}" < "$cutoff" ]] || continue
	[ "$b" != "$name" ] && [ "$b" != "$name.sha256" ] || continue
	rm -f -- "$f" ||
	    die "đã sao lưu xong nhưng không xoá được bản cũ $f" \
		"backup done, but cannot remove the old $f"
	[ -z "${BASH_REMATCH[2]}" ] && removed=$((removed + 1))
done
find "$dest" -maxdepth 1 \( -name '.portal-*.tmp.*' -o -name '.portal-probe.*' \) \
    -type f -mmin +1440 -delete 2>/dev/null || true
echo "Giữ $keep ngày: đã xoá $removed bản cũ / keeping $keep days: removed $removed older dump(s)"
