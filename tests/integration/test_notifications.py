"""Notices by e-mail through a real SMTP server (tests/integration/
mailsink.py, STARTTLS and AUTH required): a return, an accept and a
reopen each reach the focal point once with what the office wrote;
the server down, a notice is retried and sent once when it is back, or
failed after the last attempt, visible to the office; reminders go on the
right days ("today" given to notice_schedule, never the clock) to units
that have not submitted and have not turned them off; the office's
digest names the late and returned units with their contacts; and the
list and the switch refuse bad input."""

import random
import re
import time
import unittest

import mailsink
from portal import make_unit, signed_in, sql, sql1, start_period
from test_reports import path, pl1_values

YEAR = random.randint(2040, 2099)
PERIOD = "%d-05" % YEAR         # returns, accepts, reopens
BULK = "%d-06" % YEAR           # the bulk decision
REMIND = "%d-07" % YEAR         # reminders and the digest
WAIT = 45                       # seconds, at most, for a sender's turn


def wait_for(what, fn, timeout=WAIT):
    end = time.time() + timeout
    while time.time() < end:
        v = fn()
        if v:
            return v
        time.sleep(0.2)
    raise AssertionError("gave up waiting (%d s) for %s" % (timeout, what))


def addr(tag):
    return ("%s-%d-%d@portal.test" % (tag, YEAR, random.randint(0, 10**9))
            ).lower()


def unit_with_contact(email, name="Nguyễn Thị Hồng", district="QUANSON",
                      unit_name=None):
    code = make_unit("private_clinic", district=district)
    if unit_name:
        sql("UPDATE units SET name = :'v2' WHERE code = :'v1'", code,
            unit_name)
    if email is not None:
        sql("""INSERT INTO contacts (unit_code, name, position, phone, email)
               VALUES (:'v1', :'v2', 'Chuyên viên', '0912345678', :'v3')""",
            code, name, email)
    return code


def submit(code, period):
    c = signed_in("unit", code)
    r = c.put(path(code, period), {"version": 0,
                                   "values": pl1_values(gksklx=False)})
    assert r.status == 200, r
    r = c.post(path(code, period) + "/submit")
    assert r.status == 200, r
    return c


def to(address):
    """The messages the sink received for one address."""
    return [m for m in mailsink.messages()
            if address in [a.lower() for a in m["rcpt_tos"]]]


def body_text(m):
    return m["msg"].get_body(preferencelist=("plain",)).get_content()


