-- Consolidation from totals kept as reports change state.
--
-- The grouped pass over the filed values of a month takes 0.1 s for a
-- province and 2-4 s for the whole country (1.6 million rows), and the
-- twelve-month trend twelve times that.  The totals below hold the same
-- sums per period, form, district, kind, status and item, changed in the
-- very statement that changes a report's status, its values or its
-- unit's place in the registry.  So they are always current (no job
-- refreshes them) and a consolidation reads thousands of rows, not
-- millions.  report_totals_verify() recomputes them from the values; the
-- integration tests compare the two after every kind of change.

CREATE TABLE report_totals (
	period_code	text NOT NULL,
	form		text NOT NULL,
	district	text NOT NULL,
	kind		text NOT NULL,
	accepted	boolean NOT NULL,
	station		boolean NOT NULL,	-- a station's appendix row
	item		text NOT NULL,
	total		numeric NOT NULL,
	n		integer NOT NULL,	-- value rows summed
	PRIMARY KEY (period_code, form, district, kind, accepted, station,
	    item)
);

-- The same for the whole province (or country), for the twelve-month
-- trend: the rows above number districts x kinds x items a month (53,000
-- for the country), too many to read twelve times.  Each report adds to
-- one of eight shards (by its id), so that the submissions of a deadline
-- day do not all wait for the same few rows; readers add the shards up.
CREATE TABLE report_totals_all (
	period_code	text NOT NULL,
	form		text NOT NULL,
	accepted	boolean NOT NULL,
	station		boolean NOT NULL,
	item		text NOT NULL,
	shard		smallint NOT NULL,
	total		numeric NOT NULL,
	n		integer NOT NULL,
	PRIMARY KEY (period_code, form, accepted, station, item, shard)
);

-- A report counts when it is submitted or accepted and its unit files
-- reports: the same rule as the consolidated report's.
CREATE FUNCTION report_counts(p_status text, p_kind text, p_active boolean)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT p_status IN ('submitted', 'accepted')
	    AND unit_files_reports(p_kind, p_active)
$$;

-- Add p_sign times grouped value rows (with their shard) to both tables.
-- Rows are taken in key order, so two reports of the same district and
-- kind wait for each other instead of deadlocking.
CREATE TYPE report_total_row AS (period_code text, form text,
    district text, kind text, accepted boolean, station boolean,
    item text, shard smallint, total numeric, n integer);
CREATE FUNCTION report_totals_add(p_rows report_total_row[],
    p_sign integer)
RETURNS void LANGUAGE sql AS $$
	INSERT INTO report_totals AS t (period_code, form, district, kind,
	    accepted, station, item, total, n)
	SELECT period_code, form, district, kind, accepted, station, item,
	    p_sign * sum(total), p_sign * sum(n)
	FROM unnest(p_rows)
	GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
	ON CONFLICT (period_code, form, district, kind, accepted, station,
	    item)
	DO UPDATE SET total = t.total + EXCLUDED.total, n = t.n + EXCLUDED.n;

	INSERT INTO report_totals_all AS t (period_code, form, accepted,
	    station, item, shard, total, n)
	SELECT period_code, form, accepted, station, item, shard,
	    p_sign * sum(total), p_sign * sum(n)
	FROM unnest(p_rows)
	GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
	ON CONFLICT (period_code, form, accepted, station, item, shard)
	DO UPDATE SET total = t.total + EXCLUDED.total, n = t.n + EXCLUDED.n;
$$;

-- Add p_sign times a report's typed values to the totals, under the
-- given district, kind and status.
CREATE FUNCTION report_totals_shift(p_report bigint, p_district text,
    p_kind text, p_accepted boolean, p_sign integer)
RETURNS void LANGUAGE sql AS $$
	SELECT report_totals_add(array_agg(g.x), p_sign)
	FROM (SELECT ROW(r.period_code, r.form, p_district, p_kind,
	        p_accepted, v.station <> '', v.item, (p_report % 8)::smallint,
	        sum(v.num), count(*)::integer)::report_total_row AS x
	    FROM reports r JOIN report_values v ON v.report_id = r.id
	    WHERE r.id = p_report AND v.num IS NOT NULL
	    GROUP BY r.period_code, r.form, v.station <> '', v.item) g
