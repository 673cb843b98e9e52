"""The reporting calendar through the API: the 2023 letter exactly, later
years by the 15th-14th rule, and the office's edits."""

import unittest

from portal import make_unit, raw, signed_in, sql, sql1
from test_reports import pl1_values

LETTER_2023 = [
    ("2023-H1", "2023-01-01", "2023-06-14", "2023-06-27", ["PL1", "PL2"]),
    ("2023-07", "2023-06-15", "2023-07-14", "2023-07-15", ["PL1"]),
    ("2023-08", "2023-07-15", "2023-08-14", "2023-08-15", ["PL1"]),
    ("2023-09", "2023-08-15", "2023-09-14", "2023-09-15", ["PL1"]),
    ("2023-10", "2023-09-15", "2023-10-14", "2023-10-15", ["PL1"]),
    ("2023-11", "2023-10-15", "2023-11-14", "2023-11-15", ["PL1"]),
    ("2023-12", "2023-11-15", "2023-12-14", "2023-12-15", ["PL1"]),
    ("2023-Y", "2023-01-01", "2023-12-14", "2023-12-15", ["PL2"]),
]


class CalendarTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.office = signed_in("office")

    def test_2023_reproduces_the_letter(self):
        r = self.office.get("/api/v1/periods?year=2023")
        self.assertEqual(r.status, 200)
        got = [(p["code"], p["start"], p["end"], p["deadline"], p["forms"])
               for p in r.json()]
        self.assertEqual(got, LETTER_2023)
        self.assertEqual(r.json()[1]["name"], "Tháng 7/2023")
        self.assertEqual(r.json()[0]["name"], "6 tháng 2023")
        self.assertEqual(r.json()[7]["name"], "Năm 2023")
        self.assertEqual(r.json()[0]["state"], "closed")

    def test_later_year_follows_the_15th_to_14th_rule(self):
        r = self.office.get("/api/v1/periods?year=2027")
        self.assertEqual(r.status, 200)
        p = {x["code"]: x for x in r.json()}
        self.assertEqual(len(p), 14)
        self.assertEqual((p["2027-01"]["start"], p["2027-01"]["end"],
                          p["2027-01"]["deadline"]),
                         ("2026-12-15", "2027-01-14", "2027-01-15"))
        self.assertEqual(p["2027-H1"]["forms"], ["PL1", "PL2"])
        self.assertEqual(p["2027-Y"]["forms"], ["PL2"])
        self.assertEqual(p["2027-Y"]["deadline"], "2027-12-15")
        self.assertEqual([x["code"] for x in r.json()][5:8],
                         ["2027-06", "2027-H1", "2027-07"])

    def test_bad_years_are_refused_clearly(self):
        for q in ("year=2022", "year=2101", "year=abc", "year=20233",
                  "year=", "year=2023%00", "year=%ZZ", "year=-2023"):
            r = self.office.get("/api/v1/periods?" + q)
            self.assertEqual(r.status, 400, q)
            self.assertEqual(r.error_code(), "bad_year")
            self.assertIn("2023", r.json()["error"]["message"])

    def test_every_role_reads_the_calendar(self):
        for c in (signed_in("viewer"), signed_in("admin"),
                  signed_in("unit", make_unit("private_clinic"))):
            self.assertEqual(c.get("/api/v1/periods?year=2024").status, 200)
        self.assertEqual(raw("GET", "/api/v1/periods?year=2024").status, 401)

    def test_unit_sees_its_report_status_per_period(self):
        unit = make_unit("private_clinic")
        sql("""INSERT INTO reports (unit_code, period_code, form, status,
                   late, submitted_at)
               VALUES (:'v1', '2023-08', 'PL1', 'submitted', true,
                       '2023-08-16 08:00+07')""", unit)
        c = signed_in("unit", unit)
        p = {x["code"]: x for x in c.get("/api/v1/periods?year=2023").json()}
        self.assertEqual(p["2023-08"]["reports"]["PL1"]["status"],
                         "submitted")
        self.assertTrue(p["2023-08"]["reports"]["PL1"]["late"])
        self.assertEqual(p["2023-09"]["reports"], {})

    def test_a_returned_report_carries_the_latest_reason(self):
        unit = make_unit("provincial_hospital", hospital=True, gksklx=True)
        c = signed_in("unit", unit)
        path = "/api/v1/reports/%s/2025-02/PL1" % unit

        def mine():
            p = {x["code"]: x for x in
                 c.get("/api/v1/periods?year=2025").json()}
            return p["2025-02"]["reports"]["PL1"]

        r = c.put(path, {"version": 0, "values": pl1_values()})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(c.post(path + "/submit").status, 200)
        self.assertIsNone(mine()["reason"])
        for reason in ("Lý do thứ nhất: sửa số đơn thuốc.",
                       "Lý do thứ hai: sửa số khai sinh."):
            r = self.office.post(path + "/return", {"reason": reason})
            self.assertEqual(r.status, 200, r)
            self.assertEqual((mine()["status"], mine()["reason"]),
                             ("returned", reason))
            self.assertEqual(c.post(path + "/submit").status, 200)
            self.assertEqual((mine()["status"], mine()["reason"]),
                             ("submitted", None))
        # The office's own answer has no reports at all.
        p = {x["code"]: x for x in
             self.office.get("/api/v1/periods?year=2025").json()}
        self.assertNotIn("reports", p["2025-02"])

    def test_office_edits_a_period_and_it_is_audited(self):
        r = self.office.put("/api/v1/periods/2031-05",
                            {"start": "2031-04-15", "end": "2031-05-14",
                             "deadline": "2031-05-20"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["deadline"], "2031-05-20")
        p = {x["code"]: x for x in
             self.office.get("/api/v1/periods?year=2031").json()}
        self.assertEqual(len(p), 14)
        self.assertEqual(p["2031-05"]["deadline"], "2031-05-20")
        self.assertEqual(p["2031-06"]["deadline"], "2031-06-15")
        self.assertEqual(sql1("""SELECT after->>'deadline' FROM audit
                                 WHERE object = 'period:2031-05'
                                 ORDER BY id DESC LIMIT 1"""), "2031-05-20")

    def test_bad_edits_are_refused_and_change_nothing(self):
        self.office.get("/api/v1/periods?year=2032")
        before = sql("SELECT * FROM periods WHERE code = '2032-03'")
        cases = [
            ({"start": "2032-03-14", "end": "2032-02-15",
              "deadline": "2032-03-15"}, 422),
            ({"start": "2032-02-15", "end": "2032-03-14",
              "deadline": "2032-03-13"}, 422),
            ({"start": "2032-02-30", "end": "2032-03-14",
              "deadline": "2032-03-15"}, 422),
            ({"start": "15/02/2032", "end": "2032-03-14",
              "deadline": "2032-03-15"}, 422),
            ({"start": "2032-02-15", "end": "2032-03-14"}, 400),
            ({"start": 20320215, "end": "2032-03-14",
              "deadline": "2032-03-15"}, 400),
        ]
        for body, status in cases:
            r = self.office.put("/api/v1/periods/2032-03", body)
            self.assertEqual(r.status, status, body)
            self.assertTrue(r.json()["error"]["message"])
        self.assertEqual(self.office.put("/api/v1/periods/2032-13", {
            "start": "2032-02-15", "end": "2032-03-14",
            "deadline": "2032-03-15"}).status, 404)
        self.assertEqual(self.office.put("/api/v1/periods/2023-03", {
            "start": "2023-02-15", "end": "2023-03-14",
            "deadline": "2023-03-15"}).status, 404)
        self.assertEqual(sql("SELECT * FROM periods WHERE code = '2032-03'"),
                         before)


if __name__ == "__main__":
    unittest.main()
