"""Helpers for the integration tests: an HTTP client that behaves like the
pages (session cookie + X-CSRF-Token), direct SQL for arranging and checking
state, and account creation with known passwords."""

import http.client
import json
import os
import random
import subprocess
import time
import urllib.parse

URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8888")
DB = os.environ.get("PORTAL_DB", "")
CTL = os.environ.get("PORTAL_CTL", "build/portalctl")
ROOT = os.environ.get("PORTAL_ROOT", ".")

_host = urllib.parse.urlparse(URL)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return None

    def headers_all(self, name):
        name = name.lower()
        return [v for k, v in self.headers if k.lower() == name]

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def error_code(self):
        try:
            return self.json()["error"]["code"]
        except (ValueError, KeyError, TypeError):
            return None

    def __repr__(self):
        return "<%d %r>" % (self.status, self.body[:300])


def raw(method, path, body=None, headers=None):
    conn = http.client.HTTPConnection(_host.hostname, _host.port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return Response(r.status, r.getheaders(), r.read())
    finally:
        conn.close()


class Client:
    """One browser: keeps the session cookie and the CSRF token."""

    def __init__(self):
        self.sid = None
        self.csrf = None
        self.send_csrf = True

    def request(self, method, path, body=None, ctype=None, headers=None):
        h = dict(headers or {})
        if self.sid:
            h["Cookie"] = "sid=" + self.sid
        if method not in ("GET", "HEAD") and self.csrf and self.send_csrf:
            h.setdefault("X-CSRF-Token", self.csrf)
        data = body
        if body is not None and not isinstance(body, (bytes, str)):
            data = json.dumps(body).encode("utf-8")
            h.setdefault("Content-Type", "application/json")
        elif isinstance(body, str):
            data = body.encode("utf-8")
        if ctype:
            h["Content-Type"] = ctype
        r = raw(method, path, data, h)
        for v in r.headers_all("set-cookie"):
            if v.startswith("sid="):
                val = v.split(";", 1)[0][4:]
                self.sid = val or None
        return r

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def login(self, username, password):
        r = self.post("/api/v1/session",
                      {"username": username, "password": password})
        if r.status == 200:
            self.csrf = r.json()["csrf_token"]
        return r


def sql(query, *args):
    """Run SQL as the portal role; psql variables :'v1', :'v2'... carry
    the arguments, quoted by psql.  Returns rows as lists of strings."""
    cmd = ["psql", DB, "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1"]
    for i, a in enumerate(args, 1):
        cmd += ["-v", "v%d=%s" % (i, a)]
    out = subprocess.run(cmd, input=query, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError("psql failed: %s\n%s" % (out.stderr, query))
    return [line.split("\t") for line in out.stdout.splitlines() if line]


def sql1(query, *args):
    rows = sql(query, *args)
    return rows[0][0] if rows else None


def pw_hash(password):
    out = subprocess.run([CTL, "hash"], input=password + "\n",
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


_counter = [0]


# Five random letters of this process, then a counter: names stay short
# and never meet another run's (pid % 1000 then a counter did: "88" + "44"
# is "884" + "4").
_run = "".join(random.choice("abcdefghijkmnpqrstuvwxyz") for _ in range(5))


def unique(prefix):
    _counter[0] += 1
    return "%s%s%d" % (prefix, _run, _counter[0])


def make_unit(kind, parent=None, district="VINHLOC", **flags):
    """A unit of its own for one test, so tests never share accounts."""
    code = unique("T-" + kind[:4].upper() + "-").upper()
    sql("""INSERT INTO units (code, name, kind, is_public, district, parent,
               hospital, gksklx, cdc)
           VALUES (:'v1', :'v2', :'v3', true, :'v4', NULLIF(:'v5', ''),
                   :'v6'::boolean, :'v7'::boolean, :'v8'::boolean)""",
        code, "Đơn vị thử " + code, kind, district, parent or "",
        str(flags.get("hospital", False)).lower(),
        str(flags.get("gksklx", False)).lower(),
        str(flags.get("cdc", False)).lower())
    return code


def make_user(role, unit=None, username=None, password=None,
              must_change=False, districts=()):
    """An account with a known password, made directly in the database."""
    username = username or unique("t" + role)
    password = password or "Mat-khau-thu-" + unique("p")
    if role == "unit":
        # One active account per unit: a test's new one replaces the last.
        sql("""UPDATE users SET active = false
               WHERE unit_code = :'v1' AND role = 'unit'""", unit)
    sql("""INSERT INTO users (username, role, unit_code, password_hash,
               must_change_password)
           VALUES (:'v1', :'v2', NULLIF(:'v3', ''), :'v4', :'v5'::boolean)""",
        username, role, unit or "", pw_hash(password),
        "true" if must_change else "false")
    for d in districts:
        sql("""INSERT INTO viewer_districts (user_id, district)
               SELECT id, :'v2' FROM users WHERE username = :'v1'""",
            username, d)
    return username, password


def signed_in(role, unit=None, **kw):
    """A client signed in with a fresh account of that role."""
    user, pw = make_user(role, unit, **kw)
    c = Client()
    r = c.login(user, pw)
    assert r.status == 200, r
    c.username = user
    c.password = pw
    return c


_open = []


def open_period():
    """The monthly period open for filing today (started, deadline not
    passed, in Việt Nam), with its calendar and the years around it
    stored: the period a unit files now without being late."""
    if not _open:
        c = signed_in("office")
        year = int(time.strftime("%Y", time.gmtime(time.time() + 7 * 3600)))
        for y in (year - 1, year, year + 1):
            c.get("/api/v1/periods?year=%d" % y)
        _open.append(sql1("""SELECT code FROM periods
                             WHERE period_kind(code) = 'M'
                               AND start_date <= (now() AT TIME ZONE
                                   'Asia/Ho_Chi_Minh')::date
                               AND deadline >= (now() AT TIME ZONE
                                   'Asia/Ho_Chi_Minh')::date
                             ORDER BY deadline LIMIT 1"""))
    return _open[0]


def months_before(code, n):
    """The n monthly periods just before period code, newest first."""
    open_period()
    return [r[0] for r in sql("""SELECT code FROM periods
                                 WHERE period_kind(code) = 'M'
                                   AND end_date < (SELECT start_date
                                       FROM periods WHERE code = :'v1')
                                 ORDER BY end_date DESC LIMIT :v2""",
                              code, n)]


def start_period(code, client=None):
    """Open a period of a year far ahead for filing now: the office moves
    its start into the past (its end and deadline stay).  Tests file such
    periods so that their sums stay apart from everything else, and a
    period that has not started takes no report."""
    c = client or signed_in("office")
    c.get("/api/v1/periods?year=%d" % int(code[:4]))
    end, deadline = sql("""SELECT end_date, deadline FROM periods
                           WHERE code = :'v1'""", code)[0]
    r = c.put("/api/v1/periods/" + code, {"start": "2025-01-01",
                                           "end": end, "deadline": deadline})
    assert r.status == 200, r


def wait_ready(timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        try:
            if raw("GET", "/healthz").status == 200:
                return True
        except OSError:
            pass
        time.sleep(0.1)
    return False


def browser_fixture():
    """A district health centre with two stations and an account that has
    already changed its password, for the browser tests: printed as shell
    assignments."""
    centre = make_unit("district_centre", district="NGASON", hospital=True,
                       gksklx=True)
    stations = [make_unit("commune_station", centre, district="NGASON")
                for _ in range(2)]
    # A station's own account (issued before stations stopped getting
    # them): its home page says the centre files for it.
    suser, spw = make_user("unit", stations[0])
    user, pw = make_user("unit", centre)
    # A unit that files for itself alone (test_a11y.mjs).
    hosp = make_unit("provincial_hospital", district="NGASON", hospital=True,
                     gksklx=True)
    huser, hpw = make_user("unit", hosp)
    office, opw = make_user("office")
    admin, apw = make_user("admin")
    # The calendar of this year and the next is stored on first reading.
    c = signed_in("office")
    year = int(time.strftime("%Y", time.gmtime(time.time() + 7 * 3600)))
    for y in (year, year + 1):
        c.get("/api/v1/periods?year=%d" % y)
    period = sql1("""SELECT code FROM periods WHERE period_kind(code) = 'M'
                     AND deadline >= (now() AT TIME ZONE
                         'Asia/Ho_Chi_Minh')::date
                     ORDER BY deadline LIMIT 1""")
    print("PORTAL_UNIT_CODE=%s PORTAL_UNIT_USER=%s PORTAL_UNIT_PASSWORD=%s "
          "PORTAL_OFFICE_USER=%s PORTAL_OFFICE_PASSWORD=%s PORTAL_PERIOD=%s "
          "PORTAL_STATION_USER=%s PORTAL_STATION_PASSWORD=%s "
          "PORTAL_ADMIN_USER=%s PORTAL_ADMIN_PASSWORD=%s "
          "PORTAL_HOSPITAL_CODE=%s PORTAL_HOSPITAL_USER=%s "
          "PORTAL_HOSPITAL_PASSWORD=%s"
          % (centre, user, pw, office, opw, period, suser, spw, admin, apw,
             hosp, huser, hpw))
    # A hospital of its own for test_mobile.mjs, which returns one of its
    # reports and leaves others late: the centre's history stays as the
    # other browser tests expect it.
    mobile = make_unit("provincial_hospital", hospital=True, gksklx=True)
    muser, mpw = make_user("unit", mobile)
    print("PORTAL_MOBILE_UNIT=%s PORTAL_MOBILE_USER=%s "
          "PORTAL_MOBILE_PASSWORD=%s" % (mobile, muser, mpw))
    # A unit of its own for the draft kept offline (test_offline.mjs).
    ounit = make_unit("provincial_hospital", hospital=True)
    ouser, opw2 = make_user("unit", ounit)
    print("PORTAL_OFFLINE_UNIT=%s PORTAL_OFFLINE_USER=%s "
          "PORTAL_OFFLINE_PASSWORD=%s" % (ounit, ouser, opw2))


if __name__ == "__main__":
    import sys
    if sys.argv[1:] == ["browser-fixture"]:
        browser_fixture()
