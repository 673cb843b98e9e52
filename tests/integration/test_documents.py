"""The documents that are signed and sent: each unit's report as a PDF
(a hospital, a district health centre with stations, the CDC and a
private clinic, Phụ lục 1 and 2) read back with pdftotext; the signed copy
uploaded back and every bad upload refused; the consolidated report as a
PDF and in the workbook, its figures equal to the JSON; scope."""

import hashlib
import http.client
import io
import os
import random
import re
import shutil
import subprocess
import tempfile
import threading
import time
import unittest

import openpyxl

import portal
from portal import make_unit, raw, signed_in, sql, sql1, start_period
from test_consolidation import pl2_values
from test_reports import STATION_ITEMS, path, pl1_values

HAVE_POPPLER = shutil.which("pdftotext") is not None


def vn_int(n):
    """1234567 as the documents print it: 1.234.567."""
    return "{:,}".format(int(n)).replace(",", ".")


def vn_rate(x):
    return ("%.1f" % x).replace(".", ",")


def pdf_text(body, first=None, last=None, layout=True):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(body)
        f.flush()
        args = ["pdftotext"] + (["-layout"] if layout else [])
        if first:
            args += ["-f", str(first)]
        if last:
            args += ["-l", str(last)]
        out = subprocess.run(args + [f.name, "-"], capture_output=True,
                             check=True)
    return out.stdout.decode("utf-8")


def pdf_info(body):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(body)
        f.flush()
        out = subprocess.run(["pdfinfo", f.name], capture_output=True,
                             text=True, check=True).stdout
    info = {}
    for line in out.splitlines():
        k, _, v = line.partition(":")
        info[k.strip()] = v.strip()
    return info


def pl2_lists(period_year):
    return {
        "directives": [{"number": "372/QĐ-SYT",
                        "date": "%d-03-15" % period_year,
                        "abstract": "Về việc kiện toàn Ban chỉ đạo chuyển "
                                    "đổi số"}],
        "comm.cashless": [{"form": "banner", "quantity": 12,
                           "note": "Treo tại sảnh khám bệnh"}],
        "comm.other": [],
    }


