"""The registry import (all rows or none, every problem reported) and the
focal-point form."""

import os
import unittest

from portal import ROOT, make_unit, signed_in, sql, sql1


def data(name):
    with open(os.path.join(ROOT, "tests", "data", name), "rb") as f:
        return f.read()


def unit_count():
    return int(sql1("SELECT count(*) FROM units"))


class ImportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.office = signed_in("office")

    def upload(self, body):
        return self.office.post("/api/v1/units/import", body,
                                ctype="text/csv; charset=utf-8")

    def test_good_file_is_imported_whole_and_again_as_updates(self):
        r = self.upload(data("units_good.csv"))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["total"], 10)
        self.assertEqual(r.json()["created"] + r.json()["updated"], 10)
        row = sql("""SELECT kind, parent, district FROM units
                     WHERE code = 'TYT-XUANHONG'""")[0]
        self.assertEqual(row, ["commune_station", "TTYT-THOXUAN", "THOXUAN"])
        self.assertEqual(sql1("""SELECT is_public FROM units
                                 WHERE code = 'BV-HOPLUC'"""), "f")
        self.assertEqual(sql("""SELECT phone, email FROM contacts
                                WHERE unit_code = 'BVDK-TINH'"""),
                         [["0912345678", "khth.bvdktinh@thanhhoa.gov.vn"]])
        self.assertEqual(sql1("""SELECT phone FROM contacts
                                 WHERE unit_code = 'TYT-XUANTRUONG'"""),
                         "0983456789")
        again = self.upload(data("units_good.csv"))
        self.assertEqual(again.status, 200)
        self.assertEqual((again.json()["created"], again.json()["updated"]),
                         (0, 10))
        self.assertIsNotNone(sql1("""SELECT 1 FROM audit
                                     WHERE action = 'units_import'"""))

    def test_bad_file_reports_every_row_and_imports_nothing(self):
        before = unit_count()
        r = self.upload(data("units_bad.csv"))
        self.assertEqual(r.status, 422, r)
        err = r.json()["error"]
        self.assertEqual(err["code"], "import_failed")
        self.assertIn("Chưa nhập", err["message"])
        lines = {d["line"] for d in err["details"]}
        self.assertTrue({3, 4, 5, 6, 7, 8, 9, 10} <= lines, lines)
        self.assertNotIn(2, lines)
        for d in err["details"]:
            self.assertTrue(d["message"])
        self.assertEqual(unit_count(), before)
        self.assertIsNone(sql1("""SELECT 1 FROM units
                                  WHERE code = 'TTYT-NGASON-X'"""))

    def test_registry_problems_found_in_the_database_import_nothing(self):
        before = unit_count()
        csv = ("ma_don_vi,ten_don_vi,loai,huyen,don_vi_quan_ly\n"
               "PK-MOI-1,Phòng khám mới,private_clinic,Huyện Không Có,\n"
               "TYT-MOI-1,Trạm mới,commune_station,Nga Sơn,BVDKT\n"
               "TYT-MOI-2,Trạm mới 2,commune_station,NGASON,KHONG-CO\n"
               "PK-MOI-2,Phòng khám đúng,private_clinic,ngason,\n")
        r = self.upload(csv)
        self.assertEqual(r.status, 422, r)
        got = sorted((d["line"], d["column"]) for d in
                     r.json()["error"]["details"])
        self.assertEqual(got, [(2, "huyen"), (3, "don_vi_quan_ly"),
                               (4, "don_vi_quan_ly")])
        self.assertEqual(unit_count(), before)
        self.assertIsNone(sql1("SELECT 1 FROM units WHERE code = 'PK-MOI-2'"))

    def test_every_problem_is_reported_in_one_round(self):
        """The file's own problems and the registry's together: before,
        an unknown managing unit or district was told only once the
        phone, the duplicate and the rest had been fixed."""
        centre = make_unit("district_centre")
        make_unit("commune_station", centre)
        before = unit_count()
        # Vietnamese headers: each problem is told under the file's own.
        csv = ("Mã đơn vị;Tên đơn vị;Loại đơn vị;Huyện/thị xã/thành phố;"
               "Đơn vị quản lý;Đầu mối - Họ tên;Đầu mối - Điện thoại\n"
               # 2: a bad phone, and a managing unit nobody knows.
               "TYT-MOT-1;Trạm Một;Trạm Y tế xã;Nga Sơn;KHONG-CO-1;"
               "Lê Văn A;12345\n"
               # 3: fine by itself.
               "PK-MOT-2;Phòng khám Hai;private_clinic;Nga Sơn;;;\n"
               # 4: the code again, and a district that does not exist.
               "PK-MOT-2;Phòng khám Ba;private_clinic;Huyện Không Có;;;\n"
               # 5: a known centre with stations made a clinic, with a
               # name too long.
               "%s;%s;private_clinic;VINHLOC;;;\n"
               # 6: an unknown kind, whose code a station below names:
               # its kind is to be fixed, the station is not told again.
               "TTYT-MOT-6;Trung tâm Sáu;Trung tâm không rõ;Nga Sơn;;;\n"
               "TYT-MOT-7;Trạm Bảy;commune_station;Nga Sơn;TTYT-MOT-6;"
               "Phạm B;0912345678\n" % (centre, "X" * 201))
        r = self.upload(csv)
        self.assertEqual(r.status, 422, r)
        got = [(d["line"], d["column"]) for d in r.json()["error"]["details"]]
        self.assertEqual(sorted(got), sorted([
            (2, "Đầu mối - Điện thoại"), (2, "Đơn vị quản lý"),
            (4, "Mã đơn vị"), (4, "Huyện/thị xã/thành phố"),
            (5, "Tên đơn vị"), (5, "Loại đơn vị"),
            (6, "Loại đơn vị")]))
        # In line order, for the person fixing the file from the top.
        self.assertEqual([g[0] for g in got], sorted(g[0] for g in got))
        by = {(d["line"], d["column"]): d["message"]
              for d in r.json()["error"]["details"]}
        self.assertIn("KHONG-CO-1", by[(2, "Đơn vị quản lý")])
        self.assertIn("Huyện Không Có", by[(4, "Huyện/thị xã/thành phố")])
        self.assertIn("dòng 3", by[(4, "Mã đơn vị")])
        self.assertIn("trạm", by[(5, "Loại đơn vị")])
        self.assertEqual(unit_count(), before)
        self.assertEqual(sql1("SELECT kind FROM units WHERE code = :'v1'",
                              centre), "district_centre")

    def test_centre_with_stations_cannot_become_another_kind(self):
        centre = make_unit("district_centre")
        make_unit("commune_station", centre)
        r = self.upload("ma_don_vi,ten_don_vi,loai,huyen\n%s,Đổi loại,"
                        "private_clinic,VINHLOC\n" % centre)
        self.assertEqual(r.status, 422)
        self.assertEqual(sql1("SELECT kind FROM units WHERE code = :'v1'",
                              centre), "district_centre")

    def test_malformed_uploads_are_refused_clearly(self):
        before = unit_count()
        cases = [
            (b"", 400),
            (b"ma_don_vi,ten_don_vi,loai,huyen\nA1,\xff\xfe,cdc,NGASON\n", 422),
            (b'ma_don_vi,ten_don_vi,loai,huyen\nA1,"unterminated,cdc\n', 422),
            (b"ma_don_vi,ten_don_vi\nA1,B\n", 422),
            (b"just one line without the columns\n", 422),
            (b"ma_don_vi,ten_don_vi,loai,huyen\n"
             b"X1,<script>alert(1)</script>,cdc,'; DROP TABLE units;--\n", 422),
        ]
        for body, status in cases:
            r = self.upload(body)
            self.assertEqual(r.status, status, (body, r))
            self.assertTrue(r.json()["error"]["message"])
        r = self.upload(b"a" * (2 * 1024 * 1024 + 10))
        self.assertEqual(r.status, 413)
        self.assertEqual(unit_count(), before)


class ContactTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.office = signed_in("office")
        cls.unit = make_unit("private_clinic")

    def test_focal_point_is_saved_normalised(self):
        r = self.office.put("/api/v1/contacts/" + self.unit, {
            "name": "  Lê Thị Thu  ", "position": "Phó Giám đốc",
            "phone": "+84 912.345.678", "email": "Thu.LE@Example.VN"})
        self.assertEqual(r.status, 200, r)
        c = r.json()
        self.assertEqual((c["name"], c["phone"], c["email"]),
                         ("Lê Thị Thu", "0912345678", "thu.le@example.vn"))
        unit = signed_in("unit", self.unit)
        mine = unit.get("/api/v1/contacts").json()
        self.assertEqual([x["phone"] for x in mine], ["0912345678"])

    def test_bad_focal_point_names_each_field_and_changes_nothing(self):
        self.office.put("/api/v1/contacts/" + self.unit, {
            "name": "Người Cũ", "phone": "0912345678"})
        cases = [
            ({"name": "", "phone": "0912345678"}, {"name"}),
            ({"name": "Ai Đó", "phone": "12345"}, {"phone"}),
            ({"name": "Ai Đó", "phone": "0912345678", "email": "a@"},
             {"email"}),
            ({"name": "x" * 101, "phone": "0112345678"}, {"name", "phone"}),
            ({"name": 5, "phone": "0912345678"}, {"name"}),
            ({"name": "Ai Đó", "phone": ["0912345678"]}, {"phone"}),
        ]
        for body, fields in cases:
            r = self.office.put("/api/v1/contacts/" + self.unit, body)
            self.assertEqual(r.status, 422, body)
            got = {d["field"] for d in r.json()["error"]["details"]}
            self.assertEqual(got, fields, body)
        self.assertEqual(sql1("""SELECT name FROM contacts
                                 WHERE unit_code = :'v1'""", self.unit),
                         "Người Cũ")

    def test_script_in_a_name_is_kept_as_inert_text(self):
        r = self.office.put("/api/v1/contacts/" + self.unit, {
            "name": "<script>alert('x')</script>", "phone": "0912345678"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["name"], "<script>alert('x')</script>")
        self.assertEqual(r.header("content-type"),
                         "application/json; charset=utf-8")
        self.assertEqual(r.header("x-content-type-options"), "nosniff")

    def test_unknown_unit_is_404(self):
        r = self.office.put("/api/v1/contacts/KHONG-CO-DAU",
                            {"name": "Ai Đó", "phone": "0912345678"})
        self.assertEqual(r.status, 404)


if __name__ == "__main__":
    unittest.main()
