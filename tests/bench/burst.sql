-- Benchmarks, deadline day: n synthetic private clinics spread over the
-- 27 districts, each with its unit account.  Every account gets the same
-- password hash (computed once with build/portalctl hash: argon2id per
-- account would take minutes) and has already changed its password.
-- psql variables: n, hash.  Writes "unit username" lines with \copy.

INSERT INTO unit_codes (code)
SELECT 'BENCH-' || lpad(i::text, 5, '0') FROM generate_series(1, :n) i;
-- In force since the registry's first records (sql/012).
INSERT INTO unit_states (code, valid, name, kind, is_public, area)
SELECT 'BENCH-' || lpad(i::text, 5, '0'), daterange(NULL, NULL),
    'Phòng khám thử tải ' || i, 'private_clinic', false, d.code
FROM generate_series(1, :n) i
JOIN (SELECT code, row_number() OVER (ORDER BY code) - 1 AS k
    FROM area_states WHERE valid @> '2025-06-30'::date
      AND kind IN ('city', 'town', 'district')) d ON d.k = i % 27;

INSERT INTO contacts (unit_code, name, phone)
SELECT code, 'Người đầu mối ' || code,
    '09' || lpad((abs(hashtext(code)) % 100000000)::text, 8, '0')
FROM unit_codes WHERE code LIKE 'BENCH-%';

INSERT INTO users (username, role, unit_code, password_hash,
    must_change_password)
SELECT lower(code), 'unit', code, :'hash', false
FROM unit_codes WHERE code LIKE 'BENCH-%';

ANALYZE unit_codes;
ANALYZE unit_states;
ANALYZE users;
ANALYZE contacts;
