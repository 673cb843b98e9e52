"""Two app nodes over one PostgreSQL, every worker of each with a mail
sender of its own, sending the same queue at once through the tests' SMTP
server: each notice reaches it exactly once (FOR UPDATE SKIP LOCKED and a
lease, sql/016_notices.sql and mail_send.c)."""

import json
import os
import random
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..",
                                "integration"))

import mailsink  # noqa: E402
from portal import sql, sql1  # noqa: E402

COUNT = 60
WAIT = 90


@unittest.skipUnless(mailsink.enabled(), "no mail sink (scripts/test.sh)")
class TwoNodeMailTest(unittest.TestCase):
    def test_two_nodes_sending_one_queue_send_each_notice_once(self):
        tag = "twonode%d" % random.randint(0, 10**9)
        data = json.dumps({"unit": "PK-ANBINH", "unit_name": "Phòng khám "
                           "đa khoa An Bình", "period": "2031-05",
                           "period_name": "Tháng 5/2031",
                           "deadline": "2031-05-15", "form": "PL1",
                           "contact": "Người Nhận"})
        # All due at the same moment, a few seconds ahead: every sender
        # of both nodes wakes to the same 60.  Three times a sender's
        # batch (20), so no one sender can take them all in one turn.
        sql("""INSERT INTO notices (kind, dedup, unit_code, to_addr, to_name,
                   data, next_at)
               SELECT 'accepted', :'v1' || ':' || i, 'PK-ANBINH',
                   :'v1' || '-' || i || '@portal.test', 'Người Nhận',
                   :'v2'::jsonb, now() + interval '3 seconds'
               FROM generate_series(1, :v3) AS i""", tag, data, COUNT)

        end = time.time() + WAIT
        while time.time() < end:
            left = int(sql1("""SELECT count(*) FROM notices
                               WHERE dedup LIKE :'v1' || ':%'
                                 AND status <> 'sent'""", tag))
            if left == 0:
                break
            time.sleep(0.5)
        self.assertEqual(left, 0, "not all sent in %d s" % WAIT)

        got = [m for m in mailsink.messages()
               if m["rcpt_tos"][0].startswith(tag + "-")]
        per = {}
        for m in got:
            per.setdefault(m["rcpt_tos"][0], []).append(m["msg"]["message-id"])
        self.assertEqual(len(per), COUNT)
        twice = {a: ids for a, ids in per.items() if len(ids) != 1}
        self.assertEqual(twice, {}, "sent more than once")
        self.assertEqual(len({ids[0] for ids in per.values()}), COUNT)
        self.assertEqual(sql1("""SELECT max(attempts) FROM notices
                                 WHERE dedup LIKE :'v1' || ':%'""", tag), "1")
        # More than one sender took part (the pid in each claim).
        senders = sql1("""SELECT count(DISTINCT split_part(sent_by, '-', 1))
                          FROM notices WHERE dedup LIKE :'v1' || ':%'""", tag)
        print("  %d notices, sent by %s worker(s) of the two nodes"
              % (COUNT, senders))
        self.assertGreaterEqual(int(senders), 2)


if __name__ == "__main__":
    unittest.main()
