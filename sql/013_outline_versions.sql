-- Outline versions.  Each form (PL1, PL2) has versions, each with the
-- first period it applies to; a version is the outline's JSON as loaded,
-- stored once and never changed.  A report is filed under the version in
-- force in its period and keeps it (reports.form_version): a later
-- version adds or retires items and checks without touching it.
--
-- Version 1 of each form is forms/<form>.json, stored by
-- scripts/migrate.sh right after the migrations (form_version_seed):
-- a migration cannot read the files.  Every report filed before this
-- migration was filed under those files: it gets version 1.
--
-- Periods are ordered by the last day of their default window
-- (period_rank): YYYY-MM the 14th of M, YYYY-H1 14 June, YYYY-Y 14
-- December.  It depends on the code only, so an edit of a period's dates
-- never moves a period from one version to another; a six-month period
-- ranks with its June, an annual one with its December.

-- The last day of a period's default window, by its code alone.
CREATE FUNCTION period_rank(p_code text) RETURNS date
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN p_code ~ '^[0-9]{4}-(0[1-9]|1[0-2]|H1|Y)$' THEN
	    make_date(substr(p_code, 1, 4)::int,
	        CASE WHEN p_code LIKE '%-H1' THEN 6
	            WHEN p_code LIKE '%-Y' THEN 12
	            ELSE substr(p_code, 6, 2)::int END, 14) END
$$;

CREATE TABLE form_versions (
	form		text NOT NULL CHECK (form IN ('PL1', 'PL2')),
	version		integer NOT NULL CHECK (version BETWEEN 1 AND 100),
	first_period	text NOT NULL
			    CHECK (period_rank(first_period) IS NOT NULL),
	definition	json NOT NULL,	-- as loaded, byte for byte
	loaded_by	bigint REFERENCES users (id),
	loaded_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (form, version)
);

CREATE FUNCTION form_versions_frozen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'outline versions are never changed: load a new one';
END $$;
CREATE TRIGGER form_versions_frozen BEFORE UPDATE OR DELETE ON form_versions
    FOR EACH ROW EXECUTE FUNCTION form_versions_frozen();

-- The version in force in a period: the latest whose first period ranks
-- at or before it.  A period before version 1's first (a history month
-- of early 2023) reads by version 1.  NULL when the form has none yet.
CREATE FUNCTION form_version_for(p_form text, p_period text) RETURNS integer
LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT max(v.version) FROM form_versions v
	    WHERE v.form = p_form
	      AND period_rank(v.first_period) <= period_rank(p_period)),
	    (SELECT min(v.version) FROM form_versions v WHERE v.form = p_form))
$$;

-- The monthly period a day falls in, by the default rule (the 15th of
-- M-1 to the 14th of M is month M): which version is in force today.
CREATE FUNCTION period_of_day(p_day date) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT to_char(CASE WHEN extract(day FROM p_day) <= 14 THEN p_day
	    ELSE p_day + interval '1 month' END, 'YYYY-MM')
$$;

-- One lock per form: adding a version waits for every first save in
-- flight, and a first save waits for a version being added.
CREATE FUNCTION form_versions_lock(p_form text) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
	SELECT hashtext('form_versions:' || p_form)::bigint
$$;

ALTER TABLE reports ADD COLUMN form_version integer NOT NULL DEFAULT 1;
ALTER TABLE reports ALTER COLUMN form_version DROP DEFAULT;
-- NOT VALID: the reports already there get version 1 before it is
-- stored (just after this migration); every new report is checked.
ALTER TABLE reports ADD CONSTRAINT reports_form_version_fk
    FOREIGN KEY (form, form_version) REFERENCES form_versions (form, version)
    NOT VALID;

-- A report takes the version in force when it is first saved (version 0
-- to 1: report_save creates the row at 0 first) or created already
-- saved, and keeps it: nothing later changes it.  The shared lock makes
-- a version being added wait for this save, and this save for it; the
-- version is read after the lock, by a statement of its own, so it sees
-- a version added just before.
CREATE FUNCTION reports_form_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND NOT (OLD.version = 0 AND NEW.version > 0) THEN
		NEW.form_version := OLD.form_version;
		RETURN NEW;
	END IF;
	IF NEW.version > 0 THEN
		PERFORM pg_advisory_xact_lock_shared(
		    form_versions_lock(NEW.form));
	END IF;
	NEW.form_version := coalesce(form_version_for(NEW.form,
	    NEW.period_code), 1);
	RETURN NEW;
