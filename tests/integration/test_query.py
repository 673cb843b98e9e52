"""What a request line carries, read once by the dispatcher and the one
query-string reader: a path or a query value that is not text (a broken
%-escape, invalid UTF-8, a NUL or another control character) is a
malformed request, 400, on every route; a filter that is there but
unusable (too long, given twice) or not one of its values is 400 naming
the argument, never "no filter"; a well-formed but unknown thing is 404
or an empty list, as before."""

import random
import socket
import unittest

import portal
from portal import make_unit, signed_in, sql, sql1, start_period
from test_reports import pl1_values

YEAR = random.randint(2040, 2099)
PERIOD = "%d-04" % YEAR
DISTRICT_A = "NHUXUAN"
DISTRICT_B = "THACHTHANH"

# Not text, each in its own way: overlong forms, lone continuation bytes,
# surrogates, cut sequences, bytes that are never UTF-8, raw bytes
# 0x80-0xFF, controls, broken escapes.
NOT_TEXT = [
    b"%C0%AF", b"%C1%BF", b"%E0%80%AF", b"%F0%80%80%AF", b"\xc0\xaf",
    b"%80", b"%BF", b"A%80B", b"\x80", b"A\x9fB",
    b"%ED%A0%80", b"%ED%BF%BF", b"%ED%A0%BD%ED%B8%80",
    b"%E2%82", b"%C3", b"%F0%9F%98", b"%C3A",
    b"%FF", b"%FE", b"%F5%80%80%80", b"%F4%90%80%80", b"\xff", b"\xfe\xff",
    b"Ha\xf2", b"\xe9t\xe9",
    b"%00", b"A%00", b"%0A", b"%0D%0A", b"%1B", b"%7F", b"%C2%85",
    b"%zz", b"%4", b"%",
]


def request(client, method, target, body=b""):
    """One request whose target is sent byte for byte (http.client only
    sends ASCII), as client; returns (status, parsed JSON or None)."""
    head = [b"%s %s HTTP/1.1" % (method.encode(), target), b"Host: x",
            b"Connection: close"]
    if client is not None and client.sid:
        head.append(b"Cookie: sid=" + client.sid.encode())
    if client is not None and client.csrf and method != "GET":
        head.append(b"X-CSRF-Token: " + client.csrf.encode())
    if method in ("PUT", "POST"):
        head += [b"Content-Type: application/json",
                 b"Content-Length: %d" % len(body)]
    s = socket.create_connection((portal._host.hostname, portal._host.port),
                                 timeout=30)
    try:
        s.sendall(b"\r\n".join(head) + b"\r\n\r\n" + body)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    finally:
        s.close()
    status = int(data.split(b" ", 2)[1])
    payload = data.split(b"\r\n\r\n", 1)[1]
    r = portal.Response(status, [], payload)
    try:
        return status, r.json()
    except ValueError:
        return status, None


class Fixture:
    """Two units in two districts with a report each, the office and a
    unit signed in."""
    done = False

    @classmethod
    def make(cls):
        if cls.done:
            return
        cls.office = signed_in("office")
        cls.office.get("/api/v1/periods?year=%d" % YEAR)
        start_period(PERIOD, cls.office)
        cls.a = make_unit("private_clinic", district=DISTRICT_A)
        cls.b = make_unit("provincial_hospital", district=DISTRICT_B,
                          hospital=True, gksklx=True)
        cls.unit = signed_in("unit", cls.a)
        r = cls.unit.put("/api/v1/reports/%s/%s/PL1" % (cls.a, PERIOD),
                         {"version": 0, "values":
                          pl1_values(gksklx=False)})
        assert r.status == 200, r
        r = cls.unit.post("/api/v1/reports/%s/%s/PL1/submit"
                          % (cls.a, PERIOD))
        assert r.status == 200, r
        cb = signed_in("unit", cls.b)
        r = cb.put("/api/v1/reports/%s/%s/PL1" % (cls.b, PERIOD),
                   {"version": 0, "values": pl1_values()})
        assert r.status == 200, r
        cls.done = True


