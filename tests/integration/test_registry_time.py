"""The registry over time (sql/012): areas and units as dated states, a
period read by the registry of its last day, registry changes by CSV
with an effective date (a dry run stores nothing), merges compared with
their predecessors summed, who files for whom changing on a date, and
the kept totals following every kind of change.

One reorganisation in a far-future year, in areas of this test's own:
centre C in area X files for stations A, B, E, D; clinics K1, K2 file for
themselves.  From the change day, A, B and E merge into station S, which
files for itself in area Z; D moves to Z and is still filed for by C;
K1 and K2 merge into K3 in Z."""

import json
import random
import unittest

from portal import make_unit, make_user, signed_in, sql, sql1, start_period
from test_reports import STATION_ITEMS, path, pl1_values, warnings

YEAR = random.randint(2040, 2099)
P1, P2, P3 = "%d-01" % YEAR, "%d-02" % YEAR, "%d-03" % YEAR
CHANGE = "%d-03-01" % YEAR          # P3 (to the 14th of March) reads it
BEFORE = "%d-02-28" % YEAR


def drift():
    return sql("SELECT * FROM report_totals_verify()")


def registry_counts():
    """What a dry run must leave as it was."""
    return sql("""SELECT (SELECT count(*) FROM unit_codes),
                         (SELECT count(*) FROM unit_states),
                         (SELECT string_agg(id || ':' || valid || area || name,
                              ',' ORDER BY id) FROM unit_states),
                         (SELECT count(*) FROM unit_successors),
                         (SELECT count(*) FROM audit),
                         (SELECT sum(total) || '/' || count(*)
                              FROM report_totals)""")[0]


def import_csv(client, body, query=""):
    return client.post("/api/v1/units/import" + query, body.encode(),
                       ctype="text/csv; charset=utf-8")


def by_code(rows, key="code"):
    return {r[key]: r for r in rows}


class ReorganisationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.office = signed_in("office")
        for p in (P1, P2, P3):
            start_period(p, cls.office)
        cls.X = cls.area("Khu vực cũ thử")
        cls.Z = cls.area("Phường mới thử")
        cls.C = make_unit("district_centre", district=cls.X, hospital=True,
                          gksklx=True)
        cls.A, cls.B, cls.E, cls.D = [
            make_unit("commune_station", cls.C, district=cls.X)
            for _ in range(4)]
        cls.K1, cls.K2 = [make_unit("private_clinic", district=cls.X)
                          for _ in range(2)]
        cls.S = "S-" + cls.C
        cls.K3 = "K3-" + cls.C
        cls.centre = signed_in("unit", cls.C)
        for p in (P1, P2):
            cls.file_centre(p, [cls.A, cls.B, cls.E, cls.D])
            for k in (cls.K1, cls.K2):
                cls.file(k, p, pl1_values(gksklx=False))

    @classmethod
    def area(cls, name):
        code = ("KV%d%d" % (YEAR, random.randint(0, 10 ** 9)))[:32]
        r = cls.office.post("/api/v1/areas", {
            "code": code, "name": name + " " + code, "kind": "ward",
            "valid_from": "2030-01-01"})
        assert r.status == 201, r
        return code

    @classmethod
    def file(cls, unit, period, values, client=None):
        c = client or signed_in("unit", unit)
        r = c.put(path(unit, period), {"version": 0, "values": values})
        assert r.status == 200, r
        r = c.post(path(unit, period) + "/submit")
        assert r.status == 200, (unit, period, r)
        return c

    @classmethod
    def file_centre(cls, period, stations, own=100, each=20):
        v = pl1_values()
        for k in STATION_ITEMS:
            v[k] = own + each * len(stations)
        rows = {s: {k: each for k in STATION_ITEMS} for s in stations}
        rows[cls.C] = {k: own for k in STATION_ITEMS}
        r = cls.centre.put(path(cls.C, period), {"version": 0, "values": v,
                                                 "stations": rows})
        assert r.status == 200, r
        r = cls.centre.post(path(cls.C, period) + "/submit")
        assert r.status == 200, r

    def csv(self):
        name = "Đơn vị thử " + self.D
        return ("ma_don_vi,ten_don_vi,loai,khu_vuc,don_vi_quan_ly,"
                "tu_bao_cao,sap_nhap_tu\n"
                '%s,Trạm Y tế phường mới thử,commune_station,%s,%s,1,'
                '"%s %s %s"\n'
                "%s,%s,commune_station,%s,%s,,\n"
                '%s,Phòng khám hợp nhất thử,private_clinic,%s,,,"%s;%s"\n'
                % (self.S, self.Z, self.C, self.A, self.B, self.E,
                   self.D, name, self.Z, self.C,
                   self.K3, self.Z, self.K1, self.K2))

    def assert_diff(self, d):
        self.assertEqual(d["effective"], CHANGE)
        self.assertEqual(sorted(x["code"] for x in d["new"]),
                         sorted([self.S, self.K3]))
        merged = by_code(d["merged"])
        self.assertEqual(sorted(merged[self.S]["from"]),
                         sorted([self.A, self.B, self.E]))
        self.assertEqual(merged[self.S]["kind"], "merge")
        self.assertEqual(sorted(merged[self.K3]["from"]),
                         sorted([self.K1, self.K2]))
        closed = by_code(d["closed"])
        self.assertEqual(sorted(closed), sorted([self.A, self.B, self.E,
                                                 self.K1, self.K2]))
        self.assertEqual(closed[self.A]["into"], [self.S])
        self.assertEqual(closed[self.K1]["into"], [self.K3])
        changed = by_code(d["changed"])
        self.assertEqual(list(changed), [self.D])
        self.assertEqual(changed[self.D]["changes"],
                         {"area": {"from": self.X, "to": self.Z}})

    def test_1_a_dry_run_shows_the_differences_and_stores_nothing(self):
        before = registry_counts()
        r = import_csv(self.office, self.csv(),
                       "?effective=%s&dry_run=1" % CHANGE)
        self.assertEqual(r.status, 200, r)
        d = r.json()
        self.assertTrue(d["dry_run"])
        self.assert_diff(d)
        self.assertEqual(registry_counts(), before)
        self.assertIsNone(sql1("SELECT 1 FROM unit_codes WHERE code = :'v1'",
                               self.S))

    def test_2_the_change_is_applied_in_one_statement_and_audited(self):
        r = import_csv(self.office, self.csv(), "?effective=%s" % CHANGE)
        self.assertEqual(r.status, 200, r)
        self.assertFalse(r.json()["dry_run"])
        self.assert_diff(r.json())
        office_id = sql1("SELECT id FROM users WHERE username = :'v1'",
                         self.office.username)
        got = sql("""SELECT action, object FROM audit
                     WHERE actor = :'v1' AND after->>'effective' = :'v2'
                     ORDER BY id""", office_id, CHANGE)
        actions = {(a, o) for a, o in got}
        for code in (self.A, self.B, self.E, self.K1, self.K2):
            self.assertIn(("unit_closed", "unit:" + code), actions)
        self.assertIn(("unit_created", "unit:" + self.S), actions)
        self.assertIn(("unit_changed", "unit:" + self.D), actions)
        self.assertIn(("units_import", "units"), actions)
        self.assertEqual(drift(), [])
        # The same file again changes nothing more.
        r = import_csv(self.office, self.csv(), "?effective=%s" % CHANGE)
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["new"], r.json()["changed"],
                          r.json()["closed"]), ([], [], []))
        self.assertEqual(drift(), [])

    def test_3_the_units_as_they_were_on_each_day(self):
        old = by_code(self.office.get("/api/v1/units?date=" + BEFORE).json())
        self.assertIn(self.A, old)
        self.assertNotIn(self.S, old)
        self.assertEqual(old[self.A]["successors"], [self.S])
        self.assertEqual(old[self.A]["valid_to"], CHANGE)
        self.assertEqual(old[self.A]["filed_by"], self.C)
        self.assertEqual(old[self.D]["area"], self.X)
        new = by_code(self.office.get("/api/v1/units?date=" + CHANGE).json())
        self.assertNotIn(self.A, new)
        s = new[self.S]
        self.assertEqual((s["area"], s["filed_by"], s["parent"],
                          s["valid_from"], s["valid_to"]),
                         (self.Z, self.S, self.C, CHANGE, None))
        self.assertEqual(sorted(s["predecessors"]),
                         sorted([self.A, self.B, self.E]))
        self.assertEqual((new[self.D]["area"], new[self.D]["district"],
                          new[self.D]["filed_by"]), (self.Z, self.Z, self.C))
        self.assertEqual(new[self.K3]["filed_by"], self.K3)
        # Today (before the change) the old registry is in force.
        today = by_code(self.office.get("/api/v1/units").json())
        self.assertTrue(today[self.A]["active"])
        self.assertFalse(today[self.S]["active"])

    def test_5b_a_centre_sees_the_stations_it_files_for_that_day(self):
        def seen(day):
            return {u["code"] for u in
                    self.centre.get("/api/v1/units?date=" + day).json()}
        self.assertEqual(seen(BEFORE), {self.C, self.A, self.B, self.E,
                                        self.D})
        self.assertEqual(seen(CHANGE), {self.C, self.D})
        s = signed_in("unit", self.S)
        self.assertEqual({u["code"] for u in s.get(
            "/api/v1/units?date=" + CHANGE).json()}, {self.S})
        self.assertEqual(s.get("/api/v1/units?date=" + BEFORE).json(), [])

    def test_4_the_centre_files_for_the_stations_of_the_period(self):
        before = self.centre.get(path(self.C, P2)).json()
        self.assertEqual(sorted(s["code"] for s in
                                before["unit_info"]["stations"]),
                         sorted([self.A, self.B, self.E, self.D]))
        # Its filed report keeps every station row as filed.
        self.assertEqual(sorted(k for k in before["stations"]
                                if k != self.C),
                         sorted([self.A, self.B, self.E, self.D]))
        after = self.centre.get(path(self.C, P3)).json()
        self.assertEqual([s["code"] for s in after["unit_info"]["stations"]],
                         [self.D])
        r = self.centre.put(path(self.C, P3), {"version": 0, "stations": {
            self.A: {k: 1 for k in STATION_ITEMS}}})
        self.assertEqual(r.status, 422, r)
        # The centre no longer sees the merged station's reports.
        self.assertEqual(self.centre.get(path(self.S, P3)).status, 404)
        self.file_centre(P3, [self.D])

    def test_5_accounts_follow_who_files(self):
        r = self.office.post("/api/v1/accounts", {
            "role": "unit", "unit": self.S, "username": self.S.lower(),
            "full_name": "Trạm trưởng"})
        self.assertEqual(r.status, 201, r)
        r = self.office.post("/api/v1/accounts", {
            "role": "unit", "unit": self.D, "username": self.D.lower(),
            "full_name": "Trạm trưởng"})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.error_code(), "unit_does_not_file")

    def test_6_a_merged_station_is_compared_with_its_predecessors_summed(
            self):
        prev = sql1("SELECT report_previous_json(:'v1', 'PL1', "
                    "(SELECT end_date FROM periods WHERE code = :'v2'), 'M')",
                    self.S, P3)
        prev = json.loads(prev)
        self.assertEqual([p["period"] for p in prev], [P2, P1])
        self.assertEqual(prev[0]["values"]["cccd.visits"], 60)
        self.assertNotIn("erx.total", prev[0]["values"])
        c = signed_in("unit", self.S)
        v = pl1_values(gksklx=False)
        # 70 against 20 + 20 + 20: near; against one station's 20 it
        # would be three and a half times as many.
        v.update({"cccd.visits": 70, "cccd.used": 65,
                  "cccd.insurance_returned": 60, "cccd.qr_readers": 60,
                  "sign.issued": 60, "sign.needed": 60})
        r = c.put(path(self.S, P3), {"version": 0, "values": v})
        self.assertEqual(r.status, 200, r)
        self.assertEqual([w["rule"] for w in warnings(r.json())
                          if "cccd.visits" in w["items"]], [])
        far = dict(v, **{"cccd.visits": 400})
        r = c.put(path(self.S, P3), {"version": 1, "values": far})
        self.assertIn("cccd.visits.deviation",
                      [w["rule"] for w in warnings(r.json())])
        r = c.put(path(self.S, P3), {"version": 2, "values": v})
        self.assertEqual(c.post(path(self.S, P3) + "/submit").status, 200)
        self.file(self.K3, P3, dict(pl1_values(gksklx=False),
                                    **{"erx.total": 1600,
                                       "erx.linked": 1500}))
        self.assertEqual(drift(), [])

    def cons(self, client, period):
        r = client.get("/api/v1/consolidated/%s/PL1" % period)
        self.assertEqual(r.status, 200, r)
        return r.json()

    def test_7_each_period_is_grouped_by_its_own_areas(self):
        for period, areas in ((P2, {self.X}), (P3, {self.X, self.Z})):
            b = self.cons(self.office, period)
            ours = {k for k in b["by_district"] if k in (self.X, self.Z)}
            self.assertEqual(ours, areas, period)
            # The province is the sum of its areas, either way.
            for item in ("erx.total", "cccd.visits"):
                self.assertEqual(b["values"][item], sum(
                    d["values"].get(item, 0)
                    for d in b["by_district"].values()), (period, item))
        p2 = self.cons(self.office, P2)["by_district"][self.X]
        self.assertEqual(p2["values"]["erx.total"], 800 * 3)
        p3 = self.cons(self.office, P3)["by_district"]
        self.assertEqual(p3[self.X]["values"]["erx.total"], 800)
        self.assertEqual(p3[self.Z]["values"]["erx.total"], 800 + 1600)
        self.assertEqual(p3[self.Z]["units_expected"], 2)
        self.assertEqual(drift(), [])

    def test_8_a_viewer_of_the_new_area_sees_a_continuous_trend(self):
        viewer = signed_in("viewer", districts=(self.Z,))
        b = self.cons(viewer, P3)
        self.assertEqual(b["units_expected"], 2)
        trend = {t["period"]: t["values"] for t in b["trend"]}
        # Before the change: the merged clinics summed, and the merged
        # stations' rows of their centre's appendix.
        self.assertEqual(trend[P2]["erx.total"], 800 + 800)
        self.assertEqual(trend[P2]["cccd.visits"], 1500 + 1500 + 60)
        self.assertEqual(trend[P3]["erx.total"], 1600 + 800)
        self.assertEqual(trend[P3]["cccd.visits"], 1500 + 70)
        units = {u["code"] for u in
                 viewer.get("/api/v1/units?date=" + CHANGE).json()}
        self.assertEqual(units, {self.S, self.D, self.K3})

    def test_9_expected_units_and_the_review_queue_follow_the_period(self):
        for period, want, gone in (
                (P2, {self.C, self.K1, self.K2}, {self.S, self.K3}),
                (P3, {self.C, self.S, self.K3}, {self.K1, self.K2})):
            c = self.office.get("/api/v1/completeness/" + period).json()
            units = {u["unit"] for u in c["units"]}
            self.assertTrue(want <= units, period)
            self.assertFalse(gone & units, period)
            self.assertFalse({self.A, self.D} & units)
            r = self.office.get("/api/v1/review/%s?form=PL1&district=%s"
                                % (period, self.Z)).json()
            self.assertEqual({x["unit"] for x in r},
                             {self.S, self.K3} if period == P3 else set())

    def test_a_the_home_page_says_who_files_in_each_period(self):
        s = signed_in("unit", self.S)
        periods = by_code(s.get("/api/v1/periods?year=%d" % YEAR).json())
        self.assertFalse(periods[P2]["in_registry"])
        self.assertNotIn("in_registry", periods[P3])
        self.assertNotIn("filed_by", periods[P3])
        a = signed_in("unit", self.A)
        periods = by_code(a.get("/api/v1/periods?year=%d" % YEAR).json())
        self.assertEqual(periods[P2]["filed_by"]["code"], self.C)
        self.assertFalse(periods[P3]["in_registry"])
        # A closed station reaches nothing of the periods after it.
        self.assertEqual(a.get(path(self.A, P3)).status, 404)
        self.assertEqual(a.get(path(self.A, P2)).error_code(),
                         "station_report")

    def test_b_names_are_those_of_the_period(self):
        r = import_csv(self.office, "ma_don_vi,ten_don_vi,loai,khu_vuc\n"
                       "%s,Phòng khám đổi tên,private_clinic,%s\n"
                       % (self.K3, self.Z), "?effective=%d-03-10" % YEAR)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["changed"][0]["changes"]["name"]["to"],
                         "Phòng khám đổi tên")
        k3 = signed_in("unit", self.K3)
        self.assertEqual(k3.get(path(self.K3, P3)).json()["unit_info"][
            "name"], "Phòng khám đổi tên")
        old = by_code(self.office.get("/api/v1/units?date=%d-03-09" % YEAR)
                      .json())
        self.assertEqual(old[self.K3]["name"], "Phòng khám hợp nhất thử")
        self.assertEqual(drift(), [])

    def test_z_a_period_whose_last_day_moves_reads_that_day(self):
        before = self.cons(self.office, P3)["values"]["erx.total"]
        end, deadline = sql("""SELECT end_date, deadline FROM periods
                               WHERE code = :'v1'""", P3)[0]
        r = self.office.put("/api/v1/periods/" + P3, {
            "start": "2025-01-01", "end": BEFORE, "deadline": deadline})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(drift(), [])
        b = self.cons(self.office, P3)
        self.assertNotIn(self.Z, b["by_district"])
        # S and K3 were not in the registry yet: their reports stay as
        # filed and count again once the period ends after the change.
        self.assertEqual(b["values"]["erx.total"], before - 800 - 1600)
        r = self.office.put("/api/v1/periods/" + P3, {
            "start": "2025-01-01", "end": end, "deadline": deadline})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.cons(self.office, P3)["values"]["erx.total"],
                         before)
        self.assertEqual(drift(), [])


