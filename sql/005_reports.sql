-- Filing: the values, station rows, lists and comments of a report, its
-- rounds (append-only), and the integration tokens that let a hospital
-- information system file for its unit.

ALTER TABLE reports ADD COLUMN checks jsonb NOT NULL DEFAULT '[]';
ALTER TABLE reports ADD COLUMN saved_by bigint REFERENCES users (id);

-- Typed values only: derived ones (rates, totals) are computed on reading.
-- station is '' for the unit's own value, else the station's unit code.
CREATE TABLE report_values (
	report_id	bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	station		text NOT NULL DEFAULT '',
	item		text NOT NULL,
	num		bigint CHECK (num IS NULL OR num >= 0),
	txt		text,
	CHECK ((num IS NULL) <> (txt IS NULL)),
	PRIMARY KEY (report_id, station, item)
);
CREATE INDEX report_values_item ON report_values (item);

CREATE TABLE report_lists (
	report_id	bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	list		text NOT NULL,
	rows		jsonb NOT NULL CHECK (jsonb_typeof(rows) = 'array'),
	PRIMARY KEY (report_id, list)
);

CREATE TABLE report_comments (
	report_id	bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	item		text NOT NULL,
	comment		text NOT NULL,
	PRIMARY KEY (report_id, item)
);

-- Every round of a report: saved, submitted, returned, accepted, reopened.
CREATE TABLE report_events (
	id		bigserial PRIMARY KEY,
	report_id	bigint NOT NULL REFERENCES reports (id),
	at		timestamptz NOT NULL DEFAULT now(),
	actor		bigint REFERENCES users (id),
	action		text NOT NULL CHECK (action IN ('save', 'submit',
			    'return', 'accept', 'reopen')),
	version		integer NOT NULL,
	note		text,
	detail		jsonb
);
CREATE INDEX report_events_report ON report_events (report_id, id);
CREATE TRIGGER report_events_append_only BEFORE UPDATE OR DELETE
    ON report_events FOR EACH ROW EXECUTE FUNCTION audit_no_change();