def footprint():
    """What any request could have changed."""
    return sql("""SELECT (SELECT count(*) FROM reports),
                         (SELECT count(*) FROM report_events),
                         (SELECT count(*) FROM report_values),
                         (SELECT count(*) FROM audit),
                         (SELECT count(*) FROM users),
                         (SELECT count(*) FROM api_tokens),
                         (SELECT count(*) FROM contacts),
                         (SELECT coalesce(max(version), 0) FROM reports)""")


class PathTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        Fixture.make()
        f = Fixture
        u, o = f.unit, f.office
        rpt = "/api/v1/reports/%s/%s/PL1" % (f.a, PERIOD)
        # Every route with a ':' segment, each segment in turn ({}).
        cls.routes = [
            (o, "PUT", "/api/v1/periods/{}", b'{"start":"2040-01-01"}'),
            (o, "PUT", "/api/v1/contacts/{}", b'{"name":"A"}'),
            (u, "PUT", "/api/v1/contacts/{}", b'{"name":"A"}'),
            (o, "POST", "/api/v1/accounts/{}/reset", b"{}"),
            (o, "POST", "/api/v1/accounts/{}/unlock", b"{}"),
            (u, "GET", "/api/v1/forms/{}", b""),
            (u, "GET", "/api/v1/reports/{}/%s/PL1" % PERIOD, b""),
            (u, "GET", "/api/v1/reports/%s/{}/PL1" % f.a, b""),
            (u, "GET", "/api/v1/reports/%s/%s/{}" % (f.a, PERIOD), b""),
            (u, "PUT", "/api/v1/reports/{}/%s/PL1" % PERIOD,
             b'{"version":0,"values":{}}'),
            (u, "PUT", "/api/v1/reports/%s/{}/PL1" % f.a,
             b'{"version":0,"values":{}}'),
            (u, "PUT", "/api/v1/reports/%s/%s/{}" % (f.a, PERIOD),
             b'{"version":0,"values":{}}'),
            (u, "POST", "/api/v1/reports/{}/%s/PL1/submit" % PERIOD, b"{}"),
            (u, "POST", "/api/v1/reports/%s/{}/PL1/submit" % f.a, b"{}"),
            (o, "POST", "/api/v1/reports/{}/%s/PL1/return" % PERIOD,
             b'{"reason":"x"}'),
            (o, "POST", "/api/v1/reports/%s/%s/{}/return" % (f.a, PERIOD),
             b'{"reason":"x"}'),
            (o, "POST", "/api/v1/reports/{}/%s/PL1/accept" % PERIOD, b"{}"),
            (o, "POST", "/api/v1/reports/%s/{}/PL1/accept" % f.a, b"{}"),
            (o, "POST", "/api/v1/reports/{}/%s/PL1/reopen" % PERIOD,
             b'{"reason":"x"}'),
            (o, "GET", "/api/v1/review/{}", b""),
            (o, "POST", "/api/v1/review/{}/PL1/accept-clean", b"{}"),
            (o, "POST", "/api/v1/review/%s/{}/accept-clean" % PERIOD, b"{}"),
            (o, "POST", "/api/v1/review/%s/PL1/{}" % PERIOD, b"{}"),
            (o, "GET", "/api/v1/completeness/{}", b""),
            (o, "GET", "/api/v1/consolidated/{}/PL1", b""),
            (o, "GET", "/api/v1/consolidated/%s/{}" % PERIOD, b""),
            (o, "DELETE", "/api/v1/tokens/{}", b""),
        ]
        cls.report = rpt

    def test_a_segment_that_is_not_text_is_400_on_every_route(self):
        before = footprint()
        for client, method, pattern, body in self.routes:
            for bad in NOT_TEXT:
                # Alone, and inside a code that would otherwise be found.
                for seg in (bad, Fixture.a.encode() + bad):
                    target = pattern.encode().replace(b"{}", seg)
                    status, j = request(client, method, target, body)
                    self.assertEqual(status, 400, target)
                    self.assertEqual(j["error"]["code"], "bad_request",
                                     target)
                    self.assertIn("Địa chỉ (URL)", j["error"]["message"])
                    self.assertEqual(j["error"]["details"]["part"], "path")
        self.assertEqual(footprint(), before)

    def test_the_whole_path_is_read_not_only_the_segments(self):
        for target in (b"/api/v1/%FF", b"/api/v1/reports%C0%AF",
                       b"/api/v1/reports/\xff/x/y/submit",
                       b"/api/v1/periods%00"):
            status, j = request(Fixture.office, "GET", target)
            self.assertEqual(status, 400, target)
            self.assertEqual(j["error"]["details"]["part"], "path")
        # Every byte 0x80-0xFF on its own is no UTF-8: in the path, raw
        # or escaped, and in a query value.
        for byte in range(0x80, 0x100):
            for seg in (bytes([byte]), b"%%%02X" % byte):
                target = b"/api/v1/reports/%s%s/%s/PL1" % (
                    Fixture.a.encode(), seg, PERIOD.encode())
                status, _ = request(Fixture.unit, "GET", target)
                self.assertEqual(status, 400, target)
                target = b"/api/v1/reports?unit=%s%s" % (
                    Fixture.a.encode(), seg)
                status, j = request(Fixture.unit, "GET", target)
                self.assertEqual(status, 400, target)
                self.assertEqual(j["error"]["details"]["argument"], "unit")
        # Refused before the session is looked at: no sign-in needed to
        # learn that bytes are not text, nothing else learnt.
        status, j = request(None, "GET", self.report.encode() + b"%FF")
        self.assertEqual(status, 400)

    def test_a_segment_is_decoded_so_escaped_codes_find_their_thing(self):
        enc = "".join("%%%02X" % ord(ch) for ch in Fixture.a)
        for target in ("/api/v1/reports/%s/%s/PL1" % (enc, PERIOD),
                       "/api/v1/reports/%s/%s/%%50L1" % (Fixture.a,
                                                        PERIOD.replace(
                                                            "-", "%2D"))):
            status, j = request(Fixture.unit, "GET", target.encode())
            self.assertEqual(status, 200, target)
            self.assertEqual((j["unit"], j["period"], j["form"]),
                             (Fixture.a, PERIOD, "PL1"))

    def test_well_formed_text_that_names_nothing_is_404(self):
        for seg in (b"H%C3%A0%20Trung", "Hà".encode(), b"%F0%9F%98%80",
                    b"A%2FB", b"X%27%20OR%20%271%27%3D%271", b"A" * 65):
            for client, method, pattern, body in (
                    (Fixture.unit, "GET",
                     "/api/v1/reports/{}/%s/PL1" % PERIOD, b""),
                    (Fixture.unit, "GET", "/api/v1/forms/{}", b""),
                    (Fixture.office, "GET", "/api/v1/review/{}", b""),
                    (Fixture.office, "POST", "/api/v1/accounts/{}/reset",
                     b"{}")):
                target = pattern.encode().replace(b"{}", seg)
                status, j = request(client, method, target, body)
                self.assertEqual(status, 404, target)
                self.assertTrue(j["error"]["message"])


class QueryTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        Fixture.make()
        o = Fixture.office
        review = "/api/v1/review/%s" % PERIOD
        cons = "/api/v1/consolidated/%s/PL1" % PERIOD
        # Every query argument of every route, a value it takes, and
        # values well formed but not among them.
        cls.args = [
            (o, "/api/v1/periods", "year", str(YEAR),
             ["2022", "2101", "abc", "", "20401"]),
            (o, "/api/v1/reports", "period", PERIOD,
             ["%d-13" % YEAR, "x", "", "%d-H2" % YEAR]),
            (o, "/api/v1/reports", "form", "PL1", ["PL3", "pl1", ""]),
            (o, "/api/v1/reports", "status", "submitted",
             ["done", "Draft", "not_started", ""]),
            (o, "/api/v1/reports", "unit", Fixture.a,
             ["x'", Fixture.a.lower(), "A", "", "' OR '1'='1"]),
            (Fixture.unit, "/api/v1/reports", "unit", Fixture.a, ["x'"]),
            (o, review, "form", "PL1", ["PL9", ""]),
            (o, review, "district", DISTRICT_A,
             [DISTRICT_A.lower(), "X'", "", "A"]),
            (o, review, "kind", "private_clinic", ["hospital", "", "x'"]),
            (o, review, "status", "submitted", ["late", "", "Submitted"]),
            (o, cons, "only", "accepted", ["all", ""]),
            (o, cons, "detail", "summary", ["none", ""]),
            (o, cons + ".csv", "only", "accepted", ["all"]),
            (o, cons + ".xlsx", "only", "accepted", ["all"]),
        ]

    def assert_refused(self, client, target, arg, problems):
        status, j = request(client, "GET", target)
        self.assertEqual(status, 400, target)
        self.assertIn(j["error"]["code"], ("bad_request", "bad_year"),
                      target)
        self.assertEqual(j["error"]["details"]["argument"], arg, target)
        self.assertIn(j["error"]["details"]["problem"], problems, target)
        self.assertTrue(j["error"]["message"])
        return j

    def test_a_value_that_is_not_text_is_400_naming_the_argument(self):
        for client, route, arg, good, _ in self.args:
            for bad in NOT_TEXT:
                for value in (bad, good.encode() + bad):
                    target = b"%s?%s=%s" % (route.encode(), arg.encode(),
                                            value)
                    self.assert_refused(client, target, arg, ("malformed",))

    def test_a_value_too_long_is_400_never_no_filter(self):
        for client, route, arg, good, _ in self.args:
            for value in ("A" * 40, "A" * 50, good + "A" * 200,
                          "%41" * 300):
                target = ("%s?%s=%s" % (route, arg, value)).encode()
                self.assert_refused(client, target, arg,
                                    ("too_long", "not_allowed"))
        # The cases of the issue, exactly.
        o = Fixture.office
        self.assert_refused(o, b"/api/v1/reports?unit=" + b"A" * 40, "unit",
                            ("too_long",))
        self.assert_refused(o, b"/api/v1/reports?unit=%00", "unit",
                            ("malformed",))
        self.assert_refused(o, b"/api/v1/review/%s?district=%s"
                            % (PERIOD.encode(), b"A" * 50), "district",
                            ("too_long",))

    def test_an_argument_given_twice_is_400(self):
        for client, route, arg, good, _ in self.args:
            for twice in ("%s=%s&%s=%s" % (arg, good, arg, good),
                          "%s=%s&x=1&%s=" % (arg, good, arg),
                          "%s=%s&%s=%s" % (arg, good,
                                           "".join("%%%02X" % ord(c)
                                                   for c in arg), good)):
                target = ("%s?%s" % (route, twice)).encode()
                j = self.assert_refused(client, target, arg, ("repeated",))
                self.assertIn("nhiều lần", j["error"]["message"])

    def test_a_value_the_filter_does_not_take_is_400(self):
        for client, route, arg, good, wrong in self.args:
            for value in wrong:
                q = "".join(c if c.isalnum() or c in "-_." else
                            "%%%02X" % ord(c) for c in value)
                target = ("%s?%s=%s" % (route, arg, q)).encode()
                self.assert_refused(client, target, arg, ("not_allowed",))
            # The value it takes is answered.
            target = ("%s?%s=%s" % (route, arg, good)).encode()
            status, _ = request(client, "GET", target)
            self.assertEqual(status, 200, target)

    def test_filters_filter(self):
        o, a, b = Fixture.office, Fixture.a, Fixture.b

        def rows(target, client=o):
            status, j = request(client, "GET", target.encode())
            self.assertEqual(status, 200, target)
            return j

        def units(target, client=o):
            return sorted({x["unit"] for x in rows(target, client)})

        base = "/api/v1/reports?period=%s" % PERIOD
        self.assertLessEqual({a, b}, set(units(base)))
        self.assertEqual(units(base + "&unit=" + a), [a])
        # A name spelt with escapes is the same name.
        self.assertEqual(units(base + "&%75nit=" + b), [b])
        self.assertEqual(units(base + "&status=submitted&unit=" + a), [a])
        self.assertEqual(units(base + "&status=submitted&unit=" + b), [])
        self.assertEqual(units(base + "&status=draft&unit=" + b), [b])
        self.assertEqual(units(base + "&form=PL2&unit=" + a), [])
        self.assertEqual(units(base + "&form=PL1&unit=" + b), [b])
        for x in rows(base + "&status=draft&form=PL1"):
            self.assertEqual((x["period"], x["form"], x["status"]),
                             (PERIOD, "PL1", "draft"))
        # Unknown, or outside the unit's scope: nothing, said the same.
        self.assertEqual(units(base + "&unit=KHONG-CO-DON-VI"), [])
        self.assertEqual(units(base + "&unit=" + b, Fixture.unit), [])
        self.assertEqual(units(base, Fixture.unit), [a])
        # An argument no route reads is nobody's business.
        self.assertEqual(units(base + "&unit=" + a + "&x=%FF"), [a])

        review = "/api/v1/review/%s?form=PL1" % PERIOD
        got = rows(review + "&district=" + DISTRICT_A)
        self.assertEqual({x["unit"] for x in got}, {x[0] for x in sql(
            """SELECT code FROM units WHERE district = :'v1'
               AND unit_files_reports(kind, active)""", DISTRICT_A)})
        self.assertIn(a, {x["unit"] for x in got})
        got = rows(review + "&kind=provincial_hospital&district="
                   + DISTRICT_B)
        self.assertIn(b, {x["unit"] for x in got})
        for x in got:
            self.assertEqual((x["kind"], x["district"]),
                             ("provincial_hospital", DISTRICT_B))
        got = rows(review + "&status=submitted&district=" + DISTRICT_A)
        self.assertIn(a, {x["unit"] for x in got})
        self.assertEqual({x["status"] for x in got}, {"submitted"})
        self.assertEqual(units(review + "&district=KHONGCO"), [])


