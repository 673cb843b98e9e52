-- Demo: the reorganisation of 1 July 2025 as the registry records it,
-- and monthly Phụ lục 1 reports from April to September 2025 on both
-- sides of it, so that the office sees 2025-06 grouped by the former
-- districts and 2025-07 by the new wards, a merged station compared
-- with its predecessors, and stations that now file for themselves.
--
-- The wards are named as in Resolution 1686/NQ-UBTVQH15 (16/6/2025) on
-- the commune-level units of Thanh Hóa, as far as we know them (Phường
-- Sầm Sơn, Nam Sầm Sơn, Hạc Thành, Hàm Rồng); check the names against
-- the Resolution before relying on them.  The stations and their
-- figures are synthetic ("minh họa"), as in 010.
--
--   Sầm Sơn: the former city ends as an area.  Its centre moves to
--     Phường Sầm Sơn; stations 1 and 2 merge into the ward's station,
--     which files its own report; station 3 becomes Phường Nam Sầm
--     Sơn's station and files its own report too.
--   Thiệu Hóa: the area goes on as the centre's catchment; its three
--     stations merge into one, still filed for by the centre.
--   Thành phố Thanh Hóa: station 1 splits into the stations of Phường
--     Hạc Thành (files itself) and Phường Hàm Rồng (the centre files).
--
-- Applied once: re-running changes nothing.  Loaded after 010 by
-- `make run` and the tests.

DO $$
DECLARE
	e	date := '2025-07-01';
	p	record;
	u	record;