@unittest.skipUnless(HAVE_POPPLER, "poppler-utils (pdftotext) is missing")
class UnitReportPdfTest(unittest.TestCase):
    """A report per kind of unit, both outlines, in one far period."""

    @classmethod
    def setUpClass(cls):
        cls.year = random.randint(2040, 2099)
        cls.month = "%d-07" % cls.year
        cls.half = "%d-H1" % cls.year
        cls.office = signed_in("office")
        start_period(cls.month, cls.office)
        start_period(cls.half, cls.office)

    def file(self, unit, period, form, body, submit=True):
        c = signed_in("unit", unit)
        r = c.put(path(unit, period, form), dict(body, version=0))
        self.assertEqual(r.status, 200, r)
        if submit:
            r = c.post(path(unit, period, form) + "/submit", {})
            self.assertEqual(r.status, 200, r)
        return c

    def pdf(self, client, unit, period, form, query=""):
        r = client.get(path(unit, period, form) + ".pdf" + query)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("content-type"), "application/pdf")
        self.assertTrue(r.body.startswith(b"%PDF-"))
        return r

    def check_page_and_blocks(self, body):
        info = pdf_info(body)
        self.assertIn("595.276 x 841.89 pts (A4)", info["Page size"])
        pages = int(info["Pages"])
        first = pdf_text(body, 1, 1)
        self.assertIn("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", first)
        self.assertIn("Độc lập - Tự do - Hạnh phúc", first)
        self.assertIn("SỞ Y TẾ THANH HÓA", first)
        self.assertIn("BÁO CÁO", first)
        self.assertIn("Kính gửi: Sở Y tế Thanh Hóa (qua Văn phòng Sở).",
                      first)
        last = pdf_text(body, pages, pages)
        self.assertIn("Nơi nhận:", last)
        self.assertIn("THỦ TRƯỞNG ĐƠN VỊ", last)
        self.assertIn("(Ký tên, đóng dấu)", last)
        return pages

    def assert_figures(self, text, form_values, answer):
        for k, v in form_values.items():
            if isinstance(v, int) and not isinstance(v, bool):
                self.assertIn(vn_int(v), text, k)
        for k, v in answer["values"].items():
            if isinstance(v, float):
                self.assertIn(vn_rate(v), text, k)

    def test_hospital_pl1_has_every_figure_and_rate(self):
        unit = make_unit("provincial_hospital", hospital=True, gksklx=True)
        values = pl1_values(unit_scale=7)
        c = self.file(unit, self.month, "PL1", {"values": values})
        answer = c.get(path(unit, self.month, "PL1")).json()
        r = self.pdf(c, unit, self.month, "PL1")
        self.assertIn("bao-cao-%s-%s-PL1.pdf" % (unit, self.month),
                      r.header("content-disposition"))
        self.check_page_and_blocks(r.body)
        text = pdf_text(r.body)
        self.assert_figures(text, values, answer)
        self.assertIn("Kê đơn thuốc điện tử".lower()[:8], text.lower())
        self.assertIn("Tỷ lệ đơn thuốc được liên thông", text)
        self.assertIn("/BC-%s" % unit, text)
        self.assertNotIn("BẢN NHÁP", text)
        # No furniture of the web page.
        for furniture in ("Tự tính", "Kiểm tra", "Lưu nháp"):
            self.assertNotIn(furniture, text)

    def test_centre_pl1_has_its_stations_after_its_own_row(self):
        centre = make_unit("district_centre", hospital=True, gksklx=True)
        stations = sorted(make_unit("commune_station", centre)
                          for _ in range(2))
        rows = {stations[0]: {k: 111 for k in STATION_ITEMS},
                stations[1]: {k: 222 for k in STATION_ITEMS},
                centre: {k: 1000 for k in STATION_ITEMS}}
        values = pl1_values()
        for k in STATION_ITEMS:
            values[k] = 1333
        c = self.file(centre, self.month, "PL1",
                      {"values": values, "stations": rows})
        r = self.pdf(c, centre, self.month, "PL1")
        self.check_page_and_blocks(r.body)
        text = pdf_text(r.body)
        self.assertIn("PHỤ LỤC I", text)
        self.assertIn("SỐ LIỆU TỪNG TRẠM Y TẾ", text)
        # Names wrap in the narrow column (pdftotext drops a hyphen at
        # the end of a line): compare without white space and hyphens.
        flat = re.sub(r"[\s-]+", "", pdf_text(r.body, layout=False))
        own = flat.index("(sốliệutạiTrungtâm)")
        for s in stations:
            self.assertGreater(flat.find(s.replace("-", "")), own)
        for v in ("111", "222", "1.000", "1.333"):
            self.assertIn(v, text)

    def test_cdc_pl2_has_its_lists_and_texts(self):
        cdc = make_unit("cdc", cdc=True)
        values = pl2_values(1)
        del values["emr.level"]
        values.update({"covid.doses": 123456, "covid.persons": 65432,
                       "covid.verified": 60000, "covid.unverified": 5432,
                       "covid.reasons": "Sai số định danh cá nhân."})
        c = self.file(cdc, self.half, "PL2",
                      {"values": values, "lists": pl2_lists(self.year)})
        r = self.pdf(c, cdc, self.half, "PL2")
        self.check_page_and_blocks(r.body)
        text = pdf_text(r.body)
        for k in ("covid.doses", "covid.persons", "fund.digital",
                  "docs.in_total"):
            self.assertIn(vn_int(values[k]), text, k)
        self.assertIn("Sai số định danh cá nhân.", text)
        self.assertIn("Số 372/QĐ-SYT", text)
        self.assertIn("ngày 15/03/%d" % self.year, text)
        self.assertIn("Băng rôn", text)
        self.assertIn("Lãnh đạo quan tâm.", text)
        self.assertIn("Bổ sung kinh phí.", text)

    def test_private_clinic_pl2_draft_is_marked(self):
        clinic = make_unit("private_clinic")
        values = pl2_values(1)
        del values["emr.level"]
        c = self.file(clinic, self.half, "PL2", {"values": values},
                      submit=False)
        r = self.pdf(c, clinic, self.half, "PL2")
        self.assertIn("ban-nhap", r.header("content-disposition"))
        text = pdf_text(r.body)
        self.assertIn("BẢN NHÁP", text)
        self.assertIn(vn_int(values["fund.digital"]), text)
        # Lists that were never filled say so; no CDC part for a clinic.
        self.assertIn("Không có.", text)
        self.assertNotIn("Covid-19", text)

    def test_number_and_signer_are_kept_for_the_next_download(self):
        unit = make_unit("private_hospital", hospital=True)
        c = self.file(unit, self.month, "PL1",
                      {"values": pl1_values(gksklx=False)})
        r = c.put(path(unit, self.month, "PL1") + "/document",
                  {"number": "45", "signer": "Trần Thị Hằng"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(c.get(path(unit, self.month, "PL1")).json()
                         ["document"], {"number": "45",
                                        "signer": "Trần Thị Hằng"})
        for _ in range(2):
            text = pdf_text(self.pdf(c, unit, self.month, "PL1").body)
            self.assertIn("Số: 45/BC-%s" % unit, text)
            self.assertIn("Trần Thị Hằng", text)
        # A query argument is for one download and is not stored.
        text = pdf_text(self.pdf(c, unit, self.month, "PL1",
                                 "?number=46").body)
        self.assertIn("Số: 46/BC-", text)
        self.assertEqual(c.get(path(unit, self.month, "PL1")).json()
                         ["document"]["number"], "45")

    def test_bad_details_are_refused(self):
        unit = make_unit("private_clinic")
        c = self.file(unit, self.month, "PL1",
                      {"values": pl1_values(gksklx=False)})
        p = path(unit, self.month, "PL1")
        for body, status in ((["45"], 400), ({"number": 45}, 422),
                             ({"number": "x" * 33}, 422),
                             ({"signer": "a\u0001b"}, 422)):
            r = c.put(p + "/document", body)
            self.assertEqual(r.status, status, (body, r))
            self.assertIn("message", r.json()["error"])
        self.assertIsNone(c.get(p).json()["document"])
        r = c.get(p + ".pdf?number=" + "9" * 40)
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json()["error"]["details"]["argument"], "number")
        self.assertEqual(c.get(p + ".docx").status, 404)


class SignedCopyTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.period = "%d-08" % random.randint(2040, 2099)
        start_period(cls.period)

    def setUp(self):
        self.unit = make_unit("provincial_hospital", hospital=True,
                              gksklx=True)
        self.c = signed_in("unit", self.unit)
        self.p = path(self.unit, self.period, "PL1")
        r = self.c.put(self.p, {"version": 0, "values": pl1_values()})
        self.assertEqual(r.status, 200, r)

    def submit(self):
        self.assertEqual(self.c.post(self.p + "/submit", {}).status, 200)

    def upload(self, body, ctype="application/pdf", client=None):
        return (client or self.c).put(self.p + "/signed", body, ctype=ctype)

    def stored(self):
        return int(sql1("""SELECT count(*) FROM report_signed s
                           JOIN reports r ON r.id = s.report_id
                           WHERE r.unit_code = :'v1'""", self.unit))

    def signed_pdf(self):
        # The report's own PDF stands for the copy its head signed.
        r = self.c.get(self.p + ".pdf")
        self.assertEqual(r.status, 200, r)
        return r.body

    def test_upload_and_read_back_as_the_office(self):
        self.submit()
        pdf = self.signed_pdf()
        r = self.upload(pdf)
        self.assertEqual(r.status, 201, r)
        b = r.json()
        self.assertEqual(b["sha256"], hashlib.sha256(pdf).hexdigest())
        self.assertEqual(b["size"], len(pdf))
        self.assertIn("uploaded_at", b)
        got = self.c.get(self.p).json()["signed"]
        self.assertEqual(got["sha256"], b["sha256"])
        self.assertEqual(got["earlier"], 0)
        office = signed_in("office")
        r = office.get(self.p + "/signed")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body, pdf)
        self.assertEqual(r.header("content-type"), "application/pdf")
        self.assertEqual(self.c.get(self.p + "/signed").body, pdf)
        # The review and completeness show who has sent one.
        rows = office.get("/api/v1/review/%s?form=PL1" % self.period).json()
        mine = [x for x in rows if x["unit"] == self.unit]
        self.assertIsNotNone(mine[0]["signed_at"])
        comp = office.get("/api/v1/completeness/%s" % self.period).json()
        mine = [x for x in comp["units"] if x["unit"] == self.unit]
        self.assertIsNotNone(mine[0]["signed_at"])
        self.assertGreaterEqual(comp["signed"], 1)
        audit = sql1("""SELECT count(*) FROM audit
                        WHERE action = 'report_signed_upload'
                          AND object = :'v1'""",
                     "report:%s/%s/PL1" % (self.unit, self.period))
        self.assertEqual(audit, "1")

    def test_a_replacement_keeps_the_earlier_copy(self):
        self.submit()
        first = self.signed_pdf()
        self.assertEqual(self.upload(first).status, 201)
        second = first.replace(b"%%EOF", b"%% signed again\n%%EOF")
        r = self.upload(second)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["replaced"],
                         hashlib.sha256(first).hexdigest())
        self.assertEqual(self.stored(), 2)
        self.assertEqual(self.c.get(self.p + "/signed").body, second)
        self.assertEqual(self.c.get(self.p).json()["signed"]["earlier"], 1)

    def test_bad_uploads_change_nothing(self):
        pdf = self.signed_pdf()
        # A draft takes no signed copy.
        r = self.upload(pdf)
        self.assertEqual((r.status, r.error_code()), (409, "not_submitted"))
        self.submit()
        png = (b"\x89PNG\r\n\x1a\n" + b"\0" * 200)
        cases = [
            (png, "application/pdf", 415, "not_pdf"),
            (b"", "application/pdf", 400, "empty_file"),
            (b"%PDF-1.7\nno trailer at all", "application/pdf", 415,
             "not_pdf"),
            (pdf[:len(pdf) // 2], "application/pdf", 415, "not_pdf"),
            (pdf, "image/png", 415, "unsupported_type"),
            (b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024) + b"\n%%EOF",
             "application/pdf", 413, "too_large"),
        ]
        for body, ctype, status, code in cases:
            r = self.upload(body, ctype)
            self.assertEqual((r.status, r.error_code()), (status, code),
                             (body[:20], r))
            msg = r.json()["error"]["message"]
            self.assertTrue(any(ord(ch) > 127 for ch in msg), msg)
        self.assertEqual(self.stored(), 0)
        self.assertIsNone(self.c.get(self.p).json()["signed"])
        self.assertEqual(self.c.get(self.p + "/signed").status, 404)

    def test_another_unit_sees_neither_pdf_nor_copy(self):
        self.submit()
        self.assertEqual(self.upload(self.signed_pdf()).status, 201)
        other = signed_in("unit", make_unit("private_clinic"))
        self.assertEqual(other.get(self.p + ".pdf").status, 404)
        self.assertEqual(other.get(self.p + "/signed").status, 404)
        r = self.upload(self.signed_pdf(), client=other)
        self.assertEqual(r.status, 404, r)
        self.assertEqual(self.stored(), 1)
        viewer = signed_in("viewer")
        self.assertEqual(viewer.get(self.p + "/signed").status, 403)


@unittest.skipUnless(HAVE_POPPLER, "poppler-utils (pdftotext) is missing")
class ConsolidatedDocumentTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.period = "%d-09" % random.randint(2040, 2099)
        cls.office = signed_in("office")
        start_period(cls.period, cls.office)
        for i, (kind, district) in enumerate((
                ("provincial_hospital", "HATRUNG"),
                ("district_centre", "DONGSON"),
                ("private_clinic", "NGASON"))):
            unit = make_unit(kind, district=district, hospital=True)
            c = signed_in("unit", unit)
            p = path(unit, cls.period, "PL1")
            values = pl1_values(unit_scale=i + 3, gksklx=False)
            assert c.put(p, {"version": 0, "values": values}).status == 200
            assert c.post(p + "/submit", {}).status == 200
        cls.base = "/api/v1/consolidated/%s/PL1" % cls.period
        cls.json = cls.office.get(cls.base).json()

    def test_details_are_stored_and_used_by_pdf_and_workbook(self):
        r = self.office.put(self.base + "/document", {
            "number": "512", "date": "2041-09-20",
            "to": "Công an tỉnh Thanh Hóa; Chủ tịch UBND tỉnh",
            "signer": "Nguyễn Bá Cần",
            "capacity": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.office.get(self.base + "/document").json()
                         ["number"], "512")
        r = self.office.get(self.base + ".pdf")
        self.assertEqual(r.status, 200, r)
        text = pdf_text(r.body)
        self.assertIn("UBND TỈNH THANH HÓA", text)
        self.assertIn("Số: 512/BC-SYT", text)
        self.assertIn("ngày 20 tháng 9 năm 2041", text)
        self.assertIn("Nguyễn Bá Cần", text)
        self.assertIn("KT. GIÁM ĐỐC", text)
        # Query arguments override for one download.
        text = pdf_text(self.office.get(
            self.base + ".pdf?number=513&signer=L%C3%AA%20V%C4%83n%20A").body)
        self.assertIn("Số: 513/BC-SYT", text)
        self.assertIn("Lê Văn A", text)
        x = self.office.get(self.base + ".xlsx")
        wb = openpyxl.load_workbook(io.BytesIO(x.body))
        cells = [c.value for row in wb["Tổng hợp"].iter_rows() for c in row
                 if c.value is not None]
        flat = "\n".join(str(c) for c in cells)
        self.assertIn("UBND TỈNH THANH HÓA", flat)
        self.assertIn("SỞ Y TẾ", flat)
        self.assertNotIn("VĂN PHÒNG", [str(c) for c in cells])
        self.assertIn("Số: 512/BC-SYT", flat)
        self.assertIn("Nguyễn Bá Cần", flat)
        self.assertIn("Nơi nhận:", flat)
        self.assertIn("Kính gửi: Công an tỉnh Thanh Hóa; Chủ tịch UBND "
                      "tỉnh.", flat)

    def test_every_figure_of_the_json_is_in_the_pdf_and_workbook(self):
        r = self.office.get(self.base + ".pdf")
        self.assertEqual(r.status, 200, r)
        text = pdf_text(r.body)
        for k, v in self.json["values"].items():
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                continue
            self.assertIn(vn_rate(v) if isinstance(v, float) else vn_int(v),
                          text, k)
        for d in ("HATRUNG", "DONGSON", "NGASON"):
            for k, v in self.json["by_district"][d]["values"].items():
                if isinstance(v, int) and not isinstance(v, bool):
                    self.assertIn(vn_int(v), text, (d, k))
        x = self.office.get(self.base + ".xlsx")
        wb = openpyxl.load_workbook(io.BytesIO(x.body))
        ws = wb["Tổng hợp"]
        nums = [c.value for row in ws.iter_rows() for c in row
                if isinstance(c.value, (int, float))]
        for k, v in self.json["values"].items():
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                self.assertTrue(any(abs(n - v) < 1e-9 for n in nums), k)

    def test_the_area_sheet_prints_a_few_areas_per_page(self):
        x = self.office.get(self.base + ".xlsx")
        wb = openpyxl.load_workbook(io.BytesIO(x.body))
        ws = wb["Theo địa bàn"]
        breaks = [b.id for b in ws.col_breaks.brk]
        self.assertTrue(breaks, "no column breaks")
        cols = [3] + breaks + [ws.max_column]
        self.assertTrue(all(b - a <= 8 for a, b in zip(cols, cols[1:])),
                        cols)
        self.assertEqual(ws.print_title_cols, "$A:$C")

    @unittest.skipUnless(shutil.which("libreoffice"), "no LibreOffice")
    def test_libreoffice_converts_the_workbook(self):
        x = self.office.get(self.base + ".xlsx")
        d = tempfile.mkdtemp()
        try:
            src = os.path.join(d, "tong-hop.xlsx")
            with open(src, "wb") as f:
                f.write(x.body)
            out = subprocess.run(
                ["libreoffice", "-env:UserInstallation=file://" + d + "/p",
                 "--headless", "--convert-to", "pdf", "--outdir", d, src],
                capture_output=True, text=True, timeout=180)
            self.assertEqual(out.returncode, 0, out.stderr)
            pdf = open(os.path.join(d, "tong-hop.pdf"), "rb").read()
            self.assertTrue(pdf.startswith(b"%PDF-"))
            self.assertIn("UBND TỈNH THANH HÓA", pdf_text(pdf))
        finally:
            shutil.rmtree(d)

    def test_bad_details_and_arguments_are_refused(self):
        for body in ({"date": "20/09/2041"}, {"number": 5},
                     {"to": "x" * 501}):
            r = self.office.put(self.base + "/document", body)
            self.assertEqual(r.status, 422, (body, r))
        r = self.office.get(self.base + ".pdf?date=2041-13-01")
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json()["error"]["details"]["argument"], "date")
        unit = signed_in("unit", make_unit("private_clinic"))
        self.assertEqual(unit.get(self.base + ".pdf").status, 403)
        self.assertEqual(unit.put(self.base + "/document",
                                  {"number": "1"}).status, 403)
        self.assertEqual(self.office.get(
            "/api/v1/consolidated/%s/PL2/document" % self.period).status,
            404)


if __name__ == "__main__":
    unittest.main()


class ExportBoundTest(unittest.TestCase):
    """Issue 13, item 4: the workbook, the table and the PDFs are made on
    Kore's task threads, at most 2 per task thread in a worker at once
    (modules/docs.c); beyond, 503 busy with Retry-After.  A client that
    leaves mid-export gives its slot back when the task ends."""

    N = 36
    KINDS = (".xlsx", ".pdf", ".csv")

    @classmethod
    def setUpClass(cls):
        cls.period = "%d-10" % random.randint(2040, 2099)
        cls.office = signed_in("office")
        start_period(cls.period, cls.office)
        for i, (kind, district) in enumerate((
                ("provincial_hospital", "HATRUNG"),
                ("private_clinic", "NGASON"))):
            unit = make_unit(kind, district=district, hospital=True)
            c = signed_in("unit", unit)
            p = path(unit, cls.period, "PL1")
            values = pl1_values(unit_scale=i + 2, gksklx=False)
            assert c.put(p, {"version": 0, "values": values}).status == 200
            assert c.post(p + "/submit", {}).status == 200
        cls.base = "/api/v1/consolidated/%s/PL1" % cls.period
        cls.json = cls.office.get(cls.base).json()
        cls.host = portal._host.hostname, portal._host.port

    def connections(self, n):
        conns = []
        for _ in range(n):
            c = http.client.HTTPConnection(*self.host, timeout=120)
            c.connect()
            conns.append(c)
        return conns

    def send(self, conn, kind):
        conn.request("GET", self.base + kind,
                     headers={"Cookie": "sid=" + self.office.sid})

    def log_text(self, start):
        log = os.environ.get("PORTAL_LOG")
        with open(log, "rb") as f:
            f.seek(start)
            return f.read().decode("utf-8", "replace")

    def log_end(self):
        log = os.environ.get("PORTAL_LOG")
        self.assertTrue(log and os.path.exists(log), "PORTAL_LOG not set")
        return os.path.getsize(log)

    def test_beyond_the_bound_busy_and_what_is_made_is_right(self):
        start = self.log_end()
        conns = self.connections(self.N)
        gate = threading.Barrier(self.N)
        got = [None] * self.N

        def one(i):
            try:
                gate.wait(timeout=60)
                self.send(conns[i], self.KINDS[i % 3])
                r = conns[i].getresponse()
                got[i] = portal.Response(r.status, r.getheaders(), r.read())
            except Exception as e:  # noqa: BLE001 - reported below
                got[i] = e
            finally:
                conns[i].close()
        threads = [threading.Thread(target=one, args=(i,))
                   for i in range(self.N)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=180)
        statuses = [g.status if isinstance(g, portal.Response) else repr(g)
                    for g in got]
        self.assertEqual([s for s in statuses if s not in (200, 503)], [],
                         statuses)
        self.assertIn(200, statuses)
        # Two workers, one export each: 2 at most at once.
        self.assertIn(503, statuses)
        csvs = set()
        for i, r in enumerate(got):
            if r.status == 503:
                self.assertEqual(r.error_code(), "busy")
                self.assertEqual(r.header("retry-after"), "3")
                self.assertIn("vui lòng thử lại",
                              r.json()["error"]["message"])
                continue
            kind = self.KINDS[i % 3]
            if kind == ".csv":
                csvs.add(r.body)
            elif kind == ".pdf":
                self.assertTrue(r.body.startswith(b"%PDF-"))
            else:
                wb = openpyxl.load_workbook(io.BytesIO(r.body))
                nums = [c.value for row in wb["Tổng hợp"].iter_rows()
                        for c in row if isinstance(c.value, (int, float))]
                for k, v in self.json["values"].items():
                    if isinstance(v, (int, float)) and \
                            not isinstance(v, bool):
                        self.assertTrue(any(abs(n - v) < 1e-9
                                            for n in nums), k)
        # Every table made side by side is the same, byte for byte.
        self.assertLessEqual(len(csvs), 1)
        text = self.log_text(start)
        for sign in ("exited", "restarting worker", "died", "export "):
            self.assertNotIn(sign, text)

    def test_a_client_gone_mid_export_gives_its_slot_back(self):
        start = self.log_end()
        # Rounds of clients that leave after a moment: some while their
        # statement runs, some while their task does, some answered.  A
        # slot kept by any of them would add up, round after round, to
        # the 8 of the server: nothing but 503 after.
        rnd = random.Random(13)
        for _ in range(8):
            conns = self.connections(12)
            for i, c in enumerate(conns):
                self.send(c, self.KINDS[i % 3])
            time.sleep(rnd.uniform(0.01, 0.3))
            for c in conns:
                c.sock.shutdown(2)
                c.close()
        # Once those tasks are over, every slot is free again.
        deadline = time.monotonic() + 30
        while True:
            r = self.office.get(self.base + ".xlsx")
            if r.status == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        self.assertEqual(r.status, 200, r)
        for kind in self.KINDS * 4:
            r = self.office.get(self.base + kind)
            self.assertEqual(r.status, 200, (kind, r))
        self.assertEqual(raw("GET", "/healthz").status, 200)
        text = self.log_text(start)
        for sign in ("exited", "restarting worker", "died"):
            self.assertNotIn(sign, text)
