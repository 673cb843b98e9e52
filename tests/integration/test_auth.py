"""Sign-in, sessions, the password change, lockout and CSRF; sign-in
under attack: bursts, parallel guesses, made-up names from one address."""

import http.client
import json
import os
import random
import subprocess
import threading
import time
import unittest

import portal
from portal import (Client, make_unit, make_user, pw_hash, raw, signed_in,
                    sql, sql1, unique)


def fresh_address():
    """A loopback address of its own (all of 127/8 reaches the server),
    so that a test's failures from one client never count for another's."""
    return "127.%d.%d.%d" % (random.randint(1, 250), random.randint(0, 255),
                             random.randint(1, 254))


def post_from(src, path, body, headers=None, timeout=120):
    """One POST from the source address src, on its own connection."""
    conn = http.client.HTTPConnection(portal._host.hostname,
                                      portal._host.port, timeout=timeout,
                                      source_address=(src, 0))
    h = {"Content-Type": "application/json"}
    h.update(headers or {})
    try:
        conn.request("POST", path, body=json.dumps(body).encode("utf-8"),
                     headers=h)
        r = conn.getresponse()
        return portal.Response(r.status, r.getheaders(), r.read())
    finally:
        conn.close()


def login_from(src, username, password, headers=None):
    return post_from(src, "/api/v1/session",
                     {"username": username, "password": password}, headers)


def login_until_answered(src, username, password, headers=None):
    """A sign-in that, like a person, tries again after a 503 (the server
    busy with other checks); bounded."""
    for _ in range(200):
        r = login_from(src, username, password, headers)
        if r.status != 503:
            return r
        time.sleep(0.1)
    return r


def in_parallel(n, fn):
    """fn(i) for i in range(n) on n threads released at once; results in
    order (an exception counts as the result)."""
    out = [None] * n
    gate = threading.Barrier(n)

    def run(i):
        try:
            gate.wait(timeout=60)
            out[i] = fn(i)
        except Exception as e:  # noqa: BLE001 - reported by the caller
            out[i] = e
    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return out


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


class ParallelGuessTest(unittest.TestCase):
    def test_sixty_parallel_wrong_guesses_verify_at_most_five(self):
        user, pw = make_user("office")
        src = fresh_address()
        got = in_parallel(60, lambda i: login_until_answered(
            src, user, "sai-mat-khau-%02d" % i))
        statuses = [r.status if isinstance(r, portal.Response) else repr(r)
                    for r in got]
        # Each check is counted before it runs: five are let through
        # (and fail), every other one is refused without a check.
        self.assertEqual(statuses.count(401), 5, statuses)
        self.assertEqual(statuses.count(429), 55, statuses)
        r = login_from(src, user, pw)
        self.assertEqual(r.status, 429, r)
        self.assertEqual(r.error_code(), "locked")
        self.assertIn("15 phút", r.json()["error"]["message"])
        self.assertTrue(1 <= int(r.header("retry-after")) <= 900)
        # Locked for the name, from any address.
        self.assertEqual(login_from(fresh_address(), user, pw).status, 429)
        self.assertEqual(sql1("""SELECT count(*) FROM login_failures
                                 WHERE username = :'v1'""", user), "5")

    def test_a_right_password_among_the_first_five_clears_the_count(self):
        user, pw = make_user("office")
        src = fresh_address()
        for i in range(4):
            self.assertEqual(login_from(src, user, "sai-%d-mat-khau" % i)
                             .status, 401)
        self.assertEqual(login_from(src, user, pw).status, 200)
        self.assertEqual(sql1("""SELECT count(*) FROM login_failures
                                 WHERE username = :'v1'""", user), "0")
        for i in range(4):
            self.assertEqual(login_from(src, user, "sai-%d-mat-khau" % i)
                             .status, 401)
        self.assertEqual(login_from(src, user, pw).status, 200)


class PasswordChangeLockoutTest(unittest.TestCase):
    def test_wrong_current_passwords_count_like_failed_sign_ins(self):
        c = signed_in("unit", unit=make_unit("private_clinic"))
        new = "Sông-Mã-chảy-về-xuôi"
        for _ in range(5):
            r = c.post("/api/v1/password", {"current": "sai-mat-khau-1",
                                            "new": new})
            self.assertEqual(r.status, 422, r)
            self.assertEqual(r.error_code(), "current_password_wrong")
        # The sixth is refused before any check, even with the right one.
        r = c.post("/api/v1/password", {"current": c.password, "new": new})
        self.assertEqual(r.status, 429, r)
        self.assertEqual(r.error_code(), "locked")
        self.assertTrue(r.header("retry-after"))
        self.assertEqual(Client().login(c.username, c.password).status, 429)
        self.assertEqual(Client().login(c.username, new).status, 429)

    def test_a_right_current_password_clears_the_count(self):
        c = signed_in("unit", unit=make_unit("private_clinic"))
        for _ in range(4):
            c.post("/api/v1/password", {"current": "sai-mat-khau-1",
                                        "new": "Sông-Mã-chảy-về-xuôi"})
        self.assertEqual(c.post("/api/v1/password", {
            "current": c.password, "new": "Sông-Mã-chảy-về-xuôi"}).status, 204)
        self.assertEqual(sql1("""SELECT count(*) FROM login_failures
                                 WHERE username = :'v1'""", c.username), "0")


