/*
 * Unit tests for the notices' pure core: the message bytes (mail.c), the
 * configuration file, and what each kind of notice says (mail_text.c).
 * The tests decode what was built (base64, RFC 2047 words) and compare
 * it with what went in, so they prove the round trip, not a spelling.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mail.h"

/* ---------- decoding helpers ---------- */

static int
b64val(int c)
{
	const char	*a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789+/";
	const char	*p;

	if (c == '\0' || (p = strchr(a, c)) == NULL)
		return (-1);

	return ((int)(p - a));
}

/* Base64 of len chars into out; the decoded length, -1 when broken. */
static int
unbase64(const char *in, size_t len, char *out, size_t outlen)
{
	size_t		i, o;
	int		v[4], k;

	if (len % 4 != 0)
		return (-1);
	for (i = 0, o = 0; i < len; i += 4) {
		for (k = 0; k < 4; k++)
			v[k] = in[i + k] == '=' ? 0 : b64val(in[i + k]);
		if (v[0] < 0 || v[1] < 0 || v[2] < 0 || v[3] < 0 ||
		    o + 3 >= outlen)
			return (-1);
		out[o++] = (char)((v[0] << 2) | (v[1] >> 4));
		if (in[i + 2] != '=')
			out[o++] = (char)(((v[1] & 15) << 4) | (v[2] >> 2));
		if (in[i + 3] != '=')
			out[o++] = (char)(((v[2] & 3) << 6) | v[3]);
	}
	out[o] = '\0';

	return ((int)o);
}

/* Strict UTF-8, as a mail program decoding one word alone would need. */
static int
utf8_ok(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	int			n, i;

	while (*p != '\0') {
		if (*p < 0x80)
			n = 1;
		else if (*p >= 0xc2 && *p <= 0xdf)
			n = 2;
		else if (*p >= 0xe0 && *p <= 0xef)
			n = 3;
		else if (*p >= 0xf0 && *p <= 0xf4)
			n = 4;
		else
			return (0);
		for (i = 1; i < n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return (0);
		}
		p += n;
	}

	return (1);
}

/*
 * The value of header name in msg, unfolded, with its encoded words
 * decoded; each word must be whole UTF-8 by itself.
 */
static char *
header(const char *msg, const char *name)
{
	char		key[64], *out, word[256];
	const char	*p, *end, *q, *e;
	size_t		o;
	int		n, prev_word;

	(void)snprintf(key, sizeof(key), "\r\n%s: ", name);
	if (strncmp(msg, key + 2, strlen(key + 2)) == 0)
		p = msg + strlen(key + 2);
	else if ((p = strstr(msg, key)) != NULL)
		p += strlen(key);
	else
		return (NULL);
	/* The end: a CRLF not followed by a space. */
	for (end = p; (end = strstr(end, "\r\n")) != NULL && end[2] == ' ';
	    end += 2)
		;
	out = calloc(1, 4096);
	o = 0;
	prev_word = 0;
	for (q = p; q < end;) {
		if (*q == '\r' || *q == '\n' || *q == ' ') {
			while (q < end && (*q == '\r' || *q == '\n' ||
			    *q == ' '))
				q++;
			/* Whitespace between two encoded words is dropped. */
			if (o > 0 && !(prev_word &&
			    strncmp(q, "=?UTF-8?B?", 10) == 0))
				out[o++] = ' ';
			continue;
		}
		if (strncmp(q, "=?UTF-8?B?", 10) == 0 &&
		    (e = strstr(q + 10, "?=")) != NULL && e < end) {
			n = unbase64(q + 10, (size_t)(e - q - 10), word,
			    sizeof(word));
			assert_true(n >= 0);
			assert_true(utf8_ok(word));
			/* A word is at most 75 characters (RFC 2047). */
			assert_true(e + 2 - q <= 75);
			memcpy(out + o, word, (size_t)n);
			o += (size_t)n;
			q = e + 2;
			prev_word = 1;
			continue;
		}
		out[o++] = *q++;
		prev_word = 0;
	}
	out[o] = '\0';

	return (out);
}

