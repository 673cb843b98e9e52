-- The registry import: every row is checked against the registry first;
-- with any problem nothing is written and every problem is returned,
-- else all rows are written.  One call, one statement, one transaction.

-- A district given by code, by full name, or by name without its
-- "Huyện"/"Thị xã"/"Thành phố" prefix, in any letter case.
CREATE FUNCTION district_resolve(p text) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT code FROM districts
	WHERE code = upper(btrim(p))
	   OR lower(name) = lower(btrim(p))
	   OR lower(regexp_replace(name, '^(Huyện|Thị xã|Thành phố) ', ''))
	      = lower(btrim(p))
	LIMIT 1
$$;

CREATE FUNCTION units_import(p_rows jsonb, p_actor bigint) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	v_errors	jsonb;
	v_created	integer;
	v_total		integer;
BEGIN
	CREATE TEMP TABLE IF NOT EXISTS import_rows (
		line int, code text, name text, kind text, is_public boolean,
		district text, district_code text, parent text,
		gksklx boolean, hospital boolean, cdc boolean,
		has_contact boolean, contact_name text, contact_position text,
		contact_phone text, contact_email text
	) ON COMMIT DROP;
	TRUNCATE import_rows;

	INSERT INTO import_rows
	SELECT x.line, x.code, x.name, x.kind, x.is_public, x.district,
	    district_resolve(x.district), x.parent, x.gksklx, x.hospital,
	    x.cdc, x.has_contact, x.contact_name, x.contact_position,
	    x.contact_phone, x.contact_email
	FROM jsonb_to_recordset(p_rows) AS x(line int, code text, name text,
	    kind text, is_public boolean, district text, parent text,
	    gksklx boolean, hospital boolean, cdc boolean,
	    has_contact boolean, contact_name text, contact_position text,
	    contact_phone text, contact_email text);

	SELECT coalesce(jsonb_agg(e ORDER BY (e->>'line')::int), '[]')
	INTO v_errors
	FROM (
		SELECT jsonb_build_object('line', line, 'column', 'huyen',
		    'message', 'Không có huyện/thị xã/thành phố “' ||
		    district || '” trong danh mục của tỉnh.') AS e
		FROM import_rows WHERE district_code IS NULL
		UNION ALL
		SELECT jsonb_build_object('line', r.line,
		    'column', 'don_vi_quan_ly',
		    'message', 'Đơn vị quản lý “' || r.parent || '” không phải '
		    'là Trung tâm Y tế huyện có trong danh mục hoặc trong file.')
		FROM import_rows r
		WHERE r.parent IS NOT NULL
		  AND NOT EXISTS (SELECT 1 FROM import_rows p
		      WHERE p.code = r.parent AND p.kind = 'district_centre')
		  AND NOT EXISTS (SELECT 1 FROM units p
		      WHERE p.code = r.parent AND p.kind = 'district_centre'
		      AND p.code NOT IN (SELECT code FROM import_rows))
		UNION ALL
		SELECT jsonb_build_object('line', r.line, 'column', 'loai',
		    'message', 'Đơn vị “' || r.code || '” đang quản lý trạm y tế '
		    'nên phải giữ loại Trung tâm Y tế huyện.')
		FROM import_rows r
		WHERE r.kind <> 'district_centre'
		  AND EXISTS (SELECT 1 FROM units s WHERE s.parent = r.code
		      AND s.code NOT IN (SELECT code FROM import_rows))
	) errs;

	IF jsonb_array_length(v_errors) > 0 THEN
		RETURN jsonb_build_object('ok', false, 'errors', v_errors);
	END IF;

	-- Managing units first, so that stations find their parent.
	WITH up AS (
		INSERT INTO units (code, name, kind, is_public, district,
		    parent, gksklx, hospital, cdc)
		SELECT code, name, kind, is_public, district_code, parent,
		    gksklx, hospital, cdc
		FROM import_rows
		ORDER BY (parent IS NOT NULL), line
		ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name,
		    kind = EXCLUDED.kind, is_public = EXCLUDED.is_public,
		    district = EXCLUDED.district, parent = EXCLUDED.parent,
		    gksklx = EXCLUDED.gksklx, hospital = EXCLUDED.hospital,
		    cdc = EXCLUDED.cdc, active = true, updated_at = now()
		RETURNING (xmax = 0) AS created
	)
	SELECT count(*) FILTER (WHERE created), count(*)
	INTO v_created, v_total FROM up;

	INSERT INTO contacts (unit_code, name, position, phone, email)
	SELECT code, contact_name, coalesce(contact_position, ''),
	    contact_phone, coalesce(contact_email, '')
	FROM import_rows WHERE has_contact
	ON CONFLICT (unit_code) DO UPDATE SET name = EXCLUDED.name,
	    position = EXCLUDED.position, phone = EXCLUDED.phone,
	    email = EXCLUDED.email, updated_at = now();

	INSERT INTO audit (actor, action, object, after)
	VALUES (p_actor, 'units_import', 'units',
	    jsonb_build_object('created', v_created,
	    'updated', v_total - v_created,
	    'codes', (SELECT jsonb_agg(code ORDER BY line) FROM import_rows)));

	RETURN jsonb_build_object('ok', true, 'created', v_created,
	    'updated', v_total - v_created, 'total', v_total);
END $$;
