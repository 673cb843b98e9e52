#!/usr/bin/env bash
# make run: the local cluster (kept in var/pg between runs), migrations,
# demo data, the first admin, then the server in the foreground.  As root
# the workers run as kore.conf's runas user, chrooted into var/
# (scripts/privsep.sh); as another user, as that user.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
port=${PORTAL_PG_PORT:-5433}
. scripts/privsep.sh

bash scripts/pg.sh start var/pg "$port"
conn=$(bash scripts/pg.sh conninfo var/pg "$port")
bash scripts/migrate.sh "$conn"
for f in sql/demo/*.sql; do
	psql "$conn" -X -q -v ON_ERROR_STOP=1 -f "$f" >/dev/null
done
bash scripts/admin.sh "$conn"

privsep_scratch var/tmp
privsep_jail_files var
if (exec 3<>/dev/tcp/127.0.0.1/8888) 2>/dev/null; then
	echo "Cổng 8888 đang bận: cổng báo cáo có thể đang chạy ở cửa sổ khác." >&2
	echo "Port 8888 is in use: is the portal already running?" >&2
	exit 1
fi
# The paths as the workers see them from inside var/.
PORTAL_DB=$(bash scripts/pg.sh conninfo var/pg "$port" var)
PORTAL_TMP=$(privsep_inside var var/tmp)
export PORTAL_DB PORTAL_ROOT="$root" PORTAL_TMP
echo "  Cổng báo cáo: http://127.0.0.1:8888  (Ctrl-C để dừng / to stop)"
# shellcheck disable=SC2046
exec stdbuf -oL kore -c kore.conf $(privsep_kore_flags) -f
