"""Outline versions: the version in force per period, a new version
checked (every problem with its place) and activated by the admin, and a
report filed under the older outline that reads, exports and re-checks
unchanged afterwards while the newer periods file under the new one;
items a month's version lacks are absent (never 0) in the consolidation,
its workbook and the unit's comparison with its previous period.

The new version is the demo's example (sql/demo/020_outline_2026.sql,
the same JSON as forms/examples/PL1-2026-vneid.json), activated from a
far period: the demo's own first period, 2026-01, would change the
outline of the periods the other tests file in."""

import copy
import csv
import io
import json
import os
import unittest

import openpyxl

from portal import (Client, ROOT, make_unit, raw, signed_in, sql, sql1,
                    start_period)
from test_reports import path, pl1_values

EXAMPLE = os.path.join(ROOT, "forms", "examples", "PL1-2026-vneid.json")
ABSENT = "không có trong đề cương kỳ này"

# Periods of this file only, in 2100, the last year the portal takes: the
# other tests file in random years up to 2099, and every period from
# NEW_MONTH on files under the version this file activates.
OLD_MONTHS = ("2100-01", "2100-02")
NEW_MONTH = "2100-03"
DRAFT_MONTH = "2100-06"

VNEID = {"vneid.hb_updated": 900, "vneid.hb_paperless": 300,
         "vneid.hb_staff_trained": 12}


def example_text():
    with open(EXAMPLE, encoding="utf-8") as f:
        return f.read()


def upload(client, text, first, dry=True, form="PL1"):
    q = "?first_period=%s%s" % (first, "&dry_run=1" if dry else "")
    return client.post("/api/v1/forms/%s/versions%s" % (form, q),
                       text.encode("utf-8") if isinstance(text, str)
                       else text, ctype="application/json")


def versions(client, form="PL1"):
    r = client.get("/api/v1/forms/%s/versions" % form)
    assert r.status == 200, r
    return r.json()


def wheres(r):
    return [(d["where"], d["message"]) for d in r.json()["error"]["details"]]


def sheet(body, name):
    wb = openpyxl.load_workbook(io.BytesIO(body))
    return [[c.value for c in row] for row in wb[name].iter_rows()]


def sheet_body(rows):
    """A sheet without its title rows (they carry the date and time)."""
    return [r for r in rows[5:]]


class FormVersionReadTest(unittest.TestCase):
    def setUp(self):
        self.unit = signed_in("unit", make_unit("private_clinic"))

    def test_the_form_is_served_with_its_version_and_first_period(self):
        r = self.unit.get("/api/v1/forms/PL1?period=2023-07")
        self.assertEqual(r.status, 200, r)
        o = r.json()
        self.assertEqual((o["version"], o["first_period"]), (1, "2023-H1"))
        self.assertEqual(o["form"], "PL1")
        self.assertIn("erx.total", json.dumps(o))
        # Today's version, by number, and the list all agree on version 1.
        today = self.unit.get("/api/v1/forms/PL1").json()
        self.assertIn("version", today)
        one = self.unit.get("/api/v1/forms/PL1/versions/1").json()
        self.assertEqual(one, o)
        first = versions(self.unit)[0]
        self.assertEqual((first["version"], first["first_period"]),
                         (1, "2023-H1"))
        self.assertEqual(first["title"], o["title"])

    def test_bad_period_and_version_arguments(self):
        for q in ("?period=2023-13", "?period=abc", "?period=2023-07&"
                  "period=2023-08", "?period=%FF"):
            r = self.unit.get("/api/v1/forms/PL1" + q)
            self.assertEqual(r.status, 400, (q, r))
        for v in ("0", "101", "abc", "01", "1.0", "999999"):
            r = self.unit.get("/api/v1/forms/PL1/versions/" + v)
            self.assertEqual(r.status, 404, (v, r))
        self.assertEqual(self.unit.get("/api/v1/forms/PL9/versions").status,
                         404)
        self.assertEqual(self.unit.get("/api/v1/forms/PL1/versions/99")
                         .status, 404)


