"""Accounts issued by the office: one-time passwords, the forced change,
resets and the bulk sheet read back with openpyxl."""

import io
import unittest

import openpyxl

from portal import Client, make_unit, signed_in, sql, sql1, unique


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
              "districts": "NGASON"}, 422, "bad_districts"),
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
                                ('xem.thu.1', 'xem.thu.2', 'vp.moi',
                                 'qt.moi', 'ab')"""), [])

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
        units = sorted(make_unit("commune_station",
                                 make_unit("district_centre"))
                       for _ in range(4))
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
        expected = sorted(r[0] for r in sql(
            """SELECT code FROM units u WHERE district = 'THUONGXUAN'
               AND active AND NOT EXISTS (SELECT 1 FROM users a
                   WHERE a.unit_code = u.code AND a.active)"""))
        self.assertIn(fresh, expected)
        rows = self.read_sheet(office.post("/api/v1/accounts/bulk",
                                           {"district": "THUONGXUAN"}))
        self.assertEqual(sorted(r[1] for r in rows), expected)
        self.assertEqual(sql("""SELECT code FROM units u
                                WHERE district = 'THUONGXUAN' AND active
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


if __name__ == "__main__":
    unittest.main()
