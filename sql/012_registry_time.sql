-- Time in the registry: areas and units as dated states.
--
-- Until now a unit had one row, overwritten by every import, and the 27
-- districts were a fixed list: after the reorganisation of 1 July 2025
-- (no district level, 166 communes, stations merged) that rewrote every
-- past report's grouping.  Now:
--
--   area_codes / area_states   an area (a former district, a commune, a
--                              ward, a health centre's catchment) and
--                              its name and kind over time;
--   unit_codes / unit_states   a unit and its name, kind, flags, area,
--                              managing unit and who files for it, over
--                              time;
--   unit_successors            the links from old units to new ones
--                              (merges, splits, a unit given a new code).
--
-- A state's `valid` is a daterange [from, to): from inclusive, to
-- exclusive, an unbounded lower end for "since the registry's first
-- records", an unbounded upper end while in force.  An exclusion
-- constraint keeps two states of one code from sharing a day.  A period
-- reads the registry on its last day (periods.end_date): who is expected,
-- who files for whom, the grouping and the names of its consolidation.
-- Nothing filed is rewritten: a report keeps its unit code and its
-- values, and a change of the registry moves figures in the kept totals
-- only for the periods that end on or after the change's day.
--
-- `units` and `districts` stay as views of today's registry (Việt Nam's
-- date), for the statements and scripts that only ask about now;
-- writing to `units` is a registry change effective today.  Everything
-- that asks about a period reads units_on(day) instead.
--
-- Redefines (CREATE OR REPLACE, same signatures): scope_units(bigint) of
-- 001, report_context_json of 010, account_create of 009,
-- report_totals_on_status and report_totals_on_values of 008.
-- Replaces (DROP and CREATE, new signatures): units_import,
-- units_import_check, units_import_load, units_import_issues of 011.
-- Drops: the trigger units_totals and report_totals_on_unit() of 008,
-- district_resolve() of 004.

CREATE EXTENSION IF NOT EXISTS btree_gist;