class UploadRefusedTest(unittest.TestCase):
    """Nothing of these is stored: the list of versions stays as it was."""

    def setUp(self):
        self.admin = signed_in("admin")
        self.before = versions(self.admin)

    def tearDown(self):
        self.assertEqual(versions(self.admin), self.before)

    def test_only_the_admin_loads_a_version(self):
        for role in ("office", "unit", "viewer"):
            unit = make_unit("private_clinic") if role == "unit" else None
            c = signed_in(role, unit)
            r = upload(c, example_text(), "2099-01")
            self.assertEqual(r.status, 403, (role, r))

    def test_every_problem_is_told_with_its_place(self):
        d = json.loads(example_text())
        d["sections"][0]["items"][1]["maxlength"] = 5        # unknown key
        d["sections"][1]["items"][0]["kind"] = "cnt"          # unknown kind
        d["sections"][4]["items"][0]["label"] = ""            # empty label
        d["checks"][1]["parts"] = ["erx.linkd"]               # unknown item
        d["checks"].append(dict(d["checks"][0]))              # rule twice
        # A code of version 1 may not change its kind.
        d["sections"][7]["items"][0]["kind"] = "text"
        d["sections"][7]["items"][0]["maxlen"] = 100
        del d["sections"][7]["items"][0]["unit"]
        r = upload(self.admin, json.dumps(d, ensure_ascii=False), "2023-Y")
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.error_code(), "outline_invalid")
        got = wheres(r)
        places = [w for w, _ in got]
        for want in ("sections[0].items[1] (bhyt.records_total)",
                     "sections[1].items[0] (erx.total)",
                     "sections[4].items[0] (pay.total)",
                     "checks[1] (erx.linked_le_total)",
                     "checks[%d] (bhyt.ontime_le_total)"
                     % (len(d["checks"]) - 1),
                     "sections[7].items[0] (stay.declared)",
                     "first_period"):
            self.assertIn(want, places, got)
        text = json.dumps(got, ensure_ascii=False)
        self.assertIn("maxlength", text)
        self.assertIn("«cnt»", text)
        self.assertIn("erx.linkd", text)
        self.assertIn("phiên bản 1", text)          # the kind change
        self.assertIn("không dùng đề cương PL1", text)  # 2023-Y is PL2's
        # Each problem once, the unknown kind not blamed twice.
        self.assertEqual(len(got), len(set(got)), got)
        self.assertEqual([w for w, _ in got].count(
            "sections[1].items[0] (erx.total)"), 1, got)

    def test_a_file_that_is_not_json_says_where(self):
        text = example_text().replace('"form": "PL1",', '"form": "PL1"', 1)
        r = upload(self.admin, text, "2099-01")
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.error_code(), "bad_json")
        det = r.json()["error"]["details"][0]
        self.assertEqual(det["line"], 3)
        self.assertIn("dòng 3", det["where"])
        dup = example_text().replace('"form": "PL1",',
                                     '"form": "PL1", "form": "PL1",', 1)
        r = upload(self.admin, dup, "2099-01")
        self.assertEqual(r.status, 400, r)
        self.assertIn("hai lần", r.json()["error"]["details"][0]["message"])
        for body in (b"", b"\x00{}", b"\xff\xfe{}", b"[1, 2]"):
            r = upload(self.admin, body, "2099-01")
            self.assertIn(r.status, (400, 422), (body, r))

    def test_the_form_of_the_file_must_be_the_one_named(self):
        r = upload(self.admin, example_text(), "2099-H1", form="PL2")
        self.assertEqual(r.status, 422, r)
        self.assertIn("form", [w for w, _ in wheres(r)])

    def test_bad_arguments_are_400(self):
        for q in ("", "?first_period=2099-13", "?first_period=x",
                  "?first_period=2099-01&dry_run=yes",
                  "?first_period=2099-01&first_period=2099-02"):
            r = self.admin.post("/api/v1/forms/PL1/versions" + q,
                                example_text().encode("utf-8"),
                                ctype="application/json")
            self.assertEqual(r.status, 400, (q, r))
        r = self.admin.post("/api/v1/forms/PL3/versions?first_period="
                            "2099-01", b"{}", ctype="application/json")
        self.assertEqual(r.status, 404, r)

    def test_an_upload_is_bounded(self):
        big = example_text().rstrip()[:-1] + ', "note": "%s"}' % (
            "x" * (300 * 1024))
        r = upload(self.admin, big, "2099-01")
        self.assertEqual(r.status, 413, r)
        d = json.loads(example_text())
        item = d["sections"][0]["items"][1]
        d["sections"][0]["items"] += [dict(item, code="many.i%d" % i)
                                      for i in range(600)]
        r = upload(self.admin, json.dumps(d, ensure_ascii=False), "2099-01")
        self.assertEqual(r.status, 422, r)
        self.assertIn("tối đa 500", json.dumps(wheres(r),
                                                ensure_ascii=False))


