-- Benchmarks: a synthetic registry in one statement per table, set-based,
-- as dated states (sql/012): every area and every unit has a state
-- before the reorganisation of 1 July 2025 and another after it, so
-- that each lookup of the registry on a period's last day picks one of
-- two, as it will in real data.
-- psql variables:
--   n_units      units that file reports (commune stations not counted)
--   n_districts  synthetic districts added to the 27 of Thanh Hóa
--                (0 for a province; about 700 for the whole country)
--   stations     commune stations under each district health centre
--   office       user name of the office account
--   hash         its password hash (build/portalctl hash, computed once)
-- Every district gets a health centre with its stations; about one unit
-- in a hundred is a hospital, one is the CDC, the rest private clinics
-- (one in ten licensed for driving-licence health checks, gksklx).  From
-- 1 July 2025 one station in ten files its own report.

SELECT setseed(0.42);

INSERT INTO area_codes (code)
SELECT 'N' || lpad(i::text, 4, '0') FROM generate_series(1, :n_districts) i;
INSERT INTO area_states (code, valid, name, kind)
SELECT 'N' || lpad(i::text, 4, '0'), daterange(NULL, '2025-07-01'),
    'Huyện tổng hợp ' || i, 'district'
FROM generate_series(1, :n_districts) i
UNION ALL
SELECT 'N' || lpad(i::text, 4, '0'), daterange('2025-07-01', NULL),
    'Địa bàn huyện tổng hợp ' || i || ' cũ', 'catchment'
FROM generate_series(1, :n_districts) i;

CREATE TEMP TABLE bench_d AS
SELECT code, row_number() OVER (ORDER BY code) - 1 AS i FROM area_codes;

CREATE TEMP TABLE bench_u (code text, name text, kind text,
    is_public boolean, area text, parent text, hospital boolean,
    cdc boolean, gksklx boolean, n integer);

INSERT INTO bench_u
SELECT 'TTYT-' || code, 'Trung tâm Y tế ' || code, 'district_centre', true,
    code, NULL, true, false, true, 0
FROM bench_d;

INSERT INTO bench_u
SELECT 'TYT-' || d.code || '-' || n, 'Trạm Y tế xã ' || n || ' ' || d.code,
    'commune_station', true, d.code, 'TTYT-' || d.code, false, false, false,
    n
FROM bench_d d, generate_series(1, :stations) n;

INSERT INTO bench_u
SELECT 'CDC-BENCH', 'Trung tâm Kiểm soát bệnh tật (tổng hợp)', 'cdc', true,
    (SELECT code FROM bench_d WHERE i = 0), NULL, false, true, false, 0;

-- The rest: hospitals and private clinics, spread over the districts.
INSERT INTO bench_u
SELECT CASE WHEN n % 100 = 0 THEN 'BV' ELSE 'PK' END || lpad(n::text, 6, '0'),
    CASE WHEN n % 100 = 0 THEN 'Bệnh viện tổng hợp ' ELSE
    'Phòng khám tổng hợp ' END || n,
    CASE WHEN n % 100 = 0 THEN 'provincial_hospital' ELSE 'private_clinic'
    END,
    n % 100 = 0, d.code, NULL, n % 100 = 0, false, n % 10 = 0, n
FROM generate_series(1, :n_units - 1 - (SELECT count(*) FROM bench_d)) n
JOIN bench_d d ON d.i = n % (SELECT count(*) FROM bench_d);

INSERT INTO unit_codes (code) SELECT code FROM bench_u;
INSERT INTO unit_states (code, valid, name, kind, is_public, area, parent,
    files_self, hospital, cdc, gksklx)
SELECT code, daterange(NULL, '2025-07-01'), name, kind, is_public, area,
    parent, false, hospital, cdc, gksklx
FROM bench_u
UNION ALL
SELECT code, daterange('2025-07-01', NULL), name || ' (từ 01/7/2025)', kind,
    is_public, area, parent, kind = 'commune_station' AND n % 10 = 0,
    hospital, cdc, gksklx
FROM bench_u;

INSERT INTO contacts (unit_code, name, position, phone, email)
SELECT code, 'Người đầu mối ' || code, 'Cán bộ công nghệ thông tin',
    '09' || lpad((abs(hashtext(code)) % 100000000)::text, 8, '0'),
    lower(code) || '@bench.example'
FROM bench_u WHERE kind <> 'commune_station';

INSERT INTO users (username, role, password_hash, must_change_password)
VALUES (:'office', 'office', :'hash', false);

ANALYZE area_codes;
ANALYZE area_states;
ANALYZE unit_codes;
ANALYZE unit_states;
ANALYZE contacts;