/* The decoded body of msg (after the blank line). */
static char *
body(const char *msg)
{
	const char	*p, *q;
	char		*b64, *out;
	size_t		o;

	assert_non_null(p = strstr(msg, "\r\n\r\n"));
	p += 4;
	b64 = calloc(1, strlen(p) + 1);
	for (o = 0, q = p; *q != '\0'; q++) {
		if (*q != '\r' && *q != '\n')
			b64[o++] = *q;
	}
	out = calloc(1, o + 1);
	assert_true(unbase64(b64, o, out, o + 1) >= 0);
	free(b64);

	return (out);
}

static void
assert_lines_short_and_crlf(const char *msg, size_t len)
{
	size_t		i, col;

	col = 0;
	for (i = 0; i < len; i++) {
		/* Every line ends in CRLF, and every byte is ASCII. */
		assert_true((unsigned char)msg[i] < 0x80);
		if (msg[i] == '\n') {
			assert_true(i > 0 && msg[i - 1] == '\r');
			col = 0;
			continue;
		}
		if (msg[i] == '\r') {
			assert_int_equal(msg[i + 1], '\n');
			continue;
		}
		col++;
		assert_true(col <= 78);
	}
}

/* ---------- mail.c ---------- */

static void
test_mail_addr_accepts_what_the_registry_accepts(void **state)
{
	assert_true(mail_addr_ok("a@b.vn"));
	assert_true(mail_addr_ok("nguyen.van-a+bc@syt.thanhhoa.gov.vn"));
	assert_true(mail_addr_ok("o'neil_1{x}@mail-1.example.com"));
}

static void
test_mail_addr_refuses_what_could_break_a_header(void **state)
{
	char	long_local[80];

	assert_false(mail_addr_ok(NULL));
	assert_false(mail_addr_ok(""));
	assert_false(mail_addr_ok("a"));
	assert_false(mail_addr_ok("a@b"));
	assert_false(mail_addr_ok("a@@b.vn"));
	assert_false(mail_addr_ok("a@b@c.vn"));
	assert_false(mail_addr_ok(".a@b.vn"));
	assert_false(mail_addr_ok("a.@b.vn"));
	assert_false(mail_addr_ok("a..b@c.vn"));
	assert_false(mail_addr_ok("a@-b.vn"));
	assert_false(mail_addr_ok("a@b-.vn"));
	assert_false(mail_addr_ok("a@b..vn"));
	assert_false(mail_addr_ok("a@b.v"));
	assert_false(mail_addr_ok("a@b.123"));
	assert_false(mail_addr_ok("a b@c.vn"));
	assert_false(mail_addr_ok("a@b.vn\r\nBcc: x@y.vn"));
	assert_false(mail_addr_ok("a@b.vn>"));
	assert_false(mail_addr_ok("<a@b.vn>"));
	assert_false(mail_addr_ok("\"a\"@b.vn"));
	assert_false(mail_addr_ok("ngu\xe1\xbb\x85n@b.vn"));
	memset(long_local, 'a', 65);
	(void)snprintf(long_local + 65, sizeof(long_local) - 65, "@b.vn");
	assert_false(mail_addr_ok(long_local));
}

static void
test_mail_date_is_in_ho_chi_minh(void **state)
{
	char	buf[64];

	mail_date(0, buf, sizeof(buf));
	assert_string_equal(buf, "Thu, 01 Jan 1970 07:00:00 +0700");
	/* 31/12/2023 23:59:59 UTC is already the new year in Việt Nam. */
	mail_date(1704067199, buf, sizeof(buf));
	assert_string_equal(buf, "Mon, 01 Jan 2024 06:59:59 +0700");
}