$$;

-- A report's status changed: take out what it counted as, put in what it
-- counts as now (submitted -> accepted moves it between the two).
CREATE FUNCTION report_totals_on_status() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	u	units%ROWTYPE;
BEGIN
	SELECT * INTO u FROM units WHERE code = NEW.unit_code;
	IF report_counts(OLD.status, u.kind, u.active) THEN
		PERFORM report_totals_shift(NEW.id, u.district, u.kind,
		    OLD.status = 'accepted', -1);
	END IF;
	IF report_counts(NEW.status, u.kind, u.active) THEN
		PERFORM report_totals_shift(NEW.id, u.district, u.kind,
		    NEW.status = 'accepted', 1);
	END IF;

	RETURN NULL;
END $$;
CREATE TRIGGER reports_totals AFTER UPDATE OF status ON reports
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION report_totals_on_status();

-- The portal never deletes a counted report (it is returned instead);
-- refuse it rather than leave its values in the totals.
CREATE FUNCTION report_totals_on_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF OLD.status IN ('submitted', 'accepted') THEN
		RAISE EXCEPTION 'report % is % and cannot be deleted',
		    OLD.id, OLD.status;
	END IF;

	RETURN OLD;
END $$;
CREATE TRIGGER reports_no_counted_delete BEFORE DELETE ON reports
    FOR EACH ROW EXECUTE FUNCTION report_totals_on_delete();

-- Values written while their report counts: filing never does that (only
-- drafts and returned reports change), but generated or repaired data
-- may.  One grouped change per statement.
CREATE FUNCTION report_totals_on_values() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	v_rows	report_total_row[];
BEGIN
	-- Transition tables exist only for their own events, so each
	-- branch names its own.
	IF TG_OP IN ('DELETE', 'UPDATE') THEN
		SELECT array_agg(g.x) INTO v_rows
		FROM (SELECT ROW(r.period_code, r.form, u.district, u.kind,
		    r.status = 'accepted', o.station <> '', o.item,
		    r.id % 8, sum(o.num), count(*))::report_total_row AS x
		    FROM old_rows o JOIN reports r ON r.id = o.report_id
		    JOIN units u ON u.code = r.unit_code
		    WHERE o.num IS NOT NULL
		      AND report_counts(r.status, u.kind, u.active)
		    GROUP BY r.period_code, r.form, u.district, u.kind,
		        r.status = 'accepted', o.station <> '', o.item,
		        r.id % 8) g;
		IF v_rows IS NOT NULL THEN
			PERFORM report_totals_add(v_rows, -1);
		END IF;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		SELECT array_agg(g.x) INTO v_rows
		FROM (SELECT ROW(r.period_code, r.form, u.district, u.kind,
		    r.status = 'accepted', w.station <> '', w.item,
		    r.id % 8, sum(w.num), count(*))::report_total_row AS x
		    FROM new_rows w JOIN reports r ON r.id = w.report_id
		    JOIN units u ON u.code = r.unit_code
		    WHERE w.num IS NOT NULL
		      AND report_counts(r.status, u.kind, u.active)
		    GROUP BY r.period_code, r.form, u.district, u.kind,
		        r.status = 'accepted', w.station <> '', w.item,
		        r.id % 8) g;
		IF v_rows IS NOT NULL THEN
			PERFORM report_totals_add(v_rows, 1);
		END IF;
	END IF;

	RETURN NULL;
END $$;
CREATE TRIGGER report_values_totals_ins AFTER INSERT ON report_values
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_totals_on_values();
CREATE TRIGGER report_values_totals_upd AFTER UPDATE ON report_values
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_totals_on_values();
CREATE TRIGGER report_values_totals_del AFTER DELETE ON report_values
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_totals_on_values();

