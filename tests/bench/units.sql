-- Benchmarks: a synthetic registry in one statement per table, set-based.
-- psql variables:
--   n_units      units that file reports (commune stations not counted)
--   n_districts  synthetic districts added to the 27 of Thanh Hóa
--                (0 for a province; about 700 for the whole country)
--   stations     commune stations under each district health centre
--   office       user name of the office account
--   hash         its password hash (build/portalctl hash, computed once)
-- Every district gets a health centre with its stations; about one unit
-- in a hundred is a hospital, one is the CDC, the rest private clinics
-- (one in ten licensed for driving-licence health checks, gksklx).

SELECT setseed(0.42);

INSERT INTO districts (code, name, kind)
SELECT 'N' || lpad(i::text, 4, '0'), 'Huyện tổng hợp ' || i, 'district'
FROM generate_series(1, :n_districts) i;

CREATE TEMP TABLE bench_d AS
SELECT code, row_number() OVER (ORDER BY code) - 1 AS i FROM districts;

INSERT INTO units (code, name, kind, is_public, district, hospital, gksklx)
SELECT 'TTYT-' || code, 'Trung tâm Y tế ' || code, 'district_centre', true,
    code, true, true
FROM bench_d;

INSERT INTO units (code, name, kind, is_public, district, parent)
SELECT 'TYT-' || d.code || '-' || n, 'Trạm Y tế xã ' || n || ' ' || d.code,
    'commune_station', true, d.code, 'TTYT-' || d.code
FROM bench_d d, generate_series(1, :stations) n;

INSERT INTO units (code, name, kind, is_public, district, hospital, cdc,
    gksklx)
SELECT 'CDC-BENCH', 'Trung tâm Kiểm soát bệnh tật (tổng hợp)', 'cdc', true,
    (SELECT code FROM bench_d WHERE i = 0), false, true, false;

-- The rest: hospitals and private clinics, spread over the districts.
INSERT INTO units (code, name, kind, is_public, district, hospital, gksklx)
SELECT CASE WHEN n % 100 = 0 THEN 'BV' ELSE 'PK' END || lpad(n::text, 6, '0'),
    CASE WHEN n % 100 = 0 THEN 'Bệnh viện tổng hợp ' ELSE
    'Phòng khám tổng hợp ' END || n,
    CASE WHEN n % 100 = 0 THEN 'provincial_hospital' ELSE 'private_clinic'
    END,
    n % 100 = 0,
    d.code, n % 100 = 0, n % 10 = 0
FROM generate_series(1, :n_units - 1 - (SELECT count(*) FROM bench_d)) n
JOIN bench_d d ON d.i = n % (SELECT count(*) FROM bench_d);

INSERT INTO contacts (unit_code, name, position, phone, email)
SELECT code, 'Người đầu mối ' || code, 'Cán bộ công nghệ thông tin',
    '09' || lpad((abs(hashtext(code)) % 100000000)::text, 8, '0'),
    lower(code) || '@bench.example'
FROM units WHERE kind <> 'commune_station';

INSERT INTO users (username, role, password_hash, must_change_password)
VALUES (:'office', 'office', :'hash', false);

ANALYZE districts;
ANALYZE units;
ANALYZE contacts;
