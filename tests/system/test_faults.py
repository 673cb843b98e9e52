"""Faults in the middle of a burst of filing: a worker killed with -9,
then the database stopped hard.  Afterwards every save or submission that
was answered 200 is stored, and no report holds half of a save.  While the
database is down the portal answers a clear 503, and it recovers."""

import concurrent.futures
import os
import signal
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..",
                                "integration"))

import portal  # noqa: E402
from portal import Client, make_unit, make_user, raw, sql  # noqa: E402

PG_DIR = os.environ.get("PORTAL_PG_DIR", "")
PG_PORT = os.environ.get("PORTAL_PG_PORT", "")
KORE_PID = int(os.environ.get("PORTAL_KORE_PID", "0") or 0)
ROOT = os.environ.get("PORTAL_ROOT", ".")
PERIOD = "2036-04"
ITEMS = ("erx.total", "pay.total", "cccd.visits", "stay.declared",
         "birth.total", "death.total")
# The rest of a private clinic's Phụ lục 1, typed as 0 so that the report
# is complete and can be submitted (an empty item is "not filled in").
ZEROS = ("bhyt.records_total", "bhyt.records_ontime", "erx.linked",
         "birth.synced", "death.synced", "pay.transfer", "pay.pos",
         "pay.qr_static", "pay.qr_dynamic", "pay.ewallet", "pay.other",
         "cccd.used", "cccd.insurance_returned", "cccd.qr_readers",
         "sign.issued", "sign.needed")


def body(version, mark):
    # Every value of one save carries the same mark: a stored report with
    # two different marks would be half of one save and half of another.
    values = {i: mark for i in ITEMS}
    values.update({i: 0 for i in ZEROS})
    return {"version": version, "values": values}


def pg(cmd):
    subprocess.run(["bash", os.path.join(ROOT, "scripts", "pg.sh"), cmd,
                    PG_DIR, PG_PORT], check=True, capture_output=True)


def pg_crash():
    """Stop PostgreSQL as a crash would: no checkpoint, no goodbye."""
    bindir = "/usr/lib/postgresql/15/bin"
    cmd = [bindir + "/pg_ctl", "-D", PG_DIR + "/data", "-m", "immediate",
           "-w", "stop"]
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--"] + cmd
    subprocess.run(cmd, check=True, capture_output=True)


def workers():
    out = subprocess.run(["pgrep", "-P", str(KORE_PID)], capture_output=True,
                         text=True)
    return [int(p) for p in out.stdout.split()]


class Filer:
    """One unit saving again and again, then submitting."""

    def __init__(self, unit, user, pw):
        self.unit, self.user, self.pw = unit, user, pw
        self.path = "/api/v1/reports/%s/%s/PL1" % (unit, PERIOD)
        self.saved = []         # (version, mark) answered 200
        self.submitted = False
        self.errors = []        # statuses other than 200/409/503/conn
        self.c = Client()

    def call(self, fn):
        for _ in range(200):
            try:
                r = fn()
            except OSError:
                time.sleep(0.05)    # the worker died under us: retry
                continue
            if r.status == 401:     # not signed in yet, or lost meanwhile
                self.c.login(self.user, self.pw)
                continue
            if r.status in (500, 503):
                time.sleep(0.05)
                continue
            return r
        return None

    def current_version(self):
        r = self.call(lambda: self.c.get(self.path))
        return r.json()["version"] if r is not None else 0

    def run(self, stop):
        self.call(lambda: self.c.login(self.user, self.pw))
        version, mark = 0, 0
        while not stop.is_set():
            mark += 1
            r = self.call(lambda: self.c.put(self.path, body(version, mark)))
            if r is None:
                continue
            if r.status == 200:
                version = r.json()["version"]
                self.saved.append((version, mark))
            elif r.status == 409:
                version = self.current_version()
            else:
                self.errors.append(r.status)
        for _ in range(20):
            r = self.call(lambda: self.c.post(self.path + "/submit"))
            if r is not None and r.status == 200:
                self.submitted = True
                return
            if r is not None and r.status == 409:
                return
            time.sleep(0.1)


