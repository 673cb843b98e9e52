-- Sign-in under attack and the accounts the office manages:
--   * every password check is counted before it runs, against the name
--     and against the client's address, in one statement (login_attempt);
--   * old failures and attempts are swept a few at a time as new ones
--     come, expired sessions at each sign-in (queries.sql);
--   * an account can be deactivated and reactivated, unlocking is
--     audited and follows the reset rule;
--   * one-time passwords expire after 14 days;
--   * accounts go only to units that file, integration (token) accounts
--     never get a password, and token user names cannot collide.

-- The sweep of old rows walks these in time order.
CREATE INDEX login_failures_at ON login_failures (at);
CREATE INDEX sessions_created ON sessions (created_at);

-- One row per password check from an address (an IPv6 client by its
-- /64, which one person usually holds whole) in the last 15 minutes; a
-- check that found the right password takes its row back.
CREATE TABLE login_addr_attempts (
	id		bigserial PRIMARY KEY,
	addr		inet NOT NULL,
	at		timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_addr_attempts_addr_at ON login_addr_attempts (addr, at);
CREATE INDEX login_addr_attempts_at ON login_addr_attempts (at);

-- When the office issued the one-time password the account still has
-- (NULL once the user chose their own).
ALTER TABLE users ADD COLUMN otp_issued_at timestamptz;

-- Accounts still on a one-time password (their hash has its light
-- parameters) were issued when created, or at their last reset.
UPDATE users u SET otp_issued_at = greatest(u.created_at,
    (SELECT max(a.at) FROM audit a WHERE a.object = 'user:' || u.username
        AND a.action = 'account_reset'))
WHERE u.must_change_password AND NOT u.integration
  AND u.password_hash LIKE '$argon2id$v=19$m=4096,t=1,p=1$%';

-- Count one password check before it runs.  Two advisory locks (the
-- address, then the name: always in this order, so two checks never
-- wait for each other in a circle) make the count and the insert one
-- step for all nodes: 60 parallel guesses at one name find 0, 1, 2, ...
-- rows in turn, and only the first p_name_limit are let through.  Each
-- statement of a plpgsql function reads with a fresh snapshot, so the
-- counts see every check that held the locks before.  The locks last
-- until this statement's transaction ends, a few milliseconds; the
-- argon2 check itself runs afterwards, outside.
--
-- A check let through is counted as a failure in advance (login_failures
-- for the name, login_addr_attempts for the address); a right password
-- clears the name's rows and takes back its own address row
-- (session_create, password_set).
--
-- Also sweeps up to 50 rows of each table older than the window, the
-- oldest first, so neither grows with the attacks it has seen.
CREATE FUNCTION login_attempt(p_name text, p_addr inet, p_name_limit int,
    p_addr_limit int)
RETURNS TABLE (o_result text, o_retry_after int, o_attempt bigint,
    o_user_id bigint, o_password_hash text, o_role text, o_unit text,
    o_must_change boolean, o_otp_expired boolean)
LANGUAGE plpgsql AS $$
DECLARE
	v_addr	inet := CASE WHEN family(p_addr) = 6
	    THEN network(set_masklen(p_addr, 64))::inet ELSE host(p_addr)::inet END;
	v_since	timestamptz := now() - interval '15 minutes';
	v_n	bigint;
	v_first	timestamptz;
	v_id	bigint;
	v_user	users%ROWTYPE;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtextextended('portal login addr '
	    || v_addr::text, 0));
	PERFORM pg_advisory_xact_lock(hashtextextended('portal login name '
	    || p_name, 0));

	SELECT count(*), min(f.at) INTO v_n, v_first
	FROM login_failures f WHERE f.username = p_name AND f.at > v_since;
	IF v_n >= p_name_limit THEN
		RETURN QUERY SELECT 'locked'::text, greatest(1, ceil(extract(
		    epoch FROM v_first + interval '15 minutes' - now())))::int,
		    NULL::bigint, NULL::bigint, NULL::text, NULL::text,
		    NULL::text, NULL::boolean, NULL::boolean;
		RETURN;
	END IF;

	SELECT count(*), min(a.at) INTO v_n, v_first
	FROM login_addr_attempts a WHERE a.addr = v_addr AND a.at > v_since;
	IF v_n >= p_addr_limit THEN
		RETURN QUERY SELECT 'throttled'::text, greatest(1, ceil(extract(
		    epoch FROM v_first + interval '15 minutes' - now())))::int,
		    NULL::bigint, NULL::bigint, NULL::text, NULL::text,
		    NULL::text, NULL::boolean, NULL::boolean;
		RETURN;
	END IF;

	INSERT INTO login_failures (username) VALUES (p_name);
	INSERT INTO login_addr_attempts (addr) VALUES (v_addr)
	RETURNING id INTO v_id;

	DELETE FROM login_failures WHERE ctid = ANY (ARRAY(
	    SELECT f.ctid FROM login_failures f WHERE f.at < v_since
	    ORDER BY f.at LIMIT 50 FOR UPDATE SKIP LOCKED));
	DELETE FROM login_addr_attempts WHERE id IN (
	    SELECT a.id FROM login_addr_attempts a WHERE a.at < v_since
	    ORDER BY a.at LIMIT 50 FOR UPDATE SKIP LOCKED);

	-- An integration's user has a token, never a password.
	SELECT * INTO v_user FROM users u
	WHERE u.username = p_name AND u.active AND NOT u.integration;

	RETURN QUERY SELECT 'ok'::text, 0, v_id, v_user.id,
	    v_user.password_hash, v_user.role, coalesce(v_user.unit_code, ''),
	    v_user.must_change_password,
	    coalesce(v_user.must_change_password
	        AND v_user.otp_issued_at < now() - interval '14 days', false);
