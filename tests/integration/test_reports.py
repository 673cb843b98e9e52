"""Filing through the API: reading, saving drafts with optimistic
versions, the checks, submitting, scope and the integration tokens, for
several kinds of unit."""

import json
import random
import time
import unittest

from portal import (Client, make_unit, months_before, open_period, raw,
                    signed_in, sql, sql1, start_period)

PAST = "2023-08"        # deadline 15/08/2023: long gone
# Periods long started, for reports whose lateness does not matter.
MONTHS = ("2025-01", "2025-02", "2025-03")
HALF = "2025-H1"


def path(unit, period=None, form="PL1"):
    """A report's address; by default in the period open today."""
    return "/api/v1/reports/%s/%s/%s" % (unit, period or open_period(),
                                          form)


def pl1_values(unit_scale=1, gksklx=True):
    v = {
        "bhyt.records_total": 1000 * unit_scale,
        "bhyt.records_ontime": 950 * unit_scale,
        "erx.total": 800, "erx.linked": 780,
        "birth.total": 20, "birth.synced": 19,
        "death.total": 3, "death.synced": 3,
        "pay.total": 2000, "pay.transfer": 300, "pay.pos": 200,
        "pay.qr_static": 100, "pay.qr_dynamic": 400, "pay.ewallet": 50,
        "pay.other": 10,
        "cccd.visits": 1500, "cccd.used": 1200,
        "cccd.insurance_returned": 1100, "cccd.qr_readers": 6,
        "sign.issued": 40, "sign.needed": 5,
        "stay.declared": 30,
    }
    if gksklx:
        v.update({"gksklx.issued": 50, "gksklx.linked": 48})
    return v


STATION_ITEMS = ("cccd.visits", "cccd.used", "cccd.insurance_returned",
                 "cccd.qr_readers", "sign.issued", "sign.needed")


def errors(report, item=None):
    return [c for c in report["checks"] if c["severity"] == "error"
            and (item is None or item in c["items"])]


def warnings(report):
    return [c for c in report["checks"] if c["severity"] == "warning"]


class FormsTest(unittest.TestCase):
    def test_forms_are_served_with_every_item_code(self):
        c = signed_in("viewer")
        pl1 = c.get("/api/v1/forms/PL1")
        self.assertEqual(pl1.status, 200)
        codes = {i["code"] for s in pl1.json()["sections"]
                 for i in s["items"]}
        for code in pl1_values():
            self.assertIn(code, codes)
        self.assertIn("bhyt.ontime_pct", codes)
        pl2 = c.get("/api/v1/forms/PL2").json()
        codes = {i["code"] for s in pl2["sections"] for i in s["items"]}
        for code in ("emr.level", "infosec.level3", "docs.out_unsigned",
                     "hr.fulltime", "fund.da06", "eval.advantages",
                     "eval.difficulties", "plan", "proposals"):
            self.assertIn(code, codes)
        self.assertIn("directives", {l["code"] for l in pl2["lists"]})
        self.assertEqual(c.get("/api/v1/forms/PL3").status, 404)