class WeakPasswordTest(unittest.TestCase):
    def test_weak_passwords_are_refused_with_the_reason(self):
        c = signed_in("unit", unit=make_unit("private_clinic"),
                      must_change=True)
        for weak, words in (("aaaaaaaaaa", "xuôi hay ngược"),
                            ("1234567890", "dãy liên tiếp"),
                            ("password12", "từ điển"),
                            (" " * 10, "xuôi hay ngược")):
            r = c.post("/api/v1/password", {"current": c.password,
                                            "new": weak})
            self.assertEqual((r.status, r.error_code()),
                             (422, "weak_password"), weak)
            self.assertIn(words, r.json()["error"]["message"], weak)
        # A refused password is not a guess: nothing was counted.
        self.assertEqual(sql1("""SELECT count(*) FROM login_failures
                                 WHERE username = :'v1'""", c.username), "0")
        self.assertEqual(c.post("/api/v1/password", {
            "current": c.password, "new": "Dừa-xiêm-Nga-Sơn-81"}).status, 204)


class PortalctlTest(unittest.TestCase):
    """scripts/admin.sh sets the admin's password with portalctl newpass;
    portalctl check is the policy for a script that takes one."""

    def ctl(self, *args, stdin=""):
        return subprocess.run([portal.CTL] + list(args), input=stdin,
                              capture_output=True, text=True)

    def test_check_refuses_weak_passwords_with_the_reason(self):
        for weak in ("aaaaaaaaaa", "1234567890", "password12", " " * 10):
            r = self.ctl("check", "admin", stdin=weak + "\n")
            self.assertEqual(r.returncode, 1, weak)
            self.assertIn("Mật khẩu", r.stdout)
        self.assertEqual(self.ctl("check", stdin="Dừa-xiêm-Nga-Sơn-81\n")
                         .returncode, 0)

    def test_newpass_makes_passwords_that_pass_the_policy(self):
        for _ in range(20):
            r = self.ctl("newpass")
            self.assertEqual(r.returncode, 0, r.stderr)
            pw, hash_ = r.stdout.rstrip("\n").split("\t")
            self.assertTrue(hash_.startswith("$argon2id$"))
            self.assertEqual(self.ctl("check", "admin", stdin=pw + "\n")
                             .returncode, 0, pw)


class SignInBurstTest(unittest.TestCase):
    """Issue 9, item 1: 300 sign-ins at once took a worker past its
    open-file limit (kore_task_create: socketpair()) and it exited."""

    N = 600

    def test_six_hundred_sign_ins_at_once_are_all_answered(self):
        log = os.environ.get("PORTAL_LOG")
        self.assertTrue(log and os.path.exists(log), "PORTAL_LOG not set")
        with open(log, "rb") as f:
            f.seek(0, os.SEEK_END)
            start = f.tell()

        prefix = unique("burst").lower()
        password = "Dừa-xiêm-Nga-Sơn-81"
        sql("""INSERT INTO users (username, role, password_hash,
                   must_change_password)
               SELECT :'v1' || '-' || i, 'viewer', :'v2', false
               FROM generate_series(1, :'v3'::int) i""",
            prefix, pw_hash(password), str(self.N))
        src = fresh_address()
        host, port = portal._host.hostname, portal._host.port
        conns = []
        for _ in range(self.N):
            c = http.client.HTTPConnection(host, port, timeout=180,
                                           source_address=(src, 0))
            c.connect()
            conns.append(c)

        def one(i):
            body = json.dumps({"username": "%s-%d" % (prefix, i + 1),
                               "password": password if i % 10 else
                               "sai-mat-khau-x"}).encode("utf-8")
            c = conns[i]
            try:
                c.request("POST", "/api/v1/session", body=body, headers={
                    "Content-Type": "application/json"})
                r = c.getresponse()
                return portal.Response(r.status, r.getheaders(), r.read())
            finally:
                c.close()
        got = in_parallel(self.N, one)
        statuses = [r.status if isinstance(r, portal.Response) else repr(r)
                    for r in got]
        bad = [g for g in statuses if g not in (200, 401, 429, 503)]
        self.assertEqual(bad, [], "unanswered or wrong: %d of %d, e.g. %r"
                         % (len(bad), self.N, bad[:3]))
        self.assertIn(200, statuses)
        self.assertIn(503, statuses)
        for r in got:
            if r.status == 503:
                self.assertEqual(r.error_code(), "busy")
                self.assertEqual(r.header("retry-after"), "2")
                self.assertIn("thử lại", r.json()["error"]["message"])

        with open(log, "rb") as f:
            f.seek(start)
            text = f.read().decode("utf-8", "replace")
        for sign in ("exited", "restarting worker", "Too many open files",
                     "kore_task_create", "died"):
            self.assertNotIn(sign, text)
        self.assertEqual(raw("GET", "/healthz").status, 200)
        # Every account that was answered 200 can go on.
        ok = [i for i, r in enumerate(got) if r.status == 200]
        c = Client()
        self.assertEqual(c.login("%s-%d" % (prefix, ok[0] + 1),
                                 password).status, 200)


