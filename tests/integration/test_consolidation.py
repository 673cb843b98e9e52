"""Consolidation beyond sums: a level (emr.level) counts the units at each
level, the same in the JSON, the workbook and the CSV; and names come in
Vietnamese order everywhere the office reads them (the districts, units,
accounts, progress, review, consolidation, workbook and CSV)."""

import csv
import io
import random
import unicodedata
import unittest

import openpyxl

from portal import make_unit, make_user, signed_in, sql, sql1, start_period
from test_reports import path

LEVELS = [str(k) for k in range(1, 8)]


def pl2_values(level):
    return {
        "infra.pc_before_2020": 10, "infra.pc_after_2020": 25,
        "infra.printers": 8, "infra.routers": 2, "infra.switches": 4,
        "infra.servers": 1, "emr.level": level,
        "infosec.systems": 3, "infosec.approved": 2, "infosec.level1": 1,
        "infosec.level2": 1, "infosec.level3": 0,
        "docs.in_total": 500, "docs.in_online": 480, "docs.out_total": 200,
        "docs.out_sign_both": 150, "docs.out_sign_leader": 20,
        "docs.out_sign_org": 10, "docs.out_unsigned": 20,
        "hr.fulltime": 3, "hr.fulltime_university": 2,
        "hr.fulltime_college": 1, "hr.fulltime_other": 0,
        "hr.parttime": 2, "hr.parttime_trained": 1,
        "fund.digital": 1500000000, "fund.da06": 200000000,
        "eval.advantages": "Lãnh đạo quan tâm.",
        "eval.difficulties": "Thiếu máy chủ.",
        "plan": "Hoàn thành bệnh án điện tử.",
        "proposals": "Bổ sung kinh phí.",
    }


def counts(**at):
    """{"1": 0, ..., "7": 0} with the given levels set: counts(l5=2)."""
    out = {k: 0 for k in LEVELS}
    for k, n in at.items():
        out[k[1:]] = n
    return out


def sheet_rows(body, name):
    wb = openpyxl.load_workbook(io.BytesIO(body))
    return [[c.value for c in row] for row in wb[name].iter_rows()]


def row_of(rows, col, text, start=0):
    for i, row in enumerate(rows[start:], start):
        if len(row) > col and row[col] == text:
            return i
    raise AssertionError("no row with %r" % text)