END $$;

-- The office may issue unit and viewer accounts only; a unit account
-- only for a unit that files (a commune station's district health
-- centre files for it; the office's own unit does not file).  Names of
-- the form api.* are the integrations' (token_create).
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
		IF NOT EXISTS (SELECT 1 FROM units WHERE code = p_unit) THEN
			RETURN 'no_unit';
		END IF;
		IF NOT EXISTS (SELECT 1 FROM units WHERE code = p_unit
		    AND unit_files_reports(kind, active)) THEN
			RETURN 'not_filing';
		END IF;
		IF EXISTS (SELECT 1 FROM users WHERE unit_code = p_unit
		    AND role = 'unit' AND active AND NOT integration) THEN
			RETURN 'unit_has_account';
		END IF;
	END IF;
	IF EXISTS (SELECT 1 FROM jsonb_array_elements_text(p_districts) d
	    WHERE d NOT IN (SELECT code FROM districts)) THEN
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

-- Whether an actor may reset, unlock or (de)activate an account: 'ok',
-- or why not.  The one place of that rule: the office manages unit and
-- viewer accounts, the admin every account; an integration's user is
-- managed through its token only.
CREATE FUNCTION account_manageable(p_user users, p_actor_role text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE
	    WHEN p_user.id IS NULL THEN 'not_found'
	    WHEN p_user.integration THEN 'integration'
	    WHEN p_actor_role <> 'admin' AND p_user.role IN ('office', 'admin')
	        THEN 'forbidden'
	    ELSE 'ok' END
$$;

-- A new one-time password: the old password and every session end.
-- Not for an integration's user: it signs in with its token only.
CREATE OR REPLACE FUNCTION account_reset(p_username text, p_hash text,
    p_actor bigint, p_actor_role text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	v_user	users%ROWTYPE;
	v_why	text;
BEGIN
	SELECT * INTO v_user FROM users WHERE username = p_username;
	v_why := account_manageable(v_user, p_actor_role);
	IF v_why <> 'ok' THEN
		RETURN v_why;
	END IF;
	UPDATE users SET password_hash = p_hash, must_change_password = true,
	    otp_issued_at = now()
	WHERE id = v_user.id;
	DELETE FROM sessions WHERE user_id = v_user.id;
	DELETE FROM login_failures WHERE username = p_username;
	INSERT INTO audit (actor, action, object)
	VALUES (p_actor, 'account_reset', 'user:' || p_username);
	RETURN 'ok';
END $$;

-- Lift the lockout of a name, by the same rule as a reset.
CREATE FUNCTION account_unlock(p_username text, p_actor bigint,
    p_actor_role text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	v_user	users%ROWTYPE;
	v_why	text;
BEGIN
	SELECT * INTO v_user FROM users WHERE username = p_username;
	v_why := account_manageable(v_user, p_actor_role);
	IF v_why <> 'ok' THEN
		RETURN v_why;
	END IF;
	DELETE FROM login_failures WHERE username = p_username;
	INSERT INTO audit (actor, action, object)
	VALUES (p_actor, 'account_unlock', 'user:' || p_username);
	RETURN 'ok';
END $$;

-- Deactivate (its sessions end) or reactivate an account, by the same
-- rule as a reset; nobody deactivates their own.  A unit account comes
-- back only while its unit has no other active one.
CREATE FUNCTION account_set_active(p_username text, p_active boolean,
    p_actor bigint, p_actor_role text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	v_user	users%ROWTYPE;
	v_why	text;
BEGIN
	SELECT * INTO v_user FROM users WHERE username = p_username FOR UPDATE;
	v_why := account_manageable(v_user, p_actor_role);
	IF v_why <> 'ok' THEN
		RETURN v_why;
	END IF;
	IF v_user.id = p_actor THEN
		RETURN 'self';
	END IF;
	IF v_user.active = p_active THEN
		RETURN 'ok';
	END IF;
	IF p_active AND v_user.role = 'unit' AND EXISTS (SELECT 1 FROM users
	    WHERE unit_code = v_user.unit_code AND role = 'unit' AND active
	    AND NOT integration) THEN
		RETURN 'unit_has_account';
	END IF;

	UPDATE users SET active = p_active WHERE id = v_user.id;
	IF NOT p_active THEN
		DELETE FROM sessions WHERE user_id = v_user.id;
	END IF;
	INSERT INTO audit (actor, action, object, before, after)
	VALUES (p_actor, CASE WHEN p_active THEN 'account_activate'
	    ELSE 'account_deactivate' END, 'user:' || p_username,
	    jsonb_build_object('active', v_user.active),
	    jsonb_build_object('active', p_active));
	RETURN 'ok';
END $$;

-- Issue a token to a unit: its own integration user, the token's hash.
-- The user is api.<unit>.<n> with the first n not taken: an account
-- made before names of that form were reserved, or a token being made
-- at the same moment, is stepped over instead of failing the insert.
CREATE OR REPLACE FUNCTION token_create(p_unit text, p_name text,
    p_token text, p_actor bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	v_user	bigint;
	v_id	bigint;
	v_n	bigint;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM units WHERE code = p_unit AND active) THEN
		RETURN jsonb_build_object('result', 'no_unit');
	END IF;
	SELECT count(*) INTO v_n FROM users
	WHERE integration AND unit_code = p_unit;
	LOOP
		v_n := v_n + 1;
		INSERT INTO users (username, role, unit_code, password_hash,
		    must_change_password, integration, full_name)
		VALUES ('api.' || lower(p_unit) || '.' || v_n, 'unit', p_unit,
		    '!', false, true, p_name)
		ON CONFLICT (username) DO NOTHING
		RETURNING id INTO v_user;
		EXIT WHEN v_user IS NOT NULL;
	END LOOP;
	INSERT INTO api_tokens (user_id, token_hash, name, created_by)
	VALUES (v_user, sha256(convert_to(p_token, 'UTF8')), p_name, p_actor)
	RETURNING id INTO v_id;
	INSERT INTO audit (actor, action, object, after)
	VALUES (p_actor, 'token_create', 'token:' || v_id,
	    jsonb_build_object('unit', p_unit, 'name', p_name));
	RETURN jsonb_build_object('result', 'ok', 'id', v_id);
END $$;