class HospitalFilingTest(unittest.TestCase):
    def setUp(self):
        self.unit = make_unit("provincial_hospital", hospital=True,
                              gksklx=True)
        self.c = signed_in("unit", self.unit)

    def test_untouched_report_reads_as_empty_draft(self):
        r = self.c.get(path(self.unit))
        self.assertEqual(r.status, 200, r)
        b = r.json()
        self.assertEqual((b["status"], b["version"], b["late"]),
                         ("draft", 0, False))
        self.assertEqual((b["values"], b["stations"], b["history"]),
                         ({}, {}, []))
        self.assertIn("gksklx.issued", b["applicable"])

    def test_draft_is_saved_with_derived_rate_and_history(self):
        r = self.c.put(path(self.unit), {"version": 0,
                                         "values": pl1_values()})
        self.assertEqual(r.status, 200, r)
        b = r.json()
        self.assertEqual(b["version"], 1)
        self.assertEqual(b["values"]["bhyt.ontime_pct"], 95.0)
        self.assertEqual(errors(b), [])
        self.assertEqual(b["history"][-1]["action"], "save")
        self.assertEqual(b["history"][-1]["actor"], self.c.username)
        again = self.c.get(path(self.unit)).json()
        self.assertEqual(again["values"]["erx.total"], 800)
        self.assertNotIn("bhyt.ontime_pct", [r[0] for r in sql(
            """SELECT item FROM report_values v JOIN reports r
               ON r.id = v.report_id WHERE r.unit_code = :'v1'""",
            self.unit)])

    def test_stale_version_is_409_and_keeps_the_stored_report(self):
        self.c.put(path(self.unit), {"version": 0, "values": pl1_values()})
        other = {"version": 0, "values": {"erx.total": 1}}
        r = self.c.put(path(self.unit), other)
        self.assertEqual(r.status, 409)
        self.assertEqual(r.error_code(), "stale")
        self.assertEqual(self.c.get(path(self.unit)).json()["values"][
            "erx.total"], 800)

    def test_bad_values_get_422_naming_the_item_and_store_nothing(self):
        self.c.put(path(self.unit), {"version": 0, "values": pl1_values()})
        bad = [
            {"erx.total": "một trăm"},
            {"erx.total": -5},
            {"erx.total": 1.5},
            {"erx.total": True},
            {"erx.total": 2 ** 60},
            {"bhyt.ontime_pct": 90},
            {"khong.co": 1},
            {"eval.advantages": "PL2 item in PL1"},
        ]
        for values in bad:
            r = self.c.put(path(self.unit), {"version": 1,
                                             "values": values})
            self.assertEqual(r.status, 422, values)
            self.assertEqual(r.error_code(), "invalid_values")
            items = [d.get("item") for d in r.json()["error"]["details"]]
            self.assertEqual(items, list(values), values)
            self.assertTrue(r.json()["error"]["details"][0]["message"])
        r = self.c.put(path(self.unit), {"version": 1, "stations": {
            "TYT-KHONG-CO": {"cccd.visits": 1}}})
        self.assertEqual(r.status, 422)
        after = self.c.get(path(self.unit)).json()
        self.assertEqual((after["version"], after["values"]["erx.total"]),
                         (1, 800))

    def test_malformed_bodies_are_400_or_413(self):
        for body in ("không phải json", "[]", json.dumps({"values": {}}),
                     json.dumps({"version": "1"}),
                     json.dumps({"version": -1}),
                     json.dumps({"version": 0, "values": [1, 2]})):
            r = self.c.put(path(self.unit), body,
                           ctype="application/json")
            self.assertIn(r.status, (400, 422), body)
        r = self.c.put(path(self.unit), {"version": 0,
                                         "values": {"x": "a" * 1100000}})
        self.assertEqual(r.status, 413)
        deep = "[" * 5000 + "]" * 5000
        r = self.c.put(path(self.unit), '{"version":0,"values":' + deep + "}",
                       ctype="application/json")
        self.assertEqual(r.status, 400)
        self.assertEqual(self.c.get(path(self.unit)).json()["version"], 0)

    def test_part_above_whole_blocks_submission_until_fixed(self):
        v = pl1_values()
        v["erx.linked"] = 900
        r = self.c.put(path(self.unit), {"version": 0, "values": v})
        self.assertEqual(r.status, 200)
        self.assertTrue(errors(r.json(), "erx.linked"))
        s = self.c.post(path(self.unit) + "/submit")
        self.assertEqual(s.status, 422)
        self.assertEqual(s.error_code(), "checks_failed")
        self.assertTrue(any("erx.linked" in c["items"]
                            for c in s.json()["error"]["details"]))
        self.assertEqual(self.c.get(path(self.unit)).json()["status"],
                         "draft")
        v["erx.linked"] = 780
        self.assertEqual(self.c.put(path(self.unit), {
            "version": 1, "values": v}).status, 200)
        s = self.c.post(path(self.unit) + "/submit")
        self.assertEqual(s.status, 200, s)
        self.assertEqual(s.json()["status"], "submitted")
        self.assertFalse(s.json()["late"])
        b = self.c.get(path(self.unit)).json()
        self.assertEqual(b["status"], "submitted")
        self.assertEqual([h["action"] for h in b["history"]][-1], "submit")
        r = self.c.put(path(self.unit), {"version": b["version"],
                                         "values": v})
        self.assertEqual(r.status, 409)
        self.assertEqual(r.error_code(), "not_editable")

    def test_every_of_which_rule_fires(self):
        pairs = [("erx.linked", "erx.total"),
                 ("gksklx.linked", "gksklx.issued"),
                 ("birth.synced", "birth.total"),
                 ("death.synced", "death.total"),
                 ("cccd.insurance_returned", "cccd.used"),
                 ("cccd.used", "cccd.visits"),
                 ("bhyt.records_ontime", "bhyt.records_total"),
                 ("pay.qr_dynamic", "pay.total")]
        version = 0
        for part, whole in pairs:
            v = pl1_values()
            v[part] = v[whole] + 5000
            r = self.c.put(path(self.unit), {"version": version,
                                             "values": v})
            self.assertEqual(r.status, 200)
            version = r.json()["version"]
            self.assertTrue(errors(r.json(), part), part)

    def test_late_submission_is_flagged_late(self):
        r = self.c.put(path(self.unit, PAST), {"version": 0,
                                               "values": pl1_values()})
        self.assertEqual(r.status, 200, r)
        s = self.c.post(path(self.unit, PAST) + "/submit")
        self.assertEqual(s.status, 200, s)
        self.assertTrue(s.json()["late"])
        self.assertEqual(sql1("""SELECT late FROM reports WHERE unit_code =
                                 :'v1' AND period_code = :'v2'""",
                              self.unit, PAST), "t")

    def test_empty_report_cannot_be_submitted(self):
        s = self.c.post(path(self.unit) + "/submit")
        self.assertEqual(s.status, 422)

    def test_far_from_history_warns_and_needs_a_comment(self):
        for i, period in enumerate(reversed(months_before(open_period(),
                                                          3))):
            v = pl1_values()
            v["erx.total"], v["erx.linked"] = 100 + i, 90
            self.c.put(path(self.unit, period), {"version": 0, "values": v})
            self.assertEqual(self.c.post(path(self.unit, period) +
                                         "/submit").status, 200)
        v = pl1_values()
        v["erx.total"], v["erx.linked"] = 5000, 4000
        r = self.c.put(path(self.unit), {"version": 0, "values": v})
        w = [c for c in warnings(r.json()) if "erx.total" in c["items"]]
        self.assertTrue(w, r.json()["checks"])
        self.assertFalse(w[0]["answered"])
        self.assertEqual(self.c.post(path(self.unit) + "/submit").status, 422)
        r = self.c.put(path(self.unit), {"version": 1, "comments": {
            "erx.total": "Tháng này triển khai kê đơn điện tử toàn viện."}})
        self.assertEqual(r.status, 200)
        w = [c for c in warnings(r.json()) if "erx.total" in c["items"]]
        self.assertTrue(w[0]["answered"])
        self.assertEqual(self.c.post(path(self.unit) + "/submit").status, 200)