class LevelTest(unittest.TestCase):
    """Eight hospitals at levels 4 and 5 are not "level 36"."""

    @classmethod
    def setUpClass(cls):
        cls.year = random.randint(2040, 2099)
        cls.period = "%d-H1" % cls.year
        cls.office = signed_in("office")
        cls.office.get("/api/v1/periods?year=%d" % cls.year)
        start_period(cls.period, cls.office)
        plan = [("HATRUNG", "provincial_hospital", 5),
                ("HATRUNG", "private_hospital", 4),
                ("HATRUNG", "provincial_hospital", 5),
                ("DONGSON", "district_centre", 4),
                ("DONGSON", "provincial_hospital", 5)]
        cls.units = []
        for district, kind, level in plan:
            code = make_unit(kind, district=district, hospital=True)
            c = signed_in("unit", code)
            p = path(code, cls.period, "PL2")
            r = c.put(p, {"version": 0, "values": pl2_values(level)})
            assert r.status == 200, r
            r = c.post(p + "/submit", {})
            assert r.status == 200, r
            cls.units.append(code)
        # One accepted: ?only=accepted counts it alone.
        r = cls.office.post(path(cls.units[1], cls.period, "PL2")
                            + "/accept", {})
        assert r.status == 200, r
        cls.base = "/api/v1/consolidated/%s/PL2" % cls.period

    def test_json_counts_the_units_at_each_level(self):
        b = self.office.get(self.base).json()
        self.assertEqual(b["values"]["emr.level"], counts(l4=2, l5=3))
        self.assertEqual(b["by_district"]["HATRUNG"]["values"]["emr.level"],
                         counts(l4=1, l5=2))
        self.assertEqual(b["by_district"]["DONGSON"]["values"]["emr.level"],
                         counts(l4=1, l5=1))
        kinds = b["by_kind"]
        self.assertEqual(kinds["provincial_hospital"]["values"]["emr.level"],
                         counts(l5=3))
        self.assertEqual(kinds["district_centre"]["values"]["emr.level"],
                         counts(l4=1))
        # A district where no unit reported a level: none at any.
        self.assertEqual(b["by_district"]["MUONGLAT"]["values"]["emr.level"],
                         counts())
        self.assertNotIn("levels", b)
        # Each unit's own row keeps its level; other figures still add up.
        mine = {u["code"]: u["values"]["emr.level"] for u in b["units"]
                if u["code"] in self.units}
        self.assertEqual(sorted(mine.values()), [4, 4, 5, 5, 5])
        self.assertEqual(b["values"]["infra.printers"], 40)
        self.assertEqual(sql("SELECT * FROM report_totals_verify()"), [])

    def test_summary_and_accepted_count_the_same_way(self):
        s = self.office.get(self.base + "?detail=summary").json()
        self.assertEqual(s["values"]["emr.level"], counts(l4=2, l5=3))
        self.assertEqual(s["by_district"]["HATRUNG"]["values"]["emr.level"],
                         counts(l4=1, l5=2))
        a = self.office.get(self.base + "?only=accepted").json()
        self.assertEqual(a["values"]["emr.level"], counts(l4=1))
        viewer = signed_in("viewer", districts=("DONGSON",))
        v = viewer.get(self.base).json()
        self.assertEqual(v["values"]["emr.level"], counts(l4=1, l5=1))

    def test_workbook_and_csv_agree_with_the_json(self):
        b = self.office.get(self.base).json()
        r = self.office.get(self.base + ".xlsx")
        self.assertEqual(r.status, 200, r)
        rows = sheet_rows(r.body, "Tổng hợp")
        item = row_of(rows, 1, "Mức Bệnh án điện tử đã đạt theo Thông tư "
                      "số 54/2017/TT-BYT")
        self.assertIsNone(rows[item][3])
        for k in LEVELS:
            row = rows[item + int(k)]
            self.assertEqual(row[1], "Mức " + k)
            self.assertEqual(row[3], b["values"]["emr.level"][k], k)

        rows = sheet_rows(r.body, "Theo địa bàn")
        head = row_of(rows, 3, "Toàn tỉnh")
        # The areas' names in force in the period (far ahead: the
        # former districts' catchments).
        names = {k: v["name"] for k, v in b["by_district"].items()}
        col = rows[head].index(names["HATRUNG"])
        five = row_of(rows, 1, "Mức 5", head)
        self.assertEqual(rows[five][3], 3)
        self.assertEqual(rows[five][col], 2)
        self.assertEqual(rows[five][rows[head].index(names["DONGSON"])], 1)

        r = self.office.get(self.base + ".csv")
        self.assertEqual(r.status, 200, r)
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8-sig")),
                               delimiter=";"))
        col = rows[0].index(names["HATRUNG"])
        by_code = {row[1]: row for row in rows if len(row) > 1}
        self.assertEqual(by_code["emr.level"][4], "")
        for k in LEVELS:
            row = by_code["emr.level=" + k]
            self.assertEqual(row[2], "Mức " + k)
            self.assertEqual(row[4], str(b["values"]["emr.level"][k]))
            self.assertEqual(row[col], str(b["by_district"]["HATRUNG"]
                                           ["values"]["emr.level"][k]))


# Vietnamese order, written out so that the test does not trust the
# collation it checks: the letters of the alphabet, then tones.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
MARKS = {"\u0306": "ă", "\u0302": "^", "\u031b": "+"}
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
LETTER = {("a", "ă"): "ă", ("a", "^"): "â", ("e", "^"): "ê",
          ("o", "^"): "ô", ("o", "+"): "ơ", ("u", "+"): "ư"}


def runs(values):
    """Each value once, in the order its first run comes: a list grouped
    by district gives its districts (a district seen twice fails)."""
    out = []
    for v in values:
        if not out or out[-1] != v:
            out.append(v)
    return out


def vi_key(s):
    primary, tones, case = [], [], []
    for ch in s:
        d = unicodedata.normalize("NFD", ch)
        base, rest = d[0], d[1:]
        low = base.lower()
        mark = [MARKS[m] for m in rest if m in MARKS]
        if mark:
            low = LETTER.get((low, mark[0]), low)
        if low in ALPHABET:
            primary.append(100 + ALPHABET.index(low))
        elif low.isdigit():
            primary.append(10 + int(low))
        else:
            primary.append(0)
        tones.append(sum(TONES.get(m, 0) for m in rest))
        case.append(0 if base.islower() else 1)
    return (primary, tones, case)


