-- Account issuing as single statements: each function does its checks and
-- its writes in the caller's one statement, so nothing is half done.

CREATE FUNCTION account_create(p_username text, p_role text, p_unit text,
    p_hash text, p_full_name text, p_districts jsonb, p_actor bigint)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	v_id	bigint;
BEGIN
	IF EXISTS (SELECT 1 FROM users WHERE username = p_username) THEN
		RETURN 'exists';
	END IF;
	IF p_unit IS NOT NULL THEN
		IF NOT EXISTS (SELECT 1 FROM units WHERE code = p_unit) THEN
			RETURN 'no_unit';
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

	INSERT INTO users (username, role, unit_code, full_name, password_hash)
	VALUES (p_username, p_role, p_unit, p_full_name, p_hash)
	RETURNING id INTO v_id;
	INSERT INTO viewer_districts (user_id, district)
	SELECT v_id, d FROM jsonb_array_elements_text(p_districts) d;
	INSERT INTO audit (actor, action, object, after)
	VALUES (p_actor, 'account_create', 'user:' || p_username,
	    jsonb_build_object('role', p_role, 'unit', p_unit,
	    'districts', p_districts));
	RETURN 'ok';
END $$;

-- A new one-time password: the old password and every session end.
CREATE FUNCTION account_reset(p_username text, p_hash text, p_actor bigint,
    p_actor_role text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	v_user	users%ROWTYPE;
BEGIN
	SELECT * INTO v_user FROM users WHERE username = p_username;
	IF NOT FOUND THEN
		RETURN 'not_found';
	END IF;
	IF p_actor_role <> 'admin' AND v_user.role IN ('office', 'admin') THEN
		RETURN 'forbidden';
	END IF;
	UPDATE users SET password_hash = p_hash, must_change_password = true
	WHERE id = v_user.id;
	DELETE FROM sessions WHERE user_id = v_user.id;
	DELETE FROM login_failures WHERE username = p_username;
	INSERT INTO audit (actor, action, object)
	VALUES (p_actor, 'account_reset', 'user:' || p_username);
	RETURN 'ok';
END $$;
