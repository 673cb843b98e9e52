"""Accounts issued by the office: one-time passwords, the forced change,
resets, unlocking, deactivation, expiry, the units that get accounts and
the bulk sheet read back with openpyxl."""

import io
import unittest

import openpyxl

from portal import (Client, make_unit, make_user, pw_hash, signed_in, sql,
                    sql1, unique)


def lock(username):
    for _ in range(5):
        Client().login(username, "sai-mat-khau-000")


class AccountTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.office = signed_in("office")
        cls.admin = signed_in("admin")

    def test_office_issues_unit_account_with_one_time_password(self):
        unit = make_unit("private_clinic")
        r = self.office.post("/api/v1/accounts", {"role": "unit",
                                                  "unit": unit})
        self.assertEqual(r.status, 201, r)
        body = r.json()
        self.assertEqual(body["username"], unit.lower())
        otp = body["one_time_password"]
        self.assertGreaterEqual(len(otp), 10)
        self.assertNotIn(otp, sql1("""SELECT password_hash FROM users
                                      WHERE username = :'v1'""",
                                   body["username"]))
        c = Client()
        r = c.login(body["username"], otp)
        self.assertEqual(r.status, 200)
        self.assertTrue(r.json()["must_change_password"])
        self.assertEqual(r.json()["user"]["unit"], unit)
        self.assertEqual(c.get("/api/v1/periods").status, 403)

    def test_second_account_for_a_unit_is_refused(self):
        unit = make_unit("private_clinic")
        self.assertEqual(self.office.post("/api/v1/accounts", {
            "role": "unit", "unit": unit}).status, 201)
        r = self.office.post("/api/v1/accounts", {
            "role": "unit", "unit": unit, "username": unit.lower() + "-2"})
        self.assertEqual(r.status, 409)
        self.assertIn("cấp lại mật khẩu", r.json()["error"]["message"])

    def test_bad_account_requests_are_refused_with_reasons(self):
        unit = make_unit("private_clinic")
        cases = [
            ({"role": "boss"}, 422, "bad_role"),
            ({"role": "unit"}, 422, "unit_required"),
            ({"role": "unit", "unit": "KHONG-CO-DON-VI"}, 422,
             "unknown_unit"),
            ({"role": "viewer", "unit": unit, "username": "ab.cd"}, 422,
             "unit_not_allowed"),
            ({"role": "viewer", "username": "Có Dấu"}, 422, "bad_username"),
            ({"role": "viewer", "username": "ab"}, 422, "bad_username"),
            ({"role": "viewer", "username": "x' OR '1'='1"}, 422,
             "bad_username"),
            ({"role": "viewer", "username": "xem.thu.1",
              "districts": ["KHONGCO"]}, 422, "bad_districts"),
            ({"role": "viewer", "username": "xem.thu.2",
              "districts": "NGASON"}, 400, "bad_shape"),
            ({"role": "viewer", "username": "xem.thu.4",
              "districts": [7]}, 400, "bad_shape"),
            ({"role": "unit", "unit": unit, "username": "xem.thu.5",
              "districts": ["NGASON"]}, 422, "bad_districts"),
            ({"role": "office", "username": "vp.moi"}, 403, "forbidden"),
            ({"role": "admin", "username": "qt.moi"}, 403, "forbidden"),
            ({"role": "viewer", "username": "xem.thu.3",
              "full_name": "Ệ" * 101}, 422, "bad_full_name"),
        ]
        for body, status, code in cases:
            r = self.office.post("/api/v1/accounts", body)
            self.assertEqual((r.status, r.error_code()), (status, code), body)
            self.assertTrue(r.json()["error"]["message"])
        self.assertEqual(sql("""SELECT username FROM users WHERE username IN
                                ('xem.thu.1', 'xem.thu.2', 'xem.thu.4',
                                 'xem.thu.5', 'vp.moi', 'qt.moi', 'ab')"""), [])

    def test_admin_issues_office_account(self):
        name = unique("vp.thu.")
        r = self.admin.post("/api/v1/accounts", {"role": "office",
                                                 "username": name,
                                                 "full_name": "Văn phòng"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(Client().login(name, r.json()[
            "one_time_password"]).status, 200)

    def test_viewer_account_follows_its_districts(self):
        name = unique("bcd.thu.")
        r = self.office.post("/api/v1/accounts", {
            "role": "viewer", "username": name, "districts": ["QUANHOA"]})
        self.assertEqual(r.status, 201, r)
        c = Client()
        c.login(name, r.json()["one_time_password"])
        self.assertEqual(c.post("/api/v1/password", {
            "current": r.json()["one_time_password"],
            "new": "Ban-chi-dao-2024"}).status, 204)
        units = c.get("/api/v1/units").json()
        self.assertTrue(units)
        self.assertEqual({u["district"] for u in units}, {"QUANHOA"})

    def test_reset_issues_new_password_and_ends_sessions(self):
        unit = make_unit("private_clinic")
        r = self.office.post("/api/v1/accounts", {"role": "unit",
                                                  "unit": unit})
        user, first = r.json()["username"], r.json()["one_time_password"]
        c = Client()
        c.login(user, first)
        r = self.office.post("/api/v1/accounts/%s/reset" % user)
        self.assertEqual(r.status, 200)
        second = r.json()["one_time_password"]
        self.assertNotEqual(first, second)
        self.assertEqual(c.get("/api/v1/session").status, 401)
        self.assertEqual(Client().login(user, first).status, 401)
        self.assertEqual(Client().login(user, second).status, 200)
        self.assertEqual(self.office.post(
            "/api/v1/accounts/khong-co-ai/reset").status, 404)

    def test_office_cannot_reset_office_or_admin_accounts(self):
        r = self.office.post("/api/v1/accounts/%s/reset" %
                             self.admin.username)
        self.assertEqual(r.status, 403)
        self.assertEqual(Client().login(self.admin.username,
                                        self.admin.password).status, 200)

    def test_account_list_shows_state_but_never_hashes(self):
        r = self.office.get("/api/v1/accounts")
        self.assertEqual(r.status, 200)
        self.assertNotIn(b"argon2", r.body)
        names = {a["username"]: a for a in r.json()}
        self.assertIn(self.office.username, names)
        self.assertFalse(names[self.office.username]["must_change_password"])


class BulkTest(unittest.TestCase):
    def read_sheet(self, r):
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.header("content-type").startswith(
            "application/vnd.openxmlformats"))
        self.assertIn("attachment", r.header("content-disposition"))
        ws = openpyxl.load_workbook(io.BytesIO(r.body)).active
        self.assertEqual(ws["A1"].value, "SỞ Y TẾ THANH HÓA")
        self.assertEqual(ws["C2"].value, "Độc lập - Tự do - Hạnh phúc")
        self.assertEqual(ws["A8"].value, "STT")
        self.assertEqual(ws.cell(row=9, column=1).font.name,
                         "Times New Roman")
        rows = [[c.value for c in row] for row in
                ws.iter_rows(min_row=9) if row[1].value]
        self.assertEqual([r[0] for r in rows], list(range(1, len(rows) + 1)))
        return rows

    def test_bulk_issue_for_listed_units_returns_sheet_that_signs_in(self):
        office = signed_in("office")
        units = sorted([make_unit("private_clinic") for _ in range(2)] +
                       [make_unit("district_centre") for _ in range(2)])
        rows = self.read_sheet(office.post("/api/v1/accounts/bulk",
                                           {"units": units}))
        self.assertEqual(sorted(r[1] for r in rows), units)
        self.assertEqual({r[2] for r in rows},
                         {"Đơn vị thử " + u for u in units})
        for row in rows:
            self.assertEqual(row[3], row[1].lower())
            c = Client()
            r = c.login(row[3], row[4])
            self.assertEqual(r.status, 200)
            self.assertTrue(r.json()["must_change_password"])
        r = office.post("/api/v1/accounts/bulk", {"units": units})
        self.assertEqual(r.status, 422)
        self.assertEqual(r.error_code(), "nothing_to_issue")

    def test_bulk_issue_for_a_district_covers_every_unit_without_account(self):
        office = signed_in("office")
        fresh = make_unit("private_clinic", district="THUONGXUAN")
        station = make_unit("commune_station", "TTYT-THUONGXUAN",
                            district="THUONGXUAN")
        expected = sorted(r[0] for r in sql(
            """SELECT code FROM units u WHERE district = 'THUONGXUAN'
               AND active AND kind NOT IN ('commune_station',
                   'department_office')
               AND NOT EXISTS (SELECT 1 FROM users a
                   WHERE a.unit_code = u.code AND a.active)"""))
        self.assertIn(fresh, expected)
        rows = self.read_sheet(office.post("/api/v1/accounts/bulk",
                                           {"district": "THUONGXUAN"}))
        self.assertEqual(sorted(r[1] for r in rows), expected)
        self.assertNotIn(station, [r[1] for r in rows])
        self.assertEqual(sql("""SELECT code FROM units u
                                WHERE district = 'THUONGXUAN' AND active
                                AND kind NOT IN ('commune_station',
                                    'department_office')
                                AND NOT EXISTS (SELECT 1 FROM users a
                                WHERE a.unit_code = u.code AND a.active)"""),
                         [])

    def test_bulk_rejects_malformed_requests(self):
        office = signed_in("office")
        self.assertEqual(office.post("/api/v1/accounts/bulk",
                                     {"units": "BVDKT"}).status, 400)
        self.assertEqual(office.post("/api/v1/accounts/bulk", "{").status,
                         400)
        r = office.post("/api/v1/accounts/bulk", {"units": ["KHONG-CO"]})
        self.assertEqual(r.status, 422)


class FilingUnitsOnlyTest(unittest.TestCase):
    """Issue 9, item 20: commune stations (their district health centre
    files for them) and the office's own unit get no accounts."""

    @classmethod
    def setUpClass(cls):
        cls.office = signed_in("office")

    def test_bulk_issue_skips_stations_and_the_office_unit(self):
        centre = make_unit("district_centre")
        stations = [make_unit("commune_station", centre) for _ in range(3)]
        r = self.office.post("/api/v1/accounts/bulk",
                             {"units": stations + ["SYT-VP"]})
        self.assertEqual((r.status, r.error_code()),
                         (422, "nothing_to_issue"), r)
        self.assertIn("trạm y tế xã", r.json()["error"]["message"])
        r = self.office.post("/api/v1/accounts/bulk",
                             {"units": stations + [centre]})
        self.assertEqual(r.status, 200, r)
        made = sql("""SELECT unit_code FROM users
                      WHERE unit_code = ANY (string_to_array(:'v1', ','))""",
                   ",".join(stations + [centre]))
        self.assertEqual(made, [[centre]])

    def test_one_account_for_a_station_is_refused_plainly(self):
        station = make_unit("commune_station", make_unit("district_centre"))
        for unit in (station, "SYT-VP"):
            r = self.office.post("/api/v1/accounts", {"role": "unit",
                                                      "unit": unit})
            self.assertEqual((r.status, r.error_code()),
                             (422, "unit_does_not_file"), unit)
            self.assertIn("không tự nộp báo cáo",
                          r.json()["error"]["message"])
        self.assertEqual(sql1("""SELECT count(*) FROM users
                                 WHERE unit_code = :'v1'""", station), "0")

    def test_a_station_is_told_who_files_for_it(self):
        centre = make_unit("district_centre")
        station = make_unit("commune_station", centre)
        c = signed_in("unit", unit=station)
        info = c.get("/api/v1/session").json()["unit_info"]
        self.assertEqual(info["code"], station)
        self.assertFalse(info["files"])
        self.assertEqual(info["filed_by"], {"code": centre,
                                            "name": "Đơn vị thử " + centre})
        own = signed_in("unit", unit=centre).get("/api/v1/session").json()
        self.assertTrue(own["unit_info"]["files"])
        self.assertIsNone(own["unit_info"]["filed_by"])
        self.assertNotIn("unit_info", self.office.get(
            "/api/v1/session").json())


class UnlockTest(unittest.TestCase):
    def test_office_unlocks_unit_accounts_but_not_admin(self):
        office = signed_in("office")
        admin = signed_in("admin")
        lock(admin.username)
        r = office.post("/api/v1/accounts/%s/unlock" % admin.username)
        self.assertEqual((r.status, r.error_code()), (403, "forbidden"))
        self.assertEqual(Client().login(admin.username,
                                        admin.password).status, 429)
        other = signed_in("admin")
        self.assertEqual(other.post("/api/v1/accounts/%s/unlock" %
                                    admin.username).status, 204)
        self.assertEqual(Client().login(admin.username,
                                        admin.password).status, 200)
        self.assertEqual(sql1("""SELECT count(*) FROM audit
                                 WHERE action = 'account_unlock'
                                   AND object = 'user:' || :'v1'""",
                              admin.username), "1")

    def test_unlocking_an_unknown_account_is_404(self):
        r = signed_in("office").post("/api/v1/accounts/khong-co-ai-ca/unlock")
        self.assertEqual((r.status, r.error_code()), (404, "not_found"))


class DeactivateTest(unittest.TestCase):
    def setUp(self):
        self.office = signed_in("office")
        self.unit = make_unit("private_clinic")
        self.user = signed_in("unit", unit=self.unit)

    def test_office_deactivates_and_reactivates_a_unit_account(self):
        name = self.user.username
        r = self.office.post("/api/v1/accounts/%s/deactivate" % name)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"username": name, "active": False})
        # Its sessions end and it cannot sign in.
        self.assertEqual(self.user.get("/api/v1/session").status, 401)
        self.assertEqual(Client().login(name, self.user.password).status,
                         401)
        listed = {a["username"]: a for a in
                  self.office.get("/api/v1/accounts").json()}
        self.assertFalse(listed[name]["active"])
        r = self.office.post("/api/v1/accounts/%s/activate" % name)
        self.assertEqual((r.status, r.json()["active"]), (200, True))
        self.assertEqual(Client().login(name, self.user.password).status,
                         200)
        self.assertEqual(sql("""SELECT action, before->>'active',
                                    after->>'active'
                                FROM audit WHERE object = 'user:' || :'v1'
                                  AND action LIKE 'account_%activate'
                                ORDER BY id""", name),
                         [["account_deactivate", "true", "false"],
                          ["account_activate", "false", "true"]])

    def test_the_rules_of_who_may_deactivate_whom(self):
        admin = signed_in("admin")
        r = self.office.post("/api/v1/accounts/%s/deactivate" %
                             admin.username)
        self.assertEqual((r.status, r.error_code()), (403, "forbidden"))
        r = admin.post("/api/v1/accounts/%s/deactivate" % admin.username)
        self.assertEqual((r.status, r.error_code()), (409, "own_account"))
        r = self.office.post("/api/v1/accounts/khong-co-ai-ca/deactivate")
        self.assertEqual(r.status, 404)
        self.assertEqual(admin.get("/api/v1/session").status, 200)
        unit = signed_in("unit", unit=make_unit("private_clinic"))
        self.assertEqual(unit.post("/api/v1/accounts/%s/deactivate" %
                                   self.user.username).status, 403)

    def test_a_unit_account_comes_back_only_while_its_unit_has_none(self):
        name = self.user.username
        self.assertEqual(self.office.post(
            "/api/v1/accounts/%s/deactivate" % name).status, 200)
        r = self.office.post("/api/v1/accounts", {"role": "unit",
                                                  "unit": self.unit})
        self.assertEqual(r.status, 201, r)
        r = self.office.post("/api/v1/accounts/%s/activate" % name)
        self.assertEqual((r.status, r.error_code()), (409, "exists"))