-- The day it is in Thanh Hóa: deadlines and registry changes count in
-- UTC+7, whatever the server's zone.
CREATE FUNCTION portal_today() RETURNS date
LANGUAGE sql STABLE AS $$
	SELECT (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
$$;

-- A registry range: not empty; canonical dateranges are [from, to).
CREATE DOMAIN registry_range AS daterange
    CHECK (NOT isempty(VALUE));

-- ---------------------------------------------------------------------
-- Areas
-- ---------------------------------------------------------------------

DROP VIEW report_totals_expected;
DROP VIEW report_totals_all_expected;
DROP FUNCTION district_resolve(text);

ALTER TABLE districts RENAME TO area_codes;

CREATE TABLE area_states (
	id		bigserial PRIMARY KEY,
	code		text NOT NULL REFERENCES area_codes (code),
	valid		registry_range NOT NULL,
	name		text COLLATE vi NOT NULL
			    CHECK (length(name) BETWEEN 1 AND 100),
	kind		text NOT NULL CHECK (kind IN ('city', 'town',
			    'district', 'commune', 'ward', 'catchment',
			    'other')),
	changed_by	bigint REFERENCES users (id),
	changed_at	timestamptz NOT NULL DEFAULT now(),
	EXCLUDE USING gist (code WITH =, valid WITH &&)
);

-- The 27 districts were the areas until the district level ended.  The
-- district health centres remain for now, each serving its former
-- district: that territory goes on under the same code as the centre's
-- catchment, so that a unit the office has not yet moved to a new area
-- is still grouped, and the office ends these when it has set the new
-- areas.
INSERT INTO area_states (code, valid, name, kind)
SELECT code, daterange(NULL, '2025-07-01'), name, kind FROM area_codes;
INSERT INTO area_states (code, valid, name, kind)
SELECT code, daterange('2025-07-01', NULL),
    'Địa bàn ' || lower(left(name, 1)) || substr(name, 2) || ' cũ',
    'catchment'
FROM area_codes;

ALTER TABLE area_codes DROP COLUMN name, DROP COLUMN kind,
    ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();

CREATE FUNCTION areas_on(p_day date) RETURNS SETOF area_states
LANGUAGE sql STABLE AS $$
	SELECT * FROM area_states WHERE valid @> p_day
$$;

-- Today's areas, under the old name.
CREATE VIEW districts AS
	SELECT code, name, kind FROM area_states
	WHERE valid @> portal_today();

-- An area on a day, by code, by a name it has had, or by that name
-- without its "Huyện", "Xã", "Phường"... prefix (and "Địa bàn … cũ"),
-- in any letter case: the code first, then a full name.
CREATE FUNCTION area_resolve(p text, p_day date) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT a.code FROM area_states a
	LEFT JOIN LATERAL (SELECT min(CASE
	        WHEN lower(n.name) = lower(btrim(p)) THEN 1
	        WHEN lower(regexp_replace(n.name, '^(Địa bàn )?(Huyện|Thị xã|'
	            'Thành phố|Xã|Phường|huyện|thị xã|thành phố|xã|phường) | cũ$',
	            '', 'g')) = lower(btrim(p)) THEN 2 END) AS how
	    FROM area_states n WHERE n.code = a.code) m ON true
	WHERE a.valid @> p_day
	  AND (a.code = upper(btrim(p)) OR m.how IS NOT NULL)
	ORDER BY a.code <> upper(btrim(p)), m.how, a.code
	LIMIT 1
$$;

-- ---------------------------------------------------------------------
-- Units
-- ---------------------------------------------------------------------

DROP TRIGGER units_totals ON units;
DROP FUNCTION report_totals_on_unit();
ALTER TABLE units RENAME TO unit_codes;

CREATE TABLE unit_states (
	id		bigserial PRIMARY KEY,
	code		text NOT NULL REFERENCES unit_codes (code),
	valid		registry_range NOT NULL,
	name		text COLLATE vi NOT NULL
			    CHECK (length(name) BETWEEN 1 AND 200),
	kind		text NOT NULL CHECK (kind IN ('provincial_hospital',
			    'private_hospital', 'district_centre',
			    'commune_station', 'cdc', 'private_clinic',
			    'department_office', 'other')),
	is_public	boolean NOT NULL DEFAULT true,
	area		text NOT NULL REFERENCES area_codes (code),
	-- The managing unit: a commune station's district health centre.
	parent		text REFERENCES unit_codes (code),
	-- A station that files its own report rather than through the
	-- appendix of its managing centre's.
	files_self	boolean NOT NULL DEFAULT false,
	gksklx		boolean NOT NULL DEFAULT false,
	hospital	boolean NOT NULL DEFAULT false,
	cdc		boolean NOT NULL DEFAULT false,
	-- Who files for it: its own code, or its managing centre's.
	filed_by	text NOT NULL GENERATED ALWAYS AS (CASE WHEN parent IS
			    NULL OR files_self THEN code ELSE parent END) STORED,
	-- Whether it is expected to file a report of its own.
	files		boolean NOT NULL GENERATED ALWAYS AS (kind <>
			    'department_office' AND (parent IS NULL OR
			    files_self)) STORED,
	changed_by	bigint REFERENCES users (id),
	changed_at	timestamptz NOT NULL DEFAULT now(),
	CHECK ((kind = 'commune_station') = (parent IS NOT NULL)),
	CHECK (parent IS NULL OR parent <> code),
	CHECK (NOT files_self OR kind = 'commune_station'),
	EXCLUDE USING gist (code WITH =, valid WITH &&)
);
-- Who files for whom on a day, and the units of an area on a day.
CREATE INDEX unit_states_filed_by ON unit_states USING gist (filed_by, valid);
CREATE INDEX unit_states_area ON unit_states USING gist (area, valid);
CREATE INDEX unit_states_parent ON unit_states (parent);

-- Every unit as it is now; one switched off is taken to have stopped on
-- the day it was last changed, the best record there is.
INSERT INTO unit_states (code, valid, name, kind, is_public, area, parent,
    gksklx, hospital, cdc, changed_at)
SELECT code, CASE WHEN active THEN daterange(NULL, NULL)
    ELSE daterange(NULL, greatest((updated_at AT TIME ZONE
        'Asia/Ho_Chi_Minh')::date, '2023-01-02'::date)) END,
    name, kind, is_public, district, parent, gksklx, hospital, cdc,
    updated_at
FROM unit_codes;

DROP INDEX units_parent;
DROP INDEX units_district;
ALTER TABLE unit_codes DROP COLUMN name, DROP COLUMN kind,
    DROP COLUMN is_public, DROP COLUMN district, DROP COLUMN parent,
    DROP COLUMN gksklx, DROP COLUMN hospital, DROP COLUMN cdc,
    DROP COLUMN active, DROP COLUMN updated_at;

-- From an old unit to a new one, from the day the new one took over:
-- several to one is a merge, one to several a split.
CREATE TABLE unit_successors (
	from_code	text NOT NULL REFERENCES unit_codes (code),
	to_code		text NOT NULL REFERENCES unit_codes (code),
	effective	date NOT NULL,
	created_by	bigint REFERENCES users (id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (from_code, to_code),
	CHECK (from_code <> to_code)
);
CREATE INDEX unit_successors_to ON unit_successors (to_code);

-- The one way to read the registry on a day.  A SQL function of one
-- SELECT: the planner inlines it, so the caller's conditions use the
-- indexes.
CREATE FUNCTION units_on(p_day date) RETURNS SETOF unit_states
LANGUAGE sql STABLE AS $$
	SELECT * FROM unit_states WHERE valid @> p_day
$$;

-- Every unit with its state today; a unit not in force today (closed,
-- or not yet begun) with its nearest state, active false.  The columns
-- of the old table come first.
CREATE VIEW units AS
	SELECT c.code, s.name, s.kind, s.is_public, s.area AS district,
	    s.parent, s.gksklx, s.hospital, s.cdc,
	    s.valid @> portal_today() AS active, c.created_at,
	    s.changed_at AS updated_at, s.area, s.files_self, s.filed_by,
	    s.files AND s.valid @> portal_today() AS files,
	    lower(s.valid) AS valid_from, upper(s.valid) AS valid_to
	FROM unit_codes c
	CROSS JOIN LATERAL (SELECT * FROM unit_states x WHERE x.code = c.code
	    ORDER BY CASE WHEN x.valid @> portal_today() THEN 0
	        WHEN upper(x.valid) <= portal_today() THEN 1 ELSE 2 END,
	        upper(x.valid) DESC NULLS LAST, lower(x.valid)
	    LIMIT 1) s;

-- What a state says about a unit, to compare and copy it.
CREATE TYPE unit_attrs AS (name text, kind text, is_public boolean,
    area text, parent text, files_self boolean, gksklx boolean,
    hospital boolean, cdc boolean);

CREATE FUNCTION unit_attrs_of(s unit_states) RETURNS unit_attrs
LANGUAGE sql IMMUTABLE AS $$
	SELECT ROW(s.name, s.kind, s.is_public, s.area, s.parent,
	    s.files_self, s.gksklx, s.hospital, s.cdc)::unit_attrs
$$;

-- The unit is a from p_from on: the state in force that day ends the
-- day before and a new one takes over until that state would have
-- ended; a state that began that very day is corrected in place.  With
-- no state that day (a closed unit, or a new code) the new one lasts
-- until the next state begins.  Later states stay as they are.  Returns
-- 'same', 'changed', 'reopened' or 'created'.  Audited.
CREATE FUNCTION unit_state_put(p_code text, p_from date, a unit_attrs,
    p_actor bigint)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	cur	unit_states%ROWTYPE;
	v_next	date;
	v_res	text;
BEGIN
	SELECT * INTO cur FROM unit_states
	WHERE code = p_code AND valid @> p_from FOR UPDATE;
	IF FOUND THEN
		IF unit_attrs_of(cur) IS NOT DISTINCT FROM a THEN
			RETURN 'same';
		END IF;
		IF lower(cur.valid) IS NOT DISTINCT FROM p_from THEN
			UPDATE unit_states SET name = a.name, kind = a.kind,
			    is_public = a.is_public, area = a.area,
			    parent = a.parent, files_self = a.files_self,
			    gksklx = a.gksklx, hospital = a.hospital,
			    cdc = a.cdc, changed_by = p_actor,
			    changed_at = now()
			WHERE id = cur.id;
		ELSE
			UPDATE unit_states
			SET valid = daterange(lower(cur.valid), p_from)
			WHERE id = cur.id;
			INSERT INTO unit_states (code, valid, name, kind,
			    is_public, area, parent, files_self, gksklx,
			    hospital, cdc, changed_by)
			VALUES (p_code, daterange(p_from, upper(cur.valid)),
			    a.name, a.kind, a.is_public, a.area, a.parent,
			    a.files_self, a.gksklx, a.hospital, a.cdc,
			    p_actor);
		END IF;
		v_res := 'changed';
	ELSE
		SELECT min(lower(valid)) INTO v_next FROM unit_states
		WHERE code = p_code AND lower(valid) > p_from;
		v_res := CASE WHEN EXISTS (SELECT 1 FROM unit_states
		    WHERE code = p_code) THEN 'reopened' ELSE 'created' END;
		INSERT INTO unit_states (code, valid, name, kind, is_public,
		    area, parent, files_self, gksklx, hospital, cdc,
		    changed_by)
		VALUES (p_code, daterange(p_from, v_next), a.name, a.kind,
		    a.is_public, a.area, a.parent, a.files_self, a.gksklx,
		    a.hospital, a.cdc, p_actor);
	END IF;

	INSERT INTO audit (actor, action, object, before, after)
	VALUES (p_actor, 'unit_' || v_res, 'unit:' || p_code,
	    CASE WHEN cur.id IS NOT NULL THEN to_jsonb(unit_attrs_of(cur))
	        || jsonb_build_object('valid', cur.valid::text) END,
	    to_jsonb(a) || jsonb_build_object('effective', p_from));

	RETURN v_res;
END $$;

-- The unit is no longer in the registry from p_from on: the state in
-- force that day ends the day before (one that began that day goes).
-- Its reports stay as filed.  false when no state is in force that day.
CREATE FUNCTION unit_close(p_code text, p_from date, p_actor bigint)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	cur	unit_states%ROWTYPE;
BEGIN
	SELECT * INTO cur FROM unit_states
	WHERE code = p_code AND valid @> p_from FOR UPDATE;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	IF lower(cur.valid) IS NOT DISTINCT FROM p_from THEN
		DELETE FROM unit_states WHERE id = cur.id;
	ELSE
		UPDATE unit_states SET valid = daterange(lower(cur.valid), p_from)
		WHERE id = cur.id;
	END IF;
	INSERT INTO audit (actor, action, object, before, after)
	VALUES (p_actor, 'unit_closed', 'unit:' || p_code,
	    to_jsonb(unit_attrs_of(cur)) || jsonb_build_object('valid',
	        cur.valid::text),
	    jsonb_build_object('effective', p_from));

	RETURN true;
END $$;

-- Writing to the view `units` is a registry change effective today: a
-- new unit is entered as it has always been (the tests' units, scripts
-- that know nothing of dates), active false closes it today, anything
-- else changes it from today.  Units are closed, never deleted.
CREATE FUNCTION units_view_write() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	v_today	date := portal_today();
BEGIN
	IF TG_OP = 'DELETE' THEN
		RAISE EXCEPTION 'units are closed (active = false), not deleted';
	END IF;
	IF TG_OP = 'INSERT' THEN
		INSERT INTO unit_codes (code, created_at)
		VALUES (NEW.code, coalesce(NEW.created_at, now()));
		INSERT INTO unit_states (code, valid, name, kind, is_public,
		    area, parent, files_self, gksklx, hospital, cdc)
		VALUES (NEW.code, CASE WHEN coalesce(NEW.active, true)
		        THEN daterange(NULL, NULL)
		        ELSE daterange(NULL, v_today) END,
		    NEW.name, NEW.kind, coalesce(NEW.is_public, true),
		    coalesce(NEW.area, NEW.district), NEW.parent,
		    coalesce(NEW.files_self, false), coalesce(NEW.gksklx, false),
		    coalesce(NEW.hospital, false), coalesce(NEW.cdc, false));
		RETURN NEW;
	END IF;

	IF NEW.code IS DISTINCT FROM OLD.code THEN
		RAISE EXCEPTION 'a unit keeps its code: close it and link a '
		    'successor instead';
	END IF;
	IF OLD.active AND NOT coalesce(NEW.active, true) THEN
		PERFORM unit_close(OLD.code, v_today, NULL);
	ELSIF coalesce(NEW.active, true) THEN
		PERFORM unit_state_put(OLD.code, v_today, ROW(NEW.name, NEW.kind,
		    NEW.is_public, CASE WHEN NEW.area IS DISTINCT FROM OLD.area
		        THEN NEW.area ELSE NEW.district END, NEW.parent,
		    NEW.files_self, NEW.gksklx, NEW.hospital, NEW.cdc)::unit_attrs,
		    NULL);
	END IF;

	RETURN NEW;
END $$;
CREATE TRIGGER units_write INSTEAD OF INSERT OR UPDATE OR DELETE ON units
    FOR EACH ROW EXECUTE FUNCTION units_view_write();

-- ---------------------------------------------------------------------
-- Scope
-- ---------------------------------------------------------------------

-- The units a user may see on a day: a unit itself and the units it
-- files for that day; the office and admin every unit in the registry
-- that day; a viewer the units of the areas assigned to them that day
-- (viewer_districts holds area codes).  Each branch uses an index.
CREATE FUNCTION scope_units(p_user bigint, p_day date) RETURNS SETOF text
LANGUAGE sql STABLE AS $$
	SELECT s.code FROM users me JOIN unit_states s ON s.valid @> p_day
	WHERE me.id = p_user AND me.active AND me.role IN ('office', 'admin')
	UNION ALL
	SELECT s.code FROM users me JOIN unit_states s
	    ON s.code = me.unit_code AND s.valid @> p_day
	WHERE me.id = p_user AND me.active AND me.role = 'unit'
	UNION ALL
	SELECT s.code FROM users me JOIN unit_states s
	    ON s.filed_by = me.unit_code AND s.code <> me.unit_code
	    AND s.valid @> p_day
	WHERE me.id = p_user AND me.active AND me.role = 'unit'
	UNION ALL
	SELECT s.code FROM users me
	JOIN viewer_districts v ON v.user_id = me.id
	JOIN unit_states s ON s.area = v.district AND s.valid @> p_day
	WHERE me.id = p_user AND me.active AND me.role = 'viewer'
$$;

-- The same rule for one unit's state, for the statements that look at
-- one report (report_context_json).  PL/pgSQL so that its plan is kept
-- for the connection: it runs on every save and submit.
CREATE FUNCTION scope_has(p_user bigint, s unit_states) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN EXISTS (SELECT 1 FROM users me
	    WHERE me.id = p_user AND me.active AND (
	        me.role IN ('office', 'admin')
	        OR (me.role = 'unit' AND me.unit_code IN (s.code, s.filed_by))
	        OR (me.role = 'viewer' AND EXISTS (SELECT 1
	            FROM viewer_districts v
	            WHERE v.user_id = p_user AND v.district = s.area))));
END $$;

-- Without a day: the registry as the view `units` has it (closed units
-- included, by their last state), for the lists of now (contacts,
-- accounts) and the statements that write (report_save re-checks).
CREATE OR REPLACE FUNCTION scope_units(p_user bigint) RETURNS SETOF text
LANGUAGE sql STABLE AS $$
	SELECT c.code FROM users me, unit_codes c
	WHERE me.id = p_user AND me.active AND me.role IN ('office', 'admin')
	UNION ALL
	SELECT me.unit_code FROM users me
	WHERE me.id = p_user AND me.active AND me.role = 'unit'
	UNION ALL
	SELECT s.code FROM users me JOIN unit_states s
	    ON s.filed_by = me.unit_code AND s.code <> me.unit_code
	    AND s.valid @> portal_today()
	WHERE me.id = p_user AND me.active AND me.role = 'unit'
	UNION ALL
	SELECT u.code FROM users me, units u
	WHERE me.id = p_user AND me.active AND me.role = 'viewer'
	  AND u.district IN (SELECT district FROM viewer_districts
	      WHERE user_id = p_user)
$$;

-- ---------------------------------------------------------------------
-- Kept totals by the area in force in the period
-- ---------------------------------------------------------------------
--
-- report_totals.district is the report's unit's area on its period's
-- last day, kind its kind that day; a report counts when it is
-- submitted or accepted and its unit files that day.  Kept so by the
-- triggers on reports and report_values (as before), on unit_states (a
-- registry change moves the reports of the periods it covers, and only
-- those) and on periods (a period whose last day moves reads another
-- day's registry).

CREATE FUNCTION report_counted(p_status text, p_files boolean)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT p_status IN ('submitted', 'accepted') AND coalesce(p_files, false)
$$;

CREATE OR REPLACE FUNCTION report_totals_on_status() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	u	unit_states%ROWTYPE;
BEGIN
	SELECT s.* INTO u FROM periods p JOIN unit_states s
	    ON s.code = NEW.unit_code AND s.valid @> p.end_date
	WHERE p.code = NEW.period_code;
	IF report_counted(OLD.status, u.files) THEN
		PERFORM report_totals_shift(NEW.id, u.area, u.kind,
		    OLD.status = 'accepted', -1);
	END IF;
	IF report_counted(NEW.status, u.files) THEN
		PERFORM report_totals_shift(NEW.id, u.area, u.kind,
		    NEW.status = 'accepted', 1);
	END IF;

	RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION report_totals_on_values() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	v_rows	report_total_row[];
BEGIN
	-- Transition tables exist only for their own events, so each
	-- branch names its own.
	IF TG_OP IN ('DELETE', 'UPDATE') THEN
		SELECT array_agg(g.x) INTO v_rows
		FROM (SELECT ROW(r.period_code, r.form, u.area, u.kind,
		    r.status = 'accepted', o.station <> '', o.item,
		    r.id % 8, sum(o.num), count(*))::report_total_row AS x
		    FROM old_rows o JOIN reports r ON r.id = o.report_id
		    JOIN periods p ON p.code = r.period_code
		    JOIN unit_states u ON u.code = r.unit_code
		        AND u.valid @> p.end_date
		    WHERE o.num IS NOT NULL
		      AND report_counted(r.status, u.files)
		    GROUP BY r.period_code, r.form, u.area, u.kind,
		        r.status = 'accepted', o.station <> '', o.item,
		        r.id % 8) g;
		IF v_rows IS NOT NULL THEN
			PERFORM report_totals_add(v_rows, -1);
		END IF;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		SELECT array_agg(g.x) INTO v_rows
		FROM (SELECT ROW(r.period_code, r.form, u.area, u.kind,
		    r.status = 'accepted', w.station <> '', w.item,
		    r.id % 8, sum(w.num), count(*))::report_total_row AS x
		    FROM new_rows w JOIN reports r ON r.id = w.report_id
		    JOIN periods p ON p.code = r.period_code
		    JOIN unit_states u ON u.code = r.unit_code
		        AND u.valid @> p.end_date
		    WHERE w.num IS NOT NULL
		      AND report_counted(r.status, u.files)
		    GROUP BY r.period_code, r.form, u.area, u.kind,
		        r.status = 'accepted', w.station <> '', w.item,
		        r.id % 8) g;
		IF v_rows IS NOT NULL THEN
			PERFORM report_totals_add(v_rows, 1);
		END IF;
	END IF;

	RETURN NULL;
END $$;

-- A registry change: the counted reports of the states taken away leave
-- the totals under what they counted as, those of the states put in
-- enter under what they count as now.  A state that changed only its
-- range (the day before a change) moves only the periods that left or
-- entered it; the others count the same as before and are not touched.
CREATE FUNCTION report_totals_on_state() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	v_rows	report_total_row[];
BEGIN
	IF TG_OP = 'DELETE' THEN
		SELECT array_agg(g.x) INTO v_rows
		FROM (SELECT ROW(r.period_code, r.form, o.area, o.kind,
		    r.status = 'accepted', v.station <> '', v.item,
		    r.id % 8, sum(v.num), count(*))::report_total_row AS x
		    FROM old_rows o
		    JOIN reports r ON r.unit_code = o.code
		        AND r.status IN ('submitted', 'accepted')
		    JOIN periods p ON p.code = r.period_code
		        AND o.valid @> p.end_date
		    JOIN report_values v ON v.report_id = r.id
		        AND v.num IS NOT NULL
		    WHERE o.files
		    GROUP BY r.period_code, r.form, o.area, o.kind,
		        r.status = 'accepted', v.station <> '', v.item,
		        r.id % 8) g;
		IF v_rows IS NOT NULL THEN
			PERFORM report_totals_add(v_rows, -1);
		END IF;
	ELSIF TG_OP = 'UPDATE' THEN
		SELECT array_agg(g.x) INTO v_rows
		FROM (SELECT ROW(r.period_code, r.form, o.area, o.kind,
		    r.status = 'accepted', v.station <> '', v.item,
		    r.id % 8, sum(v.num), count(*))::report_total_row AS x
		    FROM old_rows o JOIN new_rows n ON n.id = o.id
		    JOIN reports r ON r.unit_code = o.code
		        AND r.status IN ('submitted', 'accepted')
		    JOIN periods p ON p.code = r.period_code
		        AND o.valid @> p.end_date
		    JOIN report_values v ON v.report_id = r.id
		        AND v.num IS NOT NULL
		    WHERE o.files AND NOT (n.valid @> p.end_date AND n.files
		        AND n.area = o.area AND n.kind = o.kind)
		    GROUP BY r.period_code, r.form, o.area, o.kind,
		        r.status = 'accepted', v.station <> '', v.item,
		        r.id % 8) g;
		IF v_rows IS NOT NULL THEN
			PERFORM report_totals_add(v_rows, -1);
		END IF;
		SELECT array_agg(g.x) INTO v_rows
		FROM (SELECT ROW(r.period_code, r.form, n.area, n.kind,
		    r.status = 'accepted', v.station <> '', v.item,
		    r.id % 8, sum(v.num), count(*))::report_total_row AS x
		    FROM new_rows n JOIN old_rows o ON o.id = n.id
		    JOIN reports r ON r.unit_code = n.code
		        AND r.status IN ('submitted', 'accepted')
		    JOIN periods p ON p.code = r.period_code
		        AND n.valid @> p.end_date
		    JOIN report_values v ON v.report_id = r.id
		        AND v.num IS NOT NULL
		    WHERE n.files AND NOT (o.valid @> p.end_date AND o.files
		        AND n.area = o.area AND n.kind = o.kind)
		    GROUP BY r.period_code, r.form, n.area, n.kind,
		        r.status = 'accepted', v.station <> '', v.item,
		        r.id % 8) g;
		IF v_rows IS NOT NULL THEN
			PERFORM report_totals_add(v_rows, 1);
		END IF;
	ELSE
		SELECT array_agg(g.x) INTO v_rows
		FROM (SELECT ROW(r.period_code, r.form, n.area, n.kind,
		    r.status = 'accepted', v.station <> '', v.item,
		    r.id % 8, sum(v.num), count(*))::report_total_row AS x
		    FROM new_rows n
		    JOIN reports r ON r.unit_code = n.code
		        AND r.status IN ('submitted', 'accepted')
		    JOIN periods p ON p.code = r.period_code
		        AND n.valid @> p.end_date
		    JOIN report_values v ON v.report_id = r.id
		        AND v.num IS NOT NULL
		    WHERE n.files
		    GROUP BY r.period_code, r.form, n.area, n.kind,
		        r.status = 'accepted', v.station <> '', v.item,
		        r.id % 8) g;
		IF v_rows IS NOT NULL THEN
			PERFORM report_totals_add(v_rows, 1);
		END IF;
	END IF;

	RETURN NULL;
END $$;
CREATE TRIGGER unit_states_totals_ins AFTER INSERT ON unit_states
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_totals_on_state();
CREATE TRIGGER unit_states_totals_upd AFTER UPDATE ON unit_states
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_totals_on_state();
CREATE TRIGGER unit_states_totals_del AFTER DELETE ON unit_states
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_totals_on_state();

-- The office moved a period's last day: its reports are placed by the
-- registry of the new day.
CREATE FUNCTION report_totals_on_period() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	r	record;
BEGIN
	FOR r IN SELECT rp.id, rp.status, o.area AS oa, o.kind AS ok,
	        o.files AS ofiles, n.area AS na, n.kind AS nk, n.files AS nfiles
	    FROM reports rp
	    LEFT JOIN unit_states o ON o.code = rp.unit_code
	        AND o.valid @> OLD.end_date
	    LEFT JOIN unit_states n ON n.code = rp.unit_code
	        AND n.valid @> NEW.end_date
	    WHERE rp.period_code = NEW.code
	      AND rp.status IN ('submitted', 'accepted')
	      AND (o.area, o.kind, o.files) IS DISTINCT FROM
	          (n.area, n.kind, n.files)
	    ORDER BY rp.id
	LOOP
		IF report_counted(r.status, r.ofiles) THEN
			PERFORM report_totals_shift(r.id, r.oa, r.ok,
			    r.status = 'accepted', -1);
		END IF;
		IF report_counted(r.status, r.nfiles) THEN
			PERFORM report_totals_shift(r.id, r.na, r.nk,
			    r.status = 'accepted', 1);
		END IF;
	END LOOP;

	RETURN NULL;
END $$;
CREATE TRIGGER periods_totals AFTER UPDATE OF end_date ON periods
    FOR EACH ROW WHEN (OLD.end_date IS DISTINCT FROM NEW.end_date)
    EXECUTE FUNCTION report_totals_on_period();

CREATE VIEW report_totals_expected AS
	SELECT r.period_code, r.form, u.area AS district, u.kind,
	    r.status = 'accepted' AS accepted, v.station <> '' AS station,
	    v.item, sum(v.num) AS total, count(*)::integer AS n
	FROM reports r JOIN periods p ON p.code = r.period_code
	JOIN unit_states u ON u.code = r.unit_code AND u.valid @> p.end_date
	JOIN report_values v ON v.report_id = r.id
	WHERE v.num IS NOT NULL AND report_counted(r.status, u.files)
	GROUP BY 1, 2, 3, 4, 5, 6, 7;
CREATE VIEW report_totals_all_expected AS
	SELECT r.period_code, r.form, r.status = 'accepted' AS accepted,
	    v.station <> '' AS station, v.item, (r.id % 8)::smallint AS shard,
	    sum(v.num) AS total, count(*)::integer AS n
	FROM reports r JOIN periods p ON p.code = r.period_code
	JOIN unit_states u ON u.code = r.unit_code AND u.valid @> p.end_date
	JOIN report_values v ON v.report_id = r.id
	WHERE v.num IS NOT NULL AND report_counted(r.status, u.files)
	GROUP BY 1, 2, 3, 4, 5, 6;

-- What the totals hold under the registry of the periods: recounted
-- once here (a unit switched off used to leave the totals for good; its
-- reports of periods before it stopped count again).
TRUNCATE report_totals, report_totals_all;
INSERT INTO report_totals SELECT * FROM report_totals_expected;
INSERT INTO report_totals_all SELECT * FROM report_totals_all_expected;

-- ---------------------------------------------------------------------
-- A report's context
-- ---------------------------------------------------------------------

-- The figures a unit is compared with in earlier periods of the same
-- kind (the "far from its own previous months" warning, the rate
-- jumps): the unit's own, and for the periods before a merge its
-- predecessors' summed; a unit that was filed for by its centre
-- contributes its rows of the centre's appendix (§6 and §7).  A period
-- counts only when every unit that made up the unit then had its
-- figures filed, and an item only when every one of them has it: a
-- partial sum would warn of a drop that did not happen.  Across a split
-- (a unit whose figures went to more than one successor, or a unit that
-- gave part of itself away) there is no history before it: the old
-- figures cannot be divided, and no history raises no false warning.
-- At most 6 periods, from the last 24 of the kind.
CREATE FUNCTION report_previous_json(p_unit text, p_form text,
    p_end date, p_kind text)
RETURNS json LANGUAGE plpgsql STABLE AS $$
BEGIN
	-- Most units have always filed for themselves under one code: their
	-- own reports are their history, read as before the registry had
	-- dates (two index probes decide it).
	IF NOT EXISTS (SELECT 1 FROM unit_successors
	        WHERE to_code = p_unit OR from_code = p_unit)
	    AND NOT EXISTS (SELECT 1 FROM unit_states
	        WHERE code = p_unit AND NOT files) THEN
		RETURN (SELECT coalesce(json_agg(json_build_object('period',
		    x.code, 'values', coalesce((SELECT json_object_agg(v.item,
		        coalesce(to_json(v.num), to_json(v.txt)))
		        FROM report_values v WHERE v.report_id = x.id
		        AND v.station = ''), '{}')) ORDER BY x.end_date DESC),
		    '[]')
		FROM (SELECT r.id, pp.code, pp.end_date
		    FROM reports r JOIN periods pp ON pp.code = r.period_code
		    WHERE r.unit_code = p_unit AND r.form = p_form
		      AND r.status IN ('submitted', 'accepted')
		      AND pp.end_date < p_end AND period_kind(pp.code) = p_kind
		    ORDER BY pp.end_date DESC LIMIT 6) x);
	END IF;

	RETURN (
	WITH RECURSIVE lin (code, until) AS (
		SELECT p_unit, p_end
		UNION
		SELECT l.from_code, l.effective
		FROM lin JOIN unit_successors l ON l.to_code = lin.code
		    AND l.effective <= lin.until
	), mem AS (
		SELECT lin.code, max(lin.until) AS until,
		    (SELECT max(o.effective) FROM unit_successors o
		        WHERE o.from_code = lin.code AND o.effective <= p_end
		        AND (lin.code = p_unit OR (SELECT count(*)
		            FROM unit_successors o2
		            WHERE o2.from_code = lin.code) > 1)) AS cut
		FROM lin GROUP BY lin.code
	), pp AS (
		SELECT code, end_date FROM periods
		WHERE end_date < p_end AND period_kind(code) = p_kind
		ORDER BY end_date DESC LIMIT 24
	), need AS (
		SELECT pp.code AS period, pp.end_date, m.code AS member, m.cut,
		    s.files, r.id AS rid
		FROM pp JOIN mem m ON pp.end_date < m.until
		JOIN unit_states s ON s.code = m.code AND s.valid @> pp.end_date
		LEFT JOIN reports r ON r.unit_code = s.filed_by
		    AND r.period_code = pp.code AND r.form = p_form
		    AND r.status IN ('submitted', 'accepted')
	), ok AS (
		SELECT period, end_date, count(*) AS members FROM need
		GROUP BY period, end_date
		HAVING bool_and(rid IS NOT NULL)
		   AND bool_and(cut IS NULL OR end_date >= cut)
		ORDER BY end_date DESC LIMIT 6
	), vals AS (
		SELECT ok.period, ok.end_date, v.item, sum(v.num) AS num
		FROM ok JOIN need n ON n.period = ok.period
		JOIN report_values v ON v.report_id = n.rid
		    AND v.station = CASE WHEN n.files THEN '' ELSE n.member END
		    AND v.num IS NOT NULL
		GROUP BY ok.period, ok.end_date, ok.members, v.item
		HAVING count(*) = ok.members
	)
	SELECT coalesce(json_agg(json_build_object('period', ok.period,
	    'values', coalesce((SELECT json_object_agg(x.item, x.num)
	        FROM vals x WHERE x.period = ok.period), '{}'))
	    ORDER BY ok.end_date DESC), '[]')
	FROM ok);
END $$;

-- Everything a report route needs in one round trip (see 010): the unit
-- as it was on the period's last day (a closed unit's reports stay
-- readable, by its last state), the units it files for that day, the
-- period, the stored report, the earlier figures it is compared with,
-- and for a six-month report the months filed inside its window.  NULL:
-- unknown, not in the registry in that period, outside the caller's
-- scope that day, or not a form of that period.
CREATE OR REPLACE FUNCTION report_context_json(p_user bigint, p_unit text,
    p_period text, p_form text)
RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
	u		unit_states%ROWTYPE;
	p		periods%ROWTYPE;
	v_kind		text;
	v_id		bigint;
	v_closed	boolean := false;
	v_stations	json;
	v_months	json;
	v_area		text;
	v_filer		text;
BEGIN
	SELECT * INTO p FROM periods WHERE code = p_period
	    AND p_form = ANY (forms);
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	SELECT * INTO u FROM unit_states WHERE code = p_unit
	    AND valid @> p.end_date;
	IF NOT FOUND THEN
		SELECT * INTO u FROM unit_states s WHERE s.code = p_unit
		    AND (lower_inf(s.valid) OR lower(s.valid) <= p.end_date)
		    AND EXISTS (SELECT 1 FROM reports r WHERE r.unit_code = p_unit
		        AND r.period_code = p.code AND r.form = p_form
		        AND r.version > 0)
		ORDER BY upper(s.valid) DESC LIMIT 1;
		IF NOT FOUND THEN
			RETURN NULL;
		END IF;
		v_closed := true;
	END IF;
	IF NOT scope_has(p_user, u) THEN
		RETURN NULL;
	END IF;
	v_kind := period_kind(p.code);

	SELECT coalesce(json_agg(json_build_object('code', s.code,
	    'name', s.name) ORDER BY s.code), '[]')
	INTO v_stations FROM unit_states s
	WHERE s.filed_by = u.code AND s.code <> u.code
	  AND s.valid @> p.end_date AND NOT v_closed;
	SELECT name INTO v_area FROM area_states
	WHERE code = u.area AND valid @> p.end_date;
	IF u.filed_by <> u.code THEN
		SELECT name INTO v_filer FROM unit_states
		WHERE code = u.filed_by AND valid @> p.end_date;
	END IF;
	SELECT id INTO v_id FROM reports WHERE unit_code = u.code
	    AND period_code = p.code AND form = p_form;

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
	        'cdc', u.cdc, 'area', u.area, 'area_name', v_area,
	        'parent', u.parent, 'files', u.files AND NOT v_closed,
	        'closed', v_closed,
	        'filed_by', CASE WHEN u.filed_by <> u.code THEN
	            json_build_object('code', u.filed_by, 'name', v_filer) END,
	        'stations', v_stations),
	    'period', json_build_object('code', p.code, 'name', p.name,
	        'start', p.start_date, 'end', p.end_date,
	        'deadline', p.deadline),
	    'report', CASE WHEN v_id IS NOT NULL THEN
	        report_stored_json(v_id) END,
	    'previous', report_previous_json(u.code, p_form, p.end_date, v_kind),
	    'months', v_months);
