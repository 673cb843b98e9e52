-- Notices by e-mail: the queue every app node sends from, each notice
-- once (README, "Notices and reminders").
--
-- A notice is queued by the very statement that causes it: the office's
-- decisions (report_review and review_bulk, redefined here from
-- sql/006_review.sql) queue the unit's notice beside the report event;
-- reminders and the office's digest are queued once per unit, period and
-- day (or address and day) by notice_schedule(), whose "now" is a
-- parameter.  What a notice says is kept as facts (data) when it is
-- queued: a later change of the registry or the calendar does not change
-- it.  The words are in C (modules/mail_text.c).

CREATE TABLE notices (
	id		bigserial PRIMARY KEY,
	kind		text NOT NULL CHECK (kind IN ('returned', 'accepted',
			    'reopened', 'reminder', 'late_digest')),
	-- The decision that caused it, or the unit/period/day key of a
	-- reminder or digest: never two notices for one cause.
	event_id	bigint UNIQUE REFERENCES report_events (id),
	dedup		text UNIQUE,
	unit_code	text,
	period_code	text,
	form		text,
	to_addr		text NOT NULL DEFAULT '',
	to_name		text NOT NULL DEFAULT '',
	data		jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object'),
	status		text NOT NULL DEFAULT 'queued'
			    CHECK (status IN ('queued', 'sent', 'failed')),
	attempts	integer NOT NULL DEFAULT 0,
	-- Due from then: the next try after a failure, or the end of the
	-- lease of the sender that claimed it.
	next_at		timestamptz NOT NULL DEFAULT now(),
	claim		text,
	error		text,
	error_detail	text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	sent_at		timestamptz,
	sent_by		text,		-- the claim that sent it: pid-random
	CHECK ((event_id IS NULL) <> (dedup IS NULL))
);
CREATE INDEX notices_due ON notices (next_at, id) WHERE status = 'queued';
CREATE INDEX notices_status ON notices (status, id);
CREATE INDEX notices_unit ON notices (unit_code, id);

-- Units whose focal point turned the reminders off, and who did.
CREATE TABLE reminder_optout (
	unit_code	text PRIMARY KEY REFERENCES unit_codes (code)
			    ON DELETE CASCADE,
	off_by		bigint REFERENCES users (id),
	off_at		timestamptz NOT NULL DEFAULT now()
);

-- The days whose reminders and digest are queued: a sender asks every
-- few seconds, and once the day is here this is all it costs.
CREATE TABLE notice_runs (
	day		date PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now()
);

-- The names of the items and lists a remark is about, as the outline
-- version of the report says them (sql/013): the notice carries them, so
-- a sender needs no outline of its own and a later version renames
-- nothing already queued.
CREATE FUNCTION notice_item_labels(p_form text, p_version integer,
    p_items jsonb)
RETURNS jsonb LANGUAGE sql STABLE AS $$
	SELECT coalesce(jsonb_object_agg(x.code, x.label), '{}')
	FROM (SELECT i->>'code' AS code, i->>'label' AS label
	    FROM form_versions f,
	        json_array_elements(f.definition->'sections') s,
	        json_array_elements(s->'items') i
	    WHERE f.form = p_form AND f.version = p_version
	    UNION ALL
	    SELECT l->>'code', l->>'label'
	    FROM form_versions f, json_array_elements(f.definition->'lists') l
	    WHERE f.form = p_form AND f.version = p_version) x
	WHERE p_items IS NOT NULL AND jsonb_typeof(p_items) = 'object'
	  AND p_items ? x.code
$$;

