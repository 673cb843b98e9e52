-- Named statements used by the portal (modules/queries.h lists the names).
-- Each is one statement: work that must be atomic is written as one.
-- $n are parameters; nothing here is ever built from user text.

-- name: health
SELECT 1

-- name: session_touch
-- Idle expiry 30 minutes, absolute expiry 12 hours; last_seen written at
-- most once a minute (sql/017: a function, so nothing here to plan).
SELECT o_id, o_user_id, o_username, o_role, o_unit, o_must_change, o_csrf
FROM session_touch($1)

-- name: login_attempt
-- Count this password check against the name and the address before it
-- runs (sql/009): 'locked' or 'throttled' with the seconds to wait, or
-- 'ok' with the attempt's id and the account, when the name is one that
-- may sign in.
SELECT o_result, o_retry_after, o_attempt, o_user_id, o_password_hash,
    o_role, o_unit, o_must_change, o_otp_expired
FROM login_attempt($1, $2::inet, $3::int, $4::int)

-- name: session_create
-- A right password clears the name's failures and gives the address its
-- attempt back ($5).  Sessions past their absolute expiry are swept 50
-- at a time (an index on created_at finds them, and every row it visits
-- goes): the table stays bounded without a timer.  One idle past 30
-- minutes is refused by session_touch already and goes when it reaches
-- the twelve hours, or when its user signs in again.
WITH forget AS (
	DELETE FROM login_failures WHERE username = $4
), refund AS (
	DELETE FROM login_addr_attempts WHERE id = $5::bigint
), seen AS (
	UPDATE users SET last_login_at = now() WHERE id = $1::bigint
), expired AS (
	DELETE FROM sessions
	WHERE user_id = $1::bigint AND (last_seen < now() - interval '30 minutes'
	    OR created_at < now() - interval '12 hours')
), sweep AS (
	DELETE FROM sessions WHERE id IN (SELECT id FROM sessions
	    WHERE created_at < now() - interval '12 hours'
	    ORDER BY created_at LIMIT 50 FOR UPDATE SKIP LOCKED)
)
INSERT INTO sessions (user_id, token_hash, csrf_token)
VALUES ($1::bigint, sha256(convert_to($2, 'UTF8')), $3)
RETURNING id

-- name: session_unit
-- For a unit's own page: does its unit file today, and who files for it
-- (the registry of today: sql/012).
SELECT json_build_object('code', u.code, 'name', u.name, 'kind', u.kind,
    'active', u.active, 'files', u.files, 'area', u.area,
    'filed_by', CASE WHEN u.active AND u.filed_by <> u.code THEN
        json_build_object('code', p.code, 'name', p.name) END)
FROM units u LEFT JOIN units p ON p.code = u.filed_by
WHERE u.code = $1

-- name: session_delete
DELETE FROM sessions WHERE id = $1::bigint

-- name: password_set
-- Other sessions of the user end: a changed password locks out whoever
-- knew the old one.  The right current password clears the name's
-- failures and gives the address its attempt ($4) back, as a sign-in.
WITH other AS (
	DELETE FROM sessions WHERE user_id = $1::bigint AND id <> $3::bigint
), log AS (
	INSERT INTO audit (actor, action, object)
	VALUES ($1::bigint, 'password_change', 'user:' || $1)
), forget AS (
	DELETE FROM login_failures
	WHERE username = (SELECT username FROM users WHERE id = $1::bigint)
), refund AS (
	DELETE FROM login_addr_attempts WHERE id = $4::bigint
)
UPDATE users SET password_hash = $2, must_change_password = false,
    password_changed_at = now(), otp_issued_at = NULL
WHERE id = $1::bigint

-- name: accounts_list
SELECT coalesce(json_agg(json_build_object(
	'username', u.username, 'role', u.role, 'unit', u.unit_code,
	'unit_name', n.name, 'full_name', u.full_name,
	'must_change_password', u.must_change_password, 'active', u.active,
	'otp_issued_at', u.otp_issued_at,
	'otp_expired', coalesce(u.must_change_password
	    AND u.otp_issued_at < now() - interval '14 days', false),
	'unit_files', CASE WHEN n.code IS NOT NULL THEN n.files END,
	'created_at', u.created_at, 'last_login_at', u.last_login_at,
	'locked', (SELECT count(*) >= 5 FROM login_failures f
	    WHERE f.username = u.username
	      AND f.at > now() - interval '15 minutes'),
	'districts', (SELECT coalesce(json_agg(v.district ORDER BY v.district),
	    '[]') FROM viewer_districts v WHERE v.user_id = u.id))
	ORDER BY u.role, n.name NULLS FIRST, u.full_name COLLATE vi,
	    u.username), '[]')
FROM users u LEFT JOIN units n ON n.code = u.unit_code
WHERE NOT u.integration

-- name: account_create
SELECT account_create($1, $2, $3, $4, $5, $6::jsonb, $7::bigint)

-- name: account_reset
SELECT account_reset($1, $2, $3::bigint, $4)

-- name: account_unlock
SELECT account_unlock($1, $2::bigint, $3)

-- name: account_set_active
SELECT account_set_active($1, $2::boolean, $3::bigint, $4)