class OtpExpiryTest(unittest.TestCase):
    def test_a_one_time_password_expires_after_fourteen_days(self):
        office = signed_in("office")
        unit = make_unit("private_clinic")
        r = office.post("/api/v1/accounts", {"role": "unit", "unit": unit})
        user, otp = r.json()["username"], r.json()["one_time_password"]
        sql("""UPDATE users SET otp_issued_at = now() - interval '15 days'
               WHERE username = :'v1'""", user)
        r = Client().login(user, otp)
        self.assertEqual((r.status, r.error_code()), (401, "otp_expired"))
        self.assertIn("hết hạn", r.json()["error"]["message"])
        self.assertIn("Văn phòng Sở", r.json()["error"]["message"])
        # Only the right one-time password learns that.
        r = Client().login(user, "sai-mat-khau-000")
        self.assertEqual(r.error_code(), "login_failed")
        listed = {a["username"]: a for a in
                  office.get("/api/v1/accounts").json()}
        self.assertTrue(listed[user]["otp_expired"])
        # The office issues a new one, which works.
        r = office.post("/api/v1/accounts/%s/reset" % user)
        self.assertEqual(r.status, 200)
        c = Client()
        self.assertEqual(c.login(user, r.json()["one_time_password"]).status,
                         200)
        self.assertEqual(c.post("/api/v1/password", {
            "current": r.json()["one_time_password"],
            "new": "Dừa-xiêm-Nga-Sơn-81"}).status, 204)
        self.assertIsNone(sql1("""SELECT otp_issued_at FROM users
                                  WHERE username = :'v1'""", user))

    def test_a_fresh_one_time_password_still_signs_in(self):
        office = signed_in("office")
        r = office.post("/api/v1/accounts", {"role": "unit",
                                             "unit": make_unit("private_clinic")})
        sql("""UPDATE users SET otp_issued_at = now() - interval '13 days'
               WHERE username = :'v1'""", r.json()["username"])
        self.assertEqual(Client().login(r.json()["username"], r.json()[
            "one_time_password"]).status, 200)


