#!/usr/bin/env bash
# make run: the local cluster (kept in var/pg between runs), migrations,
# demo data, the first admin, then the server in the foreground.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
port=${PORTAL_PG_PORT:-5433}

bash scripts/pg.sh start var/pg "$port"
conn=$(bash scripts/pg.sh conninfo var/pg "$port")
bash scripts/migrate.sh "$conn"
for f in sql/demo/*.sql; do
	psql "$conn" -X -q -v ON_ERROR_STOP=1 -f "$f" >/dev/null
done
bash scripts/admin.sh "$conn"

mkdir -p var/tmp
export PORTAL_DB="$conn" PORTAL_ROOT="$root" PORTAL_TMP="$root/var/tmp"
echo "  Cổng báo cáo: http://127.0.0.1:8888  (Ctrl-C để dừng / to stop)"
exec stdbuf -oL kore -c kore.conf -n -r -f
