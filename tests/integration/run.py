"""Runs every tests/integration/test_*.py against the server in PORTAL_URL
and writes passed=/failed= to PORTAL_SUMMARY for scripts/test.sh."""

import os
import sys
import unittest

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)

import portal  # noqa: E402


def main():
    if not portal.wait_ready():
        print("server did not become ready at " + portal.URL)
        return 1
    pattern = os.environ.get("PORTAL_TESTS", "test_*.py")
    where = os.environ.get("PORTAL_TEST_DIR", here)
    suite = unittest.defaultTestLoader.discover(where, pattern=pattern,
                                                top_level_dir=where)
    result = unittest.TextTestRunner(verbosity=1).run(suite)
    bad = len(result.failures) + len(result.errors)
    good = max(0, result.testsRun - bad - len(result.skipped))
    summary = os.environ.get("PORTAL_SUMMARY")
    if summary:
        with open(summary, "w") as f:
            f.write("passed=%d\nfailed=%d\n" % (good, bad))
    print("%s: %d passed, %d failed" % (os.path.basename(where), good, bad))
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
