"""The pages and their files over a weak line: sent compressed when the
browser takes it, kept by it (a file named with its version for a year,
a page revalidated with its ETag every time, 304 when unchanged), while
every JSON answer of the API stays no-store."""

import gzip
import re
import unittest

from portal import raw, signed_in

PAGES = ["/", "/login", "/password", "/units", "/contacts", "/accounts",
         "/calendar", "/report", "/tokens", "/review", "/completeness",
         "/dashboard"]
GZ = {"Accept-Encoding": "gzip, deflate, br"}
YEAR = "public, max-age=31536000, immutable"
REF = re.compile(r"""(?:"(/assets/[^"?]+)\?v=([0-9a-f]{16})")|"""
                 r"""(?:from\s*'(\./[^'?]+)\?v=([0-9a-f]{16})')""")


def refs(url, body):
    """The versioned references of a page or module, as absolute URLs."""
    base = url.split("?")[0].rsplit("/", 1)[0]
    out = []
    for m in REF.finditer(body.decode("utf-8")):
        if m.group(1):
            out.append((m.group(1), m.group(2)))
        else:
            out.append((base + "/" + m.group(3)[2:], m.group(4)))
    return out


def body_of(r):
    if r.header("content-encoding") == "gzip":
        return gzip.decompress(r.body)
    return r.body


class PagesTest(unittest.TestCase):
    def test_pages_are_compressed_and_revalidated(self):
        for page in PAGES:
            plain = raw("GET", page)
            self.assertEqual(plain.status, 200, page)
            self.assertIsNone(plain.header("content-encoding"), page)
            r = raw("GET", page, headers=GZ)
            self.assertEqual(r.status, 200, page)
            self.assertEqual(r.header("content-encoding"), "gzip", page)
            self.assertEqual(r.header("vary"), "accept-encoding", page)
            # A new release is seen at once: asked again every time.
            self.assertEqual(r.header("cache-control"), "no-cache", page)
            self.assertEqual(int(r.header("content-length")), len(r.body))
            self.assertLess(len(r.body), len(plain.body) * 0.6, page)
            self.assertEqual(gzip.decompress(r.body), plain.body, page)
            # Two representations, two validators.
            self.assertNotEqual(r.header("etag"), plain.header("etag"))
            self.assertRegex(plain.header("etag"), r'^"[0-9a-f]{16}"$')
            # The security headers stay.
            self.assertIn("script-src 'self'",
                          r.header("content-security-policy"))
            self.assertEqual(r.header("x-content-type-options"), "nosniff")

    def test_unchanged_page_is_304_without_a_body(self):
        for page in ("/report", "/dashboard"):
            first = raw("GET", page, headers=GZ)
            etag = first.header("etag")
            again = raw("GET", page, headers=dict(GZ, **{
                "If-None-Match": etag}))
            self.assertEqual(again.status, 304, page)
            self.assertEqual(again.body, b"")
            self.assertEqual(again.header("etag"), etag)
            self.assertEqual(again.header("cache-control"), "no-cache")
            self.assertEqual(again.header("vary"), "accept-encoding")
            self.assertIsNone(again.header("content-length"))
            # A list, weak or not, as browsers and proxies send it.
            self.assertEqual(raw("GET", page, headers=dict(GZ, **{
                "If-None-Match": '"0000000000000000", W/' + etag}))
                .status, 304)
            # Another version (or the other encoding's): the page again.
            for other in ('"0000000000000000"', etag[:-1] + 'x"',
                          raw("GET", page).header("etag")):
                r = raw("GET", page, headers=dict(GZ, **{
                    "If-None-Match": other}))
                self.assertEqual(r.status, 200, other)
                self.assertEqual(r.body, first.body)

    def test_a_report_load_fetches_its_files_once_and_small(self):
        """The report page and every file it needs, as a browser follows
        them: each named with its version and cached for a year, the whole
        a fraction of the 175 KiB it was."""
        seen = {}
        todo = [("/report", None)]
        sent = plain = 0
        while todo:
            url, version = todo.pop()
            full = url if version is None else url + "?v=" + version
            if full in seen:
                continue
            r = raw("GET", full, headers=GZ)
            self.assertEqual(r.status, 200, full)
            seen[full] = r
            sent += len(r.body)
            body = body_of(r)
            plain += len(body)
            if version is not None:
                self.assertEqual(r.header("cache-control"), YEAR, full)
                # The version is the file's: its identity ETag.
                self.assertEqual(raw("GET", url).header("etag"),
                                 '"%s"' % version, full)
            todo.extend(refs(url, body))
        names = {u.split("?")[0] for u in seen}
        for want in ("/assets/css/app.css", "/assets/js/report.js",
                     "/assets/js/app.js", "/assets/js/report-render.js",
                     "/assets/js/report-checks.js", "/assets/favicon.svg"):
            self.assertIn(want, names)
        self.assertGreater(plain, 100 * 1024)
        self.assertLess(sent, plain * 0.4, (sent, plain))
        self.assertLess(sent, 64 * 1024, sent)
        # Every module imports app.js under one URL, or it would run twice.
        apps = {u for u in seen if u.startswith("/assets/js/app.js")}
        self.assertEqual(len(apps), 1, apps)

    def test_a_file_without_its_version_is_revalidated(self):
        page = body_of(raw("GET", "/report", headers=GZ))
        url, version = [x for x in refs("/report", page)
                        if x[0].endswith("app.css")][0]
        for q in ("", "?v=0000000000000000", "?v=" + version + "&x=1",
                  "?x=1"):
            r = raw("GET", url + q, headers=GZ)
            self.assertEqual(r.status, 200, q)
            self.assertEqual(r.header("cache-control"), "no-cache", q)
        r = raw("GET", url + "?v=" + version, headers=dict(GZ, **{
            "If-None-Match": raw("GET", url, headers=GZ).header("etag")}))
        self.assertEqual(r.status, 304)
        self.assertEqual(r.header("cache-control"), YEAR)

    def test_gzip_only_for_clients_that_take_it(self):
        for ae in (None, "identity", "gzip;q=0", "br, deflate", "*;q=0",
                   "gzip;q=0.000, *"):
            h = {"Accept-Encoding": ae} if ae is not None else {}
            r = raw("GET", "/assets/js/app.js", headers=h)
            self.assertEqual(r.status, 200, ae)
            self.assertIsNone(r.header("content-encoding"), ae)
            self.assertEqual(r.header("vary"), "accept-encoding", ae)
            self.assertTrue(r.body.startswith(b"/*"), ae)
        for ae in ("GZIP", "x-gzip", "*", "br;q=1, gzip;q=0.5"):
            r = raw("GET", "/assets/js/app.js",
                    headers={"Accept-Encoding": ae})
            self.assertEqual(r.header("content-encoding"), "gzip", ae)

    def test_head_has_the_headers_and_no_body(self):
        get = raw("GET", "/dashboard", headers=GZ)
        head = raw("HEAD", "/dashboard", headers=GZ)
        self.assertEqual(head.status, 200)
        self.assertEqual(head.body, b"")
        for h in ("etag", "cache-control", "content-encoding", "vary",
                  "content-length"):
            self.assertEqual(head.header(h), get.header(h), h)

    def test_unknown_files_are_not_kept(self):
        for path in ("/assets/js/nope.js", "/assets/../kore.conf",
                     "/nope", "/assets/js/app.js/x"):
            r = raw("GET", path, headers=GZ)
            self.assertEqual(r.status, 404, path)
            self.assertEqual(r.header("cache-control"), "no-store", path)
            self.assertIsNone(r.header("etag"), path)
        r = raw("POST", "/report", body=b"x", headers=GZ)
        self.assertEqual(r.status, 404)
        self.assertEqual(r.header("cache-control"), "no-store")