@unittest.skipUnless(mailsink.enabled(), "no mail sink (scripts/test.sh)")
class NoticesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.office = signed_in("office")
        for p in (PERIOD, BULK, REMIND):
            start_period(p, cls.office)

    def notices(self, unit):
        r = self.office.get("/api/v1/notifications?unit=" + unit)
        self.assertEqual(r.status, 200, r)
        return r.json()

    def notice(self, unit, kind, status=None):
        """The unit's notice of that kind once it has that status."""
        def find():
            for n in self.notices(unit):
                if n["kind"] == kind and (status is None or
                                          n["status"] == status):
                    return n
            return None
        return wait_for("%s notice of %s (%s)" % (kind, unit, status), find)

    def one_message(self, address, notice):
        """Exactly one message to address, the notice's (Message-ID)."""
        got = to(address)
        self.assertEqual(len(got), 1, [m["msg"]["subject"] for m in got])
        m = got[0]
        self.assertTrue(m["tls"], "sent without STARTTLS")
        self.assertTrue(m["auth"], "sent without AUTH")
        self.assertRegex(m["msg"]["message-id"],
                         r"^<notice-%d\.\d+@portal\.test>$" % notice["id"])
        self.assertEqual(m["msg"]["subject"], notice["subject"])
        return m

    def test_a_return_reaches_the_focal_point_once_with_reason_and_remarks(self):
        email = addr("tra-lai")
        code = unit_with_contact(email)
        submit(code, PERIOD)
        reason = "Số đơn thuốc chưa khớp sổ kê đơn; đề nghị kiểm tra lại."
        remark = "Tổng số đơn thuốc lệch 12 đơn so với sổ."
        r = self.office.post(path(code, PERIOD) + "/return", {
            "reason": reason, "items": {"erx.total": remark}})
        self.assertEqual(r.status, 200, r)
        # Queued by the return itself: in the same transaction.
        self.assertEqual(sql1("""SELECT count(*) FROM notices n
                                 JOIN report_events e ON e.id = n.event_id
                                 WHERE n.unit_code = :'v1'
                                   AND n.created_at = e.at
                                   AND e.action = 'return'""", code), "1")

        n = self.notice(code, "returned", "sent")
        self.assertEqual(n["to"], email)
        self.assertEqual((n["attempts"], n["error"]), (1, None))
        m = self.one_message(email, n)
        msg = m["msg"]
        self.assertIn("bị trả lại", msg["subject"])
        self.assertIn(sql1("SELECT name FROM units WHERE code = :'v1'", code),
                      msg["subject"])
        self.assertEqual(msg["to"].addresses[0].display_name,
                         "Nguyễn Thị Hồng")
        self.assertEqual(msg["to"].addresses[0].addr_spec, email)
        self.assertEqual(msg["from"].addresses[0].display_name,
                         "Cổng báo cáo (kiểm thử)")
        self.assertEqual(msg.get_content_type(), "text/plain")
        self.assertEqual(msg.get_content_charset(), "utf-8")
        self.assertIsNotNone(msg["date"].datetime)
        text = body_text(m)
        self.assertIn(reason, text)
        self.assertIn("Số đơn thuốc được kê trong kỳ (erx.total): " + remark,
                      text)
        self.assertIn("/report?unit=%s&period=%s&form=PL1" % (code, PERIOD),
                      text)
        # Once: sent is final; nothing else went to that address.
        self.assertEqual(len(to(email)), 1)

    def test_an_accept_and_a_reopen_each_deliver_one_message(self):
        email = addr("duyet")
        code = unit_with_contact(email)
        submit(code, PERIOD)
        r = self.office.post(path(code, PERIOD) + "/accept", {})
        self.assertEqual(r.status, 200, r)
        accepted = self.notice(code, "accepted", "sent")
        m = self.one_message(email, accepted)
        self.assertIn("đã được duyệt", m["msg"]["subject"])

        r = self.office.post(path(code, PERIOD) + "/reopen",
                             {"reason": "Mở lại để bổ sung số liệu lượt khám."})
        self.assertEqual(r.status, 200, r)
        reopened = self.notice(code, "reopened", "sent")
        got = to(email)
        self.assertEqual(len(got), 2)
        m = [g for g in got if g["msg"]["subject"] == reopened["subject"]]
        self.assertEqual(len(m), 1)
        self.assertIn("được mở lại", reopened["subject"])
        self.assertIn("Mở lại để bổ sung số liệu lượt khám.", body_text(m[0]))

    def test_bulk_acceptance_queues_each_units_notice_with_its_decision(self):
        emails = [addr("loat") for _ in range(3)]
        codes = [unit_with_contact(e) for e in emails]
        for code in codes:
            submit(code, BULK)
        r = self.office.post("/api/v1/review/%s/PL1/accept-clean" % BULK, {})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(sorted(r.json()["units"]), sorted(codes))
        for code, email in zip(codes, emails):
            self.assertEqual(sql1("""SELECT count(*) FROM notices n
                                     JOIN report_events e
                                         ON e.id = n.event_id
                                     WHERE n.unit_code = :'v1'
                                       AND n.created_at = e.at""", code), "1")
            self.one_message(email, self.notice(code, "accepted", "sent"))
        self.assertEqual(sql("SELECT * FROM report_totals_verify()"), [])

    def test_a_focal_point_without_email_or_refused_fails_visibly(self):
        none = unit_with_contact(None)
        blank = unit_with_contact("")
        refused = addr("reject")
        bad = unit_with_contact(refused)
        for code in (none, blank, bad):
            submit(code, PERIOD)
            r = self.office.post(path(code, PERIOD) + "/return",
                                 {"reason": "Thiếu số liệu."})
            self.assertEqual(r.status, 200, r)
        for code in (none, blank):
            n = self.notice(code, "returned", "failed")
            self.assertEqual((n["to"], n["attempts"]), ("", 0))
            self.assertEqual(n["error_code"], "no_address")
            self.assertIn("chưa có email", n["error"])
        # The server refused the recipient (550): failed at once, not
        # retried, the server's words kept.
        n = self.notice(bad, "returned", "failed")
        self.assertEqual((n["attempts"], n["error_code"]), (1, "rejected"))
        self.assertIn("550", n["error"])
        self.assertEqual(to(refused), [])
        failed = self.office.get("/api/v1/notifications?status=failed")
        self.assertEqual(failed.status, 200)
        self.assertTrue({none, blank, bad} <=
                        {x["unit"] for x in failed.json()})
        self.assertTrue(all(x["status"] == "failed" for x in failed.json()))

    def test_the_server_down_retries_then_sends_once_or_fails_at_the_end(self):
        lost, kept = addr("mat"), addr("con")
        lost_unit = unit_with_contact(lost)
        kept_unit = unit_with_contact(kept)
        submit(lost_unit, PERIOD)
        submit(kept_unit, PERIOD)
        self.assertTrue(mailsink.stop(), "the sink did not stop")
        try:
            r = self.office.post(path(lost_unit, PERIOD) + "/return",
                                 {"reason": "Máy chủ thư đang tắt."})
            self.assertEqual(r.status, 200, r)
            # attempts = 5 in the tests' mail.conf: failed after the 5th.
            n = self.notice(lost_unit, "returned", "failed", )
            self.assertEqual((n["attempts"], n["error_code"]), (5, "connect"))
            self.assertIn("Không kết nối được máy chủ thư", n["error"])

            r = self.office.post(path(kept_unit, PERIOD) + "/return",
                                 {"reason": "Gửi khi máy chủ thư chạy lại."})
            self.assertEqual(r.status, 200, r)
            n = wait_for("two attempts", lambda: [
                x for x in self.notices(kept_unit)
                if x["attempts"] >= 2 and x["status"] == "queued"])[0]
            self.assertEqual(n["error_code"], "connect")
            self.assertIsNotNone(n["next_attempt_at"])
            queued = self.office.get("/api/v1/notifications?status=queued")
            self.assertIn(n["id"], [x["id"] for x in queued.json()])
        finally:
            self.assertTrue(mailsink.start(), "the sink did not start")
        n = self.notice(kept_unit, "returned", "sent")
        self.assertIsNone(n["error"])
        self.one_message(kept, n)
        # The failed one stays failed: nothing sent for it afterwards.
        self.assertEqual([x["status"] for x in self.notices(lost_unit)],
                         ["failed"])
        self.assertEqual(to(lost), [])

    def schedule(self, day, hour=8, days="{3,1,0}", office="{}"):
        """notice_schedule at hour o'clock of day in Việt Nam."""
        return int(sql1("""SELECT notice_schedule(
                               (:'v1'::date + make_interval(hours => :v2))
                               AT TIME ZONE 'Asia/Ho_Chi_Minh',
                               :'v3'::int[], 7, :'v4'::text[])""",
                        day, hour, days, office))

    def test_reminders_on_the_right_days_to_units_that_owe_a_report(self):
        owes, filed, off = addr("nhac"), addr("da-nop"), addr("tat")
        owes_unit = unit_with_contact(owes)
        filed_unit = unit_with_contact(filed)
        off_unit = unit_with_contact(off)
        submit(filed_unit, REMIND)
        c = signed_in("unit", off_unit)
        r = c.put("/api/v1/contacts/%s/reminders" % off_unit,
                  {"enabled": False})
        self.assertEqual(r.status, 200, r)
        deadline = sql1("SELECT deadline FROM periods WHERE code = :'v1'",
                        REMIND)

        def day(k):
            return sql1("SELECT (:'v1'::date - :v2)::text", deadline, k)

        def reminders(unit):
            return [n for n in self.notices(unit) if n["kind"] == "reminder"]

        # Before the hour: not yet.  The days: 4 (none), 3, 2 (none), 1, 0.
        self.assertEqual(self.schedule(day(3), hour=6), -1)
        for k in (4, 3, 2, 1, 0):
            self.assertGreaterEqual(self.schedule(day(k)), 0)
            # The same day again queues nothing: it is done.
            self.assertEqual(self.schedule(day(k), hour=20), -1)
        # Nor does the queueing itself, run again (once per unit and day).
        self.assertEqual(sql1("""SELECT notice_queue_reminders(:'v1'::date,
                                     '{3,1,0}')""", day(3)), "0")

        got = wait_for("three reminders sent", lambda: (
            len([n for n in reminders(owes_unit) if n["status"] == "sent"])
            == 3 and reminders(owes_unit)))
        self.assertEqual(len(got), 3)
        self.assertEqual(reminders(filed_unit), [])
        self.assertEqual(reminders(off_unit), [])
        self.assertEqual(to(filed), [])
        self.assertEqual(to(off), [])
        subjects = sorted(m["msg"]["subject"] for m in to(owes))
        self.assertEqual(len(subjects), 3)
        self.assertEqual(len([s for s in subjects if "Còn 3 ngày" in s]), 1)
        self.assertEqual(len([s for s in subjects if "Còn 1 ngày" in s]), 1)
        self.assertEqual(len([s for s in subjects if "Hôm nay" in s]), 1)
        today = [m for m in to(owes) if "Hôm nay" in m["msg"]["subject"]][0]
        self.assertIn("/report?unit=%s&period=%s&form=PL1"
                      % (owes_unit, REMIND), body_text(today))
        self.assertIn("/contacts", body_text(today))

    def test_the_digest_names_late_and_returned_units_with_contacts(self):
        first = sql1("SELECT code FROM districts ORDER BY name LIMIT 1")
        late = unit_with_contact(addr("tre"), name="Lê Văn Bình",
                                 district=first,
                                 unit_name="A0 Phòng khám thử nộp muộn")
        returned = unit_with_contact(addr("tra"), name="Trần Thị Cúc")
        submit(returned, REMIND)
        r = self.office.post(path(returned, REMIND) + "/return",
                             {"reason": "Sai số liệu."})
        self.assertEqual(r.status, 200, r)
        office = addr("van-phong")
        after = sql1("""SELECT (deadline + 1)::text FROM periods
                        WHERE code = :'v1'""", REMIND)
        self.assertEqual(sql1("""SELECT notice_queue_digest(:'v1'::date,
                                     ARRAY[:'v2'])""", after, office), "1")
        self.assertEqual(sql1("""SELECT notice_queue_digest(:'v1'::date,
                                     ARRAY[:'v2'])""", after, office), "0")
        m = wait_for("the digest", lambda: to(office))
        self.assertEqual(len(m), 1)
        text = body_text(m[0])
        self.assertIn("A0 Phòng khám thử nộp muộn (%s)" % late, text)
        self.assertIn("Đầu mối: Lê Văn Bình, 0912345678", text)
        unit_name = sql1("SELECT name FROM units WHERE code = :'v1'", returned)
        self.assertRegex(text, r"%s \(%s\).*trả lại ngày" % (
            re.escape(unit_name), re.escape(returned)))
        self.assertIn("Trần Thị Cúc", text)
        self.assertRegex(m[0]["msg"]["subject"],
                         r"^\[Cổng báo cáo CĐS\] Tổng hợp ngày \d\d/\d\d/\d{4}: "
                         r"\d+ báo cáo quá hạn chưa nộp, \d+ báo cáo trả lại")

    def test_the_reminders_switch_says_who_turned_them_off(self):
        code = unit_with_contact(addr("cong-tac"))
        unit = signed_in("unit", code)
        r = unit.put("/api/v1/contacts/%s/reminders" % code,
                     {"enabled": False})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["reminders"],
                          r.json()["reminders_off_by"]),
                         (False, unit.username))
        row = [x for x in self.office.get("/api/v1/contacts").json()
               if x["unit"] == code][0]
        self.assertEqual((row["reminders"], row["reminders_off_by"],
                          row["reminders_off_role"], row["files"]),
                         (False, unit.username, "unit", True))
        self.assertIsNotNone(row["reminders_off_at"])
        r = self.office.put("/api/v1/contacts/%s/reminders" % code,
                            {"enabled": True})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json()["reminders"])
        row = [x for x in unit.get("/api/v1/contacts").json()
               if x["unit"] == code][0]
        self.assertEqual((row["reminders"], row["reminders_off_by"]),
                         (True, None))
        self.assertEqual(sql1("""SELECT count(*) FROM audit
                                 WHERE object = 'unit:' || :'v1'
                                   AND action LIKE 'reminders_%'""", code),
                         "2")

    def test_the_reminders_switch_refuses_bad_input_and_other_units(self):
        code = unit_with_contact(addr("sai"))
        other = unit_with_contact(addr("khac"))
        unit = signed_in("unit", code)
        p = "/api/v1/contacts/%s/reminders" % code
        r = unit.put(p, "không phải JSON", ctype="application/json")
        self.assertEqual((r.status, r.error_code()), (400, "bad_json"))
        r = unit.put(p, [False])
        self.assertEqual((r.status, r.error_code()), (400, "bad_json"))
        r = unit.put(p, {"enable": False})
        self.assertEqual((r.status, r.error_code()), (400, "bad_shape"))
        for v in ("no", 0, None, {}):
            r = unit.put(p, {"enabled": v})
            self.assertEqual((r.status, r.error_code()), (422, "bad_value"),
                             v)
        r = unit.put(p, {"enabled": False, "x": "y" * 2000})
        self.assertEqual(r.status, 413)
        # Another unit's, an unknown one, a code that is no code: 404.
        for u in (other, "KHONG-CO-DON-VI", "a%20b"):
            r = unit.put("/api/v1/contacts/%s/reminders" % u,
                         {"enabled": False})
            self.assertEqual(r.status, 404, u)
        self.assertEqual(sql1("""SELECT count(*) FROM reminder_optout
                                 WHERE unit_code IN (:'v1', :'v2')""",
                              code, other), "0")
        for role in ("viewer", "admin"):
            c = signed_in(role)
            r = c.put(p, {"enabled": False})
            self.assertEqual(r.status, 403, role)

    def test_the_list_is_the_offices_and_refuses_bad_filters(self):
        for q, arg in (("status=bogus", "status"), ("status=Sent", "status"),
                       ("status=sent&status=failed", "status"),
                       ("kind=spam", "kind"), ("before=abc", "before"),
                       ("before=" + "9" * 30, "before"),
                       ("unit=a%20b", "unit"), ("status=%FF", "status")):
            r = self.office.get("/api/v1/notifications?" + q)
            self.assertEqual(r.status, 400, q)
            self.assertEqual(r.json()["error"]["details"]["argument"], arg, q)
            self.assertNotEqual(r.json()["error"]["message"], "", q)
        all_ = self.office.get("/api/v1/notifications").json()
        self.assertLessEqual(len(all_), 200)
        for n in all_:
            for k in ("id", "to", "subject", "kind", "status", "attempts",
                      "created_at", "sent_at", "error"):
                self.assertIn(k, n)
        ids = [n["id"] for n in all_]
        self.assertEqual(ids, sorted(ids, reverse=True))
        if len(ids) > 1:
            older = self.office.get("/api/v1/notifications?before=%d"
                                    % ids[0]).json()
            self.assertTrue(all(n["id"] < ids[0] for n in older))
        sent = self.office.get("/api/v1/notifications?status=sent&kind="
                               "returned").json()
        self.assertTrue(all(n["status"] == "sent" and n["kind"] == "returned"
                            for n in sent))
        admin = signed_in("admin")
        self.assertEqual(admin.get("/api/v1/notifications").status, 200)
        for role in ("viewer",):
            c = signed_in(role)
            self.assertEqual(c.get("/api/v1/notifications").status, 403)
        code = unit_with_contact(addr("khong-xem"))
        c = signed_in("unit", code)
        self.assertEqual(c.get("/api/v1/notifications").status, 403)


if __name__ == "__main__":
    unittest.main()