BEGIN
	IF EXISTS (SELECT 1 FROM area_codes WHERE code = 'P-SAMSON') THEN
		RETURN;
	END IF;

	-- The calendar of 2025 as period.c makes it, for the reports.
	INSERT INTO periods (code, year, name, start_date, end_date,
	    deadline, forms)
	SELECT '2025-' || lpad(m::text, 2, '0'), 2025, 'Tháng ' || m || '/2025',
	    (make_date(2025, m, 15) - interval '1 month')::date,
	    make_date(2025, m, 14), make_date(2025, m, 15), '{PL1}'::text[]
	FROM generate_series(1, 12) m
	UNION ALL
	SELECT '2025-H1', 2025, '6 tháng 2025', '2024-12-15'::date, '2025-06-14'::date,
	    '2025-06-15'::date, '{PL1,PL2}'::text[]
	UNION ALL
	SELECT '2025-Y', 2025, 'Năm 2025', '2024-12-15'::date, '2025-12-14'::date,
	    '2025-12-15'::date, '{PL2}'::text[]
	ON CONFLICT (code) DO NOTHING;

	PERFORM area_put('P-SAMSON', e, 'Phường Sầm Sơn', 'ward', NULL);
	PERFORM area_put('P-NAMSAMSON', e, 'Phường Nam Sầm Sơn', 'ward', NULL);
	PERFORM area_put('P-HACTHANH', e, 'Phường Hạc Thành', 'ward', NULL);
	PERFORM area_put('P-HAMRONG', e, 'Phường Hàm Rồng', 'ward', NULL);

	INSERT INTO unit_codes (code) VALUES ('TYT-P-SAMSON'),
	    ('TYT-THIEUHOA-GOP'), ('TYT-P-HACTHANH'), ('TYT-P-HAMRONG');

	-- Sầm Sơn.
	PERFORM unit_state_put('TTYT-SAMSON', e, ROW(
	    'Trung tâm Y tế thành phố Sầm Sơn', 'district_centre', true,
	    'P-SAMSON', NULL, false, true, true, false)::unit_attrs, NULL);
	PERFORM unit_state_put('TYT-P-SAMSON', e, ROW(
	    'Trạm Y tế phường Sầm Sơn (minh họa)', 'commune_station', true,
	    'P-SAMSON', 'TTYT-SAMSON', true, false, false, false)::unit_attrs,
	    NULL);
	INSERT INTO unit_successors (from_code, to_code, effective) VALUES
	    ('TYT-SAMSON-1', 'TYT-P-SAMSON', e),
	    ('TYT-SAMSON-2', 'TYT-P-SAMSON', e);
	PERFORM unit_close('TYT-SAMSON-1', e, NULL);
	PERFORM unit_close('TYT-SAMSON-2', e, NULL);
	PERFORM unit_state_put('TYT-SAMSON-3', e, ROW(
	    'Trạm Y tế phường Nam Sầm Sơn (minh họa)', 'commune_station',
	    true, 'P-NAMSAMSON', 'TTYT-SAMSON', true, false, false,
	    false)::unit_attrs, NULL);
	IF area_end('SAMSON', e, NULL)->>'result' <> 'ok' THEN
		RAISE EXCEPTION 'Sầm Sơn still has units';
	END IF;

	-- Thiệu Hóa.
	PERFORM unit_state_put('TYT-THIEUHOA-GOP', e, ROW(
	    'Trạm Y tế xã Thiệu Hóa (sáp nhập, minh họa)', 'commune_station',
	    true, 'THIEUHOA', 'TTYT-THIEUHOA', false, false, false,
	    false)::unit_attrs, NULL);
	INSERT INTO unit_successors (from_code, to_code, effective)
	SELECT 'TYT-THIEUHOA-' || n, 'TYT-THIEUHOA-GOP', e
	FROM generate_series(1, 3) n;
	PERFORM unit_close('TYT-THIEUHOA-' || n, e, NULL)
	FROM generate_series(1, 3) n;

	-- Thành phố Thanh Hóa: a split.
	PERFORM unit_state_put('TYT-P-HACTHANH', e, ROW(
	    'Trạm Y tế phường Hạc Thành (minh họa)', 'commune_station', true,
	    'P-HACTHANH', 'TTYT-THANHHOA', true, false, false,
	    false)::unit_attrs, NULL);
	PERFORM unit_state_put('TYT-P-HAMRONG', e, ROW(
	    'Trạm Y tế phường Hàm Rồng (minh họa)', 'commune_station', true,
	    'P-HAMRONG', 'TTYT-THANHHOA', false, false, false,
	    false)::unit_attrs, NULL);
	INSERT INTO unit_successors (from_code, to_code, effective) VALUES
	    ('TYT-THANHHOA-1', 'TYT-P-HACTHANH', e),
	    ('TYT-THANHHOA-1', 'TYT-P-HAMRONG', e);
	PERFORM unit_close('TYT-THANHHOA-1', e, NULL);

	INSERT INTO contacts (unit_code, name, position, phone, email)
	SELECT c, 'Lê Thị Thu', 'Trạm trưởng',
	    '09' || lpad((abs(hashtext(c || 'tel')) % 100000000)::text, 8, '0'),
	    lower(replace(c, '-', '.')) || '@thanhhoa.gov.vn.example'
	FROM unnest(ARRAY['TYT-P-SAMSON', 'TYT-THIEUHOA-GOP',
	    'TYT-P-HACTHANH', 'TYT-P-HAMRONG']) c
	ON CONFLICT (unit_code) DO NOTHING;

	-- The size of each unit's figures: a new station is the sum of
	-- those it took over (a split, its share), so that the province's
	-- figures run on across the change.
	CREATE TEMP TABLE demo_weight (code text PRIMARY KEY, w numeric)
	    ON COMMIT DROP;
	INSERT INTO demo_weight
	SELECT code, CASE WHEN kind = 'commune_station'
	        THEN 1 + abs(hashtext(code)) % 4
	    WHEN kind = 'district_centre' THEN 8 + abs(hashtext(code)) % 6
	    WHEN hospital THEN 15 + abs(hashtext(code)) % 20
	    ELSE 2 + abs(hashtext(code)) % 5 END
	FROM units_on('2025-06-30')
	WHERE code NOT IN ('TYT-P-SAMSON', 'TYT-THIEUHOA-GOP',
	    'TYT-P-HACTHANH', 'TYT-P-HAMRONG');
	INSERT INTO demo_weight
	SELECT l.to_code, sum(w.w / (SELECT count(*) FROM unit_successors o
	    WHERE o.from_code = l.from_code))
	FROM unit_successors l JOIN demo_weight w ON w.code = l.from_code
	GROUP BY l.to_code
	ON CONFLICT (code) DO NOTHING;

	CREATE TEMP TABLE demo_items (item text, base numeric, gks boolean,
	    appendix boolean) ON COMMIT DROP;
	INSERT INTO demo_items VALUES
	    ('bhyt.records_total', 300, false, false),
	    ('bhyt.records_ontime', 282, false, false),
	    ('erx.total', 240, false, false), ('erx.linked', 228, false, false),
	    ('birth.total', 6, false, false), ('birth.synced', 6, false, false),
	    ('death.total', 1, false, false), ('death.synced', 1, false, false),
	    ('pay.total', 600, false, false), ('pay.transfer', 90, false, false),
	    ('pay.pos', 60, false, false), ('pay.qr_static', 30, false, false),
	    ('pay.qr_dynamic', 120, false, false),
	    ('pay.ewallet', 15, false, false), ('pay.other', 3, false, false),
	    ('cccd.visits', 450, false, true), ('cccd.used', 360, false, true),
	    ('cccd.insurance_returned', 330, false, true),
	    ('cccd.qr_readers', 2, false, true),
	    ('sign.issued', 12, false, true), ('sign.needed', 2, false, true),
	    ('stay.declared', 9, false, false),
	    ('gksklx.issued', 15, true, false),
	    ('gksklx.linked', 14, true, false);

	-- A unit's own figure of an item in the month.
	CREATE TEMP TABLE demo_fig (code text, item text, num bigint)
	    ON COMMIT DROP;
	FOR p IN SELECT code, end_date, deadline,
	        extract(month FROM end_date)::int AS m
	    FROM periods WHERE code BETWEEN '2025-04' AND '2025-09'
	      AND period_kind(code) = 'M' ORDER BY code
	LOOP
		TRUNCATE demo_fig;
		INSERT INTO demo_fig
		SELECT s.code, i.item,
		    round(i.base * w.w * (1 + 0.02 * (p.m - 4)))::bigint
		FROM units_on(p.end_date) s JOIN demo_weight w ON w.code = s.code
		CROSS JOIN demo_items i
		WHERE s.kind <> 'department_office' AND (NOT i.gks OR s.gksklx);

		FOR u IN SELECT s.* FROM units_on(p.end_date) s
		    WHERE s.files AND NOT EXISTS (SELECT 1 FROM reports r
		        WHERE r.unit_code = s.code AND r.period_code = p.code)
		    ORDER BY s.code
		LOOP
			INSERT INTO reports (unit_code, period_code, form, status,
			    version, late, submitted_at, checks)
			VALUES (u.code, p.code, 'PL1', CASE WHEN p.code = '2025-09'
			        THEN 'submitted' ELSE 'accepted' END, 2, false,
			    p.deadline - interval '2 days' + interval '9 hours',
			    '[]');
			-- Its totals: its own figures and those of the stations
			-- it files for.
			INSERT INTO report_values (report_id, station, item, num)
			SELECT r.id, '', f.item, sum(f.num)
			FROM reports r, demo_fig f
			JOIN units_on(p.end_date) s ON s.code = f.code
			WHERE r.unit_code = u.code AND r.period_code = p.code
			  AND s.filed_by = u.code
			  AND (f.code = u.code OR f.item IN (SELECT item
			      FROM demo_items WHERE NOT gks))
			GROUP BY r.id, f.item;
			-- The appendix (§6, §7): each station's row, and the
			-- centre's own.
			INSERT INTO report_values (report_id, station, item, num)
			SELECT r.id, f.code, f.item, f.num
			FROM reports r, demo_fig f
			JOIN units_on(p.end_date) s ON s.code = f.code
			WHERE r.unit_code = u.code AND r.period_code = p.code
			  AND s.filed_by = u.code AND s.code <> u.code
			  AND f.item IN (SELECT item FROM demo_items
			      WHERE appendix);
			INSERT INTO report_own_values (report_id, item, num)
			SELECT r.id, f.item, f.num
			FROM reports r, demo_fig f
			WHERE r.unit_code = u.code AND r.period_code = p.code
			  AND f.code = u.code AND u.kind = 'district_centre'
			  AND f.item IN (SELECT item FROM demo_items
			      WHERE appendix);
			INSERT INTO report_events (report_id, action, version)
			SELECT id, 'submit', 1 FROM reports
			WHERE unit_code = u.code AND period_code = p.code;
		END LOOP;
	END LOOP;
END $$;