class TokenAccountTest(unittest.TestCase):
    def setUp(self):
        self.office = signed_in("office")
        self.unit = make_unit("private_clinic")

    def token_user(self, token_id):
        return sql1("""SELECT u.username FROM api_tokens t
                       JOIN users u ON u.id = t.user_id
                       WHERE t.id = :'v1'::bigint""", str(token_id))

    def test_a_token_account_gets_no_password_and_never_signs_in(self):
        r = self.office.post("/api/v1/tokens", {"unit": self.unit,
                                                "name": "HIS thử"})
        self.assertEqual(r.status, 201, r)
        name = self.token_user(r.json()["id"])
        for action in ("reset", "unlock", "deactivate", "activate"):
            r = self.office.post("/api/v1/accounts/%s/%s" % (name, action))
            self.assertEqual((r.status, r.error_code()),
                             (409, "integration_account"), action)
        self.assertEqual(sql1("""SELECT password_hash FROM users
                                 WHERE username = :'v1'""", name), "!")
        # Even with a real hash (as a reset once could set) it never
        # signs in: only its token does.
        sql("UPDATE users SET password_hash = :'v2' WHERE username = :'v1'",
            name, pw_hash("Dừa-xiêm-Nga-Sơn-81"))
        r = Client().login(name, "Dừa-xiêm-Nga-Sơn-81")
        self.assertEqual((r.status, r.error_code()), (401, "login_failed"))

    def test_token_names_cannot_be_taken_by_ordinary_accounts(self):
        admin = signed_in("admin")
        taken = "api.%s.1" % self.unit.lower()
        r = admin.post("/api/v1/accounts", {"role": "office",
                                            "username": taken})
        self.assertEqual((r.status, r.error_code()), (422, "bad_username"))
        # One made before the names were reserved is stepped over.
        make_user("office", username=taken)
        make_user("office", username="api.%s.3" % self.unit.lower())
        names = []
        for i in range(3):
            r = self.office.post("/api/v1/tokens", {"unit": self.unit,
                                                    "name": "HIS %d" % i})
            self.assertEqual(r.status, 201, r)
            names.append(self.token_user(r.json()["id"]))
        low = self.unit.lower()
        self.assertEqual(names, ["api.%s.2" % low, "api.%s.4" % low,
                                 "api.%s.5" % low])


if __name__ == "__main__":
    unittest.main()
