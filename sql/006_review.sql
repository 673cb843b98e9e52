-- Review and consolidation: which units are expected to file, the
-- office's decisions on a report, and the bulk decisions.

-- The units that file reports: commune stations are covered by their
-- centre's appendix and the Department's office reviews, not files.
CREATE FUNCTION unit_files_reports(p_kind text, p_active boolean)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT p_active AND p_kind NOT IN ('commune_station',
	    'department_office')
$$;

-- One decision of the office on one report:
--   return  submitted -> returned   (reason required, per-item remarks)
--   accept  submitted -> accepted   (locked)
--   reopen  accepted  -> returned   (reason required; also in audit)
CREATE FUNCTION report_review(p_user bigint, p_unit text, p_period text,
    p_form text, p_action text, p_note text, p_detail jsonb)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	r	reports%ROWTYPE;
	v_to	text;
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
	VALUES (r.id, p_user, p_action, r.version + 1, p_note, p_detail);
	IF p_action = 'reopen' THEN
		INSERT INTO audit (actor, action, object, before, after)
		VALUES (p_user, 'report_reopen', 'report:' || p_unit || '/' ||
		    p_period || '/' || p_form,
		    jsonb_build_object('status', r.status),
		    jsonb_build_object('status', v_to, 'reason', p_note));
	END IF;

	RETURN jsonb_build_object('result', 'ok', 'status', v_to,
	    'version', r.version + 1);
END $$;

-- Bulk decisions over one period and form: return, or accept, each report
-- of the list [{"unit", "version", "reason", "items"}] the caller made by
-- running the checks again.  A report that changed meanwhile (another
-- version, no longer submitted, outside the scope) is left alone.
CREATE FUNCTION review_bulk(p_user bigint, p_period text, p_form text,
    p_action text, p_list jsonb)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_units	jsonb;
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
	)
	SELECT coalesce(jsonb_agg(unit_code ORDER BY unit_code), '[]')
	INTO v_units FROM upd;

	RETURN jsonb_build_object('result', 'ok', 'count',
	    jsonb_array_length(v_units), 'units', v_units);
END $$;
