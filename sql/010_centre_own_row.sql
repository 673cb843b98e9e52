-- A district health centre files its own figures beside its stations'
-- (Phụ lục 1 §6 and §7): its totals are its own row plus the sum of the
-- station rows.  Reports carry the own row in "stations" under the
-- centre's own code; it is kept apart from report_values because it is
-- neither the centre's totals (station '') nor a station's appendix row,
-- and the consolidation's sums (report_totals, sql/008) count exactly
-- those two.  Reports filed before this have no own row and read as they
-- were filed.
--
-- Redefines (CREATE OR REPLACE, same signatures): report_save and
-- report_stored_json of 007, report_context_json of 007.

CREATE TABLE report_own_values (
	report_id	bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	item		text NOT NULL,
	num		bigint NOT NULL CHECK (num >= 0),
	PRIMARY KEY (report_id, item)
);

-- As in 007; stations[p_unit] is the own row.
CREATE OR REPLACE FUNCTION report_save(p_user bigint, p_unit text,
    p_period text, p_form text, p_version integer, p_values jsonb,
    p_stations jsonb, p_lists jsonb, p_comments jsonb, p_checks jsonb)
RETURNS json LANGUAGE plpgsql AS $$
DECLARE
	r	reports%ROWTYPE;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM scope_units(p_user) s WHERE s = p_unit)
	THEN
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
		WHERE s.key <> p_unit AND jsonb_typeof(v.value) = 'number';
		DELETE FROM report_own_values WHERE report_id = r.id;
		INSERT INTO report_own_values (report_id, item, num)
		SELECT r.id, key, (value #>> '{}')::bigint
		FROM jsonb_each(CASE WHEN jsonb_typeof(p_stations -> p_unit)
		    = 'object' THEN p_stations -> p_unit ELSE '{}' END)
		WHERE jsonb_typeof(value) = 'number';
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

-- As in 007, the own row in "stations" under the unit's code.
CREATE OR REPLACE FUNCTION report_stored_json(p_report bigint)
RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
	r		reports%ROWTYPE;
	v_vals		json;
	v_own		json;
	v_lists		json;
	v_comments	json;
	v_remarks	json;
	v_history	json;
BEGIN
	SELECT * INTO r FROM reports WHERE id = p_report;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	SELECT coalesce(json_object_agg(x.station, x.vals ORDER BY x.station),
	    '{}')
	INTO v_vals
	FROM (SELECT v.station, json_object_agg(v.item, coalesce(to_json(v.num),
	    to_json(v.txt)) ORDER BY v.item) AS vals
	    FROM report_values v WHERE v.report_id = r.id
	    GROUP BY v.station) x;
	SELECT json_object_agg(o.item, o.num ORDER BY o.item) INTO v_own
	FROM report_own_values o WHERE o.report_id = r.id;
	SELECT coalesce(json_object_agg(l.list, l.rows ORDER BY l.list), '{}')
	INTO v_lists FROM report_lists l WHERE l.report_id = r.id;
	SELECT coalesce(json_object_agg(c.item, c.comment ORDER BY c.item),
	    '{}')
	INTO v_comments FROM report_comments c WHERE c.report_id = r.id;
	-- The office's latest reasons while the unit has to act on them.
	IF r.status = 'returned' THEN
		SELECT json_build_object('action', e.action, 'at', e.at,
		    'reason', e.note, 'items', coalesce(e.detail->'items', '{}'))
		INTO v_remarks FROM report_events e
		WHERE e.report_id = r.id AND e.action IN ('return', 'reopen')
		ORDER BY e.id DESC LIMIT 1;
	END IF;
	SELECT coalesce(json_agg(json_build_object('at', h.at,
	    'actor', h.username, 'action', h.action, 'note', h.note,
	    'version', h.version) ORDER BY h.id), '[]')
	INTO v_history
	FROM (SELECT e.id, e.at, e.action, e.note, e.version, e.actor,
	        a.username, lead(e.action) OVER w AS nact,
	        lead(e.actor) OVER w AS nactor
	    FROM report_events e LEFT JOIN users a ON a.id = e.actor
	    WHERE e.report_id = r.id
	    WINDOW w AS (ORDER BY e.id)) h
	-- a run of saves by one person shows as its last save
	WHERE h.action <> 'save' OR h.nact IS DISTINCT FROM 'save'
	    OR h.nactor IS DISTINCT FROM h.actor;

	RETURN json_build_object('status', r.status, 'version', r.version,
	    'late', r.late, 'submitted_at', r.submitted_at,
	    'values', coalesce(v_vals->'', '{}'),
	    'stations', coalesce((SELECT json_object_agg(key, value)
	        FROM (SELECT key, value FROM json_each(v_vals)
	            WHERE key <> ''
	            UNION ALL
	            SELECT r.unit_code, v_own WHERE v_own IS NOT NULL) s),
	        '{}'),
	    'lists', v_lists, 'comments', v_comments, 'remarks', v_remarks,
	    'history', v_history);
END $$;

-- As in 007; the months of a six-month report carry their own rows, so
-- that the report is offered with its own row filled in too.
CREATE OR REPLACE FUNCTION report_context_json(p_user bigint, p_unit text,
    p_period text, p_form text)
RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
	u		units%ROWTYPE;
	p		periods%ROWTYPE;
	v_kind		text;
	v_id		bigint;
	v_stations	json;
	v_previous	json;
	v_months	json;
BEGIN
	SELECT * INTO p FROM periods WHERE code = p_period
	    AND p_form = ANY (forms);
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	SELECT * INTO u FROM units WHERE code = p_unit
	    AND code IN (SELECT s FROM scope_units(p_user) s);
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	v_kind := period_kind(p.code);

	SELECT coalesce(json_agg(json_build_object('code', s.code,
	    'name', s.name) ORDER BY s.code), '[]')
	INTO v_stations FROM units s WHERE s.parent = u.code AND s.active;
	SELECT id INTO v_id FROM reports WHERE unit_code = u.code
	    AND period_code = p.code AND form = p_form;

	SELECT coalesce(json_agg(json_build_object('period', x.code,
	    'values', coalesce((SELECT json_object_agg(v.item,
	        coalesce(to_json(v.num), to_json(v.txt)))
	        FROM report_values v WHERE v.report_id = x.id
	        AND v.station = ''), '{}')) ORDER BY x.end_date DESC), '[]')
	INTO v_previous
	FROM (SELECT r.id, pp.code, pp.end_date
	    FROM reports r JOIN periods pp ON pp.code = r.period_code
	    WHERE r.unit_code = u.code AND r.form = p_form
	      AND r.status IN ('submitted', 'accepted')
	      AND pp.end_date < p.end_date AND period_kind(pp.code) = v_kind
	    ORDER BY pp.end_date DESC LIMIT 6) x;

	-- For a six-month report: the monthly reports filed inside its
	-- window, oldest first, to offer it pre-filled.
	v_months := '[]';
	IF v_kind = 'H1' THEN
		SELECT coalesce(json_agg(json_build_object('period', x.code,
		    'values', coalesce(x.v->'', '{}'),
		    'stations', coalesce((SELECT json_object_agg(key, value)
		        FROM (SELECT key, value FROM json_each(x.v)
		            WHERE key <> ''
		            UNION ALL
		            SELECT u.code, x.own WHERE x.own IS NOT NULL) s),
		        '{}'))
		    ORDER BY x.end_date), '[]')
		INTO v_months
		FROM (SELECT pm.code, pm.end_date, (SELECT coalesce(
		        json_object_agg(y.station, y.vals), '{}')
		        FROM (SELECT v.station, json_object_agg(v.item,
		            coalesce(to_json(v.num), to_json(v.txt))) AS vals
		            FROM report_values v WHERE v.report_id = r.id
		            GROUP BY v.station) y) AS v,
		        (SELECT json_object_agg(o.item, o.num)
		            FROM report_own_values o
		            WHERE o.report_id = r.id) AS own
		    FROM reports r JOIN periods pm ON pm.code = r.period_code
		    WHERE r.unit_code = u.code AND r.form = p_form
		      AND r.status IN ('submitted', 'accepted')
		      AND period_kind(pm.code) = 'M'
		      AND pm.start_date >= p.start_date
		      AND pm.end_date <= p.end_date) x;
	END IF;

	RETURN json_build_object(
	    'unit', json_build_object('code', u.code, 'name', u.name,
	        'kind', u.kind, 'gksklx', u.gksklx, 'hospital', u.hospital,
	        'cdc', u.cdc, 'stations', v_stations),
	    'period', json_build_object('code', p.code, 'name', p.name,
	        'start', p.start_date, 'end', p.end_date,
	        'deadline', p.deadline),
	    'report', CASE WHEN v_id IS NOT NULL THEN
	        report_stored_json(v_id) END,
	    'previous', v_previous,
	    'months', v_months);
END $$;