class SixMonthPrefillTest(unittest.TestCase):
    def test_six_month_pl1_is_offered_from_the_monthly_reports(self):
        unit = make_unit("private_clinic")
        c = signed_in("unit", unit)
        months = {MONTHS[0]: (100, 4, 5), MONTHS[1]: (50, 6, 7)}
        for period, (erx, readers, stay) in months.items():
            v = pl1_values(gksklx=False)
            v.update({"erx.total": erx, "erx.linked": erx // 2,
                      "cccd.qr_readers": readers, "stay.declared": stay})
            self.assertEqual(c.put(path(unit, period), {
                "version": 0, "values": v}).status, 200)
            self.assertEqual(c.post(path(unit, period) + "/submit").status,
                             200)
        # A draft month is not offered: only what was filed.
        c.put(path(unit, MONTHS[2]), {"version": 0,
                                      "values": {"erx.total": 999}})
        b = c.get(path(unit, HALF)).json()
        pre = b["prefill"]
        self.assertEqual(pre["from"], [MONTHS[0], MONTHS[1]])
        self.assertEqual(pre["values"]["erx.total"], 150)
        self.assertEqual(pre["values"]["erx.linked"], 75)
        self.assertEqual(pre["values"]["stay.declared"], 12)
        self.assertEqual(pre["values"]["cccd.qr_readers"], 6)
        self.assertEqual(pre["values"]["erx.linked_pct"], 50.0)
        self.assertEqual(b["values"], {})
        # Taken and edited, it is an ordinary draft.
        taken = {k: v for k, v in pre["values"].items()
                 if k in pl1_values(gksklx=False)}
        taken["erx.total"] = 160
        r = c.put(path(unit, HALF), {"version": 0, "values": taken})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["values"]["erx.total"], 160)
        self.assertNotIn("prefill", c.get(path(unit, "2025-07")).json())


class RateJumpTest(unittest.TestCase):
    def test_a_rate_that_jumps_warns_until_explained(self):
        unit = make_unit("private_clinic")
        c = signed_in("unit", unit)
        v = pl1_values(gksklx=False)
        v["cccd.used"], v["cccd.insurance_returned"] = 150, 100   # 10 %
        c.put(path(unit, MONTHS[0]), {"version": 0, "values": v})
        self.assertEqual(c.post(path(unit, MONTHS[0]) + "/submit").status,
                         200)
        v["cccd.used"], v["cccd.insurance_returned"] = 1350, 1000  # 90 %
        r = c.put(path(unit, MONTHS[1]), {"version": 0, "values": v})
        w = [x for x in warnings(r.json()) if "cccd.used_pct" in x["items"]]
        self.assertTrue(w, r.json()["checks"])
        self.assertIn("90,0%", w[0]["message"])
        self.assertEqual(c.post(path(unit, MONTHS[1]) + "/submit").status,
                         422)
        r = c.put(path(unit, MONTHS[1]), {"version": 1, "comments": {
            "cccd.used_pct": "Lắp đầu đọc CCCD ở mọi quầy tiếp đón."}})
        self.assertEqual(c.post(path(unit, MONTHS[1]) + "/submit").status,
                         200)


