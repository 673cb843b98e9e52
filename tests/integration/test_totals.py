"""The totals the consolidation reads (sql/008_totals.sql) follow every
change that moves a figure: submit, return, accept, reopen, a unit moved
to another district or kind by the registry import, a unit switched off,
values repaired in the database.  After each step the consolidated
figures are compared with sums computed here, and report_totals_verify()
(the kept totals against a recount of the values) must find nothing."""

import os
import random
import subprocess
import threading
import time
import unittest

from portal import DB, make_unit, signed_in, sql, sql1, start_period
from test_reports import path
from test_review import scaled

YEAR = random.randint(2040, 2099)
PERIOD = "%d-08" % YEAR
FROM_DISTRICT = "NHUXUAN"
TO_DISTRICT = "THUONGXUAN"


def drift():
    return sql("SELECT * FROM report_totals_verify()")


class TotalsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.office = signed_in("office")
        start_period(PERIOD, cls.office)
        cls.unit = make_unit("private_clinic", district=FROM_DISTRICT)
        cls.other = make_unit("private_clinic", district=FROM_DISTRICT)
        cls.values = scaled(7, gksklx=False)
        cls.other_values = scaled(3, gksklx=False)
        for code, values in ((cls.unit, cls.values),
                             (cls.other, cls.other_values)):
            c = signed_in("unit", code)
            r = c.put(path(code, PERIOD), {"version": 0, "values": values})
            assert r.status == 200, r
            r = c.post(path(code, PERIOD) + "/submit")
            assert r.status == 200, r
        cls.client = signed_in("unit", cls.unit)

    def cons(self, query=""):
        r = self.office.get("/api/v1/consolidated/%s/PL1%s" % (PERIOD, query))
        self.assertEqual(r.status, 200, r)
        return r.json()

    def district_total(self, district, item="erx.total"):
        b = self.cons()
        return b["by_district"].get(district, {}).get("values", {}).get(item)

    def both(self):
        return self.values["erx.total"] + self.other_values["erx.total"]

    def test_1_submitted_reports_are_in_the_totals(self):
        self.assertEqual(self.district_total(FROM_DISTRICT), self.both())
        self.assertEqual(self.cons()["values"]["erx.total"], self.both())
        self.assertEqual(drift(), [])

    def test_2_return_takes_out_and_resubmit_puts_back(self):
        r = self.office.post(path(self.unit, PERIOD) + "/return",
                             {"reason": "Kiểm tra lại số đơn thuốc."})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.district_total(FROM_DISTRICT),
                         self.other_values["erx.total"])
        self.assertEqual(drift(), [])
        # Edited while returned: the new figure is what comes back.
        values = dict(self.values, **{"erx.total": 900, "erx.linked": 850})
        v = self.client.get(path(self.unit, PERIOD)).json()["version"]
        r = self.client.put(path(self.unit, PERIOD),
                            {"version": v, "values": values})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(drift(), [])
        r = self.client.post(path(self.unit, PERIOD) + "/submit")
        self.assertEqual(r.status, 200, r)
        type(self).values = values
        self.assertEqual(self.district_total(FROM_DISTRICT), self.both())
        self.assertEqual(drift(), [])

    def test_3_accept_and_reopen_move_between_the_statuses(self):
        r = self.office.post(path(self.unit, PERIOD) + "/accept")
        self.assertEqual(r.status, 200, r)
        acc = self.cons("?only=accepted")
        self.assertEqual(acc["values"]["erx.total"], self.values["erx.total"])
        self.assertEqual(self.cons()["values"]["erx.total"], self.both())
        self.assertEqual(drift(), [])
        r = self.office.post(path(self.unit, PERIOD) + "/reopen",
                             {"reason": "Sở cần đối chiếu lại."})
        self.assertEqual(r.status, 200, r)
        self.assertNotIn("erx.total", self.cons("?only=accepted")["values"])
        self.assertEqual(self.cons()["values"]["erx.total"],
                         self.other_values["erx.total"])
        self.assertEqual(drift(), [])
        r = self.client.post(path(self.unit, PERIOD) + "/submit")
        self.assertEqual(r.status, 200, r)

    def test_4_a_unit_moved_by_the_registry_import_takes_its_figures(self):
        csv = ("ma_don_vi,ten_don_vi,loai,cong_lap,huyen\n"
               "%s,Phòng khám chuyển huyện,private_clinic,không,%s\n"
               % (self.unit, TO_DISTRICT))
        r = self.office.post("/api/v1/units/import", csv.encode(),
                             ctype="text/csv; charset=utf-8")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.district_total(FROM_DISTRICT),
                         self.other_values["erx.total"])
        self.assertEqual(self.district_total(TO_DISTRICT),
                         self.values["erx.total"])
        self.assertEqual(drift(), [])
        # A change of kind moves it between the kinds as well.
        sql("UPDATE units SET kind = 'private_hospital' WHERE code = :'v1'",
            self.unit)
        b = self.cons()
        self.assertEqual(b["by_kind"]["private_hospital"]["values"].get(
            "erx.total", 0) >= self.values["erx.total"], True)
        self.assertEqual(drift(), [])
        sql("UPDATE units SET kind = 'private_clinic' WHERE code = :'v1'",
            self.unit)
        self.assertEqual(drift(), [])

    def test_4b_a_move_from_a_later_day_leaves_the_period_as_it_was(self):
        # Effective the day after the period ends: it keeps the registry
        # of its own last day (sql/012); only later periods would move.
        csv = ("ma_don_vi,ten_don_vi,loai,cong_lap,huyen\n"
               "%s,Phòng khám chuyển huyện,private_clinic,không,%s\n"
               % (self.unit, FROM_DISTRICT))
        r = self.office.post("/api/v1/units/import?effective=%d-08-15"
                             % YEAR, csv.encode(),
                             ctype="text/csv; charset=utf-8")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["changed"][0]["changes"]["area"],
                         {"from": TO_DISTRICT, "to": FROM_DISTRICT})
        self.assertEqual(self.district_total(TO_DISTRICT),
                         self.values["erx.total"])
        self.assertEqual(self.district_total(FROM_DISTRICT),
                         self.other_values["erx.total"])
        self.assertEqual(drift(), [])
        # Effective on the period's last day, it moves the period.
        r = self.office.post("/api/v1/units/import?effective=%d-08-14"
                             % YEAR, csv.encode(),
                             ctype="text/csv; charset=utf-8")
        self.assertEqual(r.status, 200, r)
        self.assertIsNone(self.district_total(TO_DISTRICT))
        self.assertEqual(self.district_total(FROM_DISTRICT), self.both())
        self.assertEqual(drift(), [])
        csv = csv.replace(FROM_DISTRICT, TO_DISTRICT)
        r = self.office.post("/api/v1/units/import?effective=%d-08-14"
                             % YEAR, csv.encode(),
                             ctype="text/csv; charset=utf-8")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.district_total(TO_DISTRICT),
                         self.values["erx.total"])
        self.assertEqual(drift(), [])

    def test_5_a_unit_switched_off_leaves_the_totals(self):
        sql("UPDATE units SET active = false WHERE code = :'v1'", self.other)
        self.assertIsNone(self.district_total(FROM_DISTRICT))
        self.assertEqual(drift(), [])
        sql("UPDATE units SET active = true WHERE code = :'v1'", self.other)
        self.assertEqual(self.district_total(FROM_DISTRICT),
                         self.other_values["erx.total"])
        self.assertEqual(drift(), [])

    def test_6_values_repaired_in_the_database_are_followed(self):
        rid = sql1("""SELECT id FROM reports WHERE unit_code = :'v1'
                      AND period_code = :'v2'""", self.other, PERIOD)
        sql("""UPDATE report_values SET num = num + 5
               WHERE report_id = :'v1' AND item = 'erx.total'""", rid)
        self.assertEqual(self.district_total(FROM_DISTRICT),
                         self.other_values["erx.total"] + 5)
        self.assertEqual(drift(), [])
        sql("""DELETE FROM report_values
               WHERE report_id = :'v1' AND item = 'erx.total'""", rid)
        self.assertIsNone(self.district_total(FROM_DISTRICT))
        self.assertEqual(drift(), [])

    def test_7_a_counted_report_cannot_be_deleted(self):
        with self.assertRaises(RuntimeError):
            sql("""DELETE FROM reports WHERE unit_code = :'v1'
                   AND period_code = :'v2'""", self.unit, PERIOD)
        self.assertEqual(drift(), [])

    def test_8_summary_has_the_sums_and_no_per_unit_parts(self):
        full = self.cons()
        summary = self.cons("?detail=summary")
        self.assertEqual(summary["detail"], "summary")
        self.assertEqual(full["detail"], "full")
        for key in ("units", "missing", "late", "lists", "texts"):
            self.assertIn(key, full)
            self.assertNotIn(key, summary)
        for key in ("values", "by_district", "by_kind", "stations", "trend",
                    "units_expected", "units_reported", "units_late"):
            self.assertEqual(summary[key], full[key], key)
        self.assertEqual(self.cons("?detail=full")["units"], full["units"])
        for bad in ("?detail=", "?detail=all", "?detail=SUMMARY",
                    "?detail=summary%00", "?detail=" + "x" * 100,
                    "?only=" + "a" * 100):
            r = self.office.get("/api/v1/consolidated/%s/PL1%s"
                                % (PERIOD, bad))
            self.assertEqual(r.status, 400, bad)
            self.assertEqual(r.json()["error"]["code"], "bad_request")
        # The files to send are always whole: a summary is refused.
        for ext in (".xlsx", ".csv"):
            r = self.office.get("/api/v1/consolidated/%s/PL1%s"
                                "?detail=summary" % (PERIOD, ext))
            self.assertEqual(r.status, 400, ext)
            self.assertIn("detail=summary", r.json()["error"]["message"])
            r = self.office.get("/api/v1/consolidated/%s/PL1%s?detail=full"
                                % (PERIOD, ext))
            self.assertEqual(r.status, 200, ext)

    def test_9_nothing_anywhere_has_drifted(self):
        # Every report every other test filed, returned or accepted so
        # far in this database.
        self.assertEqual(drift(), [])


