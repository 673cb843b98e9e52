-- Foundation: districts, units, focal points, accounts, sessions, the
-- calendar and the audit trail.  Applied once by scripts/migrate.sh inside
-- one transaction; later changes are new numbered files.

CREATE TABLE districts (
	code		text PRIMARY KEY CHECK (code ~ '^[A-Z0-9_-]{2,32}$'),
	name		text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
	kind		text NOT NULL CHECK (kind IN ('city', 'town', 'district'))
);

CREATE TABLE units (
	code		text PRIMARY KEY CHECK (code ~ '^[A-Z0-9][A-Z0-9._-]{1,31}$'),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	kind		text NOT NULL CHECK (kind IN ('provincial_hospital',
			    'private_hospital', 'district_centre',
			    'commune_station', 'cdc', 'private_clinic',
			    'department_office', 'other')),
	is_public	boolean NOT NULL DEFAULT true,
	district	text NOT NULL REFERENCES districts (code),
	parent		text REFERENCES units (code),
	gksklx		boolean NOT NULL DEFAULT false,
	hospital	boolean NOT NULL DEFAULT false,
	cdc		boolean NOT NULL DEFAULT false,
	active		boolean NOT NULL DEFAULT true,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	-- Only commune stations hang under a district health centre.
	CHECK ((kind = 'commune_station') = (parent IS NOT NULL)),
	CHECK (parent IS NULL OR parent <> code)
);
CREATE INDEX units_parent ON units (parent);
CREATE INDEX units_district ON units (district);

CREATE TABLE contacts (
	unit_code	text PRIMARY KEY REFERENCES units (code) ON DELETE CASCADE,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	position	text NOT NULL DEFAULT '' CHECK (length(position) <= 100),
	phone		text NOT NULL CHECK (phone ~ '^0[0-9]{9,10}$'),
	email		text NOT NULL DEFAULT '' CHECK (length(email) <= 254),
	updated_at	timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
	id		bigserial PRIMARY KEY,
	username	text NOT NULL UNIQUE
			    CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
	role		text NOT NULL CHECK (role IN ('unit', 'office', 'viewer',
			    'admin')),
	unit_code	text REFERENCES units (code),
	full_name	text NOT NULL DEFAULT '',
	password_hash	text NOT NULL,
	must_change_password boolean NOT NULL DEFAULT true,
	active		boolean NOT NULL DEFAULT true,
	-- A hospital information system's user, behind an API token; it
	-- never signs in with a password ('!' is no argon2 hash).
	integration	boolean NOT NULL DEFAULT false,
	created_at	timestamptz NOT NULL DEFAULT now(),
	password_changed_at timestamptz,
	last_login_at	timestamptz,
	CHECK ((role = 'unit') = (unit_code IS NOT NULL))
);
CREATE UNIQUE INDEX users_one_per_unit ON users (unit_code)
    WHERE role = 'unit' AND active AND NOT integration;

-- Districts a viewer (steering committee member) follows.
CREATE TABLE viewer_districts (
	user_id		bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	district	text NOT NULL REFERENCES districts (code),
	PRIMARY KEY (user_id, district)
);

CREATE TABLE sessions (
	id		bigserial PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	token_hash	bytea NOT NULL UNIQUE,
	csrf_token	text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_seen	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_failures (
	username	text NOT NULL,
	at		timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_name_at ON login_failures (username, at);

CREATE TABLE periods (
	code		text PRIMARY KEY
			    CHECK (code ~ '^[0-9]{4}-([0-9]{2}|H1|Y)$'),
	year		integer NOT NULL,
	name		text NOT NULL,
	start_date	date NOT NULL,
	end_date	date NOT NULL,
	deadline	date NOT NULL,
	forms		text[] NOT NULL,
	edited_by	bigint REFERENCES users (id),
	edited_at	timestamptz,
	CHECK (start_date <= end_date AND end_date <= deadline)
);
CREATE INDEX periods_year ON periods (year);

-- One unit's answer to one form for one period.  Values and the review
-- rounds come with the filing capability; the calendar pages already show
-- each unit where its reports stand.
CREATE TABLE reports (
	id		bigserial PRIMARY KEY,
	unit_code	text NOT NULL REFERENCES units (code),
	period_code	text NOT NULL REFERENCES periods (code),
	form		text NOT NULL CHECK (form IN ('PL1', 'PL2')),
	status		text NOT NULL DEFAULT 'draft' CHECK (status IN
			    ('draft', 'submitted', 'returned', 'accepted')),
	version		integer NOT NULL DEFAULT 1,
	late		boolean NOT NULL DEFAULT false,
	submitted_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (unit_code, period_code, form)
);
CREATE INDEX reports_period ON reports (period_code, form);

-- Append-only: who did what to which thing, with the values before and
-- after.  Nothing updates or deletes rows here.
CREATE TABLE audit (
	id		bigserial PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now(),
	actor		bigint REFERENCES users (id),
	action		text NOT NULL,
	object		text NOT NULL,
	before		jsonb,
	after		jsonb
);
CREATE INDEX audit_object ON audit (object);

CREATE FUNCTION audit_no_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit rows are append-only';
END $$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_no_change();

-- The one definition of scope: the units a user may see.  A unit sees
-- itself and the stations it manages; the office and admin see the
-- province; a viewer sees the units of the districts assigned to them.
CREATE FUNCTION scope_units(p_user bigint) RETURNS SETOF text
LANGUAGE sql STABLE AS $$
	SELECT u.code FROM units u, users me
	WHERE me.id = p_user AND me.active AND (
	    me.role IN ('office', 'admin')
	    OR (me.role = 'unit' AND (u.code = me.unit_code
	        OR u.parent = me.unit_code))
	    OR (me.role = 'viewer' AND u.district IN (
	        SELECT district FROM viewer_districts WHERE user_id = p_user)))
$$;