class ApplicabilityTest(unittest.TestCase):
    def test_clinic_without_licence_cannot_send_gksklx(self):
        unit = make_unit("private_clinic", gksklx=False)
        c = signed_in("unit", unit)
        b = c.get(path(unit)).json()
        self.assertNotIn("gksklx.issued", b["applicable"])
        r = c.put(path(unit), {"version": 0, "values": pl1_values()})
        self.assertEqual(r.status, 422)
        self.assertEqual({d["item"] for d in r.json()["error"]["details"]},
                         {"gksklx.issued", "gksklx.linked"})
        r = c.put(path(unit), {"version": 0,
                               "values": pl1_values(gksklx=False)})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(c.post(path(unit) + "/submit").status, 200)


class CentreFilingTest(unittest.TestCase):
    def setUp(self):
        self.centre = make_unit("district_centre", hospital=True,
                                gksklx=True)
        self.stations = sorted(make_unit("commune_station", self.centre)
                               for _ in range(2))
        self.c = signed_in("unit", self.centre)

    def rows(self, a, b, own=None):
        rows = {self.stations[0]: {k: a for k in STATION_ITEMS},
                self.stations[1]: {k: b for k in STATION_ITEMS}}
        if own is not None:
            rows[self.centre] = {k: own for k in STATION_ITEMS}
        return rows

    def values(self, total):
        v = pl1_values()
        for k in STATION_ITEMS:
            v[k] = total
        return v

    def test_totals_are_the_own_row_plus_the_stations(self):
        # 60.000 patients of its own and 2.850 at its stations.
        r = self.c.put(path(self.centre), {
            "version": 0, "values": self.values(62850),
            "stations": self.rows(1500, 1350, own=60000)})
        self.assertEqual(r.status, 200, r)
        b = r.json()
        self.assertEqual(errors(b), [], b["checks"])
        own = b["stations"][self.centre]
        self.assertEqual(own["cccd.visits"], 60000)
        self.assertEqual(own["cccd.used_pct"], 100.0)
        # A typed total other than own + stations is an error that says
        # both figures.
        r = self.c.put(path(self.centre), {
            "version": 1, "values": self.values(60000)})
        e = errors(r.json(), "cccd.visits")
        self.assertTrue(e, r.json()["checks"])
        self.assertIn("riêng đơn vị 60.000 + các trạm 2.850 = 62.850",
                      e[0]["message"])
        self.assertEqual(self.c.post(path(self.centre) + "/submit").status,
                         422)
        r = self.c.put(path(self.centre), {
            "version": 2, "values": self.values(62850)})
        self.assertEqual(self.c.post(path(self.centre) + "/submit").status,
                         200)
        # Stored apart from the station rows, and read back as sent.
        self.assertEqual(sql1("""SELECT count(*) FROM report_values v
                                 JOIN reports r ON r.id = v.report_id
                                 WHERE r.unit_code = :'v1'
                                   AND v.station = :'v1'""", self.centre),
                         "0")
        got = self.c.get(path(self.centre)).json()
        self.assertEqual(got["stations"][self.centre]["sign.needed"], 60000)
        self.assertEqual(sql("SELECT * FROM report_totals_verify()"), [])

    def test_own_row_is_checked_like_a_station_row(self):
        rows = self.rows(10, 20, own=0)
        rows[self.centre]["cccd.used"] = 5
        r = self.c.put(path(self.centre), {"version": 0,
                                           "values": self.values(30),
                                           "stations": rows})
        self.assertEqual(r.status, 200, r)
        e = [c for c in errors(r.json())
             if c.get("station") == self.centre]
        self.assertEqual([c["rule"] for c in e], ["cccd.used_le_visits"])
        self.assertTrue(e[0]["message"].startswith("Riêng đơn vị: "))
        # Only the items kept per station belong in it.
        r = self.c.put(path(self.centre), {"version": 1, "stations": {
            self.centre: {"erx.total": 5}}})
        self.assertEqual(r.status, 422)
        self.assertEqual(r.json()["error"]["details"][0]["station"],
                         self.centre)

    def test_a_report_without_own_row_reads_and_passes_as_filed(self):
        # Filed the way reports were before the own row: stations only.
        r = self.c.put(path(self.centre), {"version": 0,
                                           "values": self.values(30),
                                           "stations": self.rows(10, 20)})
        self.assertEqual(errors(r.json()), [], r.json()["checks"])
        self.assertEqual(self.c.post(path(self.centre) + "/submit").status,
                         200)
        b = self.c.get(path(self.centre)).json()
        self.assertEqual(sorted(b["stations"]), self.stations)
        self.assertEqual(errors(b), [])

    def test_station_rows_must_add_up_to_the_totals(self):
        b = self.c.get(path(self.centre)).json()
        self.assertEqual([s["code"] for s in b["unit_info"]["stations"]],
                         self.stations)
        r = self.c.put(path(self.centre), {"version": 0,
                                           "values": self.values(30),
                                           "stations": self.rows(10, 15)})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(errors(r.json(), "cccd.visits"))
        self.assertEqual(self.c.post(path(self.centre) + "/submit").status,
                         422)
        r = self.c.put(path(self.centre), {"version": 1,
                                           "stations": self.rows(10, 20)})
        self.assertEqual(r.status, 200)
        self.assertEqual(errors(r.json()), [], r.json()["checks"])
        self.assertEqual(r.json()["stations"][self.stations[1]][
            "cccd.visits"], 20)
        self.assertEqual(self.c.post(path(self.centre) + "/submit").status,
                         200)

    def test_station_row_only_takes_station_items(self):
        r = self.c.put(path(self.centre), {"version": 0, "stations": {
            self.stations[0]: {"erx.total": 5}}})
        self.assertEqual(r.status, 422)

    def test_station_does_not_file_its_own_report(self):
        r = self.c.get(path(self.stations[0]))
        self.assertEqual(r.status, 422)
        self.assertEqual(r.error_code(), "station_report")