class OrderTest(unittest.TestCase):
    """Names in Vietnamese order, not by their bytes: "Hà Trung" before
    "Hoằng Hóa", "Đông Sơn" after every "D" and before "E"."""

    # Made in this order: neither their codes nor their bytes sort them.
    NAMES = ["Phòng khám Đông Phương", "Phòng khám Hoằng Long",
             "Phòng khám Hà An", "Phòng khám Dương Minh",
             "Phòng khám Ánh Dương", "Phòng khám Hậu Thành",
             "Phòng khám Em Bé"]

    @classmethod
    def setUpClass(cls):
        cls.year = random.randint(2040, 2099)
        cls.period = "%d-05" % cls.year
        cls.office = signed_in("office")
        cls.office.get("/api/v1/periods?year=%d" % cls.year)
        cls.district = "HATRUNG"
        cls.code = {}
        cls.user = {}
        for name in cls.NAMES:
            code = make_unit("private_clinic", district=cls.district)
            sql("UPDATE units SET name = :'v2' WHERE code = :'v1'",
                code, name)
            cls.code[name] = code
            cls.user[name] = make_user("unit", code)[0]
        cls.want = sorted(cls.NAMES, key=vi_key)

    def in_order(self, listed):
        """The test's units as they come in listed (codes or names)."""
        ours = set(self.code.values()) | set(self.NAMES)
        names = {v: k for k, v in self.code.items()}
        return [names.get(x, x) for x in listed if x in ours]

    def assert_vi_order(self, names, what):
        self.assertEqual(list(names), sorted(names, key=vi_key), what)

    def test_the_expected_order_itself(self):
        self.assertEqual(self.want, [
            "Phòng khám Ánh Dương", "Phòng khám Dương Minh",
            "Phòng khám Đông Phương", "Phòng khám Em Bé",
            "Phòng khám Hà An", "Phòng khám Hậu Thành",
            "Phòng khám Hoằng Long"])

    def test_districts_and_units(self):
        d = self.office.get("/api/v1/districts").json()
        self.assert_vi_order([x["name"] for x in d], "districts")
        # The 27 districts, as they were before 1 July 2025.
        d = self.office.get("/api/v1/areas?date=2025-06-30").json()
        names = [x["name"] for x in d]
        self.assert_vi_order(names, "areas")
        self.assertLess(names.index("Huyện Cẩm Thủy"),
                        names.index("Huyện Đông Sơn"))
        self.assertLess(names.index("Huyện Đông Sơn"),
                        names.index("Huyện Hà Trung"))
        self.assertLess(names.index("Huyện Hà Trung"),
                        names.index("Huyện Hoằng Hóa"))
        units = self.office.get("/api/v1/units").json()
        self.assert_vi_order(runs(u["district_name"] for u in units),
                             "units by district")
        self.assertEqual(self.in_order(u["code"] for u in units), self.want)
        contacts = self.office.get("/api/v1/contacts").json()
        self.assertEqual(self.in_order(c["unit"] for c in contacts),
                         self.want)

    def test_accounts(self):
        admin = signed_in("admin")
        accounts = admin.get("/api/v1/accounts").json()
        mine = {v: k for k, v in self.user.items()}
        got = [mine[a["username"]] for a in accounts
               if a["username"] in mine]
        self.assertEqual(got, self.want)

    def test_progress_and_review(self):
        c = self.office.get("/api/v1/completeness/" + self.period).json()
        names = [x["name"] for x in c["by_district"]]
        self.assert_vi_order(names, "progress by district")
        self.assertEqual(self.in_order(u["unit"] for u in c["units"]),
                         self.want)
        r = self.office.get("/api/v1/review/%s?form=PL1&district=%s"
                            % (self.period, self.district)).json()
        self.assertEqual(self.in_order(x["unit"] for x in r), self.want)
        r = self.office.get("/api/v1/review/%s?form=PL1" % self.period)
        self.assertEqual(r.status, 200, r)
        self.assert_vi_order(runs(x["district_name"] for x in r.json()),
                             "review by district")

    def test_consolidation_workbook_and_csv(self):
        base = "/api/v1/consolidated/%s/PL1" % self.period
        b = self.office.get(base).json()
        self.assertEqual(self.in_order(m["code"] for m in b["missing"]),
                         self.want)
        self.assert_vi_order(runs(m["district_name"] for m in b["missing"]),
                             "missing by district")

        r = self.office.get(base + ".xlsx")
        self.assertEqual(r.status, 200, r)
        rows = sheet_rows(r.body, "Theo địa bàn")
        head = rows[row_of(rows, 3, "Toàn tỉnh")]
        cols = [v for v in head[4:] if v]
        self.assertEqual(len(cols), len(b["by_district"]))
        self.assert_vi_order(cols, "workbook columns")
        rows = sheet_rows(r.body, "Chưa nộp, nộp muộn")
        self.assertEqual(self.in_order(row[1] for row in rows), self.want)

        r = self.office.get(base + ".csv")
        head = next(csv.reader(io.StringIO(r.body.decode("utf-8-sig")),
                               delimiter=";"))
        self.assertEqual(head[5:], cols)


if __name__ == "__main__":
    unittest.main()