-- The unit's notice of each of these decisions (return, accept, reopen),
-- to the focal point as the registry has it now.  Without an e-mail it is
-- queued as failed, so the office sees who was not told.
CREATE FUNCTION notice_queue_events(p_events bigint[])
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	v_n	integer;
BEGIN
	INSERT INTO notices (kind, event_id, unit_code, period_code, form,
	    to_addr, to_name, data, status, error)
	SELECT CASE e.action WHEN 'return' THEN 'returned'
	        WHEN 'accept' THEN 'accepted' ELSE 'reopened' END,
	    e.id, r.unit_code, r.period_code, r.form,
	    coalesce(c.email, ''), coalesce(c.name, ''),
	    jsonb_build_object('unit', u.code, 'unit_name', u.name,
	        'period', p.code, 'period_name', p.name,
	        'deadline', to_char(p.deadline, 'YYYY-MM-DD'),
	        'form', r.form, 'version', e.version,
	        'contact', coalesce(c.name, ''),
	        'reason', coalesce(e.note, ''),
	        'items', coalesce(e.detail->'items', '{}'),
	        'labels', notice_item_labels(r.form, r.form_version,
	            e.detail->'items'),
	        'at', to_char(e.at AT TIME ZONE 'Asia/Ho_Chi_Minh',
	            'YYYY-MM-DD')),
	    CASE WHEN coalesce(c.email, '') = '' THEN 'failed'
	        ELSE 'queued' END,
	    CASE WHEN coalesce(c.email, '') = '' THEN 'no_address' END
	FROM report_events e
	JOIN reports r ON r.id = e.report_id
	JOIN units u ON u.code = r.unit_code
	JOIN periods p ON p.code = r.period_code
	LEFT JOIN contacts c ON c.unit_code = r.unit_code
	WHERE e.id = ANY (p_events) AND e.action IN ('return', 'accept',
	    'reopen')
	ON CONFLICT DO NOTHING;
	GET DIAGNOSTICS v_n = ROW_COUNT;

	RETURN v_n;
END $$;

-- As in sql/006_review.sql, and the unit's notice queued with the event.
CREATE OR REPLACE FUNCTION report_review(p_user bigint, p_unit text,
    p_period text, p_form text, p_action text, p_note text, p_detail jsonb)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	r	reports%ROWTYPE;
	v_to	text;
	v_event	bigint;
BEGIN
	SELECT * INTO r FROM reports WHERE unit_code = p_unit
	    AND period_code = p_period AND form = p_form FOR UPDATE;
	IF NOT FOUND OR r.version = 0 THEN
		RETURN jsonb_build_object('result', 'not_found');
	END IF;
	IF (p_action IN ('return', 'accept') AND r.status <> 'submitted') OR
	    (p_action = 'reopen' AND r.status <> 'accepted') THEN
		RETURN jsonb_build_object('result', 'wrong_state',
		    'status', r.status);
	END IF;
	v_to := CASE p_action WHEN 'accept' THEN 'accepted'
	    ELSE 'returned' END;

	UPDATE reports SET status = v_to, version = version + 1,
	    updated_at = now()
	WHERE id = r.id;
	INSERT INTO report_events (report_id, actor, action, version, note,
	    detail)
	VALUES (r.id, p_user, p_action, r.version + 1, p_note, p_detail)
	RETURNING id INTO v_event;
	IF p_action = 'reopen' THEN
		INSERT INTO audit (actor, action, object, before, after)
		VALUES (p_user, 'report_reopen', 'report:' || p_unit || '/' ||
		    p_period || '/' || p_form,
		    jsonb_build_object('status', r.status),
		    jsonb_build_object('status', v_to, 'reason', p_note));
	END IF;
	PERFORM notice_queue_events(ARRAY[v_event]);

	RETURN jsonb_build_object('result', 'ok', 'status', v_to,
	    'version', r.version + 1);
END $$;

-- As in sql/006_review.sql, and each unit's notice queued with its event.
CREATE OR REPLACE FUNCTION review_bulk(p_user bigint, p_period text,
    p_form text, p_action text, p_list jsonb)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_units		jsonb;
	v_events	bigint[];