class JsonNotKeptTest(unittest.TestCase):
    """Authenticated JSON is personal: never stored, whatever the route
    or the outcome, even for a browser that takes gzip."""

    def test_every_json_answer_is_no_store(self):
        office = signed_in("office")
        anon = [("GET", "/healthz"), ("GET", "/api/v1/session"),
                ("GET", "/api/v1/units"), ("GET", "/api/v1/nope"),
                ("DELETE", "/api/v1/units"), ("POST", "/api/v1/session")]
        for method, path in anon:
            r = raw(method, path, headers=GZ)
            self.assertIn("application/json", r.header("content-type"),
                          path)
            self.assertEqual(r.header("cache-control"), "no-store",
                             (method, path, r.status))
            self.assertIsNone(r.header("etag"), path)
        signed = ["/api/v1/session", "/api/v1/units", "/api/v1/districts",
                  "/api/v1/unit-kinds", "/api/v1/contacts",
                  "/api/v1/accounts", "/api/v1/periods?year=2030",
                  "/api/v1/forms/PL1", "/api/v1/reports",
                  "/api/v1/tokens", "/api/v1/review/2030-03?form=PL1",
                  "/api/v1/completeness/2030-03",
                  "/api/v1/consolidated/2030-03/PL1",
                  "/api/v1/consolidated/2030-03/PL1.csv",
                  "/api/v1/consolidated/2030-03/PL1.xlsx",
                  "/api/v1/consolidated/2030-03/PL9",
                  "/api/v1/reports/NOPE/2030-03/PL1"]
        for path in signed:
            r = office.get(path, headers=GZ)
            self.assertLess(r.status, 500, path)
            self.assertEqual(r.header("cache-control"), "no-store",
                             (path, r.status))
            self.assertIsNone(r.header("etag"), path)
        r = office.post("/api/v1/units/import", "x", ctype="text/csv",
                        headers=GZ)
        self.assertEqual(r.status, 422)
        self.assertEqual(r.header("cache-control"), "no-store")


if __name__ == "__main__":
    unittest.main()