class AddressThrottleTest(unittest.TestCase):
    LIMIT = 100

    def spend(self, src, headers_for=None):
        """LIMIT failed checks with made-up names from src."""
        got = in_parallel(8, lambda k: [login_until_answered(
            src, "ten-bia-%s-%d-%d" % (src, k, j), "sai-mat-khau-x",
            headers_for(k, j) if headers_for else None).status
            for j in range(self.LIMIT // 8 + (1 if k < self.LIMIT % 8
                                                 else 0))])
        flat = [x for g in got for x in g]
        self.assertEqual(flat, [401] * self.LIMIT)

    def test_made_up_names_from_one_address_are_throttled(self):
        src, other = fresh_address(), fresh_address()
        user, pw = make_user("office")
        self.spend(src)
        r = login_from(src, "ten-bia-nua", "sai-mat-khau-x")
        self.assertEqual(r.status, 429, r)
        self.assertEqual(r.error_code(), "throttled")
        self.assertIn("địa chỉ mạng", r.json()["error"]["message"])
        self.assertTrue(1 <= int(r.header("retry-after")) <= 900)
        # The address waits, whoever signs in from it ...
        self.assertEqual(login_from(src, user, pw).status, 429)
        # ... and a real user of another address does not.
        self.assertEqual(login_from(other, user, pw).status, 200)
        self.assertEqual(sql1("""SELECT count(*) FROM login_addr_attempts
                                 WHERE addr = :'v1'::inet""", src),
                         str(self.LIMIT))

    def test_a_forged_x_real_ip_from_an_untrusted_peer_is_ignored(self):
        src = fresh_address()
        forged = lambda k, j: {"X-Real-IP": "198.51.100.%d" % (k * 13 + j)}
        self.spend(src, forged)
        r = login_from(src, "ten-bia-nua", "sai-mat-khau-x",
                       {"X-Real-IP": "203.0.113.77"})
        self.assertEqual((r.status, r.error_code()), (429, "throttled"))
        self.assertEqual(sql1("""SELECT count(*) FROM login_addr_attempts
                                 WHERE addr <<= '198.51.100.0/24'::inet
                                    OR addr = '203.0.113.77'"""), "0")

    def test_a_right_password_gives_its_attempt_back(self):
        src = fresh_address()
        user, pw = make_user("office")
        for _ in range(3):
            self.assertEqual(login_from(src, user, pw).status, 200)
        self.assertEqual(sql1("""SELECT count(*) FROM login_addr_attempts
                                 WHERE addr = :'v1'::inet""", src), "0")


class SweepTest(unittest.TestCase):
    def test_old_failures_and_expired_sessions_go_a_bounded_few_at_a_time(self):
        name = unique("cu-")
        sql("""INSERT INTO login_failures (username, at)
               SELECT :'v1', now() - interval '1 hour' - i * interval '1 s'
               FROM generate_series(1, 120) i""", name)
        sql("""INSERT INTO login_addr_attempts (addr, at)
               SELECT '192.0.2.1', now() - interval '1 hour'
               FROM generate_series(1, 120)""")
        old, _ = make_user("office")
        sql("""INSERT INTO sessions (user_id, token_hash, csrf_token,
                   created_at, last_seen)
               SELECT u.id, sha256(convert_to(:'v2' || i, 'UTF8')), 'x',
                   now() - interval '13 hours', now() - interval '13 hours'
               FROM users u, generate_series(1, 120) i
               WHERE u.username = :'v1'""", old, unique("tok"))

        def counts():
            return (int(sql1("""SELECT count(*) FROM login_failures
                                WHERE at < now() - interval '15 minutes'""")),
                    int(sql1("""SELECT count(*) FROM login_addr_attempts
                                WHERE at < now() - interval '15 minutes'""")),
                    int(sql1("""SELECT count(*) FROM sessions
                                WHERE created_at < now() - interval
                                '12 hours'""")))
        before = counts()
        self.assertTrue(all(n >= 120 for n in before), before)
        src = fresh_address()
        user, pw = make_user("office")
        self.assertEqual(login_from(src, user, pw).status, 200)
        after = counts()
        # One sign-in removes at most 50 of each, and does remove some.
        for b, a in zip(before, after):
            self.assertTrue(b - 50 <= a < b, (before, after))
        for _ in range(int(max(before) / 50) + 2):
            login_from(src, user, pw)
        self.assertEqual(counts(), (0, 0, 0))


if __name__ == "__main__":
    unittest.main()