END $$;

-- ---------------------------------------------------------------------
-- Accounts follow who files
-- ---------------------------------------------------------------------

-- As in 009; a unit account only for a unit that files its own reports
-- today or from a day to come (a station its centre files for has none;
-- one that will file itself from 1 July gets its account in June), and
-- a viewer's areas are codes the registry knows.
CREATE FUNCTION unit_files_from_today(p_unit text) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM unit_states WHERE code = p_unit AND files
	    AND valid && daterange(portal_today(), NULL))
$$;

CREATE OR REPLACE FUNCTION account_create(p_username text, p_role text,
    p_unit text, p_hash text, p_full_name text, p_districts jsonb,
    p_actor bigint)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	v_id	bigint;
BEGIN
	IF p_username LIKE 'api.%' THEN
		RETURN 'reserved';
	END IF;
	IF EXISTS (SELECT 1 FROM users WHERE username = p_username) THEN
		RETURN 'exists';
	END IF;
	IF p_unit IS NOT NULL THEN
		IF NOT EXISTS (SELECT 1 FROM unit_codes WHERE code = p_unit) THEN
			RETURN 'no_unit';
		END IF;
		IF NOT unit_files_from_today(p_unit) THEN
			RETURN 'not_filing';
		END IF;
		IF EXISTS (SELECT 1 FROM users WHERE unit_code = p_unit
		    AND role = 'unit' AND active AND NOT integration) THEN
			RETURN 'unit_has_account';
		END IF;
	END IF;
	IF EXISTS (SELECT 1 FROM jsonb_array_elements_text(p_districts) d
	    WHERE d NOT IN (SELECT code FROM area_codes)) THEN
		RETURN 'bad_district';
	END IF;

	INSERT INTO users (username, role, unit_code, full_name, password_hash,
	    otp_issued_at)
	VALUES (p_username, p_role, p_unit, p_full_name, p_hash, now())
	RETURNING id INTO v_id;
	INSERT INTO viewer_districts (user_id, district)
	SELECT v_id, d FROM jsonb_array_elements_text(p_districts) d;
	INSERT INTO audit (actor, action, object, after)
	VALUES (p_actor, 'account_create', 'user:' || p_username,
	    jsonb_build_object('role', p_role, 'unit', p_unit,
	    'districts', p_districts));
	RETURN 'ok';