BEGIN
	WITH wanted AS (
		SELECT x.unit, x.version, x.reason, x.items
		FROM jsonb_to_recordset(p_list) AS x(unit text, version int,
		    reason text, items jsonb)
	), target AS (
		SELECT r.id, r.unit_code, w.reason, w.items
		FROM reports r JOIN wanted w ON w.unit = r.unit_code
		    AND w.version = r.version
		WHERE r.period_code = p_period AND r.form = p_form
		  AND r.status = 'submitted'
		  AND r.unit_code IN (SELECT scope_units(p_user))
		FOR UPDATE OF r
	), upd AS (
		UPDATE reports r SET status = CASE p_action
		    WHEN 'accept' THEN 'accepted' ELSE 'returned' END,
		    version = r.version + 1, updated_at = now()
		FROM target t WHERE r.id = t.id
		RETURNING r.id, r.unit_code, r.version
	), ev AS (
		INSERT INTO report_events (report_id, actor, action, version,
		    note, detail)
		SELECT u.id, p_user, p_action, u.version, t.reason,
		    jsonb_build_object('bulk', true, 'items',
		        coalesce(t.items, '{}'))
		FROM upd u JOIN target t ON t.id = u.id
		RETURNING id
	)
	SELECT (SELECT coalesce(jsonb_agg(unit_code ORDER BY unit_code), '[]')
	        FROM upd),
	    (SELECT coalesce(array_agg(id), '{}') FROM ev)
	INTO v_units, v_events;
	PERFORM notice_queue_events(v_events);

	RETURN jsonb_build_object('result', 'ok', 'count',
	    jsonb_array_length(v_units), 'units', v_units);
END $$;

-- The reminders of p_day (a day in Asia/Ho_Chi_Minh): to every unit that
-- files and has not submitted some form of a period that has started and
-- whose deadline is one of p_days days after p_day (0: the deadline day
-- itself), unless it turned reminders off; one per unit, period and day.
-- A unit without an e-mail is not written to (the digest names it).
CREATE FUNCTION notice_queue_reminders(p_day date, p_days integer[])
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	v_n	integer;
BEGIN
	INSERT INTO notices (kind, dedup, unit_code, period_code, to_addr,
	    to_name, data)
	SELECT 'reminder', 'reminder:' || u.code || ':' || p.code || ':' ||
	        to_char(p_day, 'YYYY-MM-DD'),
	    u.code, p.code, c.email, c.name,
	    jsonb_build_object('unit', u.code, 'unit_name', u.name,
	        'period', p.code, 'period_name', p.name,
	        'deadline', to_char(p.deadline, 'YYYY-MM-DD'),
	        'days_left', p.deadline - p_day, 'forms', to_jsonb(m.forms),
	        'form', m.forms[1], 'contact', c.name,
	        'day', to_char(p_day, 'YYYY-MM-DD'))
	FROM periods p
	-- The units the period's registry expects a report from (sql/012):
	-- a station that files for itself too, not one its centre covers.
	JOIN LATERAL units_on(p.end_date) u ON u.files
	JOIN contacts c ON c.unit_code = u.code AND c.email <> ''
	CROSS JOIN LATERAL (
		SELECT array_agg(f ORDER BY f) AS forms
		FROM unnest(p.forms) AS f
		WHERE NOT EXISTS (SELECT 1 FROM reports r
		    WHERE r.unit_code = u.code AND r.period_code = p.code
		      AND r.form = f AND r.version > 0
		      AND r.status IN ('submitted', 'accepted'))
	) m
	WHERE p.deadline - p_day = ANY (p_days)
	  AND p.start_date <= p_day
	  AND m.forms IS NOT NULL
	  AND NOT EXISTS (SELECT 1 FROM reminder_optout o
	      WHERE o.unit_code = u.code)
	ON CONFLICT DO NOTHING;
	GET DIAGNOSTICS v_n = ROW_COUNT;

	RETURN v_n;
END $$;

-- The office's digest of p_day, one to each of p_office: the reports past
-- their deadline (in the last 62 days) that were never submitted, by
-- district and unit, and the reports returned (periods of the last year)
-- not filed again, each with the unit's focal point.  The first 300 of
-- each list are spelled out, the totals counted.  Nothing to tell,
-- nothing sent.
CREATE FUNCTION notice_queue_digest(p_day date, p_office text[])
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	v_data	jsonb;
	v_n	integer;