-- Integrations sign in as a user of their own (users.integration).
CREATE TABLE api_tokens (
	id		bigserial PRIMARY KEY,
	user_id		bigint NOT NULL UNIQUE REFERENCES users (id),
	token_hash	bytea NOT NULL UNIQUE,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	created_by	bigint NOT NULL REFERENCES users (id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_used_at	timestamptz,
	revoked_at	timestamptz,
	revoked_by	bigint REFERENCES users (id)
);

-- The kind of a period code: 'M' monthly, 'H1' six-month, 'Y' annual.
CREATE FUNCTION period_kind(p_code text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN p_code ~ '-[0-9]{2}$' THEN 'M'
	    ELSE substring(p_code FROM 6) END
$$;

-- A report's values as the API shows them: {"item": number|text}.
CREATE FUNCTION report_values_json(p_report bigint, p_station text)
RETURNS json LANGUAGE sql STABLE AS $$
	SELECT coalesce(json_object_agg(item, coalesce(to_json(num),
	    to_json(txt))), '{}')
	FROM report_values WHERE report_id = p_report AND station = p_station
$$;

-- Store a draft.  Each of values, stations, lists, comments replaces what
-- is stored when given and leaves it alone when NULL.  The version read
-- by the client must still be current (optimistic locking), and only a
-- draft or a returned report may change.
CREATE FUNCTION report_save(p_user bigint, p_unit text, p_period text,
    p_form text, p_version integer, p_values jsonb, p_stations jsonb,
    p_lists jsonb, p_comments jsonb, p_checks jsonb)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	r	reports%ROWTYPE;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM scope_units(p_user) s WHERE s = p_unit)
	THEN
		RETURN jsonb_build_object('result', 'not_found');
	END IF;
	INSERT INTO reports (unit_code, period_code, form, version)
	VALUES (p_unit, p_period, p_form, 0) ON CONFLICT DO NOTHING;
	SELECT * INTO r FROM reports WHERE unit_code = p_unit
	    AND period_code = p_period AND form = p_form FOR UPDATE;
	IF r.version <> p_version THEN
		RETURN jsonb_build_object('result', 'stale', 'version',
		    r.version);
	END IF;
	IF r.status NOT IN ('draft', 'returned') THEN
		RETURN jsonb_build_object('result', 'locked', 'status',
		    r.status);
	END IF;

	IF p_values IS NOT NULL THEN
		DELETE FROM report_values WHERE report_id = r.id
		    AND station = '';
		INSERT INTO report_values (report_id, station, item, num, txt)
		SELECT r.id, '', key,
		    CASE WHEN jsonb_typeof(value) = 'number'
		        THEN (value #>> '{}')::bigint END,
		    CASE WHEN jsonb_typeof(value) = 'string'
		        THEN value #>> '{}' END
		FROM jsonb_each(p_values)
		WHERE jsonb_typeof(value) IN ('number', 'string');
	END IF;
	IF p_stations IS NOT NULL THEN
		DELETE FROM report_values WHERE report_id = r.id
		    AND station <> '';
		INSERT INTO report_values (report_id, station, item, num)
		SELECT r.id, s.key, v.key, (v.value #>> '{}')::bigint
		FROM jsonb_each(p_stations) s, jsonb_each(s.value) v
		WHERE jsonb_typeof(v.value) = 'number';
	END IF;
	IF p_lists IS NOT NULL THEN
		DELETE FROM report_lists WHERE report_id = r.id;
		INSERT INTO report_lists (report_id, list, rows)
		SELECT r.id, key, value FROM jsonb_each(p_lists)
		WHERE jsonb_typeof(value) = 'array';
	END IF;
	IF p_comments IS NOT NULL THEN
		DELETE FROM report_comments WHERE report_id = r.id;
		INSERT INTO report_comments (report_id, item, comment)
		SELECT r.id, key, btrim(value #>> '{}')
		FROM jsonb_each(p_comments)
		WHERE jsonb_typeof(value) = 'string'
		  AND btrim(value #>> '{}') <> '';
	END IF;

	UPDATE reports SET version = version + 1, checks = p_checks,
	    updated_at = now(), saved_by = p_user
	WHERE id = r.id;
	INSERT INTO report_events (report_id, actor, action, version)
	VALUES (r.id, p_user, 'save', r.version + 1);

	RETURN jsonb_build_object('result', 'ok', 'version', r.version + 1);
END $$;

-- Submit what was checked: the version the checks ran on must still be
-- the stored one.  Lateness is decided by the caller from the calendar.
CREATE FUNCTION report_submit(p_user bigint, p_unit text, p_period text,
    p_form text, p_version integer, p_late boolean, p_checks jsonb)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	r	reports%ROWTYPE;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM scope_units(p_user) s WHERE s = p_unit)
	THEN
		RETURN jsonb_build_object('result', 'not_found');
	END IF;
	SELECT * INTO r FROM reports WHERE unit_code = p_unit
	    AND period_code = p_period AND form = p_form FOR UPDATE;
	IF NOT FOUND OR r.version = 0 THEN
		RETURN jsonb_build_object('result', 'empty');
	END IF;
	IF r.version <> p_version THEN
		RETURN jsonb_build_object('result', 'stale', 'version',
		    r.version);
	END IF;
	IF r.status NOT IN ('draft', 'returned') THEN
		RETURN jsonb_build_object('result', 'locked', 'status',
		    r.status);
	END IF;

	-- Timeliness is decided by the first submission: a report the office
	-- returned and the unit filed again keeps it.
	IF EXISTS (SELECT 1 FROM report_events WHERE report_id = r.id
	    AND action = 'submit') THEN
		p_late := r.late;
	END IF;
	UPDATE reports SET status = 'submitted', submitted_at = now(),
	    late = p_late, checks = p_checks, version = version + 1,
	    updated_at = now()
	WHERE id = r.id;
	INSERT INTO report_events (report_id, actor, action, version, detail)
	VALUES (r.id, p_user, 'submit', r.version + 1,
	    jsonb_build_object('late', p_late, 'checks', p_checks));

	RETURN jsonb_build_object('result', 'ok', 'late', p_late,
	    'version', r.version + 1);
END $$;

-- Issue a token to a unit: its own integration user, the token's hash.
CREATE FUNCTION token_create(p_unit text, p_name text, p_token text,
    p_actor bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_user	bigint;
	v_id	bigint;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM units WHERE code = p_unit AND active) THEN
		RETURN jsonb_build_object('result', 'no_unit');
	END IF;
	INSERT INTO users (username, role, unit_code, password_hash,
	    must_change_password, integration, full_name)
	VALUES ('api.' || lower(p_unit) || '.' ||
	    (SELECT count(*) + 1 FROM users WHERE integration
	        AND unit_code = p_unit),
	    'unit', p_unit, '!', false, true, p_name)
	RETURNING id INTO v_user;
	INSERT INTO api_tokens (user_id, token_hash, name, created_by)
	VALUES (v_user, sha256(convert_to(p_token, 'UTF8')), p_name, p_actor)
	RETURNING id INTO v_id;
	INSERT INTO audit (actor, action, object, after)
	VALUES (p_actor, 'token_create', 'token:' || v_id,
	    jsonb_build_object('unit', p_unit, 'name', p_name));
	RETURN jsonb_build_object('result', 'ok', 'id', v_id);
END $$;

-- Everything a report route needs in one round trip: the unit (and its
-- stations), the period, the stored report with its remarks and history,
-- the unit's earlier reports of the same form and period kind (for the
-- warnings) and, for a six-month report, the months filed inside its
-- window.  NULL: unknown, outside the caller's scope, or not a form of
-- that period.
CREATE FUNCTION report_context_json(p_user bigint, p_unit text,
    p_period text, p_form text)
RETURNS json LANGUAGE sql STABLE AS $$
	SELECT json_build_object(
		'unit', json_build_object('code', u.code, 'name', u.name,
		    'kind', u.kind, 'gksklx', u.gksklx, 'hospital', u.hospital,
		    'cdc', u.cdc, 'stations', coalesce((SELECT json_agg(
		        json_build_object('code', s.code, 'name', s.name)
		        ORDER BY s.code) FROM units s
		        WHERE s.parent = u.code AND s.active), '[]')),
		'period', json_build_object('code', p.code, 'name', p.name,
		    'start', p.start_date, 'end', p.end_date, 'deadline', p.deadline),
		'report', (SELECT json_build_object('status', r.status,
		    'version', r.version, 'late', r.late,
		    'submitted_at', r.submitted_at,
		    'values', report_values_json(r.id, ''),
		    'stations', (SELECT coalesce(json_object_agg(st.station,
		        report_values_json(r.id, st.station)), '{}')
		        FROM (SELECT DISTINCT station FROM report_values
		            WHERE report_id = r.id AND station <> '') st),
		    'lists', (SELECT coalesce(json_object_agg(l.list, l.rows), '{}')
		        FROM report_lists l WHERE l.report_id = r.id),
		    'comments', (SELECT coalesce(json_object_agg(c.item, c.comment),
		        '{}') FROM report_comments c WHERE c.report_id = r.id),
		    -- The office's latest reasons while the unit has to act on them.
		    'remarks', (SELECT json_build_object('action', e.action,
		        'at', e.at, 'reason', e.note,
		        'items', coalesce(e.detail->'items', '{}'))
		        FROM report_events e WHERE e.report_id = r.id
		        AND r.status = 'returned' AND e.action IN ('return', 'reopen')
		        ORDER BY e.id DESC LIMIT 1),
		    'history', (SELECT coalesce(json_agg(json_build_object(
		        'at', h.at, 'actor', h.username, 'action', h.action,
		        'note', h.note, 'version', h.version) ORDER BY h.id), '[]')
		        FROM (SELECT e.*, a.username, lead(e.action) OVER w AS nact,
		            lead(e.actor) OVER w AS nactor
		            FROM report_events e LEFT JOIN users a ON a.id = e.actor
		            WHERE e.report_id = r.id
		            WINDOW w AS (ORDER BY e.id)) h
		        -- a run of saves by one person shows as its last save
		        WHERE h.action <> 'save' OR h.nact IS DISTINCT FROM 'save'
		            OR h.nactor IS DISTINCT FROM h.actor))
		    FROM reports r WHERE r.unit_code = u.code
		    AND r.period_code = p.code AND r.form = p_form),
		'previous', (SELECT coalesce(json_agg(json_build_object(
		    'period', x.code, 'values', report_values_json(x.id, ''))
		    ORDER BY x.end_date DESC), '[]')
		    FROM (SELECT r2.id, pp.code, pp.end_date
		        FROM reports r2 JOIN periods pp ON pp.code = r2.period_code
		        WHERE r2.unit_code = u.code AND r2.form = p_form
		          AND r2.status IN ('submitted', 'accepted')
		          AND pp.end_date < p.end_date
		          AND period_kind(pp.code) = period_kind(p.code)
		        ORDER BY pp.end_date DESC LIMIT 6) x),
		-- For a six-month report: the monthly reports filed inside its
		-- window, oldest first, to offer it pre-filled.
		'months', (SELECT coalesce(json_agg(json_build_object(
		    'period', x.code, 'values', report_values_json(x.id, ''),
		    'stations', (SELECT coalesce(json_object_agg(st.station,
		        report_values_json(x.id, st.station)), '{}')
		        FROM (SELECT DISTINCT station FROM report_values
		            WHERE report_id = x.id AND station <> '') st))
		    ORDER BY x.end_date), '[]')
		    FROM (SELECT r3.id, pm.code, pm.end_date
		        FROM reports r3 JOIN periods pm ON pm.code = r3.period_code
		        WHERE period_kind(p.code) = 'H1' AND r3.unit_code = u.code
		          AND r3.form = p_form AND r3.status IN ('submitted', 'accepted')
		          AND period_kind(pm.code) = 'M'
		          AND pm.start_date >= p.start_date
		          AND pm.end_date <= p.end_date) x))
	FROM units u, periods p
	WHERE u.code = p_unit AND u.code IN (SELECT scope_units(p_user))
	  AND p.code = p_period AND p_form = ANY (p.forms)
$$;