class CentreConsolidationTest(unittest.TestCase):
    """The consolidated station appendix adds up stations, never a
    centre's own row; the six-month report is offered with the own row
    summed from the months."""

    def test_station_roll_up_leaves_the_own_row_out(self):
        period = "%d-04" % random.randint(2040, 2099)
        office = signed_in("office")
        start_period(period, office)
        centre = make_unit("district_centre", district="BATHUOC",
                           hospital=True, gksklx=True)
        stations = [make_unit("commune_station", centre, district="BATHUOC")
                    for _ in range(2)]
        c = signed_in("unit", centre)
        v = pl1_values()
        rows = {stations[0]: {}, stations[1]: {}, centre: {}}
        for k in STATION_ITEMS:
            rows[stations[0]][k] = 1
            rows[stations[1]][k] = 2
            rows[centre][k] = v[k] - 3
        r = c.put(path(centre, period), {"version": 0, "values": v,
                                         "stations": rows})
        self.assertEqual(errors(r.json()), [], r.json()["checks"])
        self.assertEqual(c.post(path(centre, period) + "/submit").status,
                         200)
        b = office.get("/api/v1/consolidated/%s/PL1" % period).json()
        self.assertEqual(b["values"]["cccd.visits"], v["cccd.visits"])
        self.assertEqual(b["stations"]["values"]["cccd.visits"], 3)
        self.assertEqual(b["stations"]["by_district"]["BATHUOC"]["values"][
            "sign.issued"], 3)
        self.assertEqual(sql("SELECT * FROM report_totals_verify()"), [])
        x = office.get("/api/v1/consolidated/%s/PL1.xlsx" % period)
        self.assertEqual(x.status, 200)

    def test_six_month_report_is_offered_with_the_own_row(self):
        centre = make_unit("district_centre", hospital=True, gksklx=True)
        st = make_unit("commune_station", centre)
        c = signed_in("unit", centre)
        for period, own in ((MONTHS[0], 100), (MONTHS[1], 50)):
            v = pl1_values()
            for k in STATION_ITEMS:
                v[k] = own + 10
            rows = {st: {k: 10 for k in STATION_ITEMS},
                    centre: {k: own for k in STATION_ITEMS}}
            r = c.put(path(centre, period), {"version": 0, "values": v,
                                             "stations": rows})
            self.assertEqual(errors(r.json()), [], r.json()["checks"])
            self.assertEqual(c.post(path(centre, period) + "/submit").status,
                             200)
        pre = c.get(path(centre, HALF)).json()["prefill"]
        self.assertEqual(pre["stations"][centre]["cccd.visits"], 150)
        # A stock (devices, people with a signature) is the last month's.
        self.assertEqual(pre["stations"][centre]["sign.issued"], 50)
        self.assertEqual(pre["stations"][st]["cccd.visits"], 20)
        self.assertEqual(pre["values"]["cccd.visits"], 170)