static void
test_mail_base64_matches_rfc4648_vectors(void **state)
{
	static const char *const in[] = { "", "f", "fo", "foo", "foob",
	    "fooba", "foobar" };
	static const char *const out[] = { "", "Zg==", "Zm8=", "Zm9v",
	    "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
	char	buf[16];
	size_t	i;

	for (i = 0; i < 7; i++) {
		assert_int_equal(mail_base64((const unsigned char *)in[i],
		    strlen(in[i]), buf, sizeof(buf)), strlen(out[i]));
		assert_string_equal(buf, out[i]);
	}
	/* No room for the NUL: nothing written, 0. */
	assert_int_equal(mail_base64((const unsigned char *)"foo", 3, buf,
	    4), 0);
}

static const char *const SUBJECT = "[Cổng báo cáo CĐS] Báo cáo Phụ lục 1 "
    "kỳ Tháng 5/2031 của Trung tâm Y tế huyện Quan Sơn bị trả lại";
static const char *const BODY = "Kính gửi Nguyễn Thị Hồng,\n\n"
    "Lý do:\nSố đơn thuốc điện tử chưa khớp.\n.\n"
    "Dòng bắt đầu bằng dấu chấm ở trên.\n";

static void
msg_init(struct mail_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->from_name = "Sở Y tế Thanh Hóa";
	m->from_addr = "noreply@syt.thanhhoa.gov.vn";
	m->reply_to = "vanphong@syt.thanhhoa.gov.vn";
	m->to_name = "Nguyễn Thị Hồng";
	m->to_addr = "hong.nt@ttyt-quanson.vn";
	m->subject = SUBJECT;
	m->body = BODY;
	m->message_id = "notice-42.1939000000@syt.thanhhoa.gov.vn";
	m->date = 1939000000;
}

static void
test_mail_message_round_trips_vietnamese_headers_and_body(void **state)
{
	struct mail_msg	m;
	char		*msg, *h, *b, date[64];
	size_t		len;

	msg_init(&m);
	assert_int_equal(mail_message(&m, &msg, &len), MAIL_OK);
	assert_int_equal(strlen(msg), len);
	assert_lines_short_and_crlf(msg, len);

	assert_non_null(h = header(msg, "Subject"));
	assert_string_equal(h, SUBJECT);
	free(h);
	assert_non_null(h = header(msg, "From"));
	assert_string_equal(h, "Sở Y tế Thanh Hóa <noreply@syt.thanhhoa.gov.vn>");
	free(h);
	assert_non_null(h = header(msg, "To"));
	assert_string_equal(h, "Nguyễn Thị Hồng <hong.nt@ttyt-quanson.vn>");
	free(h);
	assert_non_null(h = header(msg, "Reply-To"));
	assert_string_equal(h, "<vanphong@syt.thanhhoa.gov.vn>");
	free(h);
	assert_non_null(h = header(msg, "Message-ID"));
	assert_string_equal(h, "<notice-42.1939000000@syt.thanhhoa.gov.vn>");
	free(h);
	mail_date(m.date, date, sizeof(date));
	assert_non_null(h = header(msg, "Date"));
	assert_string_equal(h, date);
	free(h);
	assert_non_null(h = header(msg, "Content-Type"));
	assert_string_equal(h, "text/plain; charset=UTF-8");
	free(h);
	assert_non_null(h = header(msg, "Content-Transfer-Encoding"));
	assert_string_equal(h, "base64");
	free(h);
	assert_non_null(h = header(msg, "MIME-Version"));
	assert_string_equal(h, "1.0");
	free(h);
	assert_non_null(h = header(msg, "Auto-Submitted"));
	free(h);

	/* The body in canonical form: every \n became CRLF. */
	b = body(msg);
	assert_string_equal(b, "Kính gửi Nguyễn Thị Hồng,\r\n\r\n"
	    "Lý do:\r\nSố đơn thuốc điện tử chưa khớp.\r\n.\r\n"
	    "Dòng bắt đầu bằng dấu chấm ở trên.\r\n");
	free(b);
	free(msg);
}

static void
test_mail_message_long_subject_never_cuts_a_letter(void **state)
{
	struct mail_msg	m;
	char		subject[2048], *msg, *h;
	size_t		len, i;

	subject[0] = '\0';
	for (i = 0; i < 40; i++)
		strcat(subject, "Đề án 06 ");
	strcat(subject, "xong");
	msg_init(&m);
	m.subject = subject;
	m.to_name = "";
	m.reply_to = NULL;
	assert_int_equal(mail_message(&m, &msg, &len), MAIL_OK);
	assert_lines_short_and_crlf(msg, len);
	/* header() checks each word decodes to whole letters alone. */
	assert_non_null(h = header(msg, "Subject"));
	assert_string_equal(h, subject);
	free(h);
	/* No name: the address alone, and no Reply-To. */
	assert_non_null(h = header(msg, "To"));
	assert_string_equal(h, "<hong.nt@ttyt-quanson.vn>");
	free(h);
	assert_null(header(msg, "Reply-To"));
	free(msg);
}

static void
test_mail_message_refuses_header_injection_and_broken_text(void **state)
{
	struct mail_msg	m;
	char		*msg;
	size_t		len;

	msg_init(&m);
	m.to_addr = "a@b.vn\r\nBcc: everyone@example.com";
	assert_int_equal(mail_message(&m, &msg, &len), MAIL_BAD_TO);
	assert_null(msg);
	assert_int_equal(len, 0);

	msg_init(&m);
	m.to_addr = "";
	assert_int_equal(mail_message(&m, &msg, &len), MAIL_BAD_TO);

	msg_init(&m);
	m.subject = "Trả lại\r\nBcc: everyone@example.com";
	assert_int_equal(mail_message(&m, &msg, &len), MAIL_BAD_TEXT);

	msg_init(&m);
	m.to_name = "Hồng\nBcc: x@y.vn";
	assert_int_equal(mail_message(&m, &msg, &len), MAIL_BAD_TEXT);

	msg_init(&m);
	m.subject = "c\xc3\x28";		/* a cut sequence */
	assert_int_equal(mail_message(&m, &msg, &len), MAIL_BAD_TEXT);

	msg_init(&m);
	m.body = "overlong \xc0\xaf slash";
	assert_int_equal(mail_message(&m, &msg, &len), MAIL_BAD_TEXT);

	msg_init(&m);
	m.body = "a surrogate \xed\xa0\x80";
	assert_int_equal(mail_message(&m, &msg, &len), MAIL_BAD_TEXT);

	msg_init(&m);
	m.from_addr = "noreply";
	assert_int_equal(mail_message(&m, &msg, &len), MAIL_BAD_FROM);

	msg_init(&m);
	m.reply_to = "vp@";
	assert_int_equal(mail_message(&m, &msg, &len), MAIL_BAD_FROM);

	msg_init(&m);
	m.message_id = "a b@c";
	assert_int_equal(mail_message(&m, &msg, &len), MAIL_BAD_ID);
	m.message_id = "no-at-sign";
	assert_int_equal(mail_message(&m, &msg, &len), MAIL_BAD_ID);
}

static const char *const GOOD_CONF =
    "# The Department's server\n"
    "url = smtp://mail.syt.thanhhoa.gov.vn:587\n"
    "resolve = mail.syt.thanhhoa.gov.vn:587:10.0.0.25\n"
    "starttls = yes\n"
    "username = portal\n"
    "password_file = /etc/portal/smtp password\n"
    "from = noreply@syt.thanhhoa.gov.vn\n"
    "from_name = Cổng báo cáo — Sở Y tế Thanh Hóa\n"
    "portal_url = https://baocao.syt.thanhhoa.gov.vn\n"
    "office = vp@syt.thanhhoa.gov.vn, cds@syt.thanhhoa.gov.vn,\n"
    "\n"
    "remind_days = 5, 2, 0\n"
    "digest_hour = 8\r\n"
    "interval = 5\n"
    "attempts = 4\n";

static void
test_mail_conf_reads_every_key(void **state)
{
	struct mail_conf	c;
	char			err[128];

	mail_conf_defaults(&c);
	assert_int_equal(mail_conf_parse(&c, GOOD_CONF, err, sizeof(err)), 0);
	assert_string_equal(c.url, "smtp://mail.syt.thanhhoa.gov.vn:587");
	assert_string_equal(c.resolve,
	    "mail.syt.thanhhoa.gov.vn:587:10.0.0.25");
	assert_int_equal(c.starttls, 1);
	assert_string_equal(c.password_file, "/etc/portal/smtp password");
	assert_string_equal(c.from_name, "Cổng báo cáo — Sở Y tế Thanh Hóa");
	assert_int_equal(c.noffice, 2);
	assert_string_equal(c.office[1], "cds@syt.thanhhoa.gov.vn");
	assert_int_equal(c.nremind, 3);
	assert_int_equal(c.remind_days[0], 5);
	assert_int_equal(c.remind_days[2], 0);
	assert_int_equal(c.digest_hour, 8);
	assert_int_equal(c.interval, 5);
	assert_int_equal(c.attempts, 4);
	/* Not given: the defaults, and the domain of the sender. */
	assert_int_equal(c.batch, 20);
	assert_int_equal(c.timeout, 60);
	assert_string_equal(c.id_domain, "syt.thanhhoa.gov.vn");
}

static void
assert_conf_refused(const char *text, const char *why)
{
	struct mail_conf	c;
	char			err[128];

	mail_conf_defaults(&c);
	err[0] = '\0';
	assert_int_equal(mail_conf_parse(&c, text, err, sizeof(err)), -1);
	if (strstr(err, why) == NULL)
		fail_msg("'%s' said '%s', not '%s'", text, err, why);
}

static void
test_mail_conf_refuses_bad_lines_naming_them(void **state)
{
	assert_conf_refused("# ok\nurl smtp://x\n", "line 2: not key");
	assert_conf_refused("smtp_url = smtp://1.2.3.4\n",
	    "unknown key 'smtp_url'");
	assert_conf_refused("url = http://1.2.3.4\n", "bad value for 'url'");
	assert_conf_refused("url = smtp://\n", "bad value for 'url'");
	assert_conf_refused("url = smtp://a b\n", "bad value for 'url'");
	assert_conf_refused("starttls = maybe\n", "'starttls'");
	assert_conf_refused("from = noreply\n", "'from'");
	assert_conf_refused("office = vp@syt.vn, not-an-address\n", "'office'");
	assert_conf_refused("remind_days = 3, 3\n", "'remind_days'");
	assert_conf_refused("remind_days = 3, -1\n", "'remind_days'");
	assert_conf_refused("remind_days = 61\n", "'remind_days'");
	assert_conf_refused("digest_hour = 24\n", "'digest_hour'");
	assert_conf_refused("interval = 0\n", "'interval'");
	assert_conf_refused("batch = 10x\n", "'batch'");
	assert_conf_refused("timeout = 99999999999999999999\n", "'timeout'");
	assert_conf_refused("portal_url = ftp://x\n", "'portal_url'");
	assert_conf_refused("reply_to = vp@\n", "'reply_to'");
	assert_conf_refused("from_name = a\x01z\n", "'from_name'");
	assert_conf_refused("message_id_domain = a b\n", "'message_id_domain'");
	assert_conf_refused("url = smtp://10.0.0.25:587\n",
	    "needs 'from' and 'portal_url'");
	assert_conf_refused("retry_base = 600\nretry_max = 60\n",
	    "retry_max is below");
}

static void
test_mail_conf_without_url_sends_nothing_and_needs_nothing(void **state)
{
	struct mail_conf	c;
	char			err[128];

	mail_conf_defaults(&c);
	assert_int_equal(mail_conf_parse(&c, "# nothing yet\noffice =\n", err,
	    sizeof(err)), 0);
	assert_string_equal(c.url, "");
	assert_int_equal(c.noffice, 0);
	assert_int_equal(c.nremind, 3);
}

/* The file shipped in conf/ parses, and sends nothing until told. */
static void
test_mail_conf_shipped_in_conf_is_valid(void **state)
{
	struct mail_conf	c;
	FILE			*fp;
	char			text[16384], err[128];
	size_t			n;

	assert_non_null(fp = fopen("conf/mail.conf", "r"));
	n = fread(text, 1, sizeof(text) - 1, fp);
	fclose(fp);
	text[n] = '\0';
	mail_conf_defaults(&c);
	if (mail_conf_parse(&c, text, err, sizeof(err)) != 0)
		fail_msg("conf/mail.conf: %s", err);
	assert_string_equal(c.url, "");
	assert_int_equal(c.starttls, 1);
}

/* ---------- mail_text.c ---------- */

static const char *
label_stub(void *arg, const char *form, const char *code)
{
	if (!strcmp(form, "PL1") && !strcmp(code, "erx.total"))
		return ("Tổng số đơn thuốc");

	return (NULL);
}

static json_t *
review_data(void)
{
	json_t		*d;

	d = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}}",
	    "unit", "TTYT-QS", "unit_name", "Trung tâm Y tế huyện Quan Sơn",
	    "period", "2031-05", "period_name", "Tháng 5/2031",
	    "deadline", "2031-05-15", "form", "PL1",
	    "contact", "Nguyễn Thị Hồng",
	    "reason", "Số liệu chưa khớp sổ sách.",
	    "items", "erx.total", "Chưa khớp sổ kê đơn.",
	    "cccd.visits", "Thiếu số lượt khám.");
	assert_non_null(d);

	return (d);
}

