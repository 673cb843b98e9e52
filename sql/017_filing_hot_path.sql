-- Filing at the speed of the database (issue 13, items 1 and 2): what a
-- save and a submit ask of PostgreSQL, the same answers for less work.
--
-- Measured (make bench, pg_stat_statements, EXPLAIN ANALYZE; README
-- "Benchmarks"): of the ~6 ms a context read took in one connection,
-- report_context_json itself was 0.6 ms.  The rest was the statement
-- around it, planned again at every request (it is sent unnamed), and the
-- LANGUAGE sql functions it called: such a function is not inlined when
-- its body has subqueries, and is then parsed and planned at every call
-- (form_version_for seven times a context, report_docs_json once).  The
-- same held for the kept totals a submit moves (report_totals_shift and
-- report_totals_add, planned at every submission) and for the outline
-- version the report row takes when first saved (form_version_for in a
-- trigger, twice a save).
--
-- So the hot path is now a handful of PL/pgSQL functions whose plain SQL
-- statements keep their plans for the connection's life, called by
-- statements (sql/queries.sql) that take nothing to plan:
--   report_context_read   the one read of a request: the context, its
--                         outline versions and documents, scope checked
--                         inside (scope_has, sql/012);
--   report_save           values, stations and the centre's own row
--                         written by one statement; the report as stored
--                         returned, so the answer needs no second read;
--   report_submit         as before, the totals moved by cached plans;
--   session_touch         the session of every request, as the statement
--                         of that name was (its CTEs planned every time).
-- The hot functions run with plan_cache_mode = force_generic_plan (for
-- themselves and what they call, triggers included): PL/pgSQL otherwise
-- plans a statement again for each call's parameters as long as the
-- generic plan's estimate looks dearer (perf: the plan cache at 13 % of
-- the samples, 5 % with this; the CPU of a context read the same or a
-- little less).  Their statements look rows up by key: one plan fits.
-- The writes check the scope themselves (scope_unit_writable: the rule of
-- scope_units(user), for one unit), since the registry may change between
-- the read and the write.  scope_units(user, day) stays the definition of
-- who sees what; scope_has and scope_unit_writable apply it to one unit.
--
-- Redefines (CREATE OR REPLACE, same signatures and results):
-- form_version_for (013), report_docs_json (015), report_totals_add and
-- report_totals_shift (008), report_save (010), report_submit (005).

-- As in 013, by a statement that keeps its plan.
CREATE OR REPLACE FUNCTION form_version_for(p_form text, p_period text)
RETURNS integer LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN coalesce((SELECT max(v.version) FROM form_versions v
	    WHERE v.form = p_form
	      AND period_rank(v.first_period) <= period_rank(p_period)),
	    (SELECT min(v.version) FROM form_versions v WHERE v.form = p_form));
END $$;

-- As in 015, by a statement that keeps its plan.
CREATE OR REPLACE FUNCTION report_docs_json(p_unit text, p_period text,
    p_form text)
RETURNS json LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN json_build_object(
	    'signed', (SELECT json_build_object(
	        'sha256', encode(s.sha256, 'hex'), 'size', s.size,
	        'pages', s.pages, 'uploaded_at', s.uploaded_at,
	        'uploaded_by', u.username,
	        'earlier', (SELECT count(*) - 1 FROM report_signed x
	            WHERE x.report_id = r.id))
	        FROM reports r JOIN report_signed s ON s.report_id = r.id
	        LEFT JOIN users u ON u.id = s.uploaded_by
	        WHERE r.unit_code = p_unit AND r.period_code = p_period
	          AND r.form = p_form
	        ORDER BY s.id DESC LIMIT 1),
	    'document', (SELECT json_build_object('number', d.number,
	        'signer', d.signer)
	        FROM report_documents d WHERE d.unit_code = p_unit
	          AND d.period_code = p_period AND d.form = p_form));
END $$;