END $$;
CREATE TRIGGER reports_form_version BEFORE INSERT OR UPDATE OF version,
    form_version ON reports
    FOR EACH ROW EXECUTE FUNCTION reports_form_version();

-- Where a new version may start, for form_version_add and its dry run:
-- the latest version, whether p_first ranks before its first period
-- ("before"), the latest period at or after p_first that already has
-- reports (a saved draft counts: see README "Outline versions"), with
-- how many, and every version.
CREATE FUNCTION form_version_plan(p_form text, p_first text)
RETURNS json LANGUAGE sql STABLE AS $$
	SELECT json_build_object(
	    'latest', (SELECT json_build_object('version', v.version,
	        'first_period', v.first_period)
	        FROM form_versions v WHERE v.form = p_form
	        ORDER BY v.version DESC LIMIT 1),
	    'filed', (SELECT json_build_object('period', p.code,
	        'name', p.name, 'reports', n.reports,
	        'version', n.form_version)
	        FROM periods p,
	        LATERAL (SELECT count(*) AS reports,
	            max(r.form_version) AS form_version
	            FROM reports r WHERE r.period_code = p.code
	              AND r.form = p_form AND r.version > 0) n
	        WHERE period_rank(p.code) >= period_rank(p_first)
	          AND n.reports > 0
	        ORDER BY period_rank(p.code) DESC, p.code LIMIT 1),
	    'before', coalesce((SELECT period_rank(p_first) <
	        period_rank(v.first_period) FROM form_versions v
	        WHERE v.form = p_form ORDER BY v.version DESC LIMIT 1), false),
	    'versions', (SELECT coalesce(json_agg(json_build_object(
	        'version', v.version, 'first_period', v.first_period)
	        ORDER BY v.version), '[]')
	        FROM form_versions v WHERE v.form = p_form))
$$;

-- Store a new version, the checks of form_version_plan made again under
-- the lock: 'stale' when another version was stored since p_after (the
-- version the administrator's differences were made against), 'before'
-- when p_first ranks before the latest version's first period, 'filed'
-- when reports exist at or after it; else 'ok' with the new number.
CREATE FUNCTION form_version_add(p_form text, p_first text, p_def json,
    p_user bigint, p_after integer)
RETURNS json LANGUAGE plpgsql AS $$
DECLARE
	v_plan	json;
	v_next	integer;
BEGIN
	PERFORM pg_advisory_xact_lock(form_versions_lock(p_form));
	v_plan := form_version_plan(p_form, p_first);
	IF coalesce((v_plan->'latest'->>'version')::int, 0)
	    <> coalesce(p_after, 0) THEN
		RETURN json_build_object('result', 'stale', 'plan', v_plan);
	END IF;
	IF (v_plan->>'before')::boolean THEN
		RETURN json_build_object('result', 'before', 'plan', v_plan);
	END IF;
	IF v_plan->'filed' IS NOT NULL AND json_typeof(v_plan->'filed') =
	    'object' THEN
		RETURN json_build_object('result', 'filed', 'plan', v_plan);
	END IF;

	v_next := coalesce(p_after, 0) + 1;
	INSERT INTO form_versions (form, version, first_period, definition,
	    loaded_by)
	VALUES (p_form, v_next, p_first, p_def, p_user);
	INSERT INTO audit (actor, action, object, after)
	VALUES (p_user, 'form_version_add', 'form:' || p_form || ':' || v_next,
	    jsonb_build_object('first_period', p_first));

	RETURN json_build_object('result', 'ok', 'version', v_next,
	    'first_period', p_first, 'loaded_at', now());
END $$;

-- Version 1 from the file, once (scripts/migrate.sh).
CREATE FUNCTION form_version_seed(p_form text, p_def json) RETURNS void
LANGUAGE sql AS $$
	INSERT INTO form_versions (form, version, first_period, definition)
	SELECT p_form, 1, '2023-H1', p_def
	WHERE NOT EXISTS (SELECT 1 FROM form_versions WHERE form = p_form)
$$;
