-- Named statements used by the portal (modules/queries.h lists the names).
-- Each is one statement: work that must be atomic is written as one.
-- $n are parameters; nothing here is ever built from user text.

-- name: health
SELECT 1

-- name: session_touch
-- Idle expiry 30 minutes, absolute expiry 12 hours.
UPDATE sessions s SET last_seen = now()
FROM users u
WHERE s.token_hash = sha256(convert_to($1, 'UTF8'))
  AND u.id = s.user_id AND u.active
  AND s.last_seen > now() - interval '30 minutes'
  AND s.created_at > now() - interval '12 hours'
RETURNING s.id, u.id, u.username, u.role, coalesce(u.unit_code, ''),
    u.must_change_password, s.csrf_token

-- name: login_lookup
-- One row even for an unknown name, so failures count for it too.
SELECT u.id, u.password_hash, u.role, coalesce(u.unit_code, ''),
    u.must_change_password, u.active,
    (SELECT count(*) FROM login_failures f
      WHERE f.username = n.name AND f.at > now() - interval '15 minutes')
FROM (SELECT $1::text AS name) n
LEFT JOIN users u ON u.username = n.name

-- name: login_fail
INSERT INTO login_failures (username) VALUES ($1)

-- name: session_create
WITH forget AS (
	DELETE FROM login_failures WHERE username = $4
), seen AS (
	UPDATE users SET last_login_at = now() WHERE id = $1::bigint
), expired AS (
	DELETE FROM sessions
	WHERE user_id = $1::bigint AND (last_seen < now() - interval '30 minutes'
	    OR created_at < now() - interval '12 hours')
)
INSERT INTO sessions (user_id, token_hash, csrf_token)
VALUES ($1::bigint, sha256(convert_to($2, 'UTF8')), $3)
RETURNING id

-- name: session_delete
DELETE FROM sessions WHERE id = $1::bigint

-- name: password_get
SELECT password_hash FROM users WHERE id = $1::bigint AND active

-- name: password_set
-- Other sessions of the user end: a changed password locks out whoever
-- knew the old one.
WITH other AS (
	DELETE FROM sessions WHERE user_id = $1::bigint AND id <> $3::bigint
), log AS (
	INSERT INTO audit (actor, action, object)
	VALUES ($1::bigint, 'password_change', 'user:' || $1)
)
UPDATE users SET password_hash = $2, must_change_password = false,
    password_changed_at = now()
WHERE id = $1::bigint

-- name: accounts_list
SELECT coalesce(json_agg(json_build_object(
	'username', u.username, 'role', u.role, 'unit', u.unit_code,
	'unit_name', n.name, 'full_name', u.full_name,
	'must_change_password', u.must_change_password, 'active', u.active,
	'created_at', u.created_at, 'last_login_at', u.last_login_at,
	'locked', (SELECT count(*) >= 5 FROM login_failures f
	    WHERE f.username = u.username
	      AND f.at > now() - interval '15 minutes'),
	'districts', (SELECT coalesce(json_agg(v.district ORDER BY v.district),
	    '[]') FROM viewer_districts v WHERE v.user_id = u.id))
	ORDER BY u.role, u.username), '[]')
FROM users u LEFT JOIN units n ON n.code = u.unit_code

-- name: account_create
SELECT account_create($1, $2, $3, $4, $5, $6::jsonb, $7::bigint)

-- name: account_reset
SELECT account_reset($1, $2, $3::bigint, $4)

-- name: account_unlock
DELETE FROM login_failures WHERE username = $1

-- name: bulk_candidates
-- Active units without an active unit account, from the given list, or
-- from one district, or the whole province; the user name is the code.
SELECT u.code, u.name, lower(u.code)
FROM units u
WHERE u.active
  AND ($1::jsonb IS NULL OR u.code IN (
      SELECT jsonb_array_elements_text($1::jsonb)))
  AND ($2 = '' OR u.district = $2)
  AND NOT EXISTS (SELECT 1 FROM users a WHERE a.unit_code = u.code
      AND a.role = 'unit' AND a.active)
  AND NOT EXISTS (SELECT 1 FROM users a WHERE a.username = lower(u.code))
ORDER BY u.district, u.code
LIMIT 3001

-- name: accounts_bulk_create
-- In input order, only the rows really inserted; a unit that got an
-- account meanwhile is skipped rather than failing the whole sheet.
WITH input AS (
	SELECT e.username, e.unit, e.hash, i.ord
	FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS i(elem, ord),
	    jsonb_to_record(i.elem) AS e(username text, unit text, hash text)
), made AS (
	INSERT INTO users (username, role, unit_code, password_hash)
	SELECT username, 'unit', unit, hash FROM input
	ORDER BY ord
	ON CONFLICT DO NOTHING
	RETURNING username
), log AS (
	INSERT INTO audit (actor, action, object)
	SELECT $2::bigint, 'account_create', 'user:' || username FROM made
)
SELECT i.username FROM input i JOIN made m USING (username) ORDER BY i.ord