class FilingWindowTest(unittest.TestCase):
    """A period that has not started takes no report; a blank one is
    not submitted."""

    def test_a_period_not_started_is_neither_saved_nor_submitted(self):
        unit = make_unit("private_clinic")
        c = signed_in("unit", unit)
        year = int(time.strftime("%Y")) + 3
        future = "%d-12" % year
        self.assertEqual(c.get(path(unit, future)).status, 200)
        r = c.put(path(unit, future), {"version": 0,
                                       "values": pl1_values(gksklx=False)})
        self.assertEqual(r.status, 409, r)
        self.assertEqual(r.error_code(), "period_not_started")
        msg = r.json()["error"]["message"]
        self.assertIn("chưa bắt đầu", msg)
        self.assertIn("15/11/%d" % year, msg)
        self.assertEqual(r.json()["error"]["details"]["start"],
                         "%d-11-15" % year)
        s = c.post(path(unit, future) + "/submit")
        self.assertEqual(s.status, 409)
        self.assertEqual(s.error_code(), "period_not_started")
        self.assertIsNone(sql1("SELECT 1 FROM reports WHERE unit_code = "
                               ":'v1'", unit))
        # The office moving the start earlier opens it.
        start_period(future)
        self.assertEqual(c.put(path(unit, future), {
            "version": 0, "values": pl1_values(gksklx=False)}).status, 200)

    def test_a_blank_report_is_not_submitted(self):
        unit = make_unit("provincial_hospital", hospital=True, gksklx=True)
        c = signed_in("unit", unit)
        r = c.put(path(unit), {"version": 0, "values": {}})
        self.assertEqual(r.status, 200, r)
        s = c.post(path(unit) + "/submit")
        self.assertEqual(s.status, 422)
        self.assertEqual(s.error_code(), "checks_failed")
        blank = [d for d in s.json()["error"]["details"]
                 if d["rule"] == "values.complete"]
        self.assertEqual(len(blank), 1)
        self.assertEqual(set(blank[0]["items"]), set(pl1_values()))
        self.assertIn("nhập 0", blank[0]["message"])
        self.assertEqual(c.get(path(unit)).json()["status"], "draft")

    def test_a_partial_draft_saves_and_submits_once_zeros_are_typed(self):
        unit = make_unit("private_clinic")
        c = signed_in("unit", unit)
        v = pl1_values(gksklx=False)
        half = {k: v[k] for k in ("erx.total", "erx.linked", "stay.declared")}
        r = c.put(path(unit), {"version": 0, "values": half})
        self.assertEqual(r.status, 200, r)
        blank = [x for x in r.json()["checks"]
                 if x["rule"] == "values.complete"]
        self.assertEqual(set(blank[0]["items"]), set(v) - set(half))
        self.assertEqual(c.post(path(unit) + "/submit").status, 422)
        zeros = dict(half, **{k: 0 for k in v if k not in half})
        self.assertEqual(c.put(path(unit), {"version": 1,
                                            "values": zeros}).status, 200)
        self.assertEqual(c.post(path(unit) + "/submit").status, 200)

    def test_a_station_row_left_empty_is_listed(self):
        centre = make_unit("district_centre")
        st = sorted(make_unit("commune_station", centre) for _ in range(2))
        c = signed_in("unit", centre)
        v = pl1_values(gksklx=False)
        rows = {st[0]: {k: v[k] for k in STATION_ITEMS}}
        r = c.put(path(centre), {"version": 0, "values": v,
                                 "stations": rows})
        blank = [x for x in r.json()["checks"]
                 if x["rule"] == "values.complete"]
        self.assertEqual([(x.get("station"), sorted(x["items"]))
                          for x in blank],
                         [(st[1], sorted(STATION_ITEMS))])
        rows[st[1]] = {k: 0 for k in STATION_ITEMS}
        r = c.put(path(centre), {"version": 1, "stations": rows})
        self.assertEqual(errors(r.json()), [], r.json()["checks"])
        self.assertEqual(c.post(path(centre) + "/submit").status, 200)


class StaleSaveTest(unittest.TestCase):
    def test_a_retry_of_a_stored_save_says_the_report_changed(self):
        unit = make_unit("private_clinic")
        c = signed_in("unit", unit)
        body = {"version": 0, "values": pl1_values(gksklx=False)}
        # Stored, but say the answer never reached the page: it retries.
        self.assertEqual(c.put(path(unit), body).status, 200)
        r = c.put(path(unit), body)
        self.assertEqual(r.status, 409)
        self.assertEqual(r.error_code(), "stale")
        err = r.json()["error"]
        self.assertEqual(err["details"]["version"], 1)
        self.assertIn("đã thay đổi kể từ lúc bạn mở", err["message"])
        self.assertIn("lần lưu trước của chính bạn", err["message"])
        self.assertIn("Tải lại báo cáo", err["message"])
        self.assertNotIn("chưa được lưu", err["message"])
        self.assertEqual(c.get(path(unit)).json()["values"]["erx.total"],
                         800)


