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