-- name: periods_year
-- The stored calendar of a year; the defaults computed in C ($1) fill in
-- any period not stored yet, so an edited period keeps its edits.
WITH def AS (
	SELECT * FROM json_to_recordset($1::json) AS s(code text, year int,
	    name text, start_date date, end_date date, deadline date,
	    forms text)
), seed AS (
	INSERT INTO periods (code, year, name, start_date, end_date, deadline,
	    forms)
	SELECT code, year, name, start_date, end_date, deadline,
	    string_to_array(forms, ',')
	FROM def
	WHERE NOT EXISTS (SELECT 1 FROM periods p WHERE p.code = def.code)
	ON CONFLICT (code) DO NOTHING
	RETURNING code, name, start_date, end_date, deadline, forms
), cal AS (
	SELECT code, name, start_date, end_date, deadline, forms
	FROM periods WHERE year = $2::int
	UNION ALL
	SELECT * FROM seed
)
SELECT c.code, c.name, c.start_date, c.end_date, c.deadline,
    array_to_string(c.forms, ','),
    coalesce((SELECT json_object_agg(r.form, json_build_object(
	'status', r.status, 'late', r.late, 'submitted_at', r.submitted_at))
      FROM reports r WHERE r.unit_code = $3 AND r.period_code = c.code),
      '{}')
FROM cal c
ORDER BY c.deadline, c.code

-- name: period_update
WITH def AS (
	SELECT * FROM json_to_recordset($1::json) AS s(code text, year int,
	    name text, start_date date, end_date date, deadline date,
	    forms text)
	WHERE s.code = $2
), old AS (
	SELECT to_jsonb(p) AS j FROM periods p WHERE p.code = $2
), up AS (
	INSERT INTO periods (code, year, name, start_date, end_date, deadline,
	    forms, edited_by, edited_at)
	SELECT code, year, name, $3::date, $4::date, $5::date,
	    string_to_array(forms, ','), $6::bigint, now()
	FROM def
	ON CONFLICT (code) DO UPDATE SET start_date = EXCLUDED.start_date,
	    end_date = EXCLUDED.end_date, deadline = EXCLUDED.deadline,
	    edited_by = EXCLUDED.edited_by, edited_at = now()
	RETURNING *
), log AS (
	INSERT INTO audit (actor, action, object, before, after)
	SELECT $6::bigint, 'period_edit', 'period:' || $2,
	    (SELECT j FROM old), to_jsonb(up)
	FROM up
)
SELECT code, name, start_date, end_date, deadline,
    array_to_string(forms, ',')
FROM up

-- name: units_list
SELECT u.code, u.name, u.kind, u.is_public, u.district, d.name, u.parent,
    u.gksklx, u.hospital, u.cdc, u.active
FROM units u JOIN districts d ON d.code = u.district
WHERE u.code IN (SELECT scope_units($1::bigint))
ORDER BY d.name, u.parent NULLS FIRST, u.code

-- name: districts_list
SELECT coalesce(json_agg(json_build_object('code', code, 'name', name,
    'kind', kind) ORDER BY name), '[]')
FROM districts

-- name: units_import
SELECT units_import($1::jsonb, $2::bigint)

-- name: contacts_list
SELECT coalesce(json_agg(json_build_object(
	'unit', u.code, 'unit_name', u.name, 'district', u.district,
	'name', c.name, 'position', c.position, 'phone', c.phone,
	'email', c.email, 'updated_at', c.updated_at)
	ORDER BY u.district, u.code), '[]')
FROM units u LEFT JOIN contacts c ON c.unit_code = u.code
WHERE u.code IN (SELECT scope_units($1::bigint))

-- name: contact_put
-- Writes only inside the caller's scope: outside it, no row comes back.
WITH target AS (
	SELECT code FROM units
	WHERE code = $2 AND code IN (SELECT scope_units($1::bigint))
), old AS (
	SELECT to_jsonb(c) AS j FROM contacts c JOIN target t
	    ON t.code = c.unit_code
), up AS (
	INSERT INTO contacts (unit_code, name, position, phone, email)
	SELECT code, $3, $4, $5, $6 FROM target
	ON CONFLICT (unit_code) DO UPDATE SET name = EXCLUDED.name,
	    position = EXCLUDED.position, phone = EXCLUDED.phone,
	    email = EXCLUDED.email, updated_at = now()
	RETURNING *
), log AS (
	INSERT INTO audit (actor, action, object, before, after)
	SELECT $1::bigint, 'contact_edit', 'unit:' || unit_code,
	    (SELECT j FROM old), to_jsonb(up)
	FROM up
)
SELECT json_build_object('unit', up.unit_code, 'unit_name', u.name,
    'district', u.district, 'name', up.name, 'position', up.position,
    'phone', up.phone, 'email', up.email, 'updated_at', up.updated_at)
FROM up JOIN units u ON u.code = up.unit_code
