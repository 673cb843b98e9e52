"""Sign-in, sessions, the password change, lockout and CSRF."""

import unittest

from portal import Client, make_unit, make_user, raw, signed_in, sql, sql1


class HealthTest(unittest.TestCase):
    def test_healthz_answers_ok_when_database_answers(self):
        r = raw("GET", "/healthz")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json(), {"status": "ok"})

    def test_unknown_api_path_is_404_json_error(self):
        r = raw("GET", "/api/v1/nothing-here")
        self.assertEqual(r.status, 404)
        self.assertEqual(r.error_code(), "not_found")

    def test_wrong_method_is_405(self):
        r = raw("PATCH", "/api/v1/session")
        self.assertEqual(r.status, 405)


class SecurityHeadersTest(unittest.TestCase):
    def check(self, r):
        self.assertEqual(r.header("x-content-type-options"), "nosniff")
        self.assertEqual(r.header("x-frame-options"), "DENY")
        self.assertIn("default-src 'self'",
                      r.header("content-security-policy"))
        self.assertEqual(r.header("referrer-policy"), "no-referrer")

    def test_every_kind_of_answer_has_security_headers(self):
        self.check(raw("GET", "/healthz"))
        self.check(raw("GET", "/api/v1/units"))             # 401
        self.check(raw("GET", "/api/v1/does-not-exist"))    # 404 API
        self.check(raw("GET", "/login"))                    # page
        self.check(raw("GET", "/no/such/page"))             # 404 page
        self.check(raw("POST", "/api/v1/session", b"{", {}))  # 400


class LoginTest(unittest.TestCase):
    def test_login_sets_httponly_strict_cookie_and_returns_csrf(self):
        user, pw = make_user("office")
        c = Client()
        r = c.login(user, pw)
        self.assertEqual(r.status, 200, r)
        body = r.json()
        self.assertEqual(body["user"]["username"], user)
        self.assertEqual(body["user"]["role"], "office")
        self.assertIsNone(body["user"]["unit"])
        self.assertFalse(body["must_change_password"])
        self.assertGreaterEqual(len(body["csrf_token"]), 32)
        cookie = r.header("set-cookie")
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Strict", cookie)
        me = c.get("/api/v1/session")
        self.assertEqual(me.status, 200)
        self.assertEqual(me.json()["csrf_token"], body["csrf_token"])

    def test_session_token_is_stored_hashed(self):
        c = signed_in("office")
        self.assertIsNone(sql1(
            "SELECT 1 FROM sessions s WHERE s::text LIKE :'v1'",
            "%" + c.sid + "%"))
        self.assertEqual(sql1(
            """SELECT count(*) FROM sessions
               WHERE token_hash = sha256(convert_to(:'v1', 'UTF8'))""",
            c.sid), "1")

    def test_wrong_password_and_unknown_user_get_same_401(self):
        user, _ = make_user("office")
        a = Client().login(user, "sai-mat-khau-123")
        b = Client().login("khong-co-ai-ten-nay", "sai-mat-khau-123")
        self.assertEqual(a.status, 401)
        self.assertEqual(b.status, 401)
        self.assertEqual(a.json(), b.json())
        self.assertIn("không đúng", a.json()["error"]["message"])

    def test_login_body_must_be_json_with_both_fields(self):
        c = Client()
        self.assertEqual(c.post("/api/v1/session", "không phải json").status,
                         400)
        self.assertEqual(c.post("/api/v1/session", "[1,2]").status, 400)
        self.assertEqual(c.post("/api/v1/session",
                                {"username": "a"}).status, 400)
        self.assertEqual(c.post("/api/v1/session",
                                {"username": 5, "password": 6}).status, 400)
        self.assertEqual(c.post("/api/v1/session",
                                {"username": "a\u0000b",
                                 "password": "x"}).status, 400)

    def test_oversized_login_body_is_413(self):
        r = Client().post("/api/v1/session",
                          {"username": "a", "password": "x" * 9000})
        self.assertEqual(r.status, 413)

    def test_username_is_case_insensitive(self):
        user, pw = make_user("office")
        self.assertEqual(Client().login(user.upper(), pw).status, 200)

    def test_no_session_is_401_json(self):
        r = raw("GET", "/api/v1/units")
        self.assertEqual(r.status, 401)
        self.assertEqual(r.error_code(), "unauthenticated")
        r = raw("GET", "/api/v1/units", headers={"Cookie": "sid=forged"})
        self.assertEqual(r.status, 401)

    def test_logout_ends_the_session(self):
        c = signed_in("office")
        sid = c.sid
        r = c.delete("/api/v1/session")
        self.assertEqual(r.status, 204)
        self.assertIn("Max-Age=0", r.header("set-cookie"))
        r = raw("GET", "/api/v1/session", headers={"Cookie": "sid=" + sid})
        self.assertEqual(r.status, 401)