BEGIN
	WITH late AS (
		SELECT u.code, u.name, d.name AS district_name, p.code AS period,
		    p.name AS period_name, p.deadline, f.form
		FROM periods p CROSS JOIN unnest(p.forms) AS f(form)
		JOIN LATERAL units_on(p.end_date) u ON u.files
		JOIN LATERAL areas_on(p.end_date) d ON d.code = u.area
		LEFT JOIN reports r ON r.unit_code = u.code
		    AND r.period_code = p.code AND r.form = f.form
		WHERE p.deadline < p_day AND p.deadline >= p_day - 62
		  AND p.start_date <= p_day
		  AND (r.id IS NULL OR r.version = 0 OR r.status = 'draft')
	), ret AS (
		SELECT u.code, u.name, d.name AS district_name, p.code AS period,
		    p.name AS period_name, p.deadline, r.form,
		    (SELECT max(e.at) FROM report_events e
		     WHERE e.report_id = r.id
		       AND e.action IN ('return', 'reopen')) AS at
		FROM reports r
		JOIN periods p ON p.code = r.period_code
		JOIN LATERAL units_on(p.end_date) u ON u.code = r.unit_code
		JOIN LATERAL areas_on(p.end_date) d ON d.code = u.area
		WHERE r.status = 'returned' AND p.deadline >= p_day - 366
		  AND p.start_date <= p_day
	)
	SELECT jsonb_build_object(
	    'day', to_char(p_day, 'YYYY-MM-DD'),
	    'late_total', (SELECT count(*) FROM late),
	    'returned_total', (SELECT count(*) FROM ret),
	    'late', (SELECT coalesce(jsonb_agg(x.j ORDER BY x.district_name,
	            x.name, x.code, x.deadline, x.form), '[]')
	        FROM (SELECT l.*, jsonb_build_object('unit', l.code,
	            'unit_name', l.name, 'district_name', l.district_name,
	            'period', l.period, 'period_name', l.period_name,
	            'deadline', to_char(l.deadline, 'YYYY-MM-DD'),
	            'form', l.form, 'contact', (SELECT jsonb_build_object(
	                'name', c.name, 'phone', c.phone, 'email', c.email)
	                FROM contacts c WHERE c.unit_code = l.code)) AS j
	            FROM late l ORDER BY l.district_name, l.name, l.code,
	            l.deadline, l.form LIMIT 300) x),
	    'returned', (SELECT coalesce(jsonb_agg(x.j ORDER BY x.at,
	            x.code, x.form), '[]')
	        FROM (SELECT t.*, jsonb_build_object('unit', t.code,
	            'unit_name', t.name, 'district_name', t.district_name,
	            'period', t.period, 'period_name', t.period_name,
	            'deadline', to_char(t.deadline, 'YYYY-MM-DD'),
	            'form', t.form, 'at', to_char(t.at AT TIME ZONE
	                'Asia/Ho_Chi_Minh', 'YYYY-MM-DD'),
	            'contact', (SELECT jsonb_build_object('name', c.name,
	                'phone', c.phone, 'email', c.email)
	                FROM contacts c WHERE c.unit_code = t.code)) AS j
	            FROM ret t ORDER BY t.at, t.code, t.form LIMIT 300) x))
	INTO v_data;

	IF (v_data->>'late_total')::int = 0 AND
	    (v_data->>'returned_total')::int = 0 THEN
		RETURN 0;
	END IF;
	INSERT INTO notices (kind, dedup, to_addr, data)
	SELECT 'late_digest', 'late_digest:' || a || ':' ||
	    to_char(p_day, 'YYYY-MM-DD'), a, v_data
	FROM unnest(p_office) AS a
	WHERE a <> ''
	ON CONFLICT DO NOTHING;
	GET DIAGNOSTICS v_n = ROW_COUNT;

	RETURN v_n;
END $$;

-- Called by every sender at every wake with the time now (the tests give
-- another): from p_hour of a day in Asia/Ho_Chi_Minh, that day's
-- reminders and digest are queued, by the first sender to ask.  -1 when
-- it is not time or the day is done: one indexed look-up.
CREATE FUNCTION notice_schedule(p_now timestamptz, p_days integer[],
    p_hour integer, p_office text[])
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	v_local	timestamp := p_now AT TIME ZONE 'Asia/Ho_Chi_Minh';
	v_day	date := (p_now AT TIME ZONE 'Asia/Ho_Chi_Minh')::date;
BEGIN
	IF extract(hour FROM v_local) < p_hour OR
	    EXISTS (SELECT 1 FROM notice_runs WHERE day = v_day) THEN
		RETURN -1;
	END IF;
	INSERT INTO notice_runs (day) VALUES (v_day) ON CONFLICT DO NOTHING;
	IF NOT FOUND THEN
		RETURN -1;
	END IF;

	RETURN notice_queue_reminders(v_day, p_days) +
	    notice_queue_digest(v_day, p_office);
END $$;