static void
test_mail_render_returned_carries_reason_remarks_and_link(void **state)
{
	struct mail_text	t;
	json_t			*d;

	d = review_data();
	assert_int_equal(mail_render("returned", d, "https://bc.vn",
	    label_stub, NULL, &t), 0);
	assert_string_equal(t.subject, "[Cổng báo cáo CĐS] Báo cáo Phụ lục 1 "
	    "kỳ Tháng 5/2031 của Trung tâm Y tế huyện Quan Sơn bị trả lại");
	assert_non_null(strstr(t.body, "Kính gửi Nguyễn Thị Hồng,\n"));
	assert_non_null(strstr(t.body, "Lý do:\nSố liệu chưa khớp sổ sách.\n"));
	/* Every remark, with the item's name when the form knows it. */
	assert_non_null(strstr(t.body, "- Tổng số đơn thuốc (erx.total): "
	    "Chưa khớp sổ kê đơn.\n"));
	assert_non_null(strstr(t.body, "- cccd.visits: Thiếu số lượt khám.\n"));
	assert_non_null(strstr(t.body, "hết ngày 15/05/2031"));
	assert_non_null(strstr(t.body, "https://bc.vn/report?unit=TTYT-QS&"
	    "period=2031-05&form=PL1"));
	mail_text_free(&t);
	json_decref(d);
}

