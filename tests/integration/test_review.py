"""Review and consolidation, a whole cycle: many units file a period, some
late, one returned and filed again, one missing; the office accepts,
reopens, decides in bulk, and every consolidated figure is checked
against sums computed here from what the units sent."""

import csv
import io
import random
import unittest

import openpyxl

from portal import make_unit, signed_in, sql, sql1, start_period
from test_reports import pl1_values, path

# A year of its own, so that a test database used before stays out of
# the sums.
YEAR = random.randint(2040, 2099)
PERIOD = "%d-05" % YEAR
DISTRICT_A = "QUANSON"
DISTRICT_B = "LANGCHANH"


def scaled(k, gksklx=True):
    """A consistent PL1 report, every count scaled by k."""
    return {item: n * k for item, n in pl1_values(gksklx=gksklx).items()}


class CycleTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.office = signed_in("office")
        # Open the period now, deadline ahead (a period that has not
        # started takes no report).
        start_period(PERIOD, cls.office)
        cls.units = {}
        plan = [("h1", "provincial_hospital", DISTRICT_A, 1, True),
                ("c1", "private_clinic", DISTRICT_A, 2, False),
                ("missing", "private_clinic", DISTRICT_A, 0, False),
                ("late", "private_clinic", DISTRICT_B, 3, False),
                ("h2", "private_hospital", DISTRICT_B, 4, True)]
        cls.sent = {}
        for key, kind, district, k, lic in plan:
            code = make_unit(kind, district=district, gksklx=lic,
                             hospital=kind.endswith("hospital"))
            cls.units[key] = code
            if k == 0:
                sql("""INSERT INTO contacts (unit_code, name, phone, email)
                       VALUES (:'v1', 'Người Đầu Mối', '0912000111',
                               'dm@example.vn')""", code)
                continue
            c = signed_in("unit", code)
            cls.sent[key] = (c, scaled(k, lic))
        # A district centre with two stations files its appendix.
        centre = make_unit("district_centre", district=DISTRICT_B,
                           hospital=True, gksklx=True)
        stations = [make_unit("commune_station", centre, district=DISTRICT_B)
                    for _ in range(2)]
        cls.units["centre"] = centre
        v = scaled(5)
        rows = {stations[0]: {}, stations[1]: {}}
        for item in ("cccd.visits", "cccd.used", "cccd.insurance_returned",
                     "cccd.qr_readers", "sign.issued", "sign.needed"):
            rows[stations[0]][item] = v[item] // 5 * 2
            rows[stations[1]][item] = v[item] - rows[stations[0]][item]
        cls.stations = rows
        cls.sent["centre"] = (signed_in("unit", centre), v)

        for key in ("h1", "c1", "h2", "centre"):
            c, values = cls.sent[key]
            body = {"version": 0, "values": values}
            if key == "centre":
                body["stations"] = rows
            r = c.put(path(cls.units[key], PERIOD), body)
            assert r.status == 200, r
            s = c.post(path(cls.units[key], PERIOD) + "/submit")
            assert s.status == 200 and not s.json()["late"], s
        # The deadline passes (the office moves it), then one unit files.
        r = cls.office.put("/api/v1/periods/" + PERIOD, {
            "start": "2025-04-15", "end": "2025-05-14",
            "deadline": "2025-05-15"})
        assert r.status == 200, r
        c, values = cls.sent["late"]
        c.put(path(cls.units["late"], PERIOD), {"version": 0,
                                                "values": values})
        s = c.post(path(cls.units["late"], PERIOD) + "/submit")
        assert s.status == 200 and s.json()["late"], s

    def expected_units(self, district=None):
        where = "active AND kind NOT IN ('commune_station', " \
                "'department_office')"
        if district:
            where += " AND district = '%s'" % district
        return int(sql1("SELECT count(*) FROM units WHERE " + where))

    def test_1_review_queue_shows_every_expected_unit(self):
        r = self.office.get("/api/v1/review/%s?form=PL1&district=%s" %
                            (PERIOD, DISTRICT_A))
        self.assertEqual(r.status, 200, r)
        rows = {x["unit"]: x for x in r.json()}
        self.assertEqual(len(rows), self.expected_units(DISTRICT_A))
        self.assertEqual(rows[self.units["missing"]]["status"],
                         "not_started")
        self.assertEqual(rows[self.units["h1"]]["status"], "submitted")
        r = self.office.get("/api/v1/review/%s?form=PL1&status=submitted"
                            "&kind=private_clinic" % PERIOD)
        got = {x["unit"] for x in r.json()}
        self.assertEqual(got, {self.units["c1"], self.units["late"]})
        for bad in ("/api/v1/review/2033-13", "/api/v1/review/%s?form=PL9"
                    % PERIOD):
            self.assertIn(self.office.get(bad).status, (400, 404))

    def test_2_return_with_reasons_then_resubmit(self):
        unit = self.units["h2"]
        c, values = self.sent["h2"]
        for bad in ({}, {"reason": "   "}, {"reason": "x" * 2001},
                    {"reason": "ok", "items": {"khong.co": "x"}},
                    {"reason": "ok", "items": {"erx.total": ""}}):
            r = self.office.post(path(unit, PERIOD) + "/return", bad)
            self.assertEqual(r.status, 422, bad)
        # Not of a return's shape at all: malformed (test_query).
        r = self.office.post(path(unit, PERIOD) + "/return",
                             {"reason": "ok", "items": ["erx.total"]})
        self.assertEqual(r.status, 400)
        r = self.office.post(path(unit, PERIOD) + "/return", {
            "reason": "Số đơn thuốc không khớp sổ kê đơn.",
            "items": {"erx.total": "Kiểm tra lại tổng số đơn."}})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["status"], "returned")
        b = c.get(path(unit, PERIOD)).json()
        self.assertEqual(b["status"], "returned")
        self.assertEqual(b["remarks"]["reason"],
                         "Số đơn thuốc không khớp sổ kê đơn.")
        self.assertEqual(b["remarks"]["items"]["erx.total"],
                         "Kiểm tra lại tổng số đơn.")
        values = dict(values)
        values["erx.total"] += 40
        self.sent["h2"] = (c, values)
        r = c.put(path(unit, PERIOD), {"version": b["version"],
                                       "values": values})
        self.assertEqual(r.status, 200, r)
        s = c.post(path(unit, PERIOD) + "/submit")
        self.assertEqual(s.status, 200)
        # Filed on time first: filing again after the deadline keeps it.
        self.assertFalse(s.json()["late"])
        actions = [h["action"] for h in c.get(path(unit, PERIOD)).json()[
            "history"]]
        self.assertEqual([a for a in actions if a != "save"],
                         ["submit", "return", "submit"])
        # Returning twice makes no sense: only a submitted report returns.
        self.office.post(path(unit, PERIOD) + "/accept")
        r = self.office.post(path(unit, PERIOD) + "/return",
                             {"reason": "Lần nữa"})
        self.assertEqual(r.status, 409)

    def test_3_accept_locks_and_only_the_office_reopens(self):
        unit = self.units["h1"]
        c, values = self.sent["h1"]
        self.assertEqual(c.post(path(unit, PERIOD) + "/accept").status, 403)
        r = self.office.post(path(unit, PERIOD) + "/accept")
        self.assertEqual(r.status, 200, r)
        b = c.get(path(unit, PERIOD)).json()
        self.assertEqual(b["status"], "accepted")
        self.assertEqual(c.put(path(unit, PERIOD), {
            "version": b["version"], "values": values}).status, 409)
        self.assertEqual(self.office.post(path(unit, PERIOD) + "/reopen",
                                          {}).status, 422)
        r = self.office.post(path(unit, PERIOD) + "/reopen",
                             {"reason": "Đơn vị xin sửa số thiết bị."})
        self.assertEqual(r.status, 200)
        self.assertEqual(sql1("""SELECT after->>'reason' FROM audit
                                 WHERE action = 'report_reopen'
                                 AND object LIKE :'v1'""",
                              "report:" + unit + "%"),
                         "Đơn vị xin sửa số thiết bị.")
        self.assertEqual(c.get(path(unit, PERIOD)).json()["status"],
                         "returned")
        self.assertEqual(c.post(path(unit, PERIOD) + "/submit").status, 200)

    def test_4_bulk_returns_what_fails_today_and_accepts_the_rest(self):
        # The registry changes after filing: the centre gets a station it
        # has no row for, so its appendix no longer covers its stations.
        centre = self.units["centre"]
        make_unit("commune_station", centre, district=DISTRICT_B)
        r = self.office.post("/api/v1/review/%s/PL1/return-failing"
                             % PERIOD)
        self.assertEqual(r.status, 200, r)
        self.assertIn(centre, r.json()["units"])
        self.assertNotIn(self.units["c1"], r.json()["units"])
        c, _ = self.sent["centre"]
        b = c.get(path(centre, PERIOD)).json()
        self.assertEqual(b["status"], "returned")
        self.assertTrue(b["remarks"]["reason"])
        r = self.office.post("/api/v1/review/%s/PL1/accept-clean" % PERIOD)
        self.assertEqual(r.status, 200, r)
        self.assertIn(self.units["c1"], r.json()["units"])
        self.assertNotIn(centre, r.json()["units"])
        self.assertEqual(self.office.post(
            "/api/v1/review/%s/PL1/delete-all" % PERIOD).status, 404)
        unit = signed_in("unit", self.units["c1"])
        self.assertEqual(unit.post("/api/v1/review/%s/PL1/accept-clean"
                                   % PERIOD).status, 403)

    def test_5_completeness_counts_and_lists_who_to_chase(self):
        r = self.office.get("/api/v1/completeness/" + PERIOD)
        self.assertEqual(r.status, 200, r)
        b = r.json()
        total = self.expected_units()
        self.assertEqual(b["expected"], total)
        filed = int(sql1("""SELECT count(*) FROM reports WHERE period_code =
                            :'v1' AND status IN ('submitted', 'accepted')""",
                         PERIOD))
        late = int(sql1("""SELECT count(*) FROM reports WHERE period_code =
                           :'v1' AND status IN ('submitted', 'accepted')
                           AND late""", PERIOD))
        self.assertEqual(b["reported"], filed)
        self.assertEqual(b["late"], late)
        self.assertEqual(b["on_time"], filed - late)
        self.assertEqual(b["missing"], total - filed)
        dist = {d["code"]: d for d in b["by_district"]}
        self.assertEqual(dist[DISTRICT_A]["expected"],
                         self.expected_units(DISTRICT_A))
        units = {u["unit"]: u for u in b["units"]}
        m = units[self.units["missing"]]
        self.assertFalse(m["filed"])
        self.assertEqual(m["contact"]["phone"], "0912000111")
        self.assertTrue(units[self.units["late"]]["late"])
        viewer = signed_in("viewer", districts=(DISTRICT_B,))
        vb = viewer.get("/api/v1/completeness/" + PERIOD).json()
        self.assertEqual(vb["expected"], self.expected_units(DISTRICT_B))
        self.assertEqual(self.office.get("/api/v1/completeness/2033-13")
                         .status, 404)

    def totals(self, keys, where=lambda key: True):
        out = {}
        for key in keys:
            if not where(key):
                continue
            for item, n in self.sent[key][1].items():
                out[item] = out.get(item, 0) + n
        return out

    def test_6_consolidation_matches_independent_sums(self):
        r = self.office.get("/api/v1/consolidated/%s/PL1" % PERIOD)
        self.assertEqual(r.status, 200, r)
        b = r.json()
        filed = [k for k in self.sent if k != "centre" or sql1(
            """SELECT status FROM reports WHERE unit_code = :'v1'
               AND period_code = :'v2'""", self.units[k], PERIOD) in
            ("submitted", "accepted")]
        expect = self.totals(filed)
        for item, n in expect.items():
            self.assertEqual(b["values"][item], n, item)
        self.assertEqual(b["units_reported"], len(filed))
        self.assertEqual(b["units_expected"], self.expected_units())
        # Rates are recomputed from the sums, not averaged.
        rate = round(100.0 * expect["erx.linked"] / expect["erx.total"], 1)
        self.assertAlmostEqual(b["values"]["erx.linked_pct"], rate, 1)
        by_a = self.totals(filed, lambda k: k in ("h1", "c1"))
        for item, n in by_a.items():
            self.assertEqual(b["by_district"][DISTRICT_A]["values"][item], n)
        self.assertEqual(b["by_district"][DISTRICT_A]["units_reported"], 2)
        kinds = self.totals(filed, lambda k: k in ("c1", "late"))
        self.assertEqual(b["by_kind"]["private_clinic"]["values"][
            "erx.total"], kinds["erx.total"])
        self.assertEqual(b["by_kind"]["private_clinic"]["kind_label"],
                         "Phòng khám ngoài công lập")
        missing = {m["code"] for m in b["missing"]}
        self.assertIn(self.units["missing"], missing)
        self.assertEqual({x["code"] for x in b["late"]},
                         {self.units["late"]})
        acc = self.office.get("/api/v1/consolidated/%s/PL1?only=accepted"
                              % PERIOD).json()
        accepted = [k for k in self.sent if sql1(
            """SELECT status FROM reports WHERE unit_code = :'v1'
               AND period_code = :'v2'""", self.units[k], PERIOD) ==
            "accepted"]
        self.assertEqual(acc["units_reported"], len(accepted))
        self.assertEqual(acc["values"].get("erx.total", 0),
                         self.totals(accepted).get("erx.total", 0))
        for bad in ("/api/v1/consolidated/%s/PL9" % PERIOD,
                    "/api/v1/consolidated/%s/PL1.docx" % PERIOD,
                    "/api/v1/consolidated/2033-99/PL1",
                    "/api/v1/consolidated/%s/PL1?only=all" % PERIOD):
            self.assertIn(self.office.get(bad).status, (400, 404), bad)

    def test_7_viewer_sees_only_the_districts_assigned(self):
        viewer = signed_in("viewer", districts=(DISTRICT_A,))
        b = viewer.get("/api/v1/consolidated/%s/PL1" % PERIOD).json()
        self.assertEqual(set(b["by_district"]), {DISTRICT_A})
        self.assertEqual(b["units_expected"], self.expected_units(DISTRICT_A))
        unit = signed_in("unit", self.units["c1"])
        self.assertEqual(unit.get("/api/v1/consolidated/%s/PL1"
                                  % PERIOD).status, 403)

    def test_8_excel_and_csv_carry_the_same_figures(self):
        b = self.office.get("/api/v1/consolidated/%s/PL1" % PERIOD).json()
        r = self.office.get("/api/v1/consolidated/%s/PL1.xlsx" % PERIOD)
        self.assertEqual(r.status, 200, r)
        self.assertIn("attachment", r.header("content-disposition"))
        wb = openpyxl.load_workbook(io.BytesIO(r.body))
        ws = wb[wb.sheetnames[0]]
        cells = [[c.value for c in row] for row in ws.iter_rows()]
        flat = [v for row in cells for v in row if v is not None]
        self.assertIn("UBND TỈNH THANH HÓA", flat)
        self.assertIn("SỞ Y TẾ", flat)
        self.assertIn("Độc lập - Tự do - Hạnh phúc", flat)
        self.assertIn(b["values"]["erx.total"], flat)
        self.assertIn(b["values"]["pay.total"], flat)
        fonts = {c.font.name for row in ws.iter_rows() for c in row
                 if c.value is not None}
        self.assertEqual(fonts, {"Times New Roman"})
        self.assertGreaterEqual(len(wb.sheetnames), 4)
        r = self.office.get("/api/v1/consolidated/%s/PL1.csv" % PERIOD)
        self.assertEqual(r.status, 200)
        self.assertTrue(r.body.startswith(b"\xef\xbb\xbf"))
        text = r.body.decode("utf-8-sig")
        # Semicolons by default: what Excel under Vietnamese settings
        # splits at, with a decimal comma.
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        self.assertGreater(len(rows), 10)
        found = [row for row in rows if "erx.total" in row]
        self.assertTrue(found)
        self.assertIn(str(b["values"]["erx.total"]), found[0])
        rate = [row for row in rows if "erx.linked_pct" in row][0]
        self.assertEqual(rate[4], ("%.1f" % b["values"]["erx.linked_pct"])
                         .replace(".", ","))
        self.assertEqual(len(rows[0]), 5 + len(b["by_district"]))

    def test_9_csv_separator_is_chosen_with_sep(self):
        base = "/api/v1/consolidated/%s/PL1" % PERIOD
        b = self.office.get(base).json()
        semi = self.office.get(base + ".csv?sep=semicolon")
        self.assertEqual(semi.status, 200)
        self.assertEqual(semi.body,
                         self.office.get(base + ".csv").body)
        r = self.office.get(base + ".csv?sep=comma&only=accepted")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("content-type"), "text/csv; charset=utf-8")
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8-sig"))))
        self.assertEqual(rows[0][:5], ["STT", "Mã mục", "Nhiệm vụ/nội dung",
                                       "Đơn vị tính", "Giá trị toàn tỉnh"])
        acc = self.office.get(base + "?only=accepted").json()
        rate = [row for row in rows if "erx.linked_pct" in row][0]
        self.assertEqual(rate[4], "%.1f" % acc["values"]["erx.linked_pct"])
        for bad in (".csv?sep=tab", ".csv?sep=", ".csv?sep=COMMA",
                    ".csv?sep=%00", ".csv?sep=" + "c" * 40,
                    ".xlsx?sep=comma", "?sep=comma"):
            r = self.office.get(base + bad)
            self.assertEqual(r.status, 400, bad)
            self.assertEqual(r.error_code(), "bad_request", bad)
            self.assertIn("sep", r.json()["error"]["message"])
        self.assertTrue(b["values"])