@unittest.skipUnless(PG_DIR and KORE_PID, "needs the test cluster and server")
class FaultTest(unittest.TestCase):
    def test_1_worker_and_database_crash_lose_nothing_answered(self):
        signed = Client()
        office, opw = make_user("office")
        signed.login(office, opw)
        portal.start_period(PERIOD, signed)
        filers = []
        for _ in range(24):
            unit = make_unit("private_clinic")
            user, pw = make_user("unit", unit)
            filers.append(Filer(unit, user, pw))
        stop = threading.Event()
        with concurrent.futures.ThreadPoolExecutor(len(filers)) as ex:
            futs = [ex.submit(f.run, stop) for f in filers]
            time.sleep(1.5)
            victims = workers()
            self.assertTrue(victims, "no Kore worker found")
            os.kill(victims[0], signal.SIGKILL)
            time.sleep(1.5)
            pg_crash()
            time.sleep(1.0)
            pg("start")
            time.sleep(2.0)
            stop.set()
            for f in futs:
                f.result(timeout=120)

        answered = 0
        for f in filers:
            self.assertEqual(f.errors, [], f.unit)
            rows = sql("""SELECT r.version, r.status, v.item, v.num
                          FROM reports r JOIN report_values v
                          ON v.report_id = r.id
                          WHERE r.unit_code = :'v1'
                          AND r.period_code = :'v2'""", f.unit, PERIOD)
            if not f.saved:
                continue
            answered += len(f.saved)
            version, mark = f.saved[-1]
            stored_version = int(rows[0][0])
            self.assertGreaterEqual(stored_version, version, f.unit)
            marks = {int(r[3]) for r in rows if r[2] in ITEMS}
            items = {r[2] for r in rows}
            self.assertEqual(len(marks), 1, (f.unit, marks))
            self.assertEqual(items, set(ITEMS) | set(ZEROS), f.unit)
            self.assertGreaterEqual(marks.pop(), mark, f.unit)
            if f.submitted:
                self.assertEqual(rows[0][1], "submitted", f.unit)
        self.assertGreater(answered, 50)
        # The worker was replaced: the server still answers.
        self.assertEqual(raw("GET", "/healthz").status, 200)

    def test_2_database_down_is_a_clear_503_and_recovers(self):
        user, pw = make_user("office")
        c = Client()
        self.assertEqual(c.login(user, pw).status, 200)
        pg("stop")
        try:
            for path in ("/healthz", "/api/v1/session"):
                r = raw("GET", path, headers={"Cookie": "sid=" + c.sid})
                self.assertEqual(r.status, 503, path)
                self.assertEqual(r.error_code(), "db_unavailable")
                self.assertIn("chưa được lưu", r.json()["error"]["message"])
            r = Client().login(user, pw)
            self.assertEqual(r.status, 503)
        finally:
            pg("start")
        ok = False
        for _ in range(50):
            if raw("GET", "/healthz").status == 200:
                ok = True
                break
            time.sleep(0.1)
        self.assertTrue(ok)
        self.assertEqual(c.get("/api/v1/session").status, 200)

    def test_3_full_scratch_disk_is_a_clear_error(self):
        tmp = os.environ.get("PORTAL_TMP_DIR", "")
        if not tmp or os.geteuid() != 0:
            self.skipTest("needs root and the server's scratch directory")
        user, pw = make_user("office")
        c = Client()
        c.login(user, pw)
        filler = os.path.join(tmp, "filler")
        # A scratch space with no room left: the export must fail cleanly.
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k",
                           "tmpfs", tmp]).returncode != 0:
            self.skipTest("this machine does not let us mount a tmpfs")
        try:
            with open(filler, "wb") as f:
                try:
                    f.write(b"x" * 65536)
                except OSError:
                    pass
            r = c.get("/api/v1/consolidated/%s/PL1.xlsx" % PERIOD)
            self.assertEqual(r.status, 500)
            self.assertEqual(r.error_code(), "internal")
            self.assertEqual(raw("GET", "/healthz").status, 200)
        finally:
            subprocess.run(["umount", tmp], check=True)


if __name__ == "__main__":
    unittest.main()
