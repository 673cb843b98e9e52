"""A catalogue of bad input: each answered clearly, nothing stored
wrongly.  (Other files test more of each kind where it belongs: values in
test_reports, CSV in test_units, sign-in in test_auth.)"""

import json
import socket
import unittest

import portal
from portal import make_unit, raw, signed_in, sql, sql1

PERIOD = "2025-02"      # long started: filing is allowed


def path(unit):
    return "/api/v1/reports/%s/%s/PL1" % (unit, PERIOD)


class BadInputTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.unit = make_unit("private_clinic")
        cls.c = signed_in("unit", cls.unit)
        r = cls.c.put(path(cls.unit), {"version": 0,
                                       "values": {"erx.total": 5}})
        assert r.status == 200, r

    def stored(self):
        return sql("""SELECT r.version, v.item, v.num, v.txt FROM reports r
                      JOIN report_values v ON v.report_id = r.id
                      WHERE r.unit_code = :'v1' ORDER BY v.item""",
                   self.unit)

    def test_malformed_json_of_every_kind_is_400(self):
        before = self.stored()
        bodies = [
            b'{"version": 1, "values": {"erx.total": 5}',          # cut
            b'{"version": 1, "values": {"erx.total": "\xff\xfe"}}', # UTF-8
            b'{"version": 1, "version": 2}',                        # twice
            b'{"version": 1, "values": {"erx.total": 1e400}}',      # inf
            b'\x00\x01\x02',
            b'null',
            b'"a string"',
            b'[' * 10000 + b']' * 10000,
        ]
        for b in bodies:
            r = self.c.put(path(self.unit), b, ctype="application/json")
            self.assertEqual(r.status, 400, b[:40])
            self.assertEqual(r.error_code(), "bad_json")
            self.assertTrue(r.json()["error"]["message"])
        self.assertEqual(self.stored(), before)

    def test_control_characters_and_nul_in_texts_are_refused(self):
        unit = make_unit("cdc", cdc=True)
        c = signed_in("unit", unit)
        p = "/api/v1/reports/%s/2025-H1/PL2" % unit
        # A NUL cannot even be parsed: the request is malformed.
        r = c.put(p, {"version": 0, "values": {"plan": "trước\u0000sau"}})
        self.assertEqual(r.status, 400)
        for text in ("chuông\u0007", "a\u001bb", "x\u0000"[:1] + "\u007f"):
            r = c.put(p, {"version": 0, "values": {"plan": text}})
            self.assertEqual(r.status, 422, text)
            self.assertEqual(r.json()["error"]["details"][0]["item"], "plan")
        self.assertIsNone(sql1("""SELECT 1 FROM reports
                                  WHERE unit_code = :'v1'""", unit))

    def test_script_in_a_text_is_stored_and_served_as_inert_text(self):
        unit = make_unit("cdc", cdc=True)
        c = signed_in("unit", unit)
        p = "/api/v1/reports/%s/2025-H1/PL2" % unit
        evil = "<img src=x onerror=alert(1)><script>alert(2)</script>"
        r = c.put(p, {"version": 0, "values": {"plan": evil}})
        self.assertEqual(r.status, 200, r)
        g = c.get(p)
        self.assertEqual(g.json()["values"]["plan"], evil)
        self.assertEqual(g.header("content-type"),
                         "application/json; charset=utf-8")
        self.assertEqual(g.header("x-content-type-options"), "nosniff")
        self.assertIn("script-src 'self'",
                      g.header("content-security-policy"))

    def test_sql_injection_goes_nowhere(self):
        before = int(sql1("SELECT count(*) FROM units"))
        for p in ("/api/v1/reports/X'%20OR%20'1'='1/2037-02/PL1",
                  "/api/v1/reports/X%27%3B%20DROP%20TABLE%20units%3B--/"
                  "2037-02/PL1"):
            self.assertEqual(self.c.get(p).status, 404, p)
        # Not a unit code, district or kind at all: refused, naming it.
        r = self.c.get("/api/v1/reports?unit=%27%20OR%20%271%27%3D%271")
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json()["error"]["details"]["argument"], "unit")
        office = signed_in("office")
        r = office.get("/api/v1/review/2037-02?district=%27%20OR%201%3D1"
                       "--&kind=x%27")
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json()["error"]["details"]["argument"],
                         "district")
        r = office.get("/api/v1/review/2037-02?kind=x%27")
        self.assertEqual(r.json()["error"]["details"]["argument"], "kind")
        r = office.get("/api/v1/periods?year=2037%27%20OR%201=1")
        self.assertEqual(r.status, 400)
        self.assertEqual(int(sql1("SELECT count(*) FROM units")), before)

    def test_path_tricks_reach_no_file(self):
        for p in ("/assets/../sql/queries.sql", "/assets/..%2f..%2fkore.conf",
                  "/assets/%2e%2e/%2e%2e/etc/passwd", "/assets//etc/passwd",
                  "/assets/js/../../kore.conf", "/../../etc/passwd",
                  "/assets/js/app.js%00.html"):
            r = raw("GET", p)
            self.assertIn(r.status, (400, 404), p)
            self.assertNotIn(b"name: session_touch", r.body)
            self.assertNotIn(b"root:", r.body)
        self.assertEqual(raw("GET", "/assets/js/app.js").status, 200)

    def test_oversized_requests_are_refused(self):
        r = self.c.put(path(self.unit), b'{"version":1,"values":{"x":"' +
                       b"a" * (1024 * 1024 + 100) + b'"}}',
                       ctype="application/json")
        self.assertEqual(r.status, 413)
        # Above what the server takes at all (10.5 MiB, for a signed
        # copy): refused from the headers, before any byte of the body.
        s = socket.create_connection((portal._host.hostname,
                                      portal._host.port), timeout=10)
        s.sendall(b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Type: application/json\r\n"
                  b"Content-Length: 12582912\r\n\r\n")
        answer = s.recv(200)
        s.close()
        self.assertTrue(answer.startswith(b"HTTP/1.1 413"), answer)
        long_code = "A" * 200
        self.assertEqual(self.c.get(path(long_code)).status, 404)

    def test_numbers_out_of_range_never_reach_the_database(self):
        before = self.stored()
        for v in (-1, 2 ** 53, -2 ** 63):
            r = self.c.put(path(self.unit), {"version": 1,
                                             "values": {"erx.total": v}})
            self.assertEqual(r.status, 422, v)
        # Beyond 64 bits a number cannot be read at all: malformed.
        for v in (2 ** 63, 10 ** 30):
            r = self.c.put(path(self.unit), {"version": 1,
                                             "values": {"erx.total": v}})
            self.assertEqual(r.status, 400, v)
        r = self.c.put(path(self.unit), json.dumps(
            {"version": 1, "values": {"erx.total": 12}}).replace(
            "12", "12.0"), ctype="application/json")
        self.assertEqual(r.status, 422)
        self.assertEqual(self.stored(), before)


if __name__ == "__main__":
    unittest.main()