class BodyShapeTest(unittest.TestCase):
    """A body of the wrong shape is 400 with what is wrong and where; a
    value of the wrong kind stays 422 (../shared/API.md)."""

    @classmethod
    def setUpClass(cls):
        Fixture.make()
        cls.centre = make_unit("district_centre", district=DISTRICT_A,
                               hospital=True, gksklx=True)
        cls.station = make_unit("commune_station", cls.centre,
                                district=DISTRICT_A)
        cls.c = signed_in("unit", cls.centre)
        cls.p1 = "/api/v1/reports/%s/%s/PL1" % (cls.centre, PERIOD)
        cls.p2 = "/api/v1/reports/%s/%d-H1/PL2" % (cls.centre, YEAR)
        start_period("%d-H1" % YEAR, Fixture.office)

    def stored(self, p):
        return sql("""SELECT r.version, v.item, v.station, v.num, v.txt
                      FROM reports r JOIN report_values v
                          ON v.report_id = r.id
                      WHERE r.unit_code = :'v1' ORDER BY 2, 3""",
                   self.centre)

    def test_parts_of_the_wrong_shape_are_400_naming_the_part(self):
        st = self.station
        cases = [
            (self.p1, {"values": [1, 2]}, {"part": "values"}),
            (self.p1, {"values": "erx.total=5"}, {"part": "values"}),
            (self.p1, {"values": 5}, {"part": "values"}),
            (self.p1, {"stations": [{"cccd.visits": 1}]},
             {"part": "stations"}),
            (self.p1, {"stations": "x"}, {"part": "stations"}),
            (self.p1, {"stations": {st: [1]}}, {"station": st}),
            (self.p1, {"stations": {st: 40}}, {"station": st}),
            (self.p1, {"comments": ["x"]}, {"part": "comments"}),
            (self.p1, {"comments": "x"}, {"part": "comments"}),
            (self.p2, {"lists": "directives"}, {"part": "lists"}),
            (self.p2, {"lists": [{"number": "1"}]}, {"part": "lists"}),
            (self.p2, {"lists": {"directives": "1/QĐ-UBND"}},
             {"list": "directives"}),
            (self.p2, {"lists": {"directives": {"number": "1"}}},
             {"list": "directives"}),
            (self.p2, {"lists": {"directives": [
                {"number": "1/QĐ-UBND", "date": "%d-01-05" % YEAR,
                 "abstract": "x"}, "2/QĐ-UBND"]}},
             {"list": "directives", "row": 2}),
            # Wrong values beside a wrong shape: the shape is told.
            (self.p1, {"values": {"erx.total": -1}, "comments": []},
             {"part": "comments"}),
        ]
        before = self.stored(self.p1)
        for p, part, where in cases:
            body = dict(part, version=0)
            r = self.c.put(p, body)
            self.assertEqual(r.status, 400, body)
            e = r.json()["error"]
            self.assertEqual(e["code"], "bad_shape", body)
            self.assertIn("cấu trúc", e["message"])
            found = [d for d in e["details"]
                     if all(d.get(k) == v for k, v in where.items())]
            self.assertTrue(found, (body, e["details"]))
            self.assertTrue(found[0]["message"])
        self.assertEqual(self.stored(self.p1), before)

    def test_values_of_the_wrong_kind_stay_422(self):
        st = self.station
        for p, part in (
                (self.p1, {"values": {"erx.total": "một trăm"}}),
                (self.p1, {"values": {"erx.total": [5]}}),
                (self.p1, {"values": {"erx.total": {"n": 5}}}),
                (self.p1, {"stations": {st: {"cccd.visits": -1}}}),
                (self.p1, {"stations": {"TYT-KHONG-CO": {"cccd.visits": 1}}}),
                (self.p1, {"comments": {"erx.total": 5}}),
                (self.p2, {"lists": {"directives": [{"number": 5}]}}),
                (self.p2, {"lists": {"khong.co": [{"a": 1}]}})):
            r = self.c.put(p, dict(part, version=0))
            self.assertEqual(r.status, 422, part)
            self.assertEqual(r.error_code(), "invalid_values", part)

    def test_review_bodies_of_the_wrong_shape_are_400(self):
        o, a = Fixture.office, Fixture.a
        p = "/api/v1/reports/%s/%s/PL1" % (a, PERIOD)
        before = sql1("SELECT status || version FROM reports r "
                      "WHERE unit_code = :'v1'", a)
        for action, body, part in (
                ("return", {"reason": "x", "items": ["erx.total"]}, "items"),
                ("return", {"reason": "x", "items": "erx.total"}, "items"),
                ("return", {"reason": 5}, "reason"),
                ("return", {"reason": ["Sai số"]}, "reason"),
                ("return", {"reason": {"vi": "Sai"}, "items": {}}, "reason"),
                ("reopen", {"reason": ["Mở lại"]}, "reason"),
                ("reopen", {"reason": True}, "reason")):
            r = o.post(p + "/" + action, body)
            self.assertEqual(r.status, 400, body)
            e = r.json()["error"]
            self.assertEqual(e["code"], "bad_shape")
            self.assertIn(part, [d["part"] for d in e["details"]])
        # A reason missing or blank, a remark not text: values, 422.
        for body in ({}, {"reason": None}, {"reason": "  "},
                     {"reason": "x", "items": {"erx.total": 5}},
                     {"reason": "x", "items": {"khong.co": "x"}}):
            r = o.post(p + "/return", body)
            self.assertEqual(r.status, 422, body)
        self.assertEqual(sql1("SELECT status || version FROM reports r "
                              "WHERE unit_code = :'v1'", a), before)


if __name__ == "__main__":
    unittest.main()