static void
test_mail_render_accepted_and_reopened_say_what_happened(void **state)
{
	struct mail_text	t;
	json_t			*d;

	d = review_data();
	assert_int_equal(mail_render("accepted", d, "https://bc.vn", NULL,
	    NULL, &t), 0);
	assert_non_null(strstr(t.subject, "đã được duyệt"));
	assert_non_null(strstr(t.body, "đã duyệt báo cáo Phụ lục 1"));
	/* Accepting has no reason to tell. */
	assert_null(strstr(t.body, "Lý do:"));
	mail_text_free(&t);

	assert_int_equal(mail_render("reopened", d, "https://bc.vn", NULL,
	    NULL, &t), 0);
	assert_non_null(strstr(t.subject, "được mở lại để sửa"));
	assert_non_null(strstr(t.body, "Lý do:\nSố liệu chưa khớp sổ sách."));
	assert_non_null(strstr(t.body, "- erx.total: Chưa khớp sổ kê đơn."));
	mail_text_free(&t);
	json_decref(d);
}

static void
test_mail_render_reminder_before_and_on_the_deadline(void **state)
{
	struct mail_text	t;
	json_t			*d;

	d = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:[s,s], s:s, s:s}",
	    "unit", "BV-A", "unit_name", "Bệnh viện A", "period", "2031-H1",
	    "period_name", "6 tháng đầu năm 2031", "deadline", "2031-06-15",
	    "days_left", 3, "forms", "PL1", "PL2", "contact", "",
	    "form", "PL1");
	assert_int_equal(mail_render("reminder", d, "https://bc.vn", NULL,
	    NULL, &t), 0);
	assert_string_equal(t.subject, "[Cổng báo cáo CĐS] Còn 3 ngày đến hạn "
	    "nộp báo cáo kỳ 6 tháng đầu năm 2031 (15/06/2031) — Bệnh viện A");
	/* No name for the focal point: the unit's. */
	assert_non_null(strstr(t.body, "Kính gửi cán bộ đầu mối của Bệnh viện "
	    "A,"));
	assert_non_null(strstr(t.body, "- Phụ lục 2: https://bc.vn/report?"
	    "unit=BV-A&period=2031-H1&form=PL2\n"));
	assert_non_null(strstr(t.body, "https://bc.vn/contacts"));
	mail_text_free(&t);

	json_object_set_new(d, "days_left", json_integer(0));
	assert_int_equal(mail_render("reminder", d, "https://bc.vn", NULL,
	    NULL, &t), 0);
	assert_non_null(strstr(t.subject, "Hôm nay (15/06/2031) là hạn nộp"));
	assert_non_null(strstr(t.body, "Hôm nay, 15/06/2031, là hạn cuối"));
	mail_text_free(&t);
	json_decref(d);
}