class VersionLifeTest(unittest.TestCase):
    """One story, in order: filed under version 1, a version activated
    after it, the old report unchanged, the new periods by the new one."""

    def test_a_report_filed_under_the_old_outline_survives_a_new_one(self):
        admin = signed_in("admin")
        office = signed_in("office")
        code = make_unit("provincial_hospital", hospital=True, gksklx=True)
        unit = signed_in("unit", code)
        for p in OLD_MONTHS + (NEW_MONTH, DRAFT_MONTH):
            start_period(p, office)
        base = versions(admin)
        latest = base[-1]["version"]
        self.assertTrue(all(v["first_period"] < "2100" for v in base), base)

        # Two months filed under the version in force (1).
        for i, p in enumerate(OLD_MONTHS):
            r = unit.put(path(code, p), {"version": 0,
                                         "values": pl1_values(1 + i)})
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json()["form_version"], latest)
            self.assertEqual(unit.post(path(code, p) + "/submit", {})
                             .status, 200)
        old_path = path(code, OLD_MONTHS[1])
        before = unit.get(old_path).json()
        cons = "/api/v1/consolidated/%s/PL1" % OLD_MONTHS[1]
        xlsx_before = office.get(cons + ".xlsx")
        csv_before = office.get(cons + ".csv")
        self.assertEqual(xlsx_before.status, 200)

        # Not from a period that has reports under the version before.
        r = upload(admin, example_text(), OLD_MONTHS[1])
        self.assertEqual(r.status, 422, r)
        msg = json.dumps(wheres(r), ensure_ascii=False)
        self.assertIn(OLD_MONTHS[1], msg)
        self.assertIn("kể cả bản nháp", msg)

        # The differences, nothing stored; then activated.
        r = upload(admin, example_text(), NEW_MONTH)
        self.assertEqual(r.status, 200, r)
        diff = r.json()
        self.assertTrue(diff["dry_run"])
        self.assertEqual(diff["version"], latest + 1)
        self.assertEqual(diff["previous"]["version"], latest)
        added = [i["code"] for i in diff["added"]["items"]]
        self.assertEqual(added, ["vneid.hb_updated", "vneid.hb_paperless",
                                 "vneid.hb_paperless_pct",
                                 "vneid.hb_staff_trained"])
        self.assertEqual([c["rule"] for c in diff["added"]["checks"]],
                         ["vneid.paperless_le_updated",
                          "vneid.updated_le_visits"])
        self.assertEqual(diff["removed"]["items"], [])
        self.assertEqual(versions(admin), base)
        r = upload(admin, example_text(), NEW_MONTH, dry=False)
        self.assertEqual(r.status, 201, r)
        new = r.json()["version"]
        self.assertEqual(new, latest + 1)
        self.assertEqual(len(versions(admin)), len(base) + 1)

        # Every worker of every node reads the new version from the
        # database, without a restart.
        for _ in range(6):
            o = Client()
            o.sid, o.csrf = unit.sid, unit.csrf
            f = o.get("/api/v1/forms/PL1?period=" + NEW_MONTH).json()
            self.assertEqual((f["version"], f["first_period"]),
                             (new, NEW_MONTH))
            self.assertIn("vneid.hb_updated", json.dumps(f))
        old = unit.get("/api/v1/forms/PL1?period=" + OLD_MONTHS[1]).json()
        self.assertEqual(old["version"], latest)
        self.assertNotIn("vneid.hb_updated", json.dumps(old))

        # A version may not start before the latest one.
        r = upload(admin, example_text(), "2099-06")
        self.assertEqual(r.status, 422, r)
        self.assertIn("first_period", [w for w, _ in wheres(r)])

        # The old report reads, checks and exports as it did.
        self.assertEqual(unit.get(old_path).json(), before)
        xlsx_after = office.get(cons + ".xlsx")
        for name in ("Tổng hợp", "Chi tiết đơn vị"):
            self.assertEqual(sheet_body(sheet(xlsx_after.body, name)),
                             sheet_body(sheet(xlsx_before.body, name)))
        self.assertEqual(office.get(cons + ".csv").body, csv_before.body)
        self.assertNotIn(b"vneid", office.get(cons + ".csv").body)
        # ... and the office's accept-clean re-checks it by its own
        # version: the new "complete" would want the VNeID items.
        r = office.post("/api/v1/review/%s/PL1/accept-clean"
                        % OLD_MONTHS[1], {})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(unit.get(old_path).json()["status"], "accepted")

        # The new period files under the new version, its items asked.
        new_path = path(code, NEW_MONTH)
        r = unit.put(new_path, {"version": 0, "values": pl1_values(3)})
        self.assertEqual(r.status, 200, r)
        rep = r.json()
        self.assertEqual((rep["form_version"], rep["form_first_period"]),
                         (new, NEW_MONTH))
        complete = [c for c in rep["checks"] if c["rule"] ==
                    "values.complete"]
        self.assertTrue(complete and "vneid.hb_updated" in
                        complete[0]["items"], rep["checks"])
        self.assertEqual(unit.post(new_path + "/submit", {}).status, 422)
        # Its comparison with the month before: absent, not 0.
        prev = rep["previous"]
        self.assertEqual((prev["period"], prev["form_version"]),
                         (OLD_MONTHS[1], latest))
        self.assertIn("vneid.hb_updated", prev["absent"])
        self.assertNotIn("vneid.hb_updated", prev["values"])
        self.assertNotIn("erx.total", prev["absent"])
        values = dict(pl1_values(3), **VNEID)
        r = unit.put(new_path, {"version": rep["version"], "values": values})
        self.assertEqual(r.status, 200, r)
        self.assertAlmostEqual(r.json()["values"]["vneid.hb_paperless_pct"],
                               33.3)
        self.assertEqual(unit.post(new_path + "/submit", {}).status, 200)

        # The consolidation of the new month trends across both versions.
        c = office.get("/api/v1/consolidated/%s/PL1" % NEW_MONTH).json()
        self.assertEqual(c["form_version"], new)
        self.assertEqual(c["values"]["vneid.hb_updated"], 900)
        trend = {t["period"]: t for t in c["trend"]}
        self.assertEqual(trend[OLD_MONTHS[1]]["version"], latest)
        self.assertIn("vneid.hb_paperless_pct",
                      trend[OLD_MONTHS[1]]["absent"])
        self.assertNotIn("vneid.hb_paperless_pct",
                         trend[OLD_MONTHS[1]]["values"])
        self.assertIn("erx.linked_pct", trend[OLD_MONTHS[1]]["values"])
        self.assertEqual(trend[NEW_MONTH]["absent"], [])
        self.assertAlmostEqual(trend[NEW_MONTH]["values"]
                               ["vneid.hb_paperless_pct"], 33.3)
        # The workbook says so in the month's cell.
        rows = sheet(office.get("/api/v1/consolidated/%s/PL1.xlsx"
                                % NEW_MONTH).body, "Biểu đồ")
        head = next(r for r in rows if r and r[0] == "Kỳ báo cáo")
        col = next(i for i, v in enumerate(head) if v and
                   "Sổ sức khỏe điện tử" in v)
        months = {r[0]: r[col] for r in rows if r and r[0] and
                  str(r[0]).startswith("Tháng")}
        self.assertEqual(months["Tháng 2/2100"], ABSENT)
        self.assertAlmostEqual(months["Tháng 3/2100"], 33.3)

        # The calendar says which version each period uses.
        for year, p, v in (("2100", OLD_MONTHS[1], latest),
                           ("2100", NEW_MONTH, new)):
            cal = office.get("/api/v1/periods?year=" + year).json()
            row = next(x for x in cal if x["code"] == p)
            self.assertEqual(row["form_versions"], {"PL1": v})

        # A saved draft counts as filed: no version starts before it.
        r = unit.put(path(code, DRAFT_MONTH), {"version": 0,
                                               "values": {"erx.total": 1}})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["form_version"], new)
        r = upload(admin, example_text(), "2100-05")
        self.assertEqual(r.status, 422, r)
        self.assertIn(DRAFT_MONTH, json.dumps(wheres(r), ensure_ascii=False))

        # Stored versions are never changed, and the totals still agree.
        with self.assertRaises(RuntimeError):
            sql("UPDATE form_versions SET first_period = '2100-04' "
                "WHERE form = 'PL1' AND version = :'v1'", str(new))
        self.assertEqual(sql("SELECT * FROM report_totals_verify()"), [])
        self.assertEqual(sql1("SELECT form_version FROM reports WHERE "
                              "unit_code = :'v1' AND period_code = :'v2'",
                              code, OLD_MONTHS[1]), str(latest))


if __name__ == "__main__":
    unittest.main()