class LockoutTest(unittest.TestCase):
    def test_five_failures_lock_the_account_for_fifteen_minutes(self):
        user, pw = make_user("office")
        for _ in range(5):
            self.assertEqual(Client().login(user, "sai-mat-khau-000").status,
                             401)
        r = Client().login(user, pw)
        self.assertEqual(r.status, 429)
        self.assertIn("15 phút", r.json()["error"]["message"])
        sql("""UPDATE login_failures SET at = now() - interval '16 minutes'
               WHERE username = :'v1'""", user)
        self.assertEqual(Client().login(user, pw).status, 200)

    def test_success_clears_earlier_failures(self):
        user, pw = make_user("office")
        for _ in range(4):
            Client().login(user, "sai-mat-khau-000")
        self.assertEqual(Client().login(user, pw).status, 200)
        for _ in range(4):
            Client().login(user, "sai-mat-khau-000")
        self.assertEqual(Client().login(user, pw).status, 200)

    def test_office_can_unlock_an_account(self):
        user, pw = make_user("unit", unit=make_unit("private_clinic"))
        for _ in range(5):
            Client().login(user, "sai-mat-khau-000")
        self.assertEqual(Client().login(user, pw).status, 429)
        office = signed_in("office")
        self.assertEqual(office.post(
            "/api/v1/accounts/%s/unlock" % user).status, 204)
        self.assertEqual(Client().login(user, pw).status, 200)


class SessionExpiryTest(unittest.TestCase):
    def test_idle_session_expires_after_thirty_minutes(self):
        c = signed_in("office")
        sql("""UPDATE sessions SET last_seen = now() - interval '31 minutes'
               WHERE token_hash = sha256(convert_to(:'v1', 'UTF8'))""", c.sid)
        self.assertEqual(c.get("/api/v1/session").status, 401)

    def test_session_expires_after_twelve_hours_even_when_active(self):
        c = signed_in("office")
        sql("""UPDATE sessions SET created_at = now() - interval '13 hours'
               WHERE token_hash = sha256(convert_to(:'v1', 'UTF8'))""", c.sid)
        self.assertEqual(c.get("/api/v1/session").status, 401)

    def test_disabled_account_loses_its_sessions(self):
        c = signed_in("office")
        sql("UPDATE users SET active = false WHERE username = :'v1'",
            c.username)
        self.assertEqual(c.get("/api/v1/session").status, 401)
        self.assertEqual(Client().login(c.username, c.password).status, 401)


class CsrfTest(unittest.TestCase):
    def test_write_without_csrf_header_is_refused(self):
        c = signed_in("office")
        c.send_csrf = False
        r = c.put("/api/v1/periods/2030-05", {"start": "2030-04-15",
                  "end": "2030-05-14", "deadline": "2030-05-16"})
        self.assertEqual(r.status, 403)
        self.assertEqual(r.error_code(), "csrf")
        r = c.delete("/api/v1/session")
        self.assertEqual(r.status, 403)
        self.assertEqual(c.get("/api/v1/session").status, 200)

    def test_write_with_wrong_csrf_token_is_refused(self):
        c = signed_in("office")
        r = c.delete("/api/v1/session", headers={"X-CSRF-Token": "x" * 43})
        self.assertEqual(r.status, 403)
        self.assertEqual(r.error_code(), "csrf")

    def test_csrf_token_of_another_session_is_refused(self):
        a = signed_in("office")
        b = signed_in("office")
        r = a.delete("/api/v1/session", headers={"X-CSRF-Token": b.csrf})
        self.assertEqual(r.status, 403)


class PasswordChangeTest(unittest.TestCase):
    def setUp(self):
        self.user, self.pw = make_user("unit", unit=make_unit("private_clinic"),
                                       must_change=True)
        self.c = Client()
        r = self.c.login(self.user, self.pw)
        self.assertTrue(r.json()["must_change_password"])

    def test_nothing_but_the_change_is_allowed_before_it(self):
        r = self.c.get("/api/v1/units")
        self.assertEqual(r.status, 403)
        self.assertEqual(r.error_code(), "password_change_required")
        self.assertEqual(self.c.get("/api/v1/session").status, 200)

    def test_policy_refuses_short_password_and_username(self):
        for new in ("ngan123", self.user + "-2024-abc",
                    "xx" + self.user.upper() + "xxyyzz"):
            r = self.c.post("/api/v1/password",
                            {"current": self.pw, "new": new})
            self.assertEqual(r.status, 422, new)
            self.assertEqual(r.error_code(), "weak_password")
        r = self.c.post("/api/v1/password", {"current": self.pw,
                                             "new": self.pw})
        self.assertEqual(r.status, 422)

    def test_wrong_current_password_is_refused(self):
        r = self.c.post("/api/v1/password", {"current": "sai-mat-khau-1",
                                             "new": "Mot-mat-khau-moi-dai"})
        self.assertEqual(r.status, 422)
        self.assertEqual(r.error_code(), "current_password_wrong")

    def test_malformed_change_request_is_400(self):
        self.assertEqual(self.c.post("/api/v1/password", "{").status, 400)
        self.assertEqual(self.c.post("/api/v1/password",
                                     {"current": self.pw}).status, 400)

    def test_change_unlocks_the_portal_and_retires_old_password(self):
        other = Client()
        other.login(self.user, self.pw)
        new = "Mật-khẩu-mới-đủ-dài"
        r = self.c.post("/api/v1/password", {"current": self.pw, "new": new})
        self.assertEqual(r.status, 204, r)
        self.assertEqual(self.c.get("/api/v1/units").status, 200)
        self.assertEqual(other.get("/api/v1/session").status, 401)
        self.assertEqual(Client().login(self.user, self.pw).status, 401)
        r = Client().login(self.user, new)
        self.assertEqual(r.status, 200)
        self.assertFalse(r.json()["must_change_password"])
        self.assertTrue(sql1("""SELECT password_hash LIKE '$argon2id$%'
                                FROM users WHERE username = :'v1'""",
                             self.user) == "t")


if __name__ == "__main__":
    unittest.main()