class DemoReorganisationTest(unittest.TestCase):
    """The demo data (sql/demo/020): 2025-06 by the former districts,
    2025-07 by the new wards."""

    @classmethod
    def setUpClass(cls):
        cls.office = signed_in("office")

    def cons(self, period):
        r = self.office.get("/api/v1/consolidated/%s/PL1" % period)
        self.assertEqual(r.status, 200, r)
        return r.json()

    def test_june_by_districts_july_by_wards_with_equal_totals(self):
        june, july = self.cons("2025-06"), self.cons("2025-07")
        self.assertEqual(june["by_district"]["SAMSON"]["name"],
                         "Thành phố Sầm Sơn")
        self.assertNotIn("P-SAMSON", june["by_district"])
        self.assertNotIn("SAMSON", july["by_district"])
        self.assertEqual(july["by_district"]["P-SAMSON"]["name"],
                         "Phường Sầm Sơn")
        for b in (june, july):
            for item in ("erx.total", "cccd.visits"):
                self.assertEqual(b["values"][item], sum(
                    d["values"].get(item, 0)
                    for d in b["by_district"].values()))
        # The former city's figures go on in its two wards.
        j = june["by_district"]["SAMSON"]["values"]["erx.total"]
        w = sum(july["by_district"][a]["values"]["erx.total"]
                for a in ("P-SAMSON", "P-NAMSAMSON"))
        self.assertAlmostEqual(w / j, 1.02, places=2)
        trend = [t["values"]["erx.total"] for t in july["trend"]
                 if t["period"] in ("2025-06", "2025-07")]
        self.assertAlmostEqual(trend[1] / trend[0], 1.02, places=2)

    def test_areas_on_each_side_of_the_change(self):
        before = by_code(self.office.get("/api/v1/areas?date=2025-06-30")
                         .json())
        self.assertEqual(len(before), 27)
        self.assertEqual(before["NGASON"]["valid_to"], "2025-07-01")
        self.assertEqual(before["NGASON"]["kind"], "district")
        after = by_code(self.office.get("/api/v1/areas?date=2025-07-01")
                        .json())
        self.assertNotIn("SAMSON", after)
        self.assertEqual(after["P-SAMSON"]["valid_from"], "2025-07-01")
        self.assertEqual(after["NGASON"]["kind"], "catchment")

    def test_a_split_has_no_history_a_merge_its_predecessors(self):
        def previous(unit):
            return json.loads(sql1("SELECT report_previous_json(:'v1', "
                                   "'PL1', '2025-08-14', 'M')", unit))
        merged = previous("TYT-P-SAMSON")
        self.assertEqual([p["period"] for p in merged][:2],
                         ["2025-07", "2025-06"])
        rows = sql("""SELECT sum(v.num) FROM report_values v
                      JOIN reports r ON r.id = v.report_id
                      WHERE r.unit_code = 'TTYT-SAMSON'
                        AND r.period_code = '2025-06'
                        AND v.station IN ('TYT-SAMSON-1', 'TYT-SAMSON-2')
                        AND v.item = 'cccd.visits'""")
        self.assertEqual(merged[1]["values"]["cccd.visits"],
                         int(rows[0][0]))
        # Split in two: before the split, nothing to compare with.
        self.assertEqual([p["period"] for p in previous("TYT-P-HACTHANH")],
                         ["2025-07"])


class AreaTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.office = signed_in("office")

    def code(self):
        return ("AT%d" % random.randint(0, 10 ** 12))[:32]

    def test_office_creates_renames_and_ends_an_area(self):
        code = self.code()
        r = self.office.post("/api/v1/areas", {
            "code": code.lower(), "name": "  Xã Thử Nghiệm  ",
            "kind": "commune", "valid_from": "2031-01-01"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["area"]["code"], code)
        self.assertEqual(r.json()["area"]["name"], "Xã Thử Nghiệm")
        r = self.office.post("/api/v1/areas", {
            "code": code, "name": "Phường Thử Nghiệm", "kind": "ward",
            "valid_from": "2032-01-01"})
        self.assertEqual(r.status, 200, r)
        got = by_code(self.office.get("/api/v1/areas?date=2031-06-01")
                      .json())[code]
        self.assertEqual((got["name"], got["valid_to"]),
                         ("Xã Thử Nghiệm", "2032-01-01"))
        unit = make_unit("private_clinic", district=code)
        r = self.office.post("/api/v1/areas/%s/end" % code,
                             {"date": "2033-01-01"})
        self.assertEqual(r.status, 409, r)
        self.assertEqual([u["code"] for u in r.json()["error"]["details"]],
                         [unit])
        r = import_csv(self.office, "ma_don_vi,ten_don_vi,loai,khu_vuc\n"
                       "%s,Đơn vị thử %s,private_clinic,VINHLOC\n"
                       % (unit, unit), "?effective=2033-01-01")
        self.assertEqual(r.status, 200, r)
        r = self.office.post("/api/v1/areas/%s/end" % code,
                             {"date": "2033-01-01"})
        self.assertEqual(r.status, 200, r)
        self.assertNotIn(code, by_code(self.office.get(
            "/api/v1/areas?date=2033-01-01").json()))
        self.assertIn(code, by_code(self.office.get(
            "/api/v1/areas?date=2032-12-31").json()))
        # A unit can not be put in an area that has ended.
        r = import_csv(self.office, "ma_don_vi,ten_don_vi,loai,khu_vuc\n"
                       "%s,Đơn vị thử %s,private_clinic,%s\n"
                       % (unit, unit, code), "?effective=2034-01-01")
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["error"]["details"][0]["column"], "khu_vuc")

    def test_a_unit_is_not_moved_into_an_area_that_will_end(self):
        code = self.code()
        r = self.office.post("/api/v1/areas", {
            "code": code, "name": "Xã Sắp Kết Thúc", "kind": "commune",
            "valid_from": "2031-01-01"})
        self.assertEqual(r.status, 201, r)
        r = self.office.post("/api/v1/areas/%s/end" % code,
                             {"date": "2033-01-01"})
        self.assertEqual(r.status, 200, r)
        unit = make_unit("private_clinic")
        r = import_csv(self.office, "ma_don_vi,ten_don_vi,loai,khu_vuc\n"
                       "%s,Đơn vị thử %s,private_clinic,%s\n"
                       % (unit, unit, code), "?effective=2032-01-01")
        self.assertEqual(r.status, 422, r)
        d = r.json()["error"]["details"]
        self.assertEqual([(x["line"], x["column"]) for x in d],
                         [(2, "khu_vuc")])
        self.assertIn("01/01/2033", d[0]["message"])

    def test_bad_areas_are_refused_with_every_field(self):
        r = self.office.post("/api/v1/areas", {
            "code": "x", "name": "", "kind": "province",
            "valid_from": "2025-02-30"})
        self.assertEqual(r.status, 422, r)
        self.assertEqual({d["field"] for d in r.json()["error"]["details"]},
                         {"code", "name", "kind", "valid_from"})
        for body in ({"code": 5}, {"name": ["a"]}, {"valid_from": {}}):
            r = self.office.post("/api/v1/areas", body)
            self.assertEqual(r.status, 400, body)
            self.assertEqual(r.error_code(), "bad_shape")
        self.assertEqual(self.office.post("/api/v1/areas", "[]").status, 400)
        r = self.office.post("/api/v1/areas", {
            "code": self.code(), "name": "Tên\ncó xuống dòng",
            "kind": "ward", "valid_from": "2031-01-01"})
        self.assertEqual(r.status, 422)
        for date in ("", "2025-7-1", "1999-12-31", "2101-01-01", "hôm nay"):
            r = self.office.post("/api/v1/areas/NGASON/end", {"date": date})
            self.assertEqual(r.status, 422, date)
        r = self.office.post("/api/v1/areas/KHONG-CO/end",
                             {"date": "2031-01-01"})
        self.assertEqual(r.status, 404)
        for q in ("?date=2025-13-01", "?date=", "?date=x",
                  "?date=2025-07-01&date=2025-07-02", "?date=%ff"):
            r = self.office.get("/api/v1/areas" + q)
            self.assertEqual(r.status, 400, q)
            r = self.office.get("/api/v1/units" + q)
            self.assertEqual(r.status, 400, q)

    def test_only_the_office_keeps_areas(self):
        for role in ("unit", "viewer", "admin"):
            c = signed_in(role, make_unit("private_clinic")
                          if role == "unit" else None)
            r = c.post("/api/v1/areas", {
                "code": self.code(), "name": "Xã", "kind": "commune",
                "valid_from": "2031-01-01"})
            self.assertEqual(r.status, 403, role)
            self.assertEqual(c.get("/api/v1/areas").status, 200)


class ImportInputTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.office = signed_in("office")

    def test_bad_effective_or_dry_run_is_400_and_stores_nothing(self):
        before = registry_counts()
        body = ("ma_don_vi,ten_don_vi,loai,khu_vuc\n"
                "PK-KHONGNHAP,Phòng khám,private_clinic,NGASON\n")
        for q in ("?effective=2025-02-30", "?effective=01/07/2025",
                  "?effective=", "?effective=1999-01-01",
                  "?effective=2025-07-01&effective=2025-07-02",
                  "?effective=%ff", "?dry_run=yes", "?dry_run=",
                  "?dry_run=1&dry_run=0"):
            r = import_csv(self.office, body, q)
            self.assertEqual(r.status, 400, q)
            self.assertIn(r.json()["error"]["details"]["argument"],
                          ("effective", "dry_run"), q)
        self.assertEqual(registry_counts(), before)

    def test_registry_changes_that_can_not_be_made_are_told_by_line(self):
        centre = make_unit("district_centre")
        station = make_unit("commune_station", centre)
        clinic = make_unit("private_clinic")
        other = make_unit("private_clinic")
        before = registry_counts()
        csv = ("ma_don_vi,ten_don_vi,loai,khu_vuc,don_vi_quan_ly,tu_bao_cao,"
               "sap_nhap_tu,ngung_hoat_dong\n"
               # 2: a predecessor nobody knows
               "PK-MOI-T1,Phòng khám,private_clinic,NGASON,,,KHONG-CO,\n"
               # 3: a clinic does not file "for itself" instead of a centre
               "%s,Phòng khám,private_clinic,NGASON,,1,,\n"
               # 4: taking itself over
               "PK-MOI-T2,Phòng khám,private_clinic,NGASON,,,PK-MOI-T2,\n"
               # 5: closing a unit the registry does not have
               "KHONG-CO-2,,,,,,,1\n"
               # 6: closing a centre that still has a station
               "%s,,,,,,,x\n"
               # 7: closing with predecessors
               "%s,,,,,,%s,1\n"
               % (clinic, centre, other, station))
        r = import_csv(self.office, csv, "?dry_run=1")
        self.assertEqual(r.status, 422, r)
        got = sorted((d["line"], d["column"]) for d in
                     r.json()["error"]["details"])
        self.assertEqual(got, [(2, "sap_nhap_tu"), (3, "tu_bao_cao"),
                               (4, "sap_nhap_tu"), (5, "ngung_hoat_dong"),
                               (6, "ngung_hoat_dong"), (7, "sap_nhap_tu")])
        self.assertEqual(registry_counts(), before)

    def test_a_file_of_closings_needs_only_codes(self):
        clinic = make_unit("private_clinic")
        r = import_csv(self.office, "ma_don_vi;ngung_hoat_dong\n%s;có\n"
                       % clinic, "?effective=2031-05-01&dry_run=true")
        self.assertEqual(r.status, 200, r)
        self.assertEqual([c["code"] for c in r.json()["closed"]], [clinic])
        r = import_csv(self.office, "ma_don_vi;ngung_hoat_dong\n%s;có\n"
                       % clinic, "?effective=2031-05-01")
        self.assertEqual(r.status, 200, r)
        units = by_code(self.office.get("/api/v1/units?date=2031-04-30")
                        .json())
        self.assertEqual(units[clinic]["valid_to"], "2031-05-01")
        self.assertNotIn(clinic, by_code(self.office.get(
            "/api/v1/units?date=2031-05-01").json()))
        self.assertEqual(drift(), [])


if __name__ == "__main__":
    unittest.main()