class CdcPl2Test(unittest.TestCase):
    def setUp(self):
        self.unit = make_unit("cdc", cdc=True)
        self.c = signed_in("unit", self.unit)
        self.p = path(self.unit, HALF, "PL2")

    def good(self):
        return {
            "version": 0,
            "values": {
                "infra.pc_before_2020": 10, "infra.pc_after_2020": 25,
                "infra.printers": 8, "infra.routers": 2,
                "infra.switches": 4, "infra.servers": 1,
                "infosec.systems": 3, "infosec.approved": 2,
                "infosec.level1": 1, "infosec.level2": 1,
                "infosec.level3": 0,
                "covid.doses": 5000, "covid.persons": 2000,
                "covid.verified": 1900, "covid.unverified": 100,
                "covid.reasons": "Sai số định danh cá nhân.",
                "docs.in_total": 500, "docs.in_online": 480,
                "docs.out_total": 200, "docs.out_sign_both": 150,
                "docs.out_sign_leader": 20, "docs.out_sign_org": 10,
                "docs.out_unsigned": 20,
                "hr.fulltime": 3, "hr.fulltime_university": 2,
                "hr.fulltime_college": 1, "hr.fulltime_other": 0,
                "hr.parttime": 2, "hr.parttime_trained": 1,
                "fund.digital": 1500000000, "fund.da06": 200000000,
                "eval.advantages": "Lãnh đạo quan tâm.",
                "eval.difficulties": "Thiếu máy chủ.",
                "plan": "Hoàn thành làm sạch dữ liệu.",
                "proposals": "Bổ sung kinh phí.",
            },
            "lists": {
                "directives": [{"number": "372/QĐ-SYT",
                                "date": "2025-01-20",
                                "abstract": "Kế hoạch chuyển đổi số"}],
                "comm.other": [{"form": "banner", "quantity": 3,
                                "note": ""}],
            },
        }

    def test_good_six_month_report_submits(self):
        r = self.c.put(self.p, self.good())
        self.assertEqual(r.status, 200, r)
        self.assertEqual(errors(r.json()), [], r.json()["checks"])
        self.assertEqual(r.json()["values"]["infra.pc_total"], 35)
        self.assertEqual(self.c.post(self.p + "/submit").status, 200)

    def test_document_number_date_and_splits_are_checked(self):
        b = self.good()
        b["lists"]["directives"] = [
            {"number": "372-QD", "date": "2025-01-20", "abstract": "Sai số"},
            {"number": "12/KH-SYT", "date": "2024-05-01",
             "abstract": "Ngoài kỳ"}]
        b["values"]["docs.out_unsigned"] = 25
        b["values"]["hr.fulltime_other"] = 1
        b["values"]["infosec.level3"] = 2
        r = self.c.put(self.p, b)
        self.assertEqual(r.status, 200, r)
        errs = errors(r.json())
        rows = sorted(c.get("row") for c in errs if c.get("list") ==
                      "directives")
        self.assertEqual(rows, [1, 2])
        for item in ("docs.out_unsigned", "hr.fulltime_other",
                     "infosec.level3"):
            self.assertTrue(errors(r.json(), item), item)
        self.assertEqual(self.c.post(self.p + "/submit").status, 422)

    def test_list_rows_of_the_wrong_shape_are_refused(self):
        for lists in ({"directives": [{"number": "1/QĐ-SYT"}]},
                      {"directives": [{"number": "1/QĐ-SYT",
                                       "date": "2025-02-30",
                                       "abstract": "x"}]},
                      {"comm.other": [{"form": "phao-hoa", "quantity": 1}]},
                      {"comm.cccd": [{"form": "banner", "quantity": 1}]},
                      {"khong.co": []}):
            b = self.good()
            b["lists"] = lists
            r = self.c.put(self.p, b)
            self.assertEqual(r.status, 422, lists)
        # Not a list at all: a body of the wrong shape (test_query).
        b = self.good()
        b["lists"] = {"directives": "không phải danh sách"}
        self.assertEqual(self.c.put(self.p, b).status, 400)
        self.assertEqual(self.c.get(self.p).json()["version"], 0)

    def test_six_month_report_needs_the_assessment_texts(self):
        b = self.good()
        del b["values"]["eval.advantages"]
        b["values"]["plan"] = "   "
        r = self.c.put(self.p, b)
        self.assertEqual(r.status, 200)
        self.assertEqual(self.c.post(self.p + "/submit").status, 422)

    def test_emr_level_is_for_hospitals_only(self):
        b = self.good()
        b["values"]["emr.level"] = 3
        r = self.c.put(self.p, b)
        self.assertEqual(r.status, 422)