static void
test_mail_render_digest_lists_contacts_and_counts_the_rest(void **state)
{
	struct mail_text	t;
	json_t			*d, *late;
	char			*subject;

	late = json_pack("[{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}},"
	    "{s:s, s:s, s:s, s:s, s:s, s:s}]",
	    "unit", "PK-1", "unit_name", "Phòng khám Một",
	    "district_name", "Quan Sơn", "period_name", "Tháng 4/2031",
	    "deadline", "2031-04-15", "form", "PL1",
	    "contact", "name", "Lê Văn Bình", "phone", "0912000111",
	    "email", "binh@pk1.vn",
	    "unit", "PK-2", "unit_name", "Phòng khám Hai",
	    "district_name", "Mường Lát", "period_name", "Tháng 4/2031",
	    "deadline", "2031-04-15", "form", "PL1");
	d = json_pack("{s:s, s:i, s:i, s:o, s:[]}", "day", "2031-05-02",
	    "late_total", 5, "returned_total", 0, "late", late, "returned");
	assert_int_equal(mail_render("late_digest", d, "https://bc.vn", NULL,
	    NULL, &t), 0);
	assert_string_equal(t.subject, "[Cổng báo cáo CĐS] Tổng hợp ngày "
	    "02/05/2031: 5 báo cáo quá hạn chưa nộp, 0 báo cáo trả lại chưa "
	    "nộp lại");
	assert_non_null(strstr(t.body, "- Phòng khám Một (PK-1), Quan Sơn: "
	    "Phụ lục 1 kỳ Tháng 4/2031, hạn 15/04/2031. Đầu mối: Lê Văn Bình, "
	    "0912000111, binh@pk1.vn\n"));
	assert_non_null(strstr(t.body, "Đầu mối: chưa có đầu mối\n"));
	/* Five late, two spelled out: three more counted. */
	assert_non_null(strstr(t.body, "- … và 3 báo cáo khác"));
	assert_non_null(strstr(t.body, "Báo cáo bị trả lại, đơn vị chưa nộp "
	    "lại (0):\n- Không có.\n"));
	subject = mail_subject("late_digest", d);
	assert_string_equal(subject, t.subject);
	free(subject);
	mail_text_free(&t);
	json_decref(d);
}