-- name: bulk_candidates
-- Units that file their own reports today or from a day to come (not a
-- commune station its centre files for, nor the office's own unit)
-- without an active unit account, from the given list, or from one area
-- (today's), or the whole province; the user name is the code.
SELECT u.code, u.name, lower(u.code)
FROM units u
WHERE unit_files_from_today(u.code)
  AND ($1::jsonb IS NULL OR u.code IN (
      SELECT jsonb_array_elements_text($1::jsonb)))
  AND ($2 = '' OR u.area = $2)
  AND NOT EXISTS (SELECT 1 FROM users a WHERE a.unit_code = u.code
      AND a.role = 'unit' AND a.active AND NOT a.integration)
  AND NOT EXISTS (SELECT 1 FROM users a WHERE a.username = lower(u.code))
ORDER BY u.area, u.code
LIMIT 3001

-- name: accounts_bulk_create
-- In input order, only the rows really inserted; a unit that got an
-- account meanwhile is skipped rather than failing the whole sheet.
WITH input AS (
	SELECT e.username, e.unit, e.hash, i.ord
	FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS i(elem, ord),
	    jsonb_to_record(i.elem) AS e(username text, unit text, hash text)
), made AS (
	INSERT INTO users (username, role, unit_code, password_hash,
	    otp_issued_at)
	SELECT username, 'unit', unit, hash, now() FROM input
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
-- any period not stored yet, so an edited period keeps its edits.  Each
-- period says which outline version each of its forms uses (sql/013).
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
    -- A returned report carries the office's latest reason, which the
    -- unit's home shows beside its link (sql/005's remarks).
    coalesce((SELECT json_object_agg(r.form, json_build_object(
	'status', r.status, 'late', r.late, 'submitted_at', r.submitted_at,
	'reason', (SELECT e.note FROM report_events e
	    WHERE r.status = 'returned' AND e.report_id = r.id
	      AND e.action IN ('return', 'reopen')
	    ORDER BY e.id DESC LIMIT 1)))
      FROM reports r WHERE r.unit_code = $3 AND r.period_code = c.code),
      '{}'),
    (SELECT coalesce(json_object_agg(f, form_version_for(f, c.code)), '{}')
      FROM unnest(c.forms) AS f),
    -- For a unit in a period it does not file itself (the registry of
    -- the period's last day): who files for it, or that it was not in
    -- the registry then.  NULL when it files.
    CASE WHEN $3 <> '' THEN (SELECT CASE WHEN s.code IS NULL THEN
        json_build_object('in_registry', false)
        WHEN NOT s.files THEN json_build_object('filed_by',
            CASE WHEN s.filed_by <> s.code THEN json_build_object(
                'code', s.filed_by, 'name', f.name) END) END
        FROM (SELECT 1) one
        LEFT JOIN units_on(c.end_date) s ON s.code = $3
        LEFT JOIN units_on(c.end_date) f ON f.code = s.filed_by) END
FROM cal c
ORDER BY c.deadline, c.code

-- name: periods_seed
-- The default calendar of a year, for periods not stored yet.
INSERT INTO periods (code, year, name, start_date, end_date, deadline, forms)
SELECT code, year, name, start_date, end_date, deadline,
    string_to_array(forms, ',')
FROM json_to_recordset($1::json) AS s(code text, year int, name text,
    start_date date, end_date date, deadline date, forms text)
ON CONFLICT (code) DO NOTHING

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
    array_to_string(forms, ','), '{}',
    (SELECT coalesce(json_object_agg(f, form_version_for(f, up.code)), '{}')
      FROM unnest(up.forms) AS f)
FROM up

-- name: units_list
-- $2 '': every unit in scope as it is today (a closed one by its last
-- state, active false); else the units in the registry on day $2, in
-- scope that day.  The area's name is the one it had then.
WITH d AS (
	SELECT NULLIF($2, '')::date AS day
), sc AS (
	SELECT x FROM d, scope_units($1::bigint, d.day) x
	WHERE d.day IS NOT NULL
), u AS (
	SELECT v.code, v.name, v.kind, v.is_public, v.area, v.parent,
	    v.gksklx, v.hospital, v.cdc, v.active, v.files_self, v.filed_by,
	    v.valid_from, v.valid_to,
	    CASE WHEN v.active THEN portal_today()
	        ELSE coalesce(v.valid_to - 1, v.valid_from) END AS seen
	FROM d, units v
	WHERE d.day IS NULL
	  AND v.code IN (SELECT s FROM scope_units($1::bigint) s)
	UNION ALL
	SELECT s.code, s.name, s.kind, s.is_public, s.area, s.parent,
	    s.gksklx, s.hospital, s.cdc, true, s.files_self, s.filed_by,
	    lower(s.valid), upper(s.valid), d.day
	FROM d, units_on(d.day) s
	WHERE d.day IS NOT NULL AND s.code IN (SELECT x FROM sc)
)
SELECT u.code, u.name, u.kind, u.is_public, u.area,
    coalesce(a.name, u.area), u.parent, u.gksklx, u.hospital, u.cdc,
    u.active, u.files_self, u.filed_by, u.valid_from, u.valid_to,
    (SELECT coalesce(json_agg(l.to_code ORDER BY l.to_code), '[]')
        FROM unit_successors l WHERE l.from_code = u.code),
    (SELECT coalesce(json_agg(l.from_code ORDER BY l.from_code), '[]')
        FROM unit_successors l WHERE l.to_code = u.code)
FROM u LEFT JOIN area_states a ON a.code = u.area AND a.valid @> u.seen
ORDER BY a.name, u.parent NULLS FIRST, u.name, u.code

-- name: districts_list
SELECT coalesce(json_agg(json_build_object('code', code, 'name', name,
    'kind', kind) ORDER BY name), '[]')
FROM districts

-- name: units_import
-- The differences a clean file makes from day $3, applied unless $4
-- (a dry run).
SELECT units_import($1::jsonb, $2::bigint, $3::date, $4::boolean)

-- name: units_import_check
-- A file with problems of its own: the registry's of day $2 are looked
-- for too, nothing is written.
SELECT units_import_check($1::jsonb, $2::date)

-- name: areas_list
-- The areas in force on day $1 ('' for today), with the units in each
-- that day.
SELECT a.code, a.name, a.kind, lower(a.valid), upper(a.valid),
    (SELECT count(*) FROM units_on(d.day) s WHERE s.area = a.code)
FROM (SELECT coalesce(NULLIF($1, '')::date, portal_today()) AS day) d
JOIN area_states a ON a.valid @> d.day
ORDER BY a.name, a.code

-- name: area_put
SELECT area_put($1, $2::date, $3, $4, $5::bigint)

-- name: area_end
SELECT area_end($1, $2::date, $3::bigint)

-- name: contacts_list
-- With whether the unit files (only those get reminders) and, when its
-- reminders are off, who turned them off and when (sql/016).
SELECT coalesce(json_agg(json_build_object(
	'unit', u.code, 'unit_name', u.name, 'district', u.district,
	'name', c.name, 'position', c.position, 'phone', c.phone,
	'email', c.email, 'updated_at', c.updated_at,
	'files', unit_files_reports(u.kind, u.active),
	'reminders', o.unit_code IS NULL, 'reminders_off_by', ou.username,
	'reminders_off_role', ou.role, 'reminders_off_at', o.off_at)
	ORDER BY d.name, u.name, u.code), '[]')
FROM units u LEFT JOIN districts d ON d.code = u.district
LEFT JOIN contacts c ON c.unit_code = u.code
LEFT JOIN reminder_optout o ON o.unit_code = u.code
LEFT JOIN users ou ON ou.id = o.off_by
WHERE u.code IN (SELECT s FROM scope_units($1::bigint) s)

-- name: contact_put
-- Writes only inside the caller's scope: outside it, no row comes back.
WITH target AS (
	SELECT code FROM units
	WHERE code = $2 AND code IN (SELECT s FROM scope_units($1::bigint) s)
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

-- name: report_context
-- The one read of a report route (sql/017): the context, the outline
-- version the report is filed under, the versions of the unit's other
-- reports of the form in its history and months ({period: version}), and
-- the signed copy and the PDF's details; no row when unknown or outside
-- the caller's scope.  Nothing here to plan: the function's statements
-- keep their plans for the connection.
SELECT j, form_version, versions, docs
FROM report_context_read($1::bigint, $2, $3, $4)

-- name: report_save
SELECT report_save($1::bigint, $2, $3, $4, $5::integer, $6::jsonb,
    $7::jsonb, $8::jsonb, $9::jsonb, $10::jsonb)

-- name: report_submit
SELECT report_submit($1::bigint, $2, $3, $4, $5::integer, $6::boolean,
    $7::jsonb)

-- name: reports_list
SELECT coalesce(json_agg(json_build_object('unit', r.unit_code,
	'unit_name', u.name, 'district', u.district, 'period', r.period_code,
	'form', r.form, 'status', r.status, 'version', r.version,
	'late', r.late, 'submitted_at', r.submitted_at,
	'updated_at', r.updated_at,
	'errors', (SELECT count(*) FROM jsonb_array_elements(r.checks) c
	    WHERE c->>'severity' = 'error'),
	'warnings', (SELECT count(*) FROM jsonb_array_elements(r.checks) c
	    WHERE c->>'severity' = 'warning'))
	ORDER BY r.period_code DESC, u.district, r.unit_code, r.form), '[]')
FROM reports r JOIN units u ON u.code = r.unit_code
WHERE r.unit_code IN (SELECT s FROM scope_units($1::bigint) s)
  AND ($2 = '' OR r.period_code = $2)
  AND ($3 = '' OR r.form = $3)
  AND ($4 = '' OR r.status = $4)
  AND ($5 = '' OR r.unit_code = $5)
  AND r.version > 0

-- name: token_touch
-- Same columns as session_touch; an integration is a unit user that can
-- never change a password or hold a CSRF token.  last_used_at is written
-- at most once a minute, as last_seen is.
WITH t AS (
	SELECT t.id, t.last_used_at, u.id AS user_id, u.username, u.role,
	    u.unit_code
	FROM api_tokens t JOIN users u ON u.id = t.user_id
	WHERE t.token_hash = sha256(convert_to($1, 'UTF8'))
	  AND t.revoked_at IS NULL AND u.active
), touch AS (
	UPDATE api_tokens a SET last_used_at = now() FROM t
	WHERE a.id = t.id AND (t.last_used_at IS NULL OR
	    t.last_used_at < now() - interval '1 minute')
)
SELECT 0::bigint, user_id, username, role, unit_code, false, '' FROM t

-- name: tokens_list
SELECT coalesce(json_agg(json_build_object('id', t.id, 'unit', u.unit_code,
	'unit_name', n.name, 'name', t.name, 'created_at', t.created_at,
	'created_by', c.username, 'last_used_at', t.last_used_at,
	'revoked_at', t.revoked_at) ORDER BY t.id DESC), '[]')
FROM api_tokens t JOIN users u ON u.id = t.user_id
JOIN units n ON n.code = u.unit_code
JOIN users c ON c.id = t.created_by

-- name: token_create
SELECT token_create($1, $2, $3, $4::bigint)

-- name: token_revoke
WITH t AS (
	UPDATE api_tokens SET revoked_at = now(), revoked_by = $2::bigint
	WHERE id = $1::bigint AND revoked_at IS NULL
	RETURNING id, user_id
), u AS (
	UPDATE users SET active = false WHERE id IN (SELECT user_id FROM t)
), log AS (
	INSERT INTO audit (actor, action, object)
	SELECT $2::bigint, 'token_revoke', 'token:' || id FROM t
)
SELECT id FROM t

-- name: review_action
SELECT report_review($1::bigint, $2, $3, $4, $5, $6, $7::jsonb)
WHERE $2 IN (SELECT s FROM scope_units($1::bigint) s)

-- name: review_bulk
SELECT review_bulk($1::bigint, $2, $3, $4, $5::jsonb)

-- name: review_list
-- Every unit expected to file this form for this period (the registry
-- of its last day), with where its report stands and what its checks
-- said when it was last saved.  "district" is the unit's area then.
-- $7 is that day (period_day).
WITH sc AS (
	SELECT s FROM scope_units($1::bigint, $7::date) s
), staff AS (
	SELECT EXISTS (SELECT 1 FROM users WHERE id = $1::bigint AND active
	    AND role IN ('office', 'admin')) AS yes
)
SELECT coalesce(json_agg(json_build_object(
	'unit', u.code, 'unit_name', u.name, 'district', u.area,
	'district_name', coalesce(d.name, u.area), 'kind', u.kind,
	'status', CASE WHEN r.id IS NULL OR r.version = 0
	    THEN 'not_started' ELSE r.status END,
	'version', coalesce(r.version, 0), 'late', coalesce(r.late, false),
	'submitted_at', r.submitted_at, 'updated_at', r.updated_at,
	'checks', coalesce(r.checks, '[]'),
	'comments', (SELECT coalesce(json_object_agg(c.item, c.comment), '{}')
	    FROM report_comments c WHERE c.report_id = r.id),
	'rounds', (SELECT count(*) FROM report_events e
	    WHERE e.report_id = r.id AND e.action = 'submit'),
	'signed_at', (SELECT max(s.uploaded_at) FROM report_signed s
	    WHERE s.report_id = r.id))
	ORDER BY d.name, u.name, u.code), '[]')
FROM units_on($7::date) u
LEFT JOIN areas_on($7::date) d ON d.code = u.area
LEFT JOIN reports r ON r.unit_code = u.code AND r.period_code = $2
    AND r.form = $3
WHERE u.files
  AND ((SELECT yes FROM staff) OR u.code IN (SELECT s FROM sc))
  AND ($4 = '' OR u.area = $4)
  AND ($5 = '' OR u.kind = $5)
  AND ($6 = '' OR $6 = CASE WHEN r.id IS NULL OR r.version = 0
      THEN 'not_started' ELSE r.status END)

-- name: completeness
-- Expected units of a period, per form (the registry of its last day):
-- who filed, on time or late, and who is missing with the focal point
-- to chase.  "district" is the unit's area then.  $3 is that day
-- (period_day).
WITH p AS (
	SELECT * FROM periods WHERE code = $2
), sc AS (
	SELECT s FROM scope_units($1::bigint, $3::date) s
), staff AS (
	SELECT EXISTS (SELECT 1 FROM users WHERE id = $1::bigint AND active
	    AND role IN ('office', 'admin')) AS yes
), exp AS (
	SELECT u.code, u.name, u.area AS district,
	    coalesce(d.name, u.area) AS district_name, u.kind, f.form
	FROM p CROSS JOIN units_on($3::date) u
	LEFT JOIN areas_on($3::date) d ON d.code = u.area
	CROSS JOIN unnest(p.forms) AS f(form)
	WHERE u.files
	  AND ((SELECT yes FROM staff) OR u.code IN (SELECT s FROM sc))
), st AS (
	SELECT e.*, r.status, r.late, r.submitted_at,
	    coalesce(r.status IN ('submitted', 'accepted'), false) AS filed,
	    (SELECT max(s.uploaded_at) FROM report_signed s
	        WHERE s.report_id = r.id) AS signed_at
	FROM exp e LEFT JOIN reports r ON r.unit_code = e.code
	    AND r.period_code = $2 AND r.form = e.form AND r.version > 0
)
SELECT json_build_object(
	'period', (SELECT json_build_object('code', code, 'name', name,
	    'start', start_date, 'end', end_date, 'deadline', deadline,
	    'forms', forms) FROM p),
	'expected', count(*),
	'reported', count(*) FILTER (WHERE filed),
	'on_time', count(*) FILTER (WHERE filed AND NOT late),
	'late', count(*) FILTER (WHERE filed AND late),
	'missing', count(*) FILTER (WHERE NOT filed),
	'signed', count(*) FILTER (WHERE signed_at IS NOT NULL),
	'by_district', (SELECT coalesce(json_agg(x ORDER BY x.name), '[]')
	    FROM (SELECT district AS code, district_name AS name,
	        count(*) AS expected,
	        count(*) FILTER (WHERE filed) AS reported,
	        count(*) FILTER (WHERE filed AND NOT late) AS on_time,
	        count(*) FILTER (WHERE filed AND late) AS late,
	        count(*) FILTER (WHERE NOT filed) AS missing
	        FROM st GROUP BY district, district_name) x),
	'units', (SELECT coalesce(json_agg(json_build_object('unit', code,
	    'unit_name', name, 'district', district,
	    'district_name', district_name, 'kind', kind, 'form', form,
	    'status', coalesce(status, 'not_started'),
	    'submitted_at', submitted_at, 'late', coalesce(late, false),
	    'filed', filed, 'signed_at', signed_at,
	    'contact', CASE WHEN NOT filed THEN (SELECT json_build_object(
	        'name', c.name, 'position', c.position, 'phone', c.phone,
	        'email', c.email) FROM contacts c WHERE c.unit_code = st.code)
	        END) ORDER BY district_name, name, code, form), '[]') FROM st))
FROM st
HAVING (SELECT count(*) FROM p) = 1

-- name: period_day
-- The last day of a period (that uses the form, unless $2 is ''): the
-- day whose registry its consolidation, progress and review read,
-- given to those statements as a value so that the planner knows how
-- many units the registry has that day.
SELECT end_date FROM periods WHERE code = $1 AND ($2 = '' OR $2 = ANY (forms))

-- name: consolidate
-- The consolidated report of one period and form over the caller's
-- scope, always current.  The sums come from report_totals (sql/008),
-- which the statements that file and review reports keep: for the
-- province, by district, by kind and for the station appendices (rates
-- are recomputed from these sums by the caller, never averaged).  The
-- scope of the roles that consolidate is a set of whole districts, so
-- the districts of the units in scope select the totals.  $4 'accepted'
-- keeps accepted reports only; $5 lists the stock items (taken from the
-- latest month, not added up, when a six-month report is compared with
-- its months); $6 false leaves out the per-unit parts (units, missing,
-- late, lists, texts), which at national scale are tens of megabytes;
-- $7 lists the level items (emr.level), which are not added up: "levels"
-- counts the units at each level, for the province, by district and by
-- kind (cons_complete() puts them into the values).  The outline
-- version of the period, of each month of the trend and of each month of
-- "monthly" is told (sql/013): an item a month's version lacks is absent
-- there, not 0 (cons.c).
--
-- The period is read by the registry of its last day (sql/012): the
-- units expected, their areas ("district" is the area code), kinds and
-- names.  $8 is that day (period_day): given as a value, not read from
-- p, so that the planner knows how many units the registry has that day
-- (else it guesses a handful and joins tens of thousands row by row).
-- The trend of a scope that is not the whole registry follows
-- its units back through their predecessors (a merge's figures count
-- for its successor; a split's are left out, having no right share).
WITH RECURSIVE p AS (
	SELECT * FROM periods WHERE code = $2 AND $3 = ANY (forms)
), sc AS (
	-- The scope that day, once (inside the filter below it would be
	-- run again for every unit).
	SELECT s FROM scope_units($1::bigint, $8::date) s
), staff AS (
	SELECT EXISTS (SELECT 1 FROM users WHERE id = $1::bigint AND active
	    AND role IN ('office', 'admin')) AS yes
), exp AS (
	-- The office's scope is the whole registry: no lookup per unit.
	SELECT u.code, u.name, u.area AS district, u.kind
	FROM units_on($8::date) u
	WHERE u.files AND ((SELECT yes FROM staff)
	    OR u.code IN (SELECT s FROM sc))
), an AS (
	-- The areas' names in the period.
	SELECT a.code, a.name FROM areas_on($8::date) a
), sd AS (
	SELECT DISTINCT district FROM exp
), whole AS (
	-- The scope is every unit that files: read the trend off the
	-- province-wide totals.
	SELECT (SELECT count(*) FROM exp) = (SELECT count(*)
	    FROM units_on($8::date) u WHERE u.files) AS yes
), det AS (
	-- The per-unit parts only.
	SELECT e.* FROM exp e WHERE $6::boolean
), rep AS (
	SELECT r.id, r.unit_code, r.status, r.late, r.submitted_at,
	    e.district, e.kind, e.code, e.name
	FROM reports r JOIN exp e ON e.code = r.unit_code
	WHERE r.period_code = $2 AND r.form = $3 AND r.version > 0
	  AND r.status IN ('submitted', 'accepted')
	  AND ($4 = '' OR r.status = 'accepted')
), sums AS (
	SELECT t.district, t.kind, t.station AS st, t.item,
	    sum(t.total) AS total, GROUPING(t.district) AS gd,
	    GROUPING(t.kind) AS gk
	FROM report_totals t
	WHERE t.period_code = $2 AND t.form = $3 AND t.n > 0
	  AND ($4 = '' OR t.accepted)
	  AND t.district IN (SELECT district FROM sd)
	GROUP BY GROUPING SETS ((t.station, t.item),
	    (t.district, t.station, t.item), (t.kind, t.station, t.item))
), lv AS (
	-- The units at each level.  Few units report a level (hospitals,
	-- in Phụ lục 2): their values are read directly, and not at all
	-- when the form has no level item.
	SELECT rep.district, rep.kind, v.item, v.num::bigint AS num,
	    count(*) AS n, GROUPING(rep.district) AS gd,
	    GROUPING(rep.kind) AS gk
	FROM rep JOIN report_values v ON v.report_id = rep.id
	WHERE cardinality($7::text[]) > 0 AND v.item = ANY ($7::text[])
	  AND v.station = '' AND v.num IS NOT NULL
	GROUP BY GROUPING SETS ((v.item, v.num::bigint),
	    (rep.district, v.item, v.num::bigint),
	    (rep.kind, v.item, v.num::bigint))
), lvi AS (
	SELECT district, kind, gd, gk, item,
	    json_object_agg(num, n ORDER BY num) AS counts
	FROM lv GROUP BY district, kind, gd, gk, item
), counts AS (
	SELECT e.district, e.kind, e.expected, coalesce(r.reported, 0)
	    AS reported
	FROM (SELECT district, kind, count(*) AS expected FROM exp
	    GROUP BY district, kind) e
	LEFT JOIN (SELECT district, kind, count(*) AS reported FROM rep
	    GROUP BY district, kind) r USING (district, kind)
), months AS (
	-- Monthly reports inside a longer period's window, same units.
	SELECT r.unit_code, pm.code, pm.end_date, v.item, v.num
	FROM p, reports r
	JOIN periods pm ON pm.code = r.period_code
	JOIN report_values v ON v.report_id = r.id AND v.station = ''
	WHERE period_kind(p.code) <> 'M' AND r.form = $3
	  AND period_kind(pm.code) = 'M'
	  AND pm.start_date >= p.start_date AND pm.end_date <= p.end_date
	  AND r.unit_code IN (SELECT unit_code FROM rep)
	  AND r.status IN ('submitted', 'accepted') AND v.num IS NOT NULL
), monthly AS (
	SELECT item, sum(num) AS total FROM (
		SELECT item, num FROM months
		WHERE item <> ALL ($5::text[])
		UNION ALL
		(SELECT DISTINCT ON (unit_code, item) item, num FROM months
		WHERE item = ANY ($5::text[])
		ORDER BY unit_code, item, end_date DESC)) m
	GROUP BY item
), tp AS (
	-- The twelve monthly periods up to this one, for the charts.
	SELECT pt.code, pt.name, pt.end_date
	FROM p, periods pt
	WHERE period_kind(pt.code) = 'M' AND pt.end_date <= p.end_date
	  AND pt.end_date > p.end_date - interval '12 months'
), trend AS (
	SELECT tp.code, tp.name, tp.end_date, t.item, sum(t.total) AS total
	FROM tp JOIN report_totals_all t ON t.period_code = tp.code
	WHERE (SELECT yes FROM whole) AND t.form = $3
	  AND NOT t.station AND t.n > 0 AND ($4 = '' OR t.accepted)
	GROUP BY tp.code, tp.name, tp.end_date, t.item
	UNION ALL
	SELECT tp.code, tp.name, tp.end_date, v.item, sum(v.num) AS total
	FROM tp JOIN reports r ON r.period_code = tp.code AND r.form = $3
	    AND r.status IN ('submitted', 'accepted')
	    AND ($4 = '' OR r.status = 'accepted')
	JOIN linu ON linu.code = r.unit_code AND tp.end_date < linu.until
	JOIN unit_states s ON s.code = r.unit_code
	    AND s.valid @> tp.end_date AND s.files
	JOIN report_values v ON v.report_id = r.id AND v.station = ''
	    AND v.num IS NOT NULL
	WHERE NOT (SELECT yes FROM whole)
	GROUP BY tp.code, tp.name, tp.end_date, v.item
	UNION ALL
	-- A station then filed for by a centre outside the scope: its rows
	-- of that centre's appendix (§6, §7).
	SELECT tp.code, tp.name, tp.end_date, v.item, sum(v.num) AS total
	FROM tp JOIN linu ON tp.end_date < linu.until
	JOIN unit_states s ON s.code = linu.code AND s.valid @> tp.end_date
	    AND s.filed_by <> s.code
	JOIN reports r ON r.unit_code = s.filed_by AND r.period_code = tp.code
	    AND r.form = $3 AND r.status IN ('submitted', 'accepted')
	    AND ($4 = '' OR r.status = 'accepted')
	JOIN report_values v ON v.report_id = r.id AND v.station = s.code
	    AND v.num IS NOT NULL
	WHERE NOT (SELECT yes FROM whole)
	  AND NOT EXISTS (SELECT 1 FROM linu f WHERE f.code = s.filed_by
	      AND tp.end_date < f.until)
	GROUP BY tp.code, tp.name, tp.end_date, v.item
), lin (code, until) AS (
	-- The units of a partial scope and those whose figures are theirs
	-- in earlier months, each with the day before which that holds.
	SELECT e.code, p.end_date + 1 FROM exp e, p
	WHERE NOT (SELECT yes FROM whole)
	UNION
	SELECT l.from_code, l.effective
	FROM lin JOIN unit_successors l ON l.to_code = lin.code
	    AND l.effective < lin.until
	WHERE (SELECT count(*) FROM unit_successors o
	    WHERE o.from_code = l.from_code) = 1
), linu AS (
	SELECT code, max(until) AS until FROM lin GROUP BY code
)
SELECT json_build_object(
	'period', p.code,
	'period_info', json_build_object('code', p.code, 'name', p.name,
	    'start', p.start_date, 'end', p.end_date,
	    'deadline', p.deadline),
	'form', $3,
	'form_version', form_version_for($3, p.code),
	'only', CASE WHEN $4 = '' THEN 'submitted' ELSE 'accepted' END,
	'detail', CASE WHEN $6::boolean THEN 'full' ELSE 'summary' END,
	'generated_at', now(),
	'units_expected', (SELECT count(*) FROM exp),
	'units_reported', (SELECT count(*) FROM rep),
	'units_accepted', (SELECT count(*) FROM rep
	    WHERE status = 'accepted'),
	'units_late', (SELECT count(*) FROM rep WHERE late),
	'values', (SELECT coalesce(json_object_agg(item, total), '{}')
	    FROM sums WHERE gd = 1 AND gk = 1 AND NOT st),
	'stations', json_build_object(
	    'values', (SELECT coalesce(json_object_agg(item, total), '{}')
	        FROM sums WHERE gd = 1 AND gk = 1 AND st),
	    'by_district', (SELECT coalesce(json_object_agg(x.district,
	        json_build_object('name', x.name, 'values', x.vals)), '{}')
	        FROM (SELECT s.district, coalesce(d.name, s.district) AS name,
	            json_object_agg(s.item, s.total) AS vals
	            FROM sums s LEFT JOIN an d ON d.code = s.district
	            WHERE s.gd = 0 AND s.st GROUP BY s.district, d.name) x)),
	-- One pass per level, not a count per district.
	'by_district', (SELECT coalesce(json_object_agg(c.district,
	    json_build_object('name', coalesce(d.name, c.district),
	        'units_expected', c.expected, 'units_reported', c.reported,
	        'values', coalesce(v.vals, '{}'))), '{}')
	    FROM (SELECT district, sum(expected) AS expected,
	        sum(reported) AS reported FROM counts GROUP BY district) c
	    LEFT JOIN an d ON d.code = c.district
	    LEFT JOIN (SELECT district, json_object_agg(item, total) AS vals
	        FROM sums WHERE gd = 0 AND NOT st GROUP BY district) v
	        ON v.district = c.district),
	'by_kind', (SELECT coalesce(json_object_agg(c.kind,
	    json_build_object('units_expected', c.expected,
	        'units_reported', c.reported,
	        'values', coalesce(v.vals, '{}'))), '{}')
	    FROM (SELECT kind, sum(expected) AS expected,
	        sum(reported) AS reported FROM counts GROUP BY kind) c
	    LEFT JOIN (SELECT kind, json_object_agg(item, total) AS vals
	        FROM sums WHERE gk = 0 AND NOT st GROUP BY kind) v
	        ON v.kind = c.kind),
	'levels', json_build_object(
	    'values', (SELECT coalesce(json_object_agg(item, counts), '{}')
	        FROM lvi WHERE gd = 1 AND gk = 1),
	    'by_district', (SELECT coalesce(json_object_agg(x.district,
	        x.items), '{}') FROM (SELECT district, json_object_agg(item,
	        counts) AS items FROM lvi WHERE gd = 0 GROUP BY district) x),
	    'by_kind', (SELECT coalesce(json_object_agg(x.kind, x.items), '{}')
	        FROM (SELECT kind, json_object_agg(item, counts) AS items
	        FROM lvi WHERE gk = 0 GROUP BY kind) x)),
	'units', CASE WHEN $6::boolean THEN (SELECT coalesce(json_agg(
	    json_build_object('code', e.code, 'name', e.name,
	    'district', e.district, 'district_name', coalesce(an.name, e.district),
	    'kind', e.kind, 'status', e.status, 'late', e.late,
	    'submitted_at', e.submitted_at,
	    'values', report_values_json(e.id, ''))
	    ORDER BY coalesce(an.name, e.district), e.name, e.code), '[]')
	    FROM rep e LEFT JOIN an ON an.code = e.district) END,
	'missing', CASE WHEN $6::boolean THEN (SELECT coalesce(json_agg(
	    json_build_object('code', e.code, 'name', e.name,
	    'district_name', coalesce(an.name, e.district), 'kind', e.kind,
	    'contact', (SELECT json_build_object('name', c.name,
	        'position', c.position, 'phone', c.phone, 'email', c.email)
	        FROM contacts c WHERE c.unit_code = e.code))
	    ORDER BY coalesce(an.name, e.district), e.name, e.code), '[]')
	    FROM det e LEFT JOIN an ON an.code = e.district
	    WHERE e.code NOT IN (SELECT unit_code FROM rep)) END,
	'late', CASE WHEN $6::boolean THEN (SELECT coalesce(json_agg(
	    json_build_object('code', e.code, 'name', e.name,
	    'district_name', coalesce(an.name, e.district),
	    'submitted_at', e.submitted_at)
	    ORDER BY e.submitted_at), '[]')
	    FROM rep e LEFT JOIN an ON an.code = e.district WHERE e.late) END,
	'lists', CASE WHEN $6::boolean THEN (SELECT coalesce(
	    json_object_agg(x.list, x.rows), '{}')
	    FROM (SELECT l.list, json_agg(jsonb_build_object('unit', e.code,
	        'unit_name', e.name) || row ORDER BY coalesce(an.name,
	        e.district), e.name, e.code)
	        AS rows
	        FROM rep e LEFT JOIN an ON an.code = e.district
	        JOIN report_lists l ON l.report_id = e.id,
	        jsonb_array_elements(l.rows) row
	        WHERE jsonb_typeof(row) = 'object'
	        GROUP BY l.list) x) END,
	'texts', CASE WHEN $6::boolean THEN (SELECT coalesce(
	    json_object_agg(x.item, x.rows), '{}')
	    FROM (SELECT v.item, json_agg(json_build_object('unit', e.code,
	        'unit_name', e.name, 'text', v.txt)
	        ORDER BY coalesce(an.name, e.district), e.name, e.code) AS rows
	        FROM rep e LEFT JOIN an ON an.code = e.district
	        JOIN report_values v ON v.report_id = e.id
	        WHERE v.txt IS NOT NULL AND v.station = ''
	        GROUP BY v.item) x) END,
	'monthly', CASE WHEN period_kind(p.code) <> 'M' THEN
	    json_build_object('from', (SELECT coalesce(json_agg(DISTINCT
	        code), '[]') FROM months),
	    'versions', (SELECT coalesce(json_object_agg(m.code,
	        form_version_for($3, m.code)), '{}')
	        FROM (SELECT DISTINCT code FROM months) m),
	    'values', (SELECT coalesce(json_object_agg(item, total), '{}')
	        FROM monthly)) END,
	'trend', (SELECT coalesce(json_agg(json_build_object('period', t.code,
	    'name', t.name, 'version', form_version_for($3, t.code),
	    'values', t.vals) ORDER BY t.end_date), '[]')
	    FROM (SELECT code, name, end_date, json_object_agg(item, total)
	        AS vals FROM (SELECT code, name, end_date, item,
	            sum(total) AS total FROM trend
	            GROUP BY code, name, end_date, item) ti
	        GROUP BY code, name, end_date) t))
FROM p

-- name: consolidate_detail
-- The per-unit parts of the consolidated report ("units", "missing",
-- "late", "lists", "texts"), as consolidate builds them with $6 true, in
-- pieces a client is sent as they come (cons_api.c streams them): one
-- row per element, ordered by part (1 units, 2 missing, 3 late, 4 lists,
-- 5 texts), then by list or item for the last two (grp: the key of the
-- object they go under), then as consolidate orders each array.  Read
-- through a cursor (db.c), so the rows leave as they are made: the
-- subquery sorts narrow rows, and each unit's values are read only
-- after, row by row, not carried through the sort (as report_values_json
-- has them, without a function call per unit).  A unit's element is
-- written as compact JSON text with its values last, which cons_api.c
-- completes without parsing it whole; the fourth column is its kind.
-- Same parameters as
-- consolidate where they mean the same: $1 user, $2 period, $3 form,
-- $4 'accepted' or '', $5 the period's last day.
SELECT s.part, s.grp, CASE WHEN s.part = 1 THEN
	    '{"code":' || to_json(s.code)::text ||
	    ',"name":' || to_json(s.name)::text ||
	    ',"district":' || coalesce(to_json(s.district)::text, 'null') ||
	    ',"district_name":' || coalesce(to_json(s.dname)::text, 'null') ||
	    ',"kind":' || coalesce(to_json(s.kind)::text, 'null') ||
	    ',"status":' || to_json(s.status)::text ||
	    ',"late":' || coalesce(to_json(s.late)::text, 'null') ||
	    ',"submitted_at":' ||
	        coalesce(to_json(s.submitted_at)::text, 'null') ||
	    -- In the key's order, as report_values_json; item codes are
	    -- [a-z0-9_.], nothing to escape.
	    ',"values":' || coalesce((SELECT '{' || string_agg(
	        '"' || v.item || '":' || coalesce(v.num::text,
	        to_json(v.txt)::text, 'null'), ',') || '}'
	        FROM report_values v
	        WHERE v.report_id = s.id AND v.station = ''), '{}') || '}'
	ELSE s.body END, s.kind
FROM (
	WITH sc AS (
		SELECT s FROM scope_units($1::bigint, $5::date) s
	), staff AS (
		SELECT EXISTS (SELECT 1 FROM users WHERE id = $1::bigint
		    AND active AND role IN ('office', 'admin')) AS yes
	), p AS (
		SELECT 1 FROM periods WHERE code = $2 AND $3 = ANY (forms)
	), exp AS (
		SELECT u.code, u.name, u.area AS district, u.kind
		FROM units_on($5::date) u
		WHERE u.files AND ((SELECT yes FROM staff)
		    OR u.code IN (SELECT s FROM sc))
		  AND EXISTS (SELECT 1 FROM p)
	), an AS (
		SELECT a.code, a.name FROM areas_on($5::date) a
	), rep AS (
		SELECT r.id, r.status, r.late, r.submitted_at, e.district,
		    e.kind, e.code, e.name, coalesce(an.name, e.district) AS dname
		FROM reports r JOIN exp e ON e.code = r.unit_code
		LEFT JOIN an ON an.code = e.district
		WHERE r.period_code = $2 AND r.form = $3 AND r.version > 0
		  AND r.status IN ('submitted', 'accepted')
		  AND ($4 = '' OR r.status = 'accepted')
	), parts AS (
		SELECT 1 AS part, NULL::text AS grp, NULL::timestamptz AS t,
		    e.dname, e.name, e.code, 0::bigint AS n, e.id, e.district,
		    e.kind, e.status, e.late, e.submitted_at, NULL::text AS body
		FROM rep e
		UNION ALL
		SELECT 2, NULL, NULL, coalesce(an.name, e.district), e.name,
		    e.code, 0, NULL, NULL, NULL, NULL, NULL, NULL,
		    json_build_object('code', e.code, 'name', e.name,
		    'district_name', coalesce(an.name, e.district),
		    'kind', e.kind,
		    'contact', (SELECT json_build_object('name', c.name,
		        'position', c.position, 'phone', c.phone,
		        'email', c.email)
		        FROM contacts c WHERE c.unit_code = e.code))::text
		FROM exp e LEFT JOIN an ON an.code = e.district
		WHERE NOT EXISTS (SELECT 1 FROM rep WHERE rep.code = e.code)
		UNION ALL
		SELECT 3, NULL, e.submitted_at, NULL, NULL, NULL, 0, NULL,
		    NULL, NULL, NULL, NULL, NULL,
		    json_build_object('code', e.code, 'name', e.name,
		    'district_name', e.dname,
		    'submitted_at', e.submitted_at)::text
		FROM rep e WHERE e.late
		UNION ALL
		SELECT 4, l.list, NULL, e.dname, e.name, e.code, row.n, NULL,
		    NULL, NULL, NULL, NULL, NULL,
		    (jsonb_build_object('unit', e.code, 'unit_name', e.name)
		    || row.r)::text
		FROM rep e JOIN report_lists l ON l.report_id = e.id,
		    jsonb_array_elements(l.rows) WITH ORDINALITY row (r, n)
		WHERE jsonb_typeof(row.r) = 'object'
		UNION ALL
		-- The text values, by their own index (sql/018).
		SELECT 5, v.item, NULL, e.dname, e.name, e.code, 0, NULL,
		    NULL, NULL, NULL, NULL, NULL,
		    json_build_object('unit', e.code, 'unit_name', e.name,
		    'text', v.txt)::text
		FROM rep e JOIN report_values v ON v.report_id = e.id
		WHERE v.txt IS NOT NULL AND v.station = ''
	)
	SELECT * FROM parts
	ORDER BY part, grp, t, dname COLLATE vi, name COLLATE vi, code, n
) s

-- name: review_submitted
-- The submitted reports of a period and form in scope, each with its
-- context, so that the checks run again as they stand today, by the
-- outline version each was filed under (and the versions of the unit's
-- other reports, as report_context has them).
WITH sc AS (
	SELECT s FROM periods p, scope_units($1::bigint, p.end_date) s
	WHERE p.code = $2
)
SELECT q.unit_code, q.version, q.j, q.form_version,
    (SELECT coalesce(json_object_agg(x.p, form_version_for($3, x.p)), '{}')
	FROM (SELECT e->>'period' AS p
	    FROM json_array_elements(coalesce(q.j->'previous', '[]')) e
	    UNION
	    SELECT e->>'period'
	    FROM json_array_elements(coalesce(q.j->'months', '[]')) e) x
	WHERE x.p IS NOT NULL AND x.p <> $2)
FROM (SELECT r.unit_code, r.version, r.form_version,
	report_context_json($1::bigint, r.unit_code, $2, $3) AS j
    FROM reports r
    WHERE r.period_code = $2 AND r.form = $3 AND r.status = 'submitted'
      AND r.unit_code IN (SELECT s FROM sc)) q
ORDER BY q.unit_code

-- name: signed_put
-- $5 the PDF in hex; $6 its pages.  The function checks scope and state.
SELECT report_signed_put($1::bigint, $2, $3, $4, decode($5, 'hex'),
    $6::integer)

-- name: signed_get
-- The latest signed copy in hex, for the unit and the office.
SELECT encode(s.pdf, 'hex'), encode(s.sha256, 'hex')
FROM reports r JOIN report_signed s ON s.report_id = r.id
WHERE r.unit_code = $2 AND r.period_code = $3 AND r.form = $4
  AND r.unit_code IN (SELECT u FROM scope_units($1::bigint) u)
ORDER BY s.id DESC LIMIT 1

-- name: report_doc_put
-- The unit's number and signer for its report's PDF.
INSERT INTO report_documents AS d (unit_code, period_code, form, number,
    signer, updated_by)
SELECT $2, p.code, $4, $5, $6, $1::bigint
FROM periods p
WHERE p.code = $3 AND $4 = ANY (p.forms)
  AND $2 IN (SELECT u FROM scope_units($1::bigint) u)
ON CONFLICT (unit_code, period_code, form) DO UPDATE
SET number = excluded.number, signer = excluded.signer,
    updated_at = now(), updated_by = excluded.updated_by
RETURNING json_build_object('number', d.number, 'signer', d.signer,
    'updated_at', d.updated_at)

-- name: cons_doc_get
-- The office's details of a consolidated report: {} when none yet.
SELECT coalesce((SELECT json_build_object('number', d.number,
    'date', d.doc_date, 'to', d.recipients, 'signer', d.signer,
    'capacity', d.capacity, 'updated_at', d.updated_at)
    FROM cons_documents d WHERE d.period_code = $1 AND d.form = $2), '{}')
FROM periods p WHERE p.code = $1 AND $2 = ANY (p.forms)

-- name: cons_doc_put
INSERT INTO cons_documents AS d (period_code, form, number, doc_date,
    recipients, signer, capacity, updated_by)
SELECT p.code, $2, $3, NULLIF($4, '')::date, $5, $6, $7, $8::bigint
FROM periods p WHERE p.code = $1 AND $2 = ANY (p.forms)
ON CONFLICT (period_code, form) DO UPDATE
SET number = excluded.number, doc_date = excluded.doc_date,
    recipients = excluded.recipients, signer = excluded.signer,
    capacity = excluded.capacity, updated_at = now(),
    updated_by = excluded.updated_by
RETURNING json_build_object('number', d.number, 'date', d.doc_date,
    'to', d.recipients, 'signer', d.signer, 'capacity', d.capacity,
    'updated_at', d.updated_at)

-- name: notice_claim
-- One notice due now for this sender ($1, a token of its own), leased
-- for $2 seconds: any other node skips it while it is held, and takes it
-- once the lease ends if this one died sending it.
WITH c AS (
	SELECT id FROM notices
	WHERE status = 'queued' AND next_at <= now()
	ORDER BY next_at, id
	LIMIT 1
	FOR UPDATE SKIP LOCKED
)
UPDATE notices n SET attempts = n.attempts + 1, claim = $1,
    next_at = now() + make_interval(secs => $2::int)
FROM c WHERE n.id = c.id
RETURNING n.id, n.kind, n.to_addr, n.to_name, n.data, n.attempts,
    floor(extract(epoch FROM n.created_at))::bigint

-- name: notice_sent
UPDATE notices SET status = 'sent', sent_at = now(), sent_by = claim,
    error = NULL, error_detail = NULL, claim = NULL
WHERE id = $1::bigint AND claim = $2 AND status = 'queued'

-- name: notice_failed
-- Tried and not sent: $3 why (a code, mail_text.c has the words), $4 the
-- server's or libcurl's own words; failed for good when $5 (the server
-- refused this message) or after $6 attempts, else due again after $7
-- seconds doubled at each attempt, at most $8.
UPDATE notices SET
    status = CASE WHEN $5::boolean OR attempts >= $6::int THEN 'failed'
        ELSE 'queued' END,
    next_at = now() + make_interval(secs => least($8::int,
        $7::int * 2 ^ least(attempts - 1, 20))),
    error = $3, error_detail = left($4, 500), claim = NULL
WHERE id = $1::bigint AND claim = $2 AND status = 'queued'

-- name: notice_schedule
-- Today's reminders ($1 the days before a deadline, a JSON array) and
-- the office's digest ($3 its addresses) from the hour $2, once a day.
SELECT notice_schedule(now(),
    ARRAY(SELECT jsonb_array_elements_text($1::jsonb)::int), $2::int,
    ARRAY(SELECT jsonb_array_elements_text($3::jsonb)))

-- name: notices_list
-- The newest 200 notices (older ones: $3 the last id seen), for the
-- office; notify.c adds the subject and the words of the error.
SELECT coalesce(json_agg(json_build_object('id', n.id, 'kind', n.kind,
	'to', n.to_addr, 'to_name', n.to_name, 'unit', n.unit_code,
	'period', n.period_code, 'form', n.form, 'status', n.status,
	'attempts', n.attempts, 'created_at', n.created_at,
	'sent_at', n.sent_at, 'next_attempt_at', CASE WHEN n.status =
	    'queued' THEN n.next_at END,
	'error_code', n.error, 'error_detail', n.error_detail,
	'data', n.data) ORDER BY n.id DESC), '[]')
FROM (SELECT * FROM notices
      WHERE ($1 = '' OR status = $1) AND ($2 = '' OR kind = $2)
        AND ($3 = '' OR id < $3::bigint) AND ($4 = '' OR unit_code = $4)
      ORDER BY id DESC LIMIT 200) n

-- name: reminders_set
-- A focal point (or the office) turns the reminders of a unit in scope
-- off ($3 false) or on again; who turned them off is kept and shown.
WITH target AS (
	SELECT code FROM units
	WHERE code = $2 AND code IN (SELECT s FROM scope_units($1::bigint) s)
), off AS (
	INSERT INTO reminder_optout (unit_code, off_by)
	SELECT code, $1::bigint FROM target WHERE NOT $3::boolean
	ON CONFLICT (unit_code) DO UPDATE SET off_by = EXCLUDED.off_by,
	    off_at = now()
	RETURNING unit_code, off_at
), back AS (
	DELETE FROM reminder_optout o USING target t
	WHERE o.unit_code = t.code AND $3::boolean
), log AS (
	INSERT INTO audit (actor, action, object, after)
	SELECT $1::bigint, CASE WHEN $3::boolean THEN 'reminders_on'
	    ELSE 'reminders_off' END, 'unit:' || code,
	    jsonb_build_object('reminders', $3::boolean)
	FROM target
)
SELECT json_build_object('unit', t.code, 'reminders', $3::boolean,
    'reminders_off_by', CASE WHEN NOT $3::boolean THEN me.username END,
    'reminders_off_role', CASE WHEN NOT $3::boolean THEN me.role END,
    'reminders_off_at', (SELECT off_at FROM off))
FROM target t, users me WHERE me.id = $1::bigint

-- name: form_version_at
-- The outline version in force in a period ($2), or today ($2 = ''):
-- in the monthly period today falls in, in Việt Nam.
SELECT v.form, v.version, v.first_period
FROM form_versions v
WHERE v.form = $1 AND v.version = form_version_for($1, CASE WHEN $2 = ''
    THEN period_of_day((now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)
    ELSE $2 END)

-- name: form_version_get
-- Versions a worker has not loaded yet: the JSON as stored.
SELECT form, version, first_period, definition
FROM form_versions WHERE form = $1 AND version = ANY ($2::int[])
ORDER BY version

-- name: form_versions_list
-- A form's versions, oldest first: from which period each applies and
-- until which (the next one's first period, exclusive), who loaded it.
SELECT coalesce(json_agg(json_build_object('version', x.version,
	'first_period', x.first_period, 'first_period_name', p.name,
	'until', x.until, 'title', x.definition->>'title',
	'loaded_at', x.loaded_at, 'loaded_by', u.username,
	'in_force', x.version = form_version_for($1, period_of_day(
	    (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)))
	ORDER BY x.version), '[]')
FROM (SELECT v.*, lead(v.first_period) OVER (ORDER BY v.version) AS until
    FROM form_versions v WHERE v.form = $1) x
LEFT JOIN periods p ON p.code = x.first_period
LEFT JOIN users u ON u.id = x.loaded_by

-- name: form_version_plan
SELECT form_version_plan($1, $2)

-- name: form_version_add
SELECT form_version_add($1, $2, $3::json, $4::bigint, $5::integer)

