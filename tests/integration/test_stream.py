"""The full consolidated answer is streamed (HTTP/1.1 chunked, as
PostgreSQL makes it, at the client's pace): it parses, it says what
?detail=summary says plus every unit's own row, its units add up to the
sums, and a client that goes away in the middle leaves nothing behind
(no transaction left open, the server answering as before)."""

import http.client
import json
import random
import socket
import struct
import time
import unittest

from portal import _host, make_unit, signed_in, sql, sql1, start_period
from test_consolidation import pl2_values
from test_reports import path

# Rows of a list per unit, and units: a few megabytes of "lists", more
# than the sockets between client and server hold.
LIST_ROWS = 4000
BIG_UNITS = 6


def get_raw(client, target):
    """GET through http.client: status, headers (lower-case), body."""
    conn = http.client.HTTPConnection(_host.hostname, _host.port, timeout=60)
    try:
        conn.request("GET", target, headers={"Cookie": "sid=" + client.sid})
        r = conn.getresponse()
        headers = {k.lower(): v for k, v in r.getheaders()}
        return r.status, headers, r.read()
    finally:
        conn.close()


def open_stream(client, target, rcvbuf=None, version="1.1", extra=""):
    """A socket that has asked for target and read the status line."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(30)
    s.connect((_host.hostname, _host.port))
    s.sendall(("GET %s HTTP/%s\r\nHost: %s\r\nCookie: sid=%s\r\n%s\r\n" %
               (target, version, _host.hostname, client.sid,
                extra)).encode())
    head = b""
    while b"\r\n\r\n" not in head:
        data = s.recv(4096)
        if not data:
            break
        head += data
    return s, head


def read_rest(s, head):
    """The rest of an answer of known length whose head open_stream read."""
    top, got = head.split(b"\r\n\r\n", 1)
    length = [int(line.split(b":", 1)[1]) for line in top.split(b"\r\n")
              if line.lower().startswith(b"content-length:")]
    need = (length[0] if length else 0) - len(got)
    rest = b""
    while need > len(rest):
        data = s.recv(65536)
        if not data:
            break
        rest += data
    return rest


def dechunk(raw):
    """The body of a chunked answer, and whether it ended (0-size chunk)."""
    out, i = [], 0
    while True:
        j = raw.find(b"\r\n", i)
        if j < 0:
            return b"".join(out), False
        size = int(raw[i:j], 16)
        if size == 0:
            return b"".join(out), True
        out.append(raw[j + 2:j + 2 + size])
        i = j + 2 + size + 2


def idle_in_transaction():
    return int(sql1("""SELECT count(*) FROM pg_stat_activity
                       WHERE datname = current_database()
                         AND pid <> pg_backend_pid()
                         AND state LIKE 'idle in transaction%'"""))


def reset(s):
    """Gone at once (RST), whatever the answer's state."""
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                 struct.pack("ii", 1, 0))
    s.close()


def settled_idle_in_transaction(seconds=10):
    """idle_in_transaction() once it is 0, or after seconds."""
    deadline = time.time() + seconds
    while idle_in_transaction() and time.time() < deadline:
        time.sleep(0.2)
    return idle_in_transaction()