END $$;

-- ---------------------------------------------------------------------
-- Areas kept by the office
-- ---------------------------------------------------------------------

-- The area is named so and of that kind from p_from on, as
-- unit_state_put does for units: a new code, a renamed or reclassified
-- area (a new state from that day), or one that comes back.
CREATE FUNCTION area_put(p_code text, p_from date, p_name text,
    p_kind text, p_actor bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	cur	area_states%ROWTYPE;
	v_next	date;
	v_res	text;
BEGIN
	INSERT INTO area_codes (code) VALUES (p_code) ON CONFLICT DO NOTHING;
	SELECT * INTO cur FROM area_states
	WHERE code = p_code AND valid @> p_from FOR UPDATE;
	IF FOUND THEN
		IF (cur.name, cur.kind) = (p_name, p_kind) THEN
			RETURN jsonb_build_object('result', 'same');
		END IF;
		IF lower(cur.valid) IS NOT DISTINCT FROM p_from THEN
			UPDATE area_states SET name = p_name, kind = p_kind,
			    changed_by = p_actor, changed_at = now()
			WHERE id = cur.id;
		ELSE
			UPDATE area_states
			SET valid = daterange(lower(cur.valid), p_from)
			WHERE id = cur.id;
			INSERT INTO area_states (code, valid, name, kind,
			    changed_by)
			VALUES (p_code, daterange(p_from, upper(cur.valid)),
			    p_name, p_kind, p_actor);
		END IF;
		v_res := 'changed';
	ELSE
		SELECT min(lower(valid)) INTO v_next FROM area_states
		WHERE code = p_code AND lower(valid) > p_from;
		v_res := CASE WHEN EXISTS (SELECT 1 FROM area_states
		    WHERE code = p_code) THEN 'reopened' ELSE 'created' END;
		INSERT INTO area_states (code, valid, name, kind, changed_by)
		VALUES (p_code, daterange(p_from, v_next), p_name, p_kind,
		    p_actor);
	END IF;
	INSERT INTO audit (actor, action, object, before, after)
	VALUES (p_actor, 'area_' || v_res, 'area:' || p_code,
	    CASE WHEN cur.id IS NOT NULL THEN jsonb_build_object('name',
	        cur.name, 'kind', cur.kind, 'valid', cur.valid::text) END,
	    jsonb_build_object('name', p_name, 'kind', p_kind,
	        'effective', p_from));

	RETURN jsonb_build_object('result', v_res);
END $$;

-- The area ends on p_from (its last day is the day before).  Refused
-- while a unit is in it on or after that day, as long as the area's
-- state would have lasted: the office moves them first (the answer
-- lists them).
CREATE FUNCTION area_end(p_code text, p_from date, p_actor bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	cur	area_states%ROWTYPE;
	v_units	jsonb;
BEGIN
	SELECT * INTO cur FROM area_states
	WHERE code = p_code AND valid @> p_from FOR UPDATE;
	IF NOT FOUND THEN
		RETURN jsonb_build_object('result', 'not_in_force');
	END IF;
	SELECT jsonb_agg(jsonb_build_object('code', x.code, 'name', x.name)
	    ORDER BY x.name, x.code)
	INTO v_units
	FROM (SELECT DISTINCT ON (s.code) s.code, s.name FROM unit_states s
	    WHERE s.area = p_code
	      AND s.valid && daterange(p_from, upper(cur.valid))
	    ORDER BY s.code, lower(s.valid) DESC NULLS LAST LIMIT 200) x;
	IF v_units IS NOT NULL THEN
		RETURN jsonb_build_object('result', 'in_use', 'units', v_units);
	END IF;
	IF lower(cur.valid) IS NOT DISTINCT FROM p_from THEN
		DELETE FROM area_states WHERE id = cur.id;
	ELSE
		UPDATE area_states SET valid = daterange(lower(cur.valid), p_from)
		WHERE id = cur.id;
	END IF;
	INSERT INTO audit (actor, action, object, before, after)
	VALUES (p_actor, 'area_ended', 'area:' || p_code,
	    jsonb_build_object('name', cur.name, 'kind', cur.kind,
	        'valid', cur.valid::text),
	    jsonb_build_object('effective', p_from));

	RETURN jsonb_build_object('result', 'ok');
END $$;

-- ---------------------------------------------------------------------
-- The registry import, with an effective date
-- ---------------------------------------------------------------------
--
-- A file says what the units are from a day on.  The rows of 011, and:
-- files_self (a station files its own report; null keeps what the
-- registry has, new stations are filed for by their centre), closing
-- (the unit leaves the registry that day), preds (the units it takes
-- over that day: they close unless the file keeps them).  Checked
-- against the registry of that day; applied in one statement, or only
-- compared (a dry run: nothing is written).

DROP FUNCTION units_import(jsonb, bigint);
DROP FUNCTION units_import_check(jsonb);
DROP FUNCTION units_import_issues();
DROP FUNCTION units_import_load(jsonb);

CREATE FUNCTION units_import_load(p_rows jsonb, p_day date) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	CREATE TEMP TABLE IF NOT EXISTS import_rows (
		line int, code text, name text, kind text, is_public boolean,
		district text, area text, parent text,
		gksklx boolean, hospital boolean, cdc boolean,
		files_self boolean, closing boolean, preds text[],
		has_contact boolean, contact_name text, contact_position text,
		contact_phone text, contact_email text
	) ON COMMIT DROP;
	TRUNCATE import_rows;

	INSERT INTO import_rows
	SELECT x.line, coalesce(x.code, ''), x.name, coalesce(x.kind, ''),
	    x.is_public, coalesce(x.district, ''),
	    area_resolve(x.district, p_day), nullif(x.parent, ''), x.gksklx,
	    x.hospital, x.cdc, x.files_self, coalesce(x.closing, false),
	    coalesce(ARRAY(SELECT jsonb_array_elements_text(x.preds)),
	        '{}'),
	    x.has_contact, x.contact_name, x.contact_position,
	    x.contact_phone, x.contact_email
	FROM jsonb_to_recordset(p_rows) AS x(line int, code text, name text,
	    kind text, is_public boolean, district text, parent text,
	    gksklx boolean, hospital boolean, cdc boolean,
	    files_self boolean, closing boolean, preds jsonb,
	    has_contact boolean, contact_name text, contact_position text,
	    contact_phone text, contact_email text);
END $$;

-- The units that leave the registry on the day: closing rows, and the
-- predecessors the file does not keep, that are in the registry that
-- day (a file applied again finds them gone already).
CREATE FUNCTION units_import_leaving(p_day date) RETURNS TABLE (code text,
    line int, into_codes text[])
LANGUAGE plpgsql AS $$
BEGIN
	RETURN QUERY
	SELECT r.code, r.line, '{}'::text[] FROM import_rows r
	WHERE r.closing AND r.code <> ''
	  AND EXISTS (SELECT 1 FROM units_on(p_day) s WHERE s.code = r.code)
	UNION ALL
	SELECT p.pred, min(r.line), array_agg(r.code ORDER BY r.code)
	FROM import_rows r, unnest(r.preds) AS p(pred)
	WHERE NOT r.closing
	  AND NOT EXISTS (SELECT 1 FROM import_rows k WHERE k.code = p.pred)
	  AND EXISTS (SELECT 1 FROM units_on(p_day) s WHERE s.code = p.pred)
	GROUP BY p.pred;
END $$;

-- What the registry of p_day finds wrong with the loaded rows, in line
-- order: [{"line", "column" (the column's key), "message"}].  A row's
-- cell with a problem of its own comes empty and is not looked up.
CREATE FUNCTION units_import_issues(p_day date) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	v_day	text := to_char(p_day, 'DD/MM/YYYY');
BEGIN
	RETURN (SELECT coalesce(jsonb_agg(e ORDER BY (e->>'line')::int, ord),
	    '[]')
	FROM (
		SELECT jsonb_build_object('line', line, 'column', 'huyen',
		    'message', 'Không có khu vực (huyện, xã, phường) “' ||
		    district || '” trong danh mục của tỉnh vào ngày ' ||
		    v_day || '.') AS e, 1 AS ord
		FROM import_rows
		WHERE area IS NULL AND district <> '' AND NOT closing
		UNION ALL
		SELECT jsonb_build_object('line', r.line,
		    'column', 'don_vi_quan_ly',
		    'message', 'Đơn vị quản lý “' || r.parent || '” không phải '
		    'là Trung tâm Y tế huyện có trong danh mục vào ngày ' ||
		    v_day || ' hoặc trong file.'), 2
		FROM import_rows r
		WHERE r.parent IS NOT NULL AND NOT r.closing
		  AND NOT EXISTS (SELECT 1 FROM import_rows p
		      WHERE p.code = r.parent AND NOT p.closing
		        AND p.kind IN ('district_centre', ''))
		  AND NOT EXISTS (SELECT 1 FROM units_on(p_day) p
		      WHERE p.code = r.parent AND p.kind = 'district_centre'
		      AND p.code NOT IN (SELECT code FROM import_rows))
		UNION ALL
		SELECT jsonb_build_object('line', r.line, 'column', 'loai',
		    'message', 'Đơn vị “' || r.code || '” đang quản lý trạm y tế '
		    'nên phải giữ loại Trung tâm Y tế huyện.'), 3
		FROM import_rows r
		WHERE r.kind NOT IN ('district_centre', '') AND r.code <> ''
		  AND NOT r.closing
		  AND EXISTS (SELECT 1 FROM units_on(p_day) s
		      WHERE s.parent = r.code
		      AND s.code NOT IN (SELECT code FROM import_rows))
		UNION ALL
		SELECT jsonb_build_object('line', r.line, 'column', 'ngung_hoat_dong',
		    'message', 'Đơn vị “' || r.code || '” không có trong danh '
		    'mục vào ngày ' || v_day || ' nên không ngừng hoạt động '
		    'được.'), 4
		FROM import_rows r
		WHERE r.closing AND r.code <> ''
		  AND NOT EXISTS (SELECT 1 FROM units_on(p_day) s
		      WHERE s.code = r.code)
		UNION ALL
		-- A predecessor is in the registry that day, unless this
		-- very link is made already (the file applied again).
		SELECT jsonb_build_object('line', r.line, 'column', 'sap_nhap_tu',
		    'message', 'Đơn vị trước “' || p.pred || '” không có trong '
		    'danh mục vào ngày ' || v_day || '.'), 5
		FROM import_rows r, unnest(r.preds) AS p(pred)
		WHERE NOT r.closing
		  AND NOT EXISTS (SELECT 1 FROM units_on(p_day) s
		    WHERE s.code = p.pred)
		  AND NOT EXISTS (SELECT 1 FROM unit_successors l
		    WHERE l.from_code = p.pred AND l.to_code = r.code
		      AND l.effective = p_day)
		UNION ALL
		-- A unit that leaves must not leave stations behind.
		SELECT jsonb_build_object('line', l.line,
		    'column', CASE WHEN cardinality(l.into_codes) = 0
		        THEN 'ngung_hoat_dong' ELSE 'sap_nhap_tu' END,
		    'message', 'Đơn vị “' || l.code || '” còn quản lý hoặc báo '
		    'cáo thay cho trạm ' || string_agg(s.code, ', ' ORDER BY
		    s.code) || ': chuyển các trạm này sang đơn vị khác trong '
		    'cùng file trước khi ngừng.'), 7
		FROM units_import_leaving(p_day) l
		JOIN units_on(p_day) s ON l.code IN (s.parent, s.filed_by)
		    AND s.code <> l.code
		WHERE NOT EXISTS (SELECT 1 FROM import_rows k
		    WHERE k.code = s.code
		      AND (k.closing OR k.parent IS DISTINCT FROM l.code))
		  AND NOT EXISTS (SELECT 1 FROM units_import_leaving(p_day) l2
		      WHERE l2.code = s.code)
		GROUP BY l.code, l.line, l.into_codes
		UNION ALL
		SELECT jsonb_build_object('line', r.line,
		    'column', 'don_vi_quan_ly',
		    'message', 'Đơn vị quản lý “' || r.parent || '” ngừng hoạt '
		    'động từ ngày ' || v_day || ' theo file này.'), 8
		FROM import_rows r JOIN units_import_leaving(p_day) l
		    ON l.code = r.parent
		WHERE NOT r.closing
		UNION ALL
		-- The area must last as long as the unit's new state will.
		SELECT jsonb_build_object('line', r.line, 'column', 'huyen',
		    'message', 'Khu vực “' || r.district || '” đã được kết thúc '
		    'từ ngày ' || to_char(upper(a.valid), 'DD/MM/YYYY') || ', '
		    'trước khi đơn vị rời khu vực: hãy chọn khu vực khác.'), 9
		FROM import_rows r
		JOIN area_states a ON a.code = r.area AND a.valid @> p_day
		WHERE NOT r.closing AND NOT (SELECT range_agg(x.valid::daterange)
		    FROM area_states x WHERE x.code = r.area)
		    @> daterange(p_day, coalesce((SELECT upper(s.valid)
		        FROM unit_states s WHERE s.code = r.code
		          AND s.valid @> p_day), (SELECT min(lower(s.valid))
		        FROM unit_states s WHERE s.code = r.code
		          AND lower(s.valid) > p_day)))
	) errs);
END $$;

-- The differences the loaded rows make on p_day: new units, changed
-- ones (each field from → to), merges and splits, and the units that
-- leave, with the filed reports that then leave the consolidation of
-- periods ending on or after that day.
CREATE FUNCTION units_import_diff(p_day date) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
	RETURN (WITH want AS (
		SELECT r.*, s.code AS cur_code,
		    unit_attrs_of(s) AS old,
		    ROW(r.name, r.kind, r.is_public, r.area, r.parent,
		        r.kind = 'commune_station' AND coalesce(r.files_self,
		            s.files_self AND s.kind = 'commune_station', false),
		        r.gksklx, r.hospital, r.cdc)::unit_attrs AS new,
		    EXISTS (SELECT 1 FROM unit_codes c WHERE c.code = r.code)
		        AS known
		FROM import_rows r
		LEFT JOIN units_on(p_day) s ON s.code = r.code
		WHERE NOT r.closing
	), fields AS (
		SELECT w.code, f.key, f.old, f.new
		FROM want w, LATERAL (VALUES
		    ('name', to_jsonb((w.old).name), to_jsonb((w.new).name)),
		    ('kind', to_jsonb((w.old).kind), to_jsonb((w.new).kind)),
		    ('is_public', to_jsonb((w.old).is_public),
		        to_jsonb((w.new).is_public)),
		    ('area', to_jsonb((w.old).area), to_jsonb((w.new).area)),
		    ('parent', to_jsonb((w.old).parent),
		        to_jsonb((w.new).parent)),
		    ('files_self', to_jsonb((w.old).files_self),
		        to_jsonb((w.new).files_self)),
		    ('gksklx', to_jsonb((w.old).gksklx),
		        to_jsonb((w.new).gksklx)),
		    ('hospital', to_jsonb((w.old).hospital),
		        to_jsonb((w.new).hospital)),
		    ('cdc', to_jsonb((w.old).cdc), to_jsonb((w.new).cdc))
		) AS f(key, old, new)
		WHERE w.cur_code IS NOT NULL AND f.old IS DISTINCT FROM f.new
	), leaving AS (
		SELECT l.*, (SELECT name FROM units_on(p_day) s
		        WHERE s.code = l.code) AS name,
		    (SELECT count(*) FROM reports r
		        JOIN periods p ON p.code = r.period_code
		        WHERE r.unit_code = l.code
		          AND r.status IN ('submitted', 'accepted')
		          AND p.end_date >= p_day) AS reports_after
		FROM units_import_leaving(p_day) l
	)
	SELECT jsonb_build_object(
	    'new', (SELECT coalesce(jsonb_agg(jsonb_build_object('line', line,
	        'code', code, 'name', name, 'kind', kind, 'area', area,
	        'parent', parent, 'files_self', (new).files_self)
	        ORDER BY line), '[]') FROM want WHERE NOT known),
	    'changed', (SELECT coalesce(jsonb_agg(x.o ORDER BY x.line), '[]')
	        FROM (SELECT w.line, jsonb_build_object('line', w.line,
	            'code', w.code, 'name', w.name,
	            'reopened', w.cur_code IS NULL,
	            'changes', CASE WHEN w.cur_code IS NULL THEN '{}'::jsonb
	                ELSE (SELECT jsonb_object_agg(f.key,
	                    jsonb_build_object('from', f.old, 'to', f.new))
	                    FROM fields f WHERE f.code = w.code) END) AS o
	            FROM want w
	            WHERE w.known AND (w.cur_code IS NULL OR EXISTS (SELECT 1
	                FROM fields f WHERE f.code = w.code))) x),
	    'unchanged', (SELECT count(*) FROM want w WHERE w.cur_code IS NOT
	        NULL AND NOT EXISTS (SELECT 1 FROM fields f
	            WHERE f.code = w.code)),
	    'merged', (SELECT coalesce(jsonb_agg(jsonb_build_object('line',
	        r.line, 'code', r.code, 'name', r.name, 'from', to_jsonb(r.preds),
	        'kind', CASE WHEN cardinality(r.preds) > 1 THEN 'merge'
	            WHEN (SELECT count(*) FROM import_rows o
	                WHERE r.preds[1] = ANY (o.preds)) > 1
	              OR EXISTS (SELECT 1 FROM import_rows k
	                WHERE k.code = r.preds[1] AND NOT k.closing)
	            THEN 'split' ELSE 'successor' END) ORDER BY r.line), '[]')
	        FROM import_rows r WHERE cardinality(r.preds) > 0),
	    'closed', (SELECT coalesce(jsonb_agg(jsonb_build_object('line',
	        l.line, 'code', l.code, 'name', l.name,
	        'into', to_jsonb(l.into_codes), 'reports_after', l.reports_after)
	        ORDER BY l.line, l.code), '[]') FROM leaving l)));
END $$;

-- A file with problems of its own: only the registry's are looked for.
CREATE FUNCTION units_import_check(p_rows jsonb, p_day date) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	v_errors	jsonb;
BEGIN
	PERFORM units_import_load(p_rows, p_day);
	v_errors := units_import_issues(p_day);

	RETURN jsonb_build_object('ok', jsonb_array_length(v_errors) = 0,
	    'errors', v_errors);
END $$;

-- A clean file: its differences on p_day, applied unless p_dry.  Every
-- change is a dated state (unit_state_put, unit_close: audited one by
-- one), the links are rows, the contacts are updated (they are how to
-- reach a unit now, not history), and one audit row sums the import up.
CREATE FUNCTION units_import(p_rows jsonb, p_actor bigint, p_day date,
    p_dry boolean)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_errors	jsonb;
	v_diff		jsonb;
	r		record;
	v_total		integer;
	v_created	integer;
BEGIN
	PERFORM units_import_load(p_rows, p_day);
	v_errors := units_import_issues(p_day);
	IF jsonb_array_length(v_errors) > 0 THEN
		RETURN jsonb_build_object('ok', false, 'errors', v_errors);
	END IF;
	v_diff := units_import_diff(p_day);
	SELECT count(*) FILTER (WHERE NOT closing),
	    count(*) FILTER (WHERE NOT closing AND NOT EXISTS (SELECT 1
	        FROM unit_codes c WHERE c.code = i.code))
	INTO v_total, v_created FROM import_rows i;
	v_diff := v_diff || jsonb_build_object('ok', true,
	    'effective', p_day, 'dry_run', p_dry, 'total', v_total,
	    'created', v_created, 'updated', v_total - v_created);
	IF p_dry THEN
		RETURN v_diff;
	END IF;

	INSERT INTO unit_codes (code)
	SELECT code FROM import_rows WHERE NOT closing
	ON CONFLICT DO NOTHING;
	-- Managing units first, then in file order: each state is checked
	-- by its own statement.
	FOR r IN SELECT i.*, s.files_self AS cur_files,
	        s.kind AS cur_kind
	    FROM import_rows i LEFT JOIN units_on(p_day) s ON s.code = i.code
	    WHERE NOT i.closing ORDER BY (i.parent IS NOT NULL), i.line
	LOOP
		PERFORM unit_state_put(r.code, p_day, ROW(r.name, r.kind,
		    r.is_public, r.area, r.parent,
		    r.kind = 'commune_station' AND coalesce(r.files_self,
		        r.cur_files AND r.cur_kind = 'commune_station', false),
		    r.gksklx, r.hospital, r.cdc)::unit_attrs, p_actor);
	END LOOP;

	PERFORM unit_close(l.code, p_day, p_actor)
	FROM units_import_leaving(p_day) l;

	WITH ins AS (
		INSERT INTO unit_successors (from_code, to_code, effective,
		    created_by)
		SELECT p.pred, i.code, p_day, p_actor
		FROM import_rows i, unnest(i.preds) AS p(pred)
		ON CONFLICT DO NOTHING
		RETURNING from_code, to_code
	)
	INSERT INTO audit (actor, action, object, after)
	SELECT p_actor, 'unit_successor', 'unit:' || from_code,
	    jsonb_build_object('to', to_code, 'effective', p_day)
	FROM ins;

	INSERT INTO contacts (unit_code, name, position, phone, email)
	SELECT code, contact_name, coalesce(contact_position, ''),
	    contact_phone, coalesce(contact_email, '')
	FROM import_rows WHERE has_contact AND NOT closing
	ON CONFLICT (unit_code) DO UPDATE SET name = EXCLUDED.name,
	    position = EXCLUDED.position, phone = EXCLUDED.phone,
	    email = EXCLUDED.email, updated_at = now();

	INSERT INTO audit (actor, action, object, after)
	VALUES (p_actor, 'units_import', 'units',
	    jsonb_build_object('effective', p_day, 'created', v_created,
	    'updated', v_total - v_created,
	    'changed', jsonb_array_length(v_diff->'changed'),
	    'merged', jsonb_array_length(v_diff->'merged'),
	    'closed', jsonb_array_length(v_diff->'closed'),
	    'codes', (SELECT jsonb_agg(code ORDER BY line) FROM import_rows)));

	RETURN v_diff;
END $$;