if __name__ == "__main__":
    unittest.main()


class SixMonthConsolidationTest(unittest.TestCase):
    def test_six_month_figures_are_compared_with_their_months(self):
        year = random.randint(2040, 2099)
        office = signed_in("office")
        for p in ("%d-01", "%d-02", "%d-H1"):
            start_period(p % year, office)
        unit = make_unit("private_clinic", district="MUONGLAT")
        c = signed_in("unit", unit)
        months = {"%d-01" % year: (100, 3), "%d-02" % year: (60, 5)}
        for period, (erx, readers) in months.items():
            v = pl1_values(gksklx=False)
            v.update({"erx.total": erx, "erx.linked": erx // 2,
                      "cccd.qr_readers": readers})
            c.put(path(unit, period), {"version": 0, "values": v})
            self.assertEqual(c.post(path(unit, period) + "/submit").status,
                             200)
        half = "%d-H1" % year
        v = pl1_values(gksklx=False)
        v.update({"erx.total": 170, "erx.linked": 80, "cccd.qr_readers": 5})
        c.put(path(unit, half), {"version": 0, "values": v})
        self.assertEqual(c.post(path(unit, half) + "/submit").status, 200)
        viewer = signed_in("viewer", districts=("MUONGLAT",))
        b = viewer.get("/api/v1/consolidated/%s/PL1" % half).json()
        m = b["monthly"]
        self.assertEqual(m["from"], sorted(months))
        d = m["differences"]
        self.assertEqual(d["erx.total"], {"reported": 170, "monthly": 160,
                                          "difference": 10})
        self.assertEqual(d["erx.linked"]["difference"], 0)
        # A stock is the latest month's, not the months added up.
        self.assertEqual(d["cccd.qr_readers"], {"reported": 5,
                                                "monthly": 5,
                                                "difference": 0})
        self.assertEqual([t["period"] for t in b["trend"]], sorted(months))
        self.assertEqual(b["trend"][0]["values"]["erx.linked_pct"], 50.0)