def wait_for(query, *args, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        if sql1(query, *args) == "t":
            return True
        time.sleep(0.05)
    return False


def portal_log():
    log = os.environ.get("PORTAL_LOG")
    if not log:
        return ""
    with open(log, encoding="utf-8", errors="replace") as f:
        return f.read()


class DeadlockTest(unittest.TestCase):
    """A decision of the office and another transaction that take the same
    totals in the other order: PostgreSQL aborts one.  When it is the
    portal's statement, db.c sends it again, and the office sees 200."""

    RETRIED = "query 'review_action' failed: 40P01"

    def meet(self, office, period):
        """One accept meeting the other transaction; returns the answer
        and how the other transaction ended (rc, stderr)."""
        unit = make_unit("private_clinic", district=FROM_DISTRICT)
        c = signed_in("unit", unit)
        r = c.put(path(unit, period), {"version": 0,
                                       "values": scaled(2, gksklx=False)})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(c.post(path(unit, period) + "/submit").status, 200)
        rid = sql1("""SELECT id FROM reports WHERE unit_code = :'v1'
                      AND period_code = :'v2'""", unit, period)
        item = sql1("""SELECT min(item) FROM report_values
                       WHERE report_id = :'v1' AND station = ''""", rid)
        key = random.randint(1, 2 ** 30)

        # Holds the advisory lock that keeps the other transaction
        # between its two row locks until the portal waits for it.
        gate = subprocess.Popen(["psql", DB, "-X", "-q"],
                                stdin=subprocess.PIPE, text=True)
        gate.stdin.write("SELECT pg_advisory_lock(%d);\n" % key)
        gate.stdin.flush()
        self.assertTrue(wait_for("""SELECT count(*) = 1 FROM pg_locks
            WHERE locktype = 'advisory' AND objid = :'v1' AND granted""",
            key))
        # The other transaction: the province-wide row the accept takes
        # second, then (once let through) the district row it takes first.
        # It starts waiting after the portal does, so the portal's
        # deadlock check (deadlock_timeout after it began to wait) finds
        # the cycle first and the portal's statement is the one aborted,
        # unless the machine is slow enough for the portal's check to
        # come before the cycle closes.
        other = subprocess.Popen(
            ["psql", DB, "-X", "-q", "-v", "ON_ERROR_STOP=1"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        other.stdin.write("""
            BEGIN;
            UPDATE report_totals_all SET n = n WHERE period_code = '%(p)s'
              AND form = 'PL1' AND NOT accepted AND NOT station
              AND item = '%(i)s' AND shard = %(r)s %% 8;
            SELECT pg_advisory_lock(%(k)d);
            UPDATE report_totals SET n = n WHERE period_code = '%(p)s'
              AND form = 'PL1' AND district = '%(d)s'
              AND kind = 'private_clinic' AND NOT accepted
              AND NOT station AND item = '%(i)s';
            COMMIT;
            """ % {"p": period, "i": item, "r": rid, "k": key,
                   "d": FROM_DISTRICT})
        other.stdin.close()
        self.assertTrue(wait_for("""SELECT count(*) = 1 FROM pg_locks
            WHERE locktype = 'advisory' AND objid = :'v1' AND NOT granted""",
            key))

        answer = {}

        def accept():
            answer["r"] = office.post(path(unit, period) + "/accept")
        t = threading.Thread(target=accept)
        t.start()
        # The accept holds the district rows and waits for the other's.
        self.assertTrue(wait_for("""SELECT count(*) >= 1
            FROM pg_stat_activity WHERE wait_event_type = 'Lock'
            AND query LIKE '%report_review(%'"""))
        gate.stdin.write("SELECT pg_advisory_unlock(%d);\n\\q\n" % key)
        gate.stdin.close()
        gate.wait(timeout=30)
        t.join(timeout=60)
        other.wait(timeout=60)
        self.assertEqual(answer["r"].status, 200, answer["r"])
        self.assertEqual(sql1("""SELECT status FROM reports
                                 WHERE id = :'v1'""", rid), "accepted")
        return other.returncode, other.stderr.read()

    def test_a_deadlock_victim_is_sent_again_and_succeeds(self):
        if not os.environ.get("PORTAL_LOG"):
            self.skipTest("needs the server's log (PORTAL_LOG)")
        office = signed_in("office")
        period = "%d-09" % YEAR
        start_period(period, office)
        before = portal_log().count(self.RETRIED)
        for _ in range(3):
            rc, err = self.meet(office, period)
            if rc == 0:
                break
            # The other one was aborted: no retry to see; meet again.
            self.assertIn("deadlock detected", err)
        self.assertEqual(rc, 0, err)
        self.assertEqual(portal_log().count(self.RETRIED), before + 1)
        self.assertEqual(drift(), [])


if __name__ == "__main__":
    unittest.main()