class StreamTest(unittest.TestCase):
    """Units of a far period, Phụ lục 2 (values, texts and lists)."""

    @classmethod
    def setUpClass(cls):
        cls.year = random.randint(2040, 2099)
        cls.period = "%d-H1" % cls.year
        cls.office = signed_in("office")
        start_period(cls.period, cls.office)
        cls.units = []
        for i, (district, kind) in enumerate(
                [("HATRUNG", "provincial_hospital"),
                 ("DONGSON", "district_centre"),
                 ("HATRUNG", "private_hospital")]):
            code = make_unit(kind, district=district, hospital=True)
            c = signed_in("unit", code)
            p = path(code, cls.period, "PL2")
            body = {"version": 0, "values": pl2_values(4 + i % 2),
                    "lists": {"directives": [
                        {"number": "%d/QĐ-SYT" % (10 + i),
                         "date": "%d-01-20" % cls.year,
                         "abstract": "Kế hoạch số %d" % i},
                        {"number": "%d/KH-SYT" % (20 + i),
                         "date": "%d-02-02" % cls.year,
                         "abstract": "Kế hoạch thứ hai"}]}}
            r = c.put(p, body)
            assert r.status == 200, r
            r = c.post(p + "/submit", {})
            assert r.status == 200, r
            cls.units.append(code)
        cls.base = "/api/v1/consolidated/%s/PL2" % cls.period

    def test_sent_chunked_and_equal_to_the_summary_plus_the_units(self):
        status, headers, body = get_raw(self.office, self.base)
        self.assertEqual(status, 200, body[:300])
        self.assertEqual(headers.get("transfer-encoding"), "chunked")
        self.assertNotIn("content-length", headers)
        self.assertEqual(headers.get("cache-control"), "no-store")
        self.assertTrue(headers["content-type"].startswith(
            "application/json"))
        full = json.loads(body.decode("utf-8"))
        summary = self.office.get(self.base + "?detail=summary").json()

        self.assertEqual(full["detail"], "full")
        self.assertEqual(summary["detail"], "summary")
        for key in ("units", "missing", "late", "lists", "texts"):
            self.assertIn(key, full)
            self.assertNotIn(key, summary)
        for key, value in summary.items():
            if key not in ("detail", "generated_at"):
                self.assertEqual(full[key], value, key)

        # Every unit expected is either reported or missing, once.
        units = {u["code"]: u for u in full["units"]}
        missing = {u["code"] for u in full["missing"]}
        self.assertEqual(len(units), full["units_reported"])
        self.assertEqual(len(units) + len(missing), full["units_expected"])
        self.assertFalse(set(units) & missing)
        self.assertLessEqual(set(self.units), set(units))

        # The units' own figures add up to the sums; each has its rates.
        for item, total in full["values"].items():
            if isinstance(total, int) and item != "emr.level":
                mine = sum(u["values"].get(item, 0) for u in units.values()
                           if isinstance(u["values"].get(item), int))
                self.assertEqual(mine, total, item)
        u = units[self.units[0]]
        self.assertEqual(u["values"]["infra.pc_total"], 35)
        self.assertEqual(u["kind_label"],
                         full["by_kind"][u["kind"]]["kind_label"])
        self.assertTrue(all(m.get("kind_label") for m in full["missing"]
                            if m["kind"] in full["by_kind"]))
        self.assertEqual(u["values"]["emr.level"], 4)

        # Texts and lists by item and list, each row naming its unit.
        texts = {t["unit"]: t["text"] for t in full["texts"]["plan"]}
        self.assertEqual(texts[self.units[1]],
                         "Hoàn thành bệnh án điện tử.")
        mine = [r for r in full["lists"]["directives"]
                if r["unit"] == self.units[2]]
        self.assertEqual([r["number"] for r in mine],
                         ["12/QĐ-SYT", "22/KH-SYT"])
        self.assertTrue(all(r["unit_name"] for r in mine))

    def test_the_units_in_the_same_order_as_the_review_lists_them(self):
        full = json.loads(get_raw(self.office, self.base)[2])
        names = [(u["district_name"], u["name"], u["code"])
                 for u in full["units"]]
        order = sql("""SELECT u.code FROM units u
                       JOIN districts d ON d.code = u.district
                       WHERE u.code = ANY (string_to_array(:'v1', ','))
                       ORDER BY d.name, u.name, u.code""",
                    ",".join(c for _, _, c in names))
        self.assertEqual([c for _, _, c in names], [r[0] for r in order])

    def test_a_viewer_streams_only_its_scope(self):
        viewer = signed_in("viewer", districts=("DONGSON",))
        status, headers, body = get_raw(viewer, self.base)
        self.assertEqual(status, 200)
        full = json.loads(body)
        self.assertEqual({u["code"] for u in full["units"]} &
                         set(self.units), {self.units[1]})
        self.assertTrue(all(m["district_name"] == full["by_district"][
            "DONGSON"]["name"] for m in full["missing"]))
        unit = signed_in("unit", self.units[0])
        self.assertEqual(unit.get(self.base).status, 403)

    def test_errors_before_the_stream_are_plain_answers(self):
        # A period not in the calendar: found out before anything is sent.
        status, headers, body = get_raw(
            self.office, "/api/v1/consolidated/2039-M13/PL2")
        self.assertEqual(status, 404, body)
        self.assertNotIn("transfer-encoding", headers)
        self.assertEqual(json.loads(body)["error"]["code"], "not_found")
        r = self.office.get(self.base + "?detail=everything")
        self.assertEqual(r.status, 400, r)