static void
test_mail_render_refuses_unknown_kinds_and_data(void **state)
{
	struct mail_text	t;
	json_t			*d;

	d = review_data();
	assert_int_equal(mail_render("spam", d, "", NULL, NULL, &t), -1);
	assert_null(t.subject);
	assert_null(mail_subject("spam", d));
	assert_null(mail_subject(NULL, d));
	json_decref(d);
	d = json_string("not an object");
	assert_int_equal(mail_render("returned", d, "", NULL, NULL, &t), -1);
	assert_null(mail_subject("returned", d));
	json_decref(d);
	assert_null(mail_kind_ok("Returned"));
	assert_non_null(mail_kind_ok("late_digest"));
}

static void
test_mail_fill_and_error_texts(void **state)
{
	const char	*vars[] = { "a", "một", "b", "{a}", NULL };
	char		*s;

	s = mail_fill("{a}-{b}-{c}-{", vars);
	/* Known names filled once (a value is not filled again). */
	assert_string_equal(s, "một-{a}-{c}-{");
	free(s);
	assert_non_null(strstr(mail_error_text("no_address"), "chưa có email"));
	assert_string_equal(mail_error_text("whatever"),
	    mail_error_text("other"));
	assert_string_equal(mail_error_text(NULL), mail_error_text("other"));
}

