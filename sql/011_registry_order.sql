-- Names in Vietnamese order, and the registry import's problems in one
-- round.

-- The cluster is created with the C.UTF-8 locale, whose order is the
-- bytes': "Huyện Hoằng Hóa" came before "Huyện Hà Trung" and every "Đ"
-- after "Z".  ICU's Vietnamese collation puts "ă", "â" after "a" and "Đ"
-- between "D" and "E", as Vietnamese dictionaries do.  It is made here
-- rather than taken from the ICU collations initdb imports, which a
-- cluster created another way may lack.  The name columns are declared
-- with it, so that every ORDER BY and every json_agg(... ORDER BY) of a
-- name, in the statements and in the functions, sorts in Vietnamese
-- without naming it each time.  Equality is unchanged: a deterministic
-- collation compares equal strings only.
CREATE COLLATION IF NOT EXISTS vi (provider = icu, locale = 'vi');

ALTER TABLE districts ALTER COLUMN name TYPE text COLLATE vi;
ALTER TABLE units ALTER COLUMN name TYPE text COLLATE vi;

-- The registry import reports every problem of a file in one round.
-- The problems the file shows by itself (a bad phone, a duplicate code)
-- are found in C; those only the registry knows (an unknown district,
-- a managing unit that is not a district health centre, a centre that
-- still has stations) were looked for only once the file had none of
-- the first kind, so the office fixed a file twice.  Now the rows are
-- checked against the registry whatever the file's own problems, and
-- the two lists are answered together (units.c).  A row's cell with a
-- problem of its own comes empty and is not looked up again.

-- The rows of a file into the temporary table the checks read.
CREATE FUNCTION units_import_load(p_rows jsonb) RETURNS void
LANGUAGE plpgsql AS $$
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
	SELECT x.line, coalesce(x.code, ''), x.name, coalesce(x.kind, ''),
	    x.is_public, coalesce(x.district, ''),
	    district_resolve(x.district), nullif(x.parent, ''), x.gksklx,
	    x.hospital, x.cdc, x.has_contact, x.contact_name,
	    x.contact_position, x.contact_phone, x.contact_email
	FROM jsonb_to_recordset(p_rows) AS x(line int, code text, name text,
	    kind text, is_public boolean, district text, parent text,
	    gksklx boolean, hospital boolean, cdc boolean,
	    has_contact boolean, contact_name text, contact_position text,
	    contact_phone text, contact_email text);
END $$;

-- What the registry finds wrong with the loaded rows, in line order:
-- [{"line", "column" (the column's key), "message"}].  A managing unit
-- named in the file on a row whose kind could not be read is not
-- reported again: the office fixes that row's kind first.
-- PL/pgSQL, not SQL: the table exists only while an import runs.
CREATE FUNCTION units_import_issues() RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
	RETURN (SELECT coalesce(jsonb_agg(e ORDER BY (e->>'line')::int, ord),
	    '[]')
	FROM (
		SELECT jsonb_build_object('line', line, 'column', 'huyen',
		    'message', 'Không có huyện/thị xã/thành phố “' ||
		    district || '” trong danh mục của tỉnh.') AS e, 1 AS ord
		FROM import_rows
		WHERE district_code IS NULL AND district <> ''
		UNION ALL
		SELECT jsonb_build_object('line', r.line,
		    'column', 'don_vi_quan_ly',
		    'message', 'Đơn vị quản lý “' || r.parent || '” không phải '
		    'là Trung tâm Y tế huyện có trong danh mục hoặc trong file.'),
		    2
		FROM import_rows r
		WHERE r.parent IS NOT NULL
		  AND NOT EXISTS (SELECT 1 FROM import_rows p
		      WHERE p.code = r.parent
		        AND p.kind IN ('district_centre', ''))
		  AND NOT EXISTS (SELECT 1 FROM units p
		      WHERE p.code = r.parent AND p.kind = 'district_centre'
		      AND p.code NOT IN (SELECT code FROM import_rows))
		UNION ALL
		SELECT jsonb_build_object('line', r.line, 'column', 'loai',
		    'message', 'Đơn vị “' || r.code || '” đang quản lý trạm y tế '
		    'nên phải giữ loại Trung tâm Y tế huyện.'), 3
		FROM import_rows r
		WHERE r.kind NOT IN ('district_centre', '') AND r.code <> ''
		  AND EXISTS (SELECT 1 FROM units s WHERE s.parent = r.code
		      AND s.code NOT IN (SELECT code FROM import_rows))
	) errs);
END $$;

-- Only the registry's problems of a file that has problems of its own:
-- nothing is written.
CREATE FUNCTION units_import_check(p_rows jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	v_errors	jsonb;
BEGIN
	PERFORM units_import_load(p_rows);
	v_errors := units_import_issues();

	RETURN jsonb_build_object('ok', jsonb_array_length(v_errors) = 0,
	    'errors', v_errors);
END $$;

-- As in sql/004, the checks now in units_import_issues().
CREATE OR REPLACE FUNCTION units_import(p_rows jsonb, p_actor bigint)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	v_errors	jsonb;
	v_created	integer;
	v_total		integer;
BEGIN
	PERFORM units_import_load(p_rows);
	v_errors := units_import_issues();
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
