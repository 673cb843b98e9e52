"""The host around the portal: the Kore workers run unprivileged (and, as
root, shut in a jail), the cluster lets in only the local users it must,
and scripts/pg.sh brings a killed cluster back.  PORTAL_KORE_PID is the
server scripts/test.sh started, PORTAL_WORK its work directory (the
workers' jail), PORTAL_PG_DIR and PORTAL_PG_PORT its cluster."""

import os
import pwd
import random
import signal
import socket
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..",
                                "integration"))

import portal  # noqa: E402
from portal import raw  # noqa: E402

ROOT = os.environ.get("PORTAL_ROOT", ".")
KORE_PID = int(os.environ.get("PORTAL_KORE_PID", "0") or 0)
WORK = os.environ.get("PORTAL_WORK", "")
PG_DIR = os.environ.get("PORTAL_PG_DIR", "")
PG_PORT = os.environ.get("PORTAL_PG_PORT", "")
PG_BIN = "/usr/lib/postgresql/15/bin"
AS_ROOT = os.geteuid() == 0


def runas_user():
    with open(os.path.join(ROOT, "kore.conf")) as f:
        for line in f:
            words = line.split()
            if words[:1] == ["runas"]:
                return words[1]
    return None


def status_fields(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            out[k] = v.split()
    return out


def workers():
    out = subprocess.run(["pgrep", "-P", str(KORE_PID)],
                         capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def psql(conninfo, as_user=None, sql="SELECT current_user"):
    cmd = ["psql", conninfo, "-X", "-w", "-At", "-c", sql]
    if as_user is not None:
        cmd = ["runuser", "-u", as_user, "--"] + cmd
    env = dict(os.environ, PGPASSWORD="a-guess", PGCONNECT_TIMEOUT="5")
    return subprocess.run(cmd, capture_output=True, text=True, env=env,
                          timeout=30)


def free_port():
    for _ in range(200):
        port = random.randint(10000, 32767)
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
        finally:
            s.close()
    raise RuntimeError("no free port")


def pg_sh(*args, check=True):
    return subprocess.run(["bash", os.path.join(ROOT, "scripts", "pg.sh")]
                          + list(args), capture_output=True, text=True,
                          check=check, timeout=120)


@unittest.skipUnless(KORE_PID and WORK, "needs the server scripts/test.sh starts")
class WorkersTest(unittest.TestCase):
    def test_workers_do_not_run_as_root(self):
        self.assertEqual(raw("GET", "/healthz").status, 200)
        pids = workers()
        self.assertTrue(pids, "no worker found")
        want = (pwd.getpwnam(runas_user()).pw_uid if AS_ROOT
                else os.getuid())
        for pid in pids:
            st = status_fields(pid)
            uids = [int(u) for u in st["Uid"]]
            gids = [int(g) for g in st["Gid"]]
            self.assertNotIn(0, uids, (pid, st["Uid"]))
            self.assertNotIn(0, gids, (pid, st["Gid"]))
            self.assertEqual(set(uids), {want}, (pid, st["Uid"]))
            # No capability left, in effect or to take back.
            self.assertEqual(int(st["CapEff"][0], 16), 0, st["CapEff"])
            self.assertEqual(int(st["CapPrm"][0], 16), 0, st["CapPrm"])
            if AS_ROOT:
                # Shut in the work directory: the cluster's socket and
                # the scratch space, nothing of the system.
                self.assertEqual(os.readlink("/proc/%d/root" % pid),
                                 os.path.realpath(WORK))

    def test_the_scratch_space_is_the_workers_alone(self):
        st = os.stat(os.path.join(WORK, "tmp"))
        self.assertEqual(st.st_mode & 0o777, 0o700)
        if AS_ROOT:
            self.assertEqual(st.st_uid, pwd.getpwnam(runas_user()).pw_uid)


@unittest.skipUnless(PG_DIR and PG_PORT, "needs the test cluster")
class ClusterAccessTest(unittest.TestCase):
    def setUp(self):
        self.socket = "host=%s/run port=%s" % (PG_DIR, PG_PORT)
        self.tcp = "host=127.0.0.1 port=%s" % PG_PORT

    def conninfo(self, how, role):
        return "%s dbname=postgres user=%s" % (how, role)

    def test_no_trust_and_a_closed_socket_directory(self):
        st = os.stat(os.path.join(PG_DIR, "run"))
        self.assertEqual(st.st_mode & 0o007, 0, oct(st.st_mode))
        if not AS_ROOT:
            self.skipTest("pg_hba.conf belongs to the postgres user")
        with open(os.path.join(PG_DIR, "data", "pg_hba.conf")) as f:
            rules = [line.split() for line in f
                     if line.strip() and not line.lstrip().startswith("#")]
        self.assertTrue(rules)
        for rule in rules:
            self.assertNotIn("trust", rule, rule)

    def test_the_users_that_must_connect_do(self):
        me = psql(self.conninfo(self.socket, "portal"))
        self.assertEqual((me.returncode, me.stdout.strip()), (0, "portal"),
                         me.stderr)
        me = psql(self.conninfo(self.socket, "postgres"))
        self.assertEqual((me.returncode, me.stdout.strip()), (0, "postgres"),
                         me.stderr)
        if AS_ROOT:
            w = psql(self.conninfo(self.socket, "portal"), runas_user())
            self.assertEqual((w.returncode, w.stdout.strip()), (0, "portal"),
                             w.stderr)

    @unittest.skipUnless(AS_ROOT, "making a local user needs root")
    def test_another_local_user_cannot_connect(self):
        name = "pgx%d" % random.randint(10000, 99999)
        subprocess.run(["useradd", "--no-create-home", "--shell",
                        "/usr/sbin/nologin", name], check=True)
        try:
            for how in (self.socket, self.tcp):
                for role in ("portal", "postgres"):
                    r = psql(self.conninfo(how, role), name)
                    self.assertNotEqual(r.returncode, 0,
                                        (how, role, r.stdout))
                    self.assertEqual(r.stdout.strip(), "", (how, role))
            # The workers' user reaches the socket, as the portal only.
            r = psql(self.conninfo(self.socket, "postgres"), runas_user())
            self.assertNotEqual(r.returncode, 0, r.stdout)
            self.assertIn("authentication failed", r.stderr)
            r = psql(self.conninfo(self.tcp, "portal"), runas_user())
            self.assertNotEqual(r.returncode, 0, r.stdout)
        finally:
            subprocess.run(["userdel", name], check=True)


@unittest.skipUnless(WORK, "needs a work directory")
class PgRestartTest(unittest.TestCase):
    def test_start_right_after_kill_9_brings_the_database_back(self):
        d = os.path.join(WORK, "pgkill")
        port = str(free_port())
        conn = pg_sh("conninfo", d, port).stdout.strip()
        try:
            pg_sh("start", d, port)
            self.assertEqual(psql(conn, sql="SELECT 1").stdout.strip(), "1")
            # A session in the middle of a statement, as a worker's
            # would be: its backend outlives the postmaster a moment.
            busy = subprocess.Popen(["psql", conn, "-X", "-c",
                                     "SELECT pg_sleep(20)"],
                                    stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            time.sleep(0.5)
            with open(os.path.join(d, "data", "postmaster.pid")) as f:
                old = int(f.readline())
            os.kill(old, signal.SIGKILL)
            r = pg_sh("start", d, port, check=False)
            busy.wait(30)
            self.assertEqual(r.returncode, 0, r.stderr)
            q = psql(conn, sql="SELECT 1")
            self.assertEqual((q.returncode, q.stdout.strip()), (0, "1"),
                             q.stderr)
            with open(os.path.join(d, "data", "postmaster.pid")) as f:
                self.assertNotEqual(int(f.readline()), old)
            # Started again over a running one: nothing to do, no error.
            self.assertEqual(pg_sh("start", d, port).returncode, 0)
        finally:
            pg_sh("stop", d, check=False)
            subprocess.run(["rm", "-rf", d])

    def test_start_fails_loudly_when_it_cannot(self):
        d = os.path.join(WORK, "pgbroken")
        port = str(free_port())
        try:
            pg_sh("start", d, port)
            pg_sh("stop", d)
            # A cluster whose configuration the server refuses.
            conf = os.path.join(d, "data", "postgresql.conf")
            with open(conf, "a") as f:
                f.write("shared_buffers = 'lots'\n")
            r = pg_sh("start", d, port, check=False)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("ERROR", r.stderr)
            self.assertIn("LỖI", r.stderr)
        finally:
            pg_sh("stop", d, check=False)
            subprocess.run(["rm", "-rf", d])


if __name__ == "__main__":
    unittest.main()