static void
test_mail_error_says_whether_it_is_tried_again(void **state)
{
	char	*s;

	s = mail_error_describe("connect", "Couldn't connect", "queued", 2);
	assert_string_equal(s, "Không kết nối được máy chủ thư. Cổng sẽ gửi "
	    "lại. (Couldn't connect)");
	free(s);
	s = mail_error_describe("connect", "", "failed", 5);
	assert_string_equal(s, "Không kết nối được máy chủ thư. Đã thử 5 lần; "
	    "cổng không gửi lại thư này nữa.");
	free(s);
	/* Refused at once, or never tried (no address): no count. */
	s = mail_error_describe("rejected", "RCPT failed; SMTP 550", "failed",
	    1);
	assert_string_equal(s, "Máy chủ thư từ chối thư này (địa chỉ người "
	    "nhận hoặc nội dung). (RCPT failed; SMTP 550)");
	free(s);
	s = mail_error_describe("no_address", NULL, "failed", 0);
	assert_non_null(strstr(s, "chưa có email"));
	assert_null(strstr(s, "Đã thử"));
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mail_addr_accepts_what_the_registry_accepts),
		cmocka_unit_test(test_mail_addr_refuses_what_could_break_a_header),
		cmocka_unit_test(test_mail_date_is_in_ho_chi_minh),
		cmocka_unit_test(test_mail_base64_matches_rfc4648_vectors),
		cmocka_unit_test(test_mail_message_round_trips_vietnamese_headers_and_body),
		cmocka_unit_test(test_mail_message_long_subject_never_cuts_a_letter),
		cmocka_unit_test(test_mail_message_refuses_header_injection_and_broken_text),
		cmocka_unit_test(test_mail_conf_reads_every_key),
		cmocka_unit_test(test_mail_conf_refuses_bad_lines_naming_them),
		cmocka_unit_test(test_mail_conf_without_url_sends_nothing_and_needs_nothing),
		cmocka_unit_test(test_mail_conf_shipped_in_conf_is_valid),
		cmocka_unit_test(test_mail_render_returned_carries_reason_remarks_and_link),
		cmocka_unit_test(test_mail_render_accepted_and_reopened_say_what_happened),
		cmocka_unit_test(test_mail_render_reminder_before_and_on_the_deadline),
		cmocka_unit_test(test_mail_render_digest_lists_contacts_and_counts_the_rest),
		cmocka_unit_test(test_mail_render_refuses_unknown_kinds_and_data),
		cmocka_unit_test(test_mail_fill_and_error_texts),
		cmocka_unit_test(test_mail_error_says_whether_it_is_tried_again),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
