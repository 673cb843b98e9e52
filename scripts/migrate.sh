#!/usr/bin/env bash
# Apply sql/NNN_*.sql in order, each once and in one transaction, recording
# it in schema_version.  Safe to run again: applied files are skipped.
#   migrate.sh CONNINFO
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
conn=${1:?conninfo}
psql_() { psql "$conn" -X -q -v ON_ERROR_STOP=1 "$@"; }

psql_ -c "SET client_min_messages = warning" -c "CREATE TABLE IF NOT EXISTS schema_version (
	version integer PRIMARY KEY, name text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now())"

for f in "$root"/sql/[0-9][0-9][0-9]_*.sql; do
	name=$(basename "$f")
	ver=$((10#${name%%_*}))
	done_=$(psql_ -At -c "SELECT 1 FROM schema_version WHERE version = $ver")
	[ -n "$done_" ] && continue
	echo "  migration $name"
	{
		echo "BEGIN;"
		cat "$f"
		echo ";"
		echo "INSERT INTO schema_version (version, name) VALUES ($ver, '$name');"
		echo "COMMIT;"
	} | psql_ >/dev/null
done

# Version 1 of each outline is its file in forms/, stored once (sql/013):
# from then on the database holds the outlines, and a changed outline is
# a new version, never an edit of the file (README "Outline versions").
for f in "$root"/forms/PL[0-9].json; do
	form=$(basename "$f" .json)
	have=$(psql_ -At -c "SELECT 1 FROM form_versions WHERE form = '$form' LIMIT 1")
	[ -n "$have" ] && continue
	echo "  outline $form version 1 from forms/$form.json"
	echo "SELECT form_version_seed('$form', :'def');" |
	    psql_ -v def="$(cat "$f")" >/dev/null
done