class ReportScopeTest(unittest.TestCase):
    def test_nobody_reaches_another_units_report(self):
        mine = make_unit("private_clinic")
        theirs = make_unit("private_clinic")
        c = signed_in("unit", mine)
        other = signed_in("unit", theirs)
        other.put(path(theirs), {"version": 0,
                                 "values": pl1_values(gksklx=False)})
        self.assertEqual(c.get(path(theirs)).status, 404)
        self.assertEqual(c.put(path(theirs), {"version": 1, "values": {
            "erx.total": 1}}).status, 404)
        self.assertEqual(c.post(path(theirs) + "/submit").status, 404)
        self.assertEqual(other.get(path(theirs)).json()["values"][
            "erx.total"], 800)
        listed = c.get("/api/v1/reports").json()
        self.assertNotIn(theirs, {r["unit"] for r in listed})

    def test_office_and_viewer_read_but_do_not_write(self):
        unit = make_unit("private_clinic", district="NGASON")
        signed_in("unit", unit).put(path(unit), {
            "version": 0, "values": pl1_values(gksklx=False)})
        office = signed_in("office")
        viewer = signed_in("viewer", districts=("NGASON",))
        for c in (office, viewer):
            self.assertEqual(c.get(path(unit)).status, 200)
            self.assertEqual(c.put(path(unit), {"version": 1, "values": {
                "erx.total": 1}}).status, 403)
            self.assertEqual(c.post(path(unit) + "/submit").status, 403)
        far = signed_in("viewer", districts=("MUONGLAT",))
        self.assertEqual(far.get(path(unit)).status, 404)

    def test_bad_paths_are_404(self):
        unit = make_unit("private_clinic")
        c = signed_in("unit", unit)
        for p in (path(unit, "2030-13"), path(unit, "2030-03", "PL3"),
                  path(unit, "2023-03"), path(unit, "2030-03", "PL2"),
                  "/api/v1/reports/%s/%s" % (unit, open_period()),
                  "/api/v1/reports/..%2f..%2fetc/2030-03/PL1"):
            self.assertEqual(c.get(p).status, 404, p)


class TokenTest(unittest.TestCase):
    def test_integration_files_with_a_token_and_loses_it_on_revoke(self):
        unit = make_unit("provincial_hospital", hospital=True, gksklx=True)
        other = make_unit("provincial_hospital", hospital=True)
        office = signed_in("office")
        r = office.post("/api/v1/tokens", {"unit": unit,
                                           "name": "HIS bệnh viện"})
        self.assertEqual(r.status, 201, r)
        token, tid = r.json()["token"], r.json()["id"]
        self.assertNotIn(token.encode(), office.get("/api/v1/tokens").body)
        self.assertIsNone(sql1("SELECT 1 FROM api_tokens t WHERE "
                               "t::text LIKE :'v1'", "%" + token + "%"))
        auth = {"Authorization": "Bearer " + token,
                "Content-Type": "application/json"}
        body = json.dumps({"version": 0, "values": pl1_values()}).encode()
        r = raw("PUT", path(unit), body, auth)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["history"][-1]["actor"][:4], "api.")
        self.assertEqual(raw("POST", path(unit) + "/submit", b"",
                             auth).status, 200)
        self.assertEqual(raw("GET", path(other), None, auth).status, 404)
        self.assertEqual(raw("GET", "/api/v1/units", None, auth).status,
                         403)
        self.assertEqual(raw("GET", path(unit), None, {
            "Authorization": "Bearer sai-ma"}).status, 401)
        self.assertEqual(office.delete("/api/v1/tokens/%d" % tid).status,
                         204)
        self.assertEqual(raw("GET", path(unit), None, auth).status, 401)
        self.assertEqual(office.delete("/api/v1/tokens/%d" % tid).status,
                         404)

    def test_only_the_office_issues_tokens(self):
        unit = make_unit("private_clinic")
        c = signed_in("unit", unit)
        self.assertEqual(c.post("/api/v1/tokens", {"unit": unit,
                                                   "name": "x"}).status, 403)
        office = signed_in("office")
        for body in ({"unit": unit}, {"name": "x"},
                     {"unit": "KHONG-CO", "name": "x"},
                     {"unit": unit, "name": "x" * 101},
                     {"unit": unit, "name": 5}):
            self.assertEqual(office.post("/api/v1/tokens", body).status,
                             422, body)
        # The limit counts letters, not bytes: 100 Vietnamese letters pass.
        r = office.post("/api/v1/tokens", {"unit": unit, "name": "Ệ" * 100})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(office.delete("/api/v1/tokens/abc").status, 404)


if __name__ == "__main__":
    unittest.main()
