/*
 * libFuzzer target: the e-mail core (modules/mail.c, mail_text.c).
 *
 * The first byte picks what the rest is:
 *  0  conf/mail.conf text to mail_conf_parse(); a file it accepts holds
 *     only addresses that mail_addr_ok() accepts, at most the lists'
 *     sizes, numbers in their ranges, and a server only with a sender.
 *  1  up to four NUL-separated fields (recipient, name, subject, body)
 *     to mail_message(); a message built is ASCII only, every line ends
 *     in CRLF and is at most 78 characters in the headers (998 anywhere,
 *     and on a line with an address, which cannot be folded),
 *     the headers end in an empty line, every header line is one of the
 *     portal's or the fold of one (no text of ours starts a header), and
 *     the recipient is a checked address.
 *  2  a notice's facts (JSON) to mail_render() for every kind and to
 *     mail_subject(); what it renders builds a message (or is refused as
 *     text that is not UTF-8 without controls, never anything else).
 * Built by scripts/fuzz.sh.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_fail(const char *what, int line)
{
	fprintf(stderr, "fuzz_mail.c:%d: invariant broken: %s\n", line, what);
	abort();
}

#define REQUIRE(c)	do { if (!(c)) fuzz_fail(#c, __LINE__); } while (0)

static void
fuzz_conf(const char *text)
{
	struct mail_conf	c;
	char			err[128];
	size_t			i;

	mail_conf_defaults(&c);
	err[0] = '\0';
	if (mail_conf_parse(&c, text, err, sizeof(err)) != 0) {
		REQUIRE(err[0] != '\0');
		return;
	}
	REQUIRE(c.from_addr[0] == '\0' || mail_addr_ok(c.from_addr));
	REQUIRE(c.reply_to[0] == '\0' || mail_addr_ok(c.reply_to));
	REQUIRE(c.noffice <= MAIL_OFFICE_MAX && c.nremind <= MAIL_REMIND_MAX);
	for (i = 0; i < c.noffice; i++)
		REQUIRE(mail_addr_ok(c.office[i]));
	for (i = 0; i < c.nremind; i++)
		REQUIRE(c.remind_days[i] >= 0 && c.remind_days[i] <= 60);
	REQUIRE(c.digest_hour >= 0 && c.digest_hour <= 23);
	REQUIRE(c.interval >= 1 && c.batch >= 1 && c.attempts >= 1);
	REQUIRE(c.retry_base <= c.retry_max);
	REQUIRE(c.url[0] == '\0' || (c.from_addr[0] != '\0' &&
	    c.portal_url[0] != '\0'));
}

/* What every message built must be. */
static void
fuzz_check_message(const char *msg, size_t len, const char *to)
{
	static const char *const heads[] = { " ", "Date: ", "From: ",
	    "Reply-To: ", "To: ", "Subject: ", "Message-ID: ",
	    "MIME-Version: ", "Content-Type: ", "Content-Transfer-Encoding: ",
	    "Auto-Submitted: ", NULL };
	const char	*end, *p;
	size_t		i, col, h;
	int		addr;
	char		want[MAIL_ADDR_MAX + 3];

	REQUIRE(strlen(msg) == len);
	REQUIRE((end = strstr(msg, "\r\n\r\n")) != NULL);
	/*
	 * 78 a line in the headers, except a line with an address, which
	 * cannot be folded (an address may be 254 long): 998 there.
	 */
	col = 0;
	addr = 0;
	for (i = 0; i < len; i++) {
		REQUIRE((unsigned char)msg[i] < 0x80 && msg[i] != '\0');
		if (msg[i] == '\r') {
			REQUIRE(i + 1 < len && msg[i + 1] == '\n');
			continue;
		}
		if (msg[i] == '\n') {
			REQUIRE(i > 0 && msg[i - 1] == '\r');
			col = 0;
			addr = 0;
			continue;
		}
		if (msg[i] == '<')
			addr = 1;
		col++;
		REQUIRE(col <= (msg + i < end && !addr ? 78 : 998));
	}
	/* No text of ours starts a header: each line is one of ours, or
	 * the fold of one (a space first). */
	for (p = msg; p < end; p = strstr(p, "\r\n") + 2) {
		for (h = 0; heads[h] != NULL; h++) {
			if (!strncmp(p, heads[h], strlen(heads[h])))
				break;
		}
		REQUIRE(heads[h] != NULL);
	}
	REQUIRE(mail_addr_ok(to));
	(void)snprintf(want, sizeof(want), "<%s>", to);
	REQUIRE(strstr(msg, want) != NULL && strstr(msg, want) < end);
}

static void
fuzz_message(const char *f[4])
{
	struct mail_msg	m;
	char		*msg;
	size_t		len;

	memset(&m, 0, sizeof(m));
	m.from_name = "Sở Y tế Thanh Hóa";
	m.from_addr = "noreply@syt.thanhhoa.gov.vn";
	m.to_addr = f[0];
	m.to_name = f[1];
	m.subject = f[2];
	m.body = f[3];
	m.message_id = "notice-1.2@syt.thanhhoa.gov.vn";
	m.date = 1939000000;
	if (mail_message(&m, &msg, &len) != MAIL_OK) {
		REQUIRE(msg == NULL && len == 0);
		return;
	}
	fuzz_check_message(msg, len, f[0]);
	free(msg);
}

static void
fuzz_render(const char *text)
{
	static const char *const kinds[] = { "returned", "accepted",
	    "reopened", "reminder", "late_digest", "other" };
	struct mail_text	t;
	struct mail_msg		m;
	json_t			*d;
	char			*msg, *s;
	size_t			i, len;
	int			r;

	if ((d = json_loads(text, JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		s = mail_subject(kinds[i], d);
		if (mail_render(kinds[i], d, "https://bc.vn", NULL, NULL,
		    &t) != 0) {
			REQUIRE(t.subject == NULL && t.body == NULL);
			REQUIRE(s == NULL);
			continue;
		}
		REQUIRE(s != NULL && strcmp(s, t.subject) == 0);
		free(s);
		memset(&m, 0, sizeof(m));
		m.from_addr = "noreply@syt.thanhhoa.gov.vn";
		m.to_addr = "dm@donvi.vn";
		m.subject = t.subject;
		m.body = t.body;
		m.message_id = "notice-1.2@syt.thanhhoa.gov.vn";
		r = mail_message(&m, &msg, &len);
		REQUIRE(r == MAIL_OK || r == MAIL_BAD_TEXT);
		if (r == MAIL_OK) {
			fuzz_check_message(msg, len, m.to_addr);
			free(msg);
		}
		mail_text_free(&t);
	}
	json_decref(d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*text, *p;
	const char	*f[4];
	size_t		i, n;

	if (size == 0 || size > 64 * 1024)
		return (0);
	if ((text = malloc(size)) == NULL)
		return (0);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';

	switch (data[0] % 3) {
	case 0:
		fuzz_conf(text);
		break;
	case 1:
		for (i = 0; i < 4; i++)
			f[i] = "";
		p = text;
		for (i = 0, n = 0; i < 4 && p < text + size - 1; i++) {
			f[i] = p;
			n = strlen(p);
			p += n + 1;
		}
		fuzz_message(f);
		break;
	default:
		fuzz_render(text);
		break;
	}
	free(text);

	return (0);
}
