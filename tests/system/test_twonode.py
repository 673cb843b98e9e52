"""Two app nodes over one PostgreSQL behind nginx: whichever node answers,
sessions and reports are the same.  PORTAL_URL is nginx; PORTAL_NODES the
two nodes themselves."""

import os
import sys
import unittest
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..",
                                "integration"))

import portal  # noqa: E402
from portal import Client, make_unit, make_user  # noqa: E402
from test_reports import pl1_values  # noqa: E402

NODES = os.environ.get("PORTAL_NODES", "").split(",")


def on(url, client):
    """The same browser, talking to another node."""
    c = Client()
    c.sid, c.csrf = client.sid, client.csrf
    u = urllib.parse.urlparse(url)

    def request(method, path, body=None, ctype=None, headers=None):
        saved = portal._host
        portal._host = u
        try:
            return Client.request(c, method, path, body, ctype, headers)
        finally:
            portal._host = saved
    c.request = request
    return c


def values():
    # A complete report (a blank item is "not filled in"), erx.total
    # varied by the test.
    v = pl1_values(gksklx=False)
    v.update({"erx.total": 10, "erx.linked": 5})
    return v


class TwoNodeTest(unittest.TestCase):
    def test_a_session_made_on_one_node_works_on_the_other(self):
        user, pw = make_user("office")
        a = on(NODES[0], Client())
        self.assertEqual(a.login(user, pw).status, 200)
        b = on(NODES[1], a)
        r = b.get("/api/v1/session")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json()["user"]["username"], user)
        self.assertEqual(b.delete("/api/v1/session").status, 204)
        self.assertEqual(a.get("/api/v1/session").status, 401)

    def test_reports_are_consistent_through_the_balancer(self):
        unit = make_unit("private_clinic")
        user, pw = make_user("unit", unit)
        c = Client()
        self.assertEqual(c.login(user, pw).status, 200)
        portal.start_period("2035-03")
        path = "/api/v1/reports/%s/2035-03/PL1" % unit
        version = 0
        for i in range(6):
            v = values()
            v["erx.total"] = 10 + i
            r = c.put(path, {"version": version, "values": v})
            self.assertEqual(r.status, 200, r)
            version = r.json()["version"]
            for node in NODES:
                got = on(node, c).get(path).json()
                self.assertEqual((got["version"], got["values"]["erx.total"]),
                                 (version, 10 + i))
        # A write with a version one node has not seen is stale on both.
        stale = on(NODES[1], c).put(path, {"version": version - 1,
                                           "values": values()})
        self.assertEqual(stale.status, 409)
        self.assertEqual(on(NODES[0], c).post(path + "/submit").status, 200)
        self.assertEqual(on(NODES[1], c).get(path).json()["status"],
                         "submitted")

    def test_lockout_counts_failures_on_every_node(self):
        user, pw = make_user("office")
        for i in range(5):
            r = on(NODES[i % 2], Client()).login(user, "sai-mat-khau-x")
            self.assertEqual(r.status, 401)
        for node in NODES:
            self.assertEqual(on(node, Client()).login(user, pw).status, 429)

    def test_the_balancer_spreads_requests_and_keeps_headers(self):
        seen = set()
        for _ in range(8):
            r = portal.raw("GET", "/healthz")
            self.assertEqual(r.status, 200)
            self.assertEqual(r.header("x-frame-options"), "DENY")
            seen.add(r.header("x-portal-node"))
        self.assertEqual(len(seen - {None}), 2, seen)

    def test_a_streamed_consolidation_passes_the_front_whole(self):
        # The full answer leaves a node chunked (cons_api.c); the front
        # takes it as it comes and sends it on, chunked too, whole.
        user, pw = make_user("office")
        c = Client()
        self.assertEqual(c.login(user, pw).status, 200)
        period = portal.open_period()
        direct = on(NODES[0], c).get("/api/v1/consolidated/%s/PL1" % period)
        self.assertEqual(direct.status, 200)
        self.assertEqual(direct.header("transfer-encoding"), "chunked")
        r = c.get("/api/v1/consolidated/%s/PL1" % period)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("cache-control"), "no-store")
        b, d = r.json(), direct.json()
        self.assertEqual(b["detail"], "full")
        self.assertEqual(len(b["units"]), b["units_reported"])
        self.assertEqual(len(b["units"]) + len(b["missing"]),
                         b["units_expected"])
        self.assertEqual(b["values"], d["values"])


if __name__ == "__main__":
    unittest.main()
