-- Benchmarks: one monthly period of filed Phụ lục 1 reports for every unit
-- that files, in one set-based statement (INSERT … SELECT through a
-- data-modifying CTE, so the values find their report's id).
-- psql variables:
--   period        the monthly period's code (already in the calendar)
--   accepted_pct  share of the reports already accepted (the rest
--                 submitted), in percent
--   scaled        true: values vary with the unit's size (1 to 20 times
--                 the base) and by ±10 % per report; false: exactly the
--                 base values, the set the burst files again (so that
--                 nothing warns against the unit's own history)
-- About 5 % of the reports are late.  The values are consistent (parts
-- never above their whole); district health centres also carry their
-- stations' rows (Phụ lục 1 §6 and §7): those they file for in the
-- period (the registry of its last day, sql/012).

WITH items (item, base, gks) AS (VALUES
	('bhyt.records_total', 1000, false), ('bhyt.records_ontime', 950, false),
	('erx.total', 800, false), ('erx.linked', 780, false),
	('birth.total', 20, false), ('birth.synced', 19, false),
	('death.total', 3, false), ('death.synced', 3, false),
	('pay.total', 2000, false), ('pay.transfer', 300, false),
	('pay.pos', 200, false), ('pay.qr_static', 100, false),
	('pay.qr_dynamic', 400, false), ('pay.ewallet', 50, false),
	('pay.other', 10, false),
	('cccd.visits', 1500, false), ('cccd.used', 1200, false),
	('cccd.insurance_returned', 1100, false), ('cccd.qr_readers', 6, false),
	('sign.issued', 40, false), ('sign.needed', 5, false),
	('stay.declared', 30, false),
	('gksklx.issued', 50, true), ('gksklx.linked', 48, true)
), station_items (item, base) AS (VALUES
	('cccd.visits', 300), ('cccd.used', 240),
	('cccd.insurance_returned', 220), ('cccd.qr_readers', 1),
	('sign.issued', 5), ('sign.needed', 1)
), p AS (
	SELECT code, end_date, deadline FROM periods WHERE code = :'period'
), pick AS (
	-- The units that file in the period: its last day's registry.
	SELECT u.code, random() < 0.05 AS late, random() AS x, random() AS y
	FROM p, units_on(p.end_date) u
	WHERE u.files
), r AS (
	INSERT INTO reports (unit_code, period_code, form, status, version,
	    late, submitted_at, created_at, updated_at, checks)
	SELECT k.code, p.code, 'PL1',
	    CASE WHEN k.y * 100 < :accepted_pct THEN 'accepted'
	        ELSE 'submitted' END,
	    CASE WHEN k.y * 100 < :accepted_pct THEN 3 ELSE 2 END,
	    k.late, t.ts, t.ts - interval '2 days', t.ts, '[]'
	FROM pick k, p,
	    LATERAL (SELECT CASE WHEN k.late
	        THEN p.deadline + 1 + interval '10 hours' + k.x * interval '5 days'
	        ELSE p.deadline - 5 + interval '8 hours' + k.x * interval '5 days'
	        END::timestamptz AS ts) t
	RETURNING id, unit_code
), f AS (
	SELECT r.id, r.unit_code, u.gksklx,
	    CASE WHEN :scaled THEN 1 + abs(hashtext(u.code)) % 20 ELSE 1 END
	    * CASE WHEN :scaled THEN 0.9 + (abs(hashtext(r.id::text)) % 200)
	        / 1000.0 ELSE 1 END AS m
	FROM r, p, units_on(p.end_date) u WHERE u.code = r.unit_code
)
INSERT INTO report_values (report_id, station, item, num)
SELECT f.id, '', i.item, round(i.base * f.m)::bigint
FROM f CROSS JOIN items i
WHERE NOT i.gks OR f.gksklx
UNION ALL
SELECT f.id, s.code, si.item, round(si.base * f.m)::bigint
FROM f, p, units_on(p.end_date) s, station_items si
WHERE s.filed_by = f.unit_code AND s.code <> f.unit_code;