class BigStreamTest(unittest.TestCase):
    """A few megabytes of lists: read slowly it arrives whole; dropped in
    the middle it is let go."""

    @classmethod
    def setUpClass(cls):
        cls.year = random.randint(2040, 2099)
        cls.period = "%d-H1" % cls.year
        cls.office = signed_in("office")
        start_period(cls.period, cls.office)
        cls.units = []
        for i in range(BIG_UNITS):
            code = make_unit("provincial_hospital", district="THOXUAN",
                             hospital=True)
            c = signed_in("unit", code)
            p = path(code, cls.period, "PL2")
            r = c.put(p, {"version": 0, "values": pl2_values(5)})
            assert r.status == 200, r
            r = c.post(p + "/submit", {})
            assert r.status == 200, r
            cls.units.append(code)
        # Arranged in the database: a list far longer than a page sends.
        sql("""INSERT INTO report_lists (report_id, list, rows)
               SELECT r.id, 'directives', (SELECT jsonb_agg(jsonb_build_object(
                   'number', n || '/QĐ-SYT', 'date', :'v3' || '-01-20',
                   'abstract', 'Văn bản chỉ đạo số ' || n || ' về chuyển '
                   || 'đổi số và Đề án 06 của đơn vị'))
                   FROM generate_series(1, :v2) n)
               FROM reports r
               WHERE r.period_code = :'v1' AND r.form = 'PL2'
                 AND r.unit_code = ANY (string_to_array(:'v4', ','))
               ON CONFLICT (report_id, list) DO UPDATE
               SET rows = excluded.rows""",
            cls.period, LIST_ROWS, cls.year, ",".join(cls.units))
        cls.base = "/api/v1/consolidated/%s/PL2" % cls.period

    def test_a_slow_reader_gets_it_whole(self):
        s, head = open_stream(self.office, self.base, rcvbuf=16384)
        try:
            self.assertIn(b"transfer-encoding: chunked", head.lower())
            raw = [head.split(b"\r\n\r\n", 1)[1]]
            slept = 0
            while True:
                data = s.recv(65536)
                if not data:
                    break
                raw.append(data)
                body, ended = dechunk(b"".join(raw))
                if ended:
                    break
                # A reader slower than the server, for a second or so.
                if slept < 20:
                    time.sleep(0.05)
                    slept += 1
        finally:
            s.close()
        body, ended = dechunk(b"".join(raw))
        self.assertTrue(ended)
        self.assertGreater(len(body), 2 * 1024 * 1024)
        full = json.loads(body)
        mine = [r for r in full["lists"]["directives"]
                if r["unit"] in self.units]
        self.assertEqual(len(mine), BIG_UNITS * LIST_ROWS)
        self.assertEqual(idle_in_transaction(), 0)

    def read_all(self, version, extra):
        s, head = open_stream(self.office, self.base, version=version,
                              extra=extra)
        raw = [head.split(b"\r\n\r\n", 1)[1]]
        try:
            while True:
                data = s.recv(65536)
                if not data:
                    break
                raw.append(data)
        finally:
            s.close()
        return head.lower(), b"".join(raw)

    def test_a_connection_to_close_is_closed_after_the_whole_answer(self):
        # Kore closes such a connection once nothing is left to send:
        # never between two chunks.
        head, raw = self.read_all("1.1", "Connection: close\r\n")
        self.assertIn(b"transfer-encoding: chunked", head)
        body, ended = dechunk(raw)
        self.assertTrue(ended)
        self.assertEqual(len([r for r in json.loads(body)["lists"][
            "directives"] if r["unit"] in self.units]),
            BIG_UNITS * LIST_ROWS)
        # HTTP/1.0 has no chunks: the body ends with the connection.
        head, raw = self.read_all("1.0", "")
        self.assertNotIn(b"transfer-encoding", head)
        self.assertEqual(len([r for r in json.loads(raw)["lists"][
            "directives"] if r["unit"] in self.units]),
            BIG_UNITS * LIST_ROWS)

    def test_clients_gone_midway_leave_nothing_behind(self):
        before = idle_in_transaction()
        self.assertEqual(before, 0)
        for i in range(8):
            s, head = open_stream(self.office, self.base, rcvbuf=8192)
            self.assertIn(b" 200 ", head.split(b"\r\n", 1)[0] + b" ")
            s.recv(8192)
            reset(s)    # in the middle of the answer
        # The cursors' connections are closed, not left in their
        # transactions; the server answers as before.
        self.assertEqual(settled_idle_in_transaction(), 0)
        status, headers, body = get_raw(self.office, self.base)
        self.assertEqual(status, 200)
        self.assertEqual(len([r for r in json.loads(body)["lists"][
            "directives"] if r["unit"] in self.units]),
            BIG_UNITS * LIST_ROWS)
        r = self.office.get(self.base + "?detail=summary")
        self.assertEqual(r.status, 200)

    def test_streams_at_once_are_bounded_and_filing_goes_on(self):
        # Each full answer held by a client that reads nothing holds one
        # of its worker's PostgreSQL connections: a quarter of the pool
        # (8) of each of the two workers at most, the rest turned away.
        held, refused = [], []
        try:
            for i in range(10):
                s, head = open_stream(self.office, self.base, rcvbuf=4096)
                status = head.split(b"\r\n", 1)[0]
                if b" 200 " in status + b" ":
                    held.append(s)
                    continue
                refused.append((status, head + read_rest(s, head)))
                s.close()
            self.assertGreaterEqual(len(held), 1)
            self.assertLessEqual(len(held), 4)
            self.assertTrue(refused)
            for status, head in refused:
                self.assertIn(b" 503 ", status + b" ")
                self.assertIn(b"retry-after: 3", head.lower())
                body = head.split(b"\r\n\r\n", 1)[1]
                self.assertIn('"busy"', body.decode())
                self.assertIn("detail=summary", body.decode())
            # Filing finds its connections meanwhile.
            unit = signed_in("unit", self.units[0])
            started = time.monotonic()
            r = unit.get(path(self.units[0], self.period, "PL2"))
            self.assertEqual(r.status, 200)
            self.assertLess(time.monotonic() - started, 5)
            r = self.office.get(self.base + "?detail=summary")
            self.assertEqual(r.status, 200)
        finally:
            for s in held:
                reset(s)
        # Their slots come back with their clients.
        self.assertEqual(settled_idle_in_transaction(), 0)
        status, headers, body = get_raw(self.office, self.base)
        self.assertEqual(status, 200)


if __name__ == "__main__":
    unittest.main()