-- A unit moved to another district, changed kind, or was (de)activated
-- in the registry: its counted reports move with it.
CREATE FUNCTION report_totals_on_unit() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	r	record;
BEGIN
	FOR r IN SELECT id, status FROM reports
	    WHERE unit_code = NEW.code AND status IN ('submitted', 'accepted')
	    ORDER BY id
	LOOP
		IF report_counts(r.status, OLD.kind, OLD.active) THEN
			PERFORM report_totals_shift(r.id, OLD.district,
			    OLD.kind, r.status = 'accepted', -1);
		END IF;
		IF report_counts(r.status, NEW.kind, NEW.active) THEN
			PERFORM report_totals_shift(r.id, NEW.district,
			    NEW.kind, r.status = 'accepted', 1);
		END IF;
	END LOOP;

	RETURN NULL;
END $$;
CREATE TRIGGER units_totals AFTER UPDATE OF district, kind, active ON units
    FOR EACH ROW WHEN (OLD.district IS DISTINCT FROM NEW.district OR
        OLD.kind IS DISTINCT FROM NEW.kind OR
        OLD.active IS DISTINCT FROM NEW.active)
    EXECUTE FUNCTION report_totals_on_unit();

-- The totals as they should be, recomputed from the values.
CREATE VIEW report_totals_expected AS
	SELECT r.period_code, r.form, u.district, u.kind,
	    r.status = 'accepted' AS accepted, v.station <> '' AS station,
	    v.item, sum(v.num) AS total, count(*)::integer AS n
	FROM reports r JOIN units u ON u.code = r.unit_code
	JOIN report_values v ON v.report_id = r.id
	WHERE v.num IS NOT NULL AND report_counts(r.status, u.kind, u.active)
	GROUP BY 1, 2, 3, 4, 5, 6, 7;
CREATE VIEW report_totals_all_expected AS
	SELECT r.period_code, r.form, r.status = 'accepted' AS accepted,
	    v.station <> '' AS station, v.item, (r.id % 8)::smallint AS shard,
	    sum(v.num) AS total, count(*)::integer AS n
	FROM reports r JOIN units u ON u.code = r.unit_code
	JOIN report_values v ON v.report_id = r.id
	WHERE v.num IS NOT NULL AND report_counts(r.status, u.kind, u.active)
	GROUP BY 1, 2, 3, 4, 5, 6;

-- Rows where the kept totals and the recomputed ones differ: none, ever.
-- ("district" is '*' for a row of report_totals_all.)
CREATE FUNCTION report_totals_verify()
RETURNS TABLE (period_code text, form text, district text, kind text,
    accepted boolean, station boolean, item text, kept numeric,
    expected numeric)
LANGUAGE sql STABLE AS $$
	SELECT coalesce(k.period_code, e.period_code),
	    coalesce(k.form, e.form), coalesce(k.district, e.district),
	    coalesce(k.kind, e.kind), coalesce(k.accepted, e.accepted),
	    coalesce(k.station, e.station), coalesce(k.item, e.item),
	    k.total, e.total
	FROM (SELECT * FROM report_totals WHERE n <> 0 OR total <> 0) k
	FULL JOIN report_totals_expected e USING (period_code, form,
	    district, kind, accepted, station, item)
	WHERE k.total IS DISTINCT FROM e.total OR k.n IS DISTINCT FROM e.n
	UNION ALL
	SELECT coalesce(k.period_code, e.period_code),
	    coalesce(k.form, e.form), '*', 'shard ' || coalesce(k.shard,
	    e.shard), coalesce(k.accepted, e.accepted),
	    coalesce(k.station, e.station), coalesce(k.item, e.item),
	    k.total, e.total
	FROM (SELECT * FROM report_totals_all WHERE n <> 0 OR total <> 0) k
	FULL JOIN report_totals_all_expected e USING (period_code, form,
	    accepted, station, item, shard)
	WHERE k.total IS DISTINCT FROM e.total OR k.n IS DISTINCT FROM e.n
$$;

INSERT INTO report_totals SELECT * FROM report_totals_expected;
INSERT INTO report_totals_all SELECT * FROM report_totals_all_expected;