-- As in 008: rows taken in key order, so two reports of the same
-- district and kind wait for each other instead of deadlocking.
CREATE OR REPLACE FUNCTION report_totals_add(p_rows report_total_row[],
    p_sign integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO report_totals AS t (period_code, form, district, kind,
	    accepted, station, item, total, n)
	SELECT x.period_code, x.form, x.district, x.kind, x.accepted,
	    x.station, x.item, p_sign * sum(x.total), p_sign * sum(x.n)
	FROM unnest(p_rows) x
	GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
	ON CONFLICT (period_code, form, district, kind, accepted, station,
	    item)
	DO UPDATE SET total = t.total + EXCLUDED.total, n = t.n + EXCLUDED.n;

	INSERT INTO report_totals_all AS t (period_code, form, accepted,
	    station, item, shard, total, n)
	SELECT x.period_code, x.form, x.accepted, x.station, x.item, x.shard,
	    p_sign * sum(x.total), p_sign * sum(x.n)
	FROM unnest(p_rows) x
	GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
	ON CONFLICT (period_code, form, accepted, station, item, shard)
	DO UPDATE SET total = t.total + EXCLUDED.total, n = t.n + EXCLUDED.n;
END $$;

-- As in 008.
CREATE OR REPLACE FUNCTION report_totals_shift(p_report bigint,
    p_district text, p_kind text, p_accepted boolean, p_sign integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	v_rows	report_total_row[];
BEGIN
	SELECT array_agg(g.x) INTO v_rows
	FROM (SELECT ROW(r.period_code, r.form, p_district, p_kind,
	        p_accepted, v.station <> '', v.item, (p_report % 8)::smallint,
	        sum(v.num), count(*)::integer)::report_total_row AS x
	    FROM reports r JOIN report_values v ON v.report_id = r.id
	    WHERE r.id = p_report AND v.num IS NOT NULL
	    GROUP BY r.period_code, r.form, v.station <> '', v.item) g;
	IF v_rows IS NOT NULL THEN
		PERFORM report_totals_add(v_rows, p_sign);
	END IF;
END $$;

-- May p_user write p_unit's reports: scope_units(p_user) (sql/012, the
-- registry as it is today) applied to one unit, two index probes.
CREATE FUNCTION scope_unit_writable(p_user bigint, p_unit text)
RETURNS boolean LANGUAGE plpgsql STABLE AS $$
DECLARE
	me	users%ROWTYPE;
BEGIN
	SELECT * INTO me FROM users WHERE id = p_user AND active;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	IF me.role IN ('office', 'admin') THEN
		RETURN EXISTS (SELECT 1 FROM unit_codes WHERE code = p_unit);
	END IF;
	IF me.role = 'unit' THEN
		RETURN me.unit_code = p_unit OR EXISTS (SELECT 1
		    FROM unit_states s WHERE s.code = p_unit
		      AND s.filed_by = me.unit_code
		      AND s.valid @> portal_today());
	END IF;
	IF me.role = 'viewer' THEN
		RETURN EXISTS (SELECT 1 FROM units u WHERE u.code = p_unit
		    AND u.district IN (SELECT district FROM viewer_districts
		        WHERE user_id = p_user));
	END IF;

	RETURN false;
END $$;

-- The one read of a report route: the context (report_context_json,
-- sql/012: NULL, so no row, when unknown or outside the caller's scope
-- that day), the outline version the report is filed under (in force in
-- the period while it has never been saved), the versions of the unit's
-- other reports of the form in its history and months ({period:
-- version}; a period's reports all have the version in force in it,
-- sql/013), and the signed copy and the PDF's details (sql/015).
CREATE FUNCTION report_context_read(p_user bigint, p_unit text,
    p_period text, p_form text, OUT j json, OUT form_version integer,
    OUT versions json, OUT docs json)
RETURNS SETOF record LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
	j := report_context_json(p_user, p_unit, p_period, p_form);
	IF j IS NULL THEN
		RETURN;
	END IF;
	SELECT r.form_version INTO form_version FROM reports r
	WHERE r.unit_code = p_unit AND r.period_code = p_period
	  AND r.form = p_form AND r.version > 0;
	IF NOT FOUND THEN
		form_version := form_version_for(p_form, p_period);
	END IF;
	SELECT coalesce(json_object_agg(x.p, form_version_for(p_form, x.p)),
	    '{}') INTO versions
	FROM (SELECT e->>'period' AS p
	    FROM json_array_elements(coalesce(j->'previous', '[]')) e
	    UNION
	    SELECT e->>'period'
	    FROM json_array_elements(coalesce(j->'months', '[]')) e) x
	WHERE x.p IS NOT NULL AND x.p <> p_period;
	docs := report_docs_json(p_unit, p_period, p_form);
	RETURN NEXT;
END $$;

-- As in 010.  The values of the report, the station rows and the
-- centre's own row are written by one statement: the parts sent replace
-- what was stored.  The deletions run first (the inserts wait for their
-- count, an InitPlan), so a row deleted and inserted again does not meet
-- itself in the primary key: it was deleted by this transaction.  An
-- upsert instead (INSERT ... ON CONFLICT, deleting only the rows no
-- longer sent) cost a fifth more: a speculative insertion per row.
CREATE OR REPLACE FUNCTION report_save(p_user bigint, p_unit text,
    p_period text, p_form text, p_version integer, p_values jsonb,
    p_stations jsonb, p_lists jsonb, p_comments jsonb, p_checks jsonb)
RETURNS json LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	r	reports%ROWTYPE;
BEGIN
	IF NOT scope_unit_writable(p_user, p_unit) THEN
		RETURN json_build_object('result', 'not_found');
	END IF;
	INSERT INTO reports (unit_code, period_code, form, version)
	VALUES (p_unit, p_period, p_form, 0) ON CONFLICT DO NOTHING;
	SELECT * INTO r FROM reports WHERE unit_code = p_unit
	    AND period_code = p_period AND form = p_form FOR UPDATE;
	IF r.version <> p_version THEN
		RETURN json_build_object('result', 'stale', 'version',
		    r.version);
	END IF;
	IF r.status NOT IN ('draft', 'returned') THEN
		RETURN json_build_object('result', 'locked', 'status',
		    r.status);
	END IF;

	IF p_values IS NOT NULL OR p_stations IS NOT NULL THEN
		WITH gone AS (
			DELETE FROM report_values
			WHERE report_id = r.id
			  AND CASE WHEN station = '' THEN p_values IS NOT NULL
			      ELSE p_stations IS NOT NULL END
			RETURNING 1
		), own_gone AS (
			DELETE FROM report_own_values
			WHERE report_id = r.id AND p_stations IS NOT NULL
			RETURNING 1
		), own_put AS (
			INSERT INTO report_own_values (report_id, item, num)
			SELECT r.id, key, (value #>> '{}')::bigint
			FROM jsonb_each(CASE WHEN p_stations IS NOT NULL
			    AND jsonb_typeof(p_stations -> p_unit) = 'object'
			    THEN p_stations -> p_unit ELSE '{}' END)
			WHERE jsonb_typeof(value) = 'number'
			  AND (SELECT count(*) FROM own_gone) >= 0
		)
		INSERT INTO report_values (report_id, station, item, num, txt)
		SELECT r.id, x.station, x.item, x.num, x.txt
		FROM (SELECT '' AS station, key AS item,
			    CASE WHEN jsonb_typeof(value) = 'number'
			        THEN (value #>> '{}')::bigint END AS num,
			    CASE WHEN jsonb_typeof(value) = 'string'
			        THEN value #>> '{}' END AS txt
			FROM jsonb_each(coalesce(p_values, '{}'))
			WHERE p_values IS NOT NULL
			  AND jsonb_typeof(value) IN ('number', 'string')
			UNION ALL
			SELECT s.key, v.key, (v.value #>> '{}')::bigint, NULL
			FROM jsonb_each(coalesce(p_stations, '{}')) s,
			    jsonb_each(CASE WHEN jsonb_typeof(s.value) = 'object'
			        THEN s.value ELSE '{}' END) v
			WHERE p_stations IS NOT NULL AND s.key <> p_unit
			  AND jsonb_typeof(v.value) = 'number') x
		WHERE (SELECT count(*) FROM gone) >= 0;
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

	RETURN json_build_object('result', 'ok', 'version', r.version + 1,
	    'report', report_stored_json(r.id));
END $$;

-- As in 005, the scope checked for the one unit.
CREATE OR REPLACE FUNCTION report_submit(p_user bigint, p_unit text,
    p_period text, p_form text, p_version integer, p_late boolean,
    p_checks jsonb)
RETURNS jsonb LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	r	reports%ROWTYPE;
BEGIN
	IF NOT scope_unit_writable(p_user, p_unit) THEN
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

-- The session of a request (every request but sign-in reads it): as the
-- statement session_touch was in sql/queries.sql, whose two CTEs were
-- planned again at every request.  Idle expiry 30 minutes, absolute
-- expiry 12 hours; last_seen written at most once a minute, so most
-- requests only read and commit without waiting for the disk.
CREATE FUNCTION session_touch(p_token text, OUT o_id bigint,
    OUT o_user_id bigint, OUT o_username text, OUT o_role text,
    OUT o_unit text, OUT o_must_change boolean, OUT o_csrf text)
RETURNS SETOF record LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	v_last	timestamptz;
BEGIN
	SELECT s.id, s.last_seen, u.id, u.username, u.role,
	    coalesce(u.unit_code, ''), u.must_change_password, s.csrf_token
	INTO o_id, v_last, o_user_id, o_username, o_role, o_unit,
	    o_must_change, o_csrf
	FROM sessions s JOIN users u ON u.id = s.user_id
	WHERE s.token_hash = sha256(convert_to(p_token, 'UTF8')) AND u.active
	  AND s.last_seen > now() - interval '30 minutes'
	  AND s.created_at > now() - interval '12 hours';
	IF NOT FOUND THEN
		RETURN;
	END IF;
	IF v_last < now() - interval '1 minute' THEN
		UPDATE sessions SET last_seen = now() WHERE id = o_id;
	END IF;
	RETURN NEXT;
END $$;
