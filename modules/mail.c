/*
 * A notice as the bytes given to the mail server, and the sender's
 * configuration.  Pure C: cmocka tests call it directly.
 *
 * Every header that carries people's text (names, the subject) is made
 * of RFC 2047 encoded words, so a unit's name in Vietnamese reaches any
 * mail program intact and no text of ours can ever end a header line:
 * the only raw values in the headers are addresses, and those are
 * checked to be plain dot-atoms first.  The body is UTF-8 in base64,
 * in lines of 76, so no line is too long and none starts with a dot.
 */
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail.h"

/* At most 39 bytes per word: 52 of base64, a word of 64 characters. */
#define MAIL_WORD_BYTES		39
#define MAIL_B64_LINE		57	/* bytes per body line of 76 */
#define MAIL_ID_MAX		200

static const char	mail_b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int
mail_atext(int c)
{
	return (isalnum(c) || (c != '\0' && strchr("!#$%&'*+/=?^_`{|}~-",
	    c) != NULL));
}

/* One label of a domain: letters, digits, inner hyphens, 1-63. */
static int
mail_label_ok(const char *s, size_t len)
{
	size_t		i;

	if (len == 0 || len > 63 || s[0] == '-' || s[len - 1] == '-')
		return (0);
	for (i = 0; i < len; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return (0);
	}

	return (1);
}

/*
 * An address as the registry accepts it (unitcsv.c): a dot-atom of at
 * most 64 before the @, a domain of two labels or more ending in letters.
 * Nothing else is ever written into a header raw.
 */
int
mail_addr_ok(const char *a)
{
	const char	*at, *p, *dot;
	size_t		len, i;

	if (a == NULL || (len = strlen(a)) == 0 || len > MAIL_ADDR_MAX)
		return (0);
	if ((at = strchr(a, '@')) == NULL || strchr(at + 1, '@') != NULL)
		return (0);
	if (at == a || at - a > 64 || a[0] == '.' || at[-1] == '.')
		return (0);
	for (p = a; p < at; p++) {
		if (*p == '.' ? p[1] == '.' : !mail_atext((unsigned char)*p))
			return (0);
	}

	p = at + 1;
	if ((dot = strrchr(p, '.')) == NULL)
		return (0);
	while (p < dot) {
		const char	*end = strchr(p, '.');

		if (!mail_label_ok(p, (size_t)(end - p)))
			return (0);
		p = end + 1;
	}
	len = strlen(p);
	if (len < 2 || len > 63)
		return (0);
	for (i = 0; i < len; i++) {
		if (!isalpha((unsigned char)p[i]))
			return (0);
	}

	return (1);
}

/* RFC 5322 date in Asia/Ho_Chi_Minh, which keeps +0700 all year. */
void
mail_date(time_t t, char *buf, size_t len)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed",
	    "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm	tm;
	time_t		local;

	local = t + 7 * 3600;
	if (gmtime_r(&local, &tm) == NULL) {
		(void)snprintf(buf, len, "Thu, 01 Jan 1970 07:00:00 +0700");
		return;
	}
	(void)snprintf(buf, len, "%s, %02d %s %04d %02d:%02d:%02d +0700",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Base64 of len bytes into out (NUL-terminated); 0 when it does not fit. */
size_t
mail_base64(const unsigned char *in, size_t len, char *out, size_t outlen)
{
	size_t		i, o;
	unsigned int	v;

	if (len > (SIZE_MAX - 3) / 4 * 3 || (len + 2) / 3 * 4 >= outlen)
		return (0);

	for (i = 0, o = 0; i + 2 < len; i += 3) {
		v = (in[i] << 16) | (in[i + 1] << 8) | in[i + 2];
		out[o++] = mail_b64[(v >> 18) & 63];
		out[o++] = mail_b64[(v >> 12) & 63];
		out[o++] = mail_b64[(v >> 6) & 63];
		out[o++] = mail_b64[v & 63];
	}
	if (i < len) {
		v = in[i] << 16;
		if (i + 1 < len)
			v |= in[i + 1] << 8;
		out[o++] = mail_b64[(v >> 18) & 63];
		out[o++] = mail_b64[(v >> 12) & 63];
		out[o++] = i + 1 < len ? mail_b64[(v >> 6) & 63] : '=';
		out[o++] = '=';
	}
	out[o] = '\0';

	return (o);
}

/*
 * Strict UTF-8 without controls (a newline and a tab only where lines
 * is set): the length of the sequence at s, or 0 when it is not one.
 */
static size_t
mail_utf8_char(const unsigned char *s, int lines)
{
	unsigned int	c;
	size_t		n, i;

	if (s[0] < 0x80) {
		if (s[0] == 0x7f || (s[0] < 0x20 && !(lines &&
		    (s[0] == '\n' || s[0] == '\t' || s[0] == '\r'))))
			return (0);
		return (1);
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return (0);
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 ||
	    c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff) ||
	    (c >= 0x80 && c <= 0x9f))
		return (0);

	return (n);
}

static int
mail_text_ok(const char *s, int lines)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			n;

	while (*p != '\0') {
		if ((n = mail_utf8_char(p, lines)) == 0)
			return (0);
		p += n;
	}

	return (1);
}

/*
 * s as encoded words, each on a line of its own after the first
 * (folded with CRLF and a space); never a character cut in two.  The
 * length of the last line written.
 */
static size_t
mail_words(FILE *fp, const char *s, size_t col)
{
	const unsigned char	*p = (const unsigned char *)s;
	char			word[MAIL_WORD_BYTES * 2];
	size_t			len, n, step;
	int			first;

	first = 1;
	while (*p != '\0') {
		len = 0;
		while (p[len] != '\0') {
			step = mail_utf8_char(p + len, 0);
			if (step == 0 || len + step > MAIL_WORD_BYTES)
				break;
			len += step;
		}
		if (len == 0)
			break;
		n = mail_base64(p, len, word, sizeof(word));
		fprintf(fp, "%s=?UTF-8?B?%.*s?=", first ? "" : "\r\n ",
		    (int)n, word);
		col = (first ? col : 1) + n + 12;
		first = 0;
		p += len;
	}

	return (col);
}

static void
mail_mailbox(FILE *fp, const char *header, const char *name,
    const char *addr)
{
	size_t		col;

	fprintf(fp, "%s: ", header);
	if (name != NULL && *name != '\0') {
		col = mail_words(fp, name, strlen(header) + 2);
		/* The address on a line of its own when it would not fit. */
		fprintf(fp, "%s<%s>\r\n", col + strlen(addr) + 3 > 78 ?
		    "\r\n " : " ", addr);
	} else {
		fprintf(fp, "<%s>\r\n", addr);
	}
}

static int
mail_id_ok(const char *id)
{
	const char	*at;
	size_t		len;

	if (id == NULL || (len = strlen(id)) == 0 || len > MAIL_ID_MAX)
		return (0);
	if ((at = strchr(id, '@')) == NULL || at == id || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL)
		return (0);
	if (strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789.-_@") != len)
		return (0);

	return (1);
}

/* The body in canonical form (CRLF), in base64 lines of 76. */
static int
mail_body(FILE *fp, const char *body)
{
	unsigned char	*crlf;
	char		line[80];
	size_t		len, i, o;

	len = strlen(body);
	if (len > (SIZE_MAX - 1) / 2 || (crlf = malloc(len * 2 + 1)) == NULL)
		return (MAIL_NO_MEMORY);
	for (i = 0, o = 0; i < len; i++) {
		if (body[i] == '\r')
			continue;
		if (body[i] == '\n')
			crlf[o++] = '\r';
		crlf[o++] = (unsigned char)body[i];
	}
	for (i = 0; i < o; i += MAIL_B64_LINE) {
		(void)mail_base64(crlf + i, o - i < MAIL_B64_LINE ? o - i :
		    MAIL_B64_LINE, line, sizeof(line));
		fprintf(fp, "%s\r\n", line);
	}
	free(crlf);

	return (MAIL_OK);
}

/*
 * The whole message, CRLF line ends, in *out (malloc'd, to free) and its
 * length; MAIL_OK or why not.
 */
int
mail_message(const struct mail_msg *m, char **out, size_t *outlen)
{
	FILE		*fp;
	char		*buf, date[64];
	size_t		len;
	int		r;

	*out = NULL;
	*outlen = 0;
	if (!mail_addr_ok(m->to_addr))
		return (MAIL_BAD_TO);
	if (!mail_addr_ok(m->from_addr) || (m->reply_to != NULL &&
	    *m->reply_to != '\0' && !mail_addr_ok(m->reply_to)))
		return (MAIL_BAD_FROM);
	if (!mail_id_ok(m->message_id))
		return (MAIL_BAD_ID);
	if (m->subject == NULL || m->body == NULL ||
	    !mail_text_ok(m->subject, 0) || !mail_text_ok(m->body, 1) ||
	    (m->from_name != NULL && !mail_text_ok(m->from_name, 0)) ||
	    (m->to_name != NULL && !mail_text_ok(m->to_name, 0)))
		return (MAIL_BAD_TEXT);

	buf = NULL;
	len = 0;
	if ((fp = open_memstream(&buf, &len)) == NULL)
		return (MAIL_NO_MEMORY);
	mail_date(m->date, date, sizeof(date));
	fprintf(fp, "Date: %s\r\n", date);
	mail_mailbox(fp, "From", m->from_name, m->from_addr);
	if (m->reply_to != NULL && *m->reply_to != '\0')
		fprintf(fp, "Reply-To: <%s>\r\n", m->reply_to);
	mail_mailbox(fp, "To", m->to_name, m->to_addr);
	fprintf(fp, "Subject: ");
	(void)mail_words(fp, m->subject, 9);
	fprintf(fp, "\r\nMessage-ID: <%s>\r\n", m->message_id);
	fprintf(fp, "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n"
	    /* RFC 3834: no vacation replies to a robot. */
	    "Auto-Submitted: auto-generated\r\n"
	    "\r\n");
	r = mail_body(fp, m->body);
	if (fclose(fp) != 0 || r != MAIL_OK || buf == NULL) {
		free(buf);
		return (r != MAIL_OK ? r : MAIL_NO_MEMORY);
	}
	*out = buf;
	*outlen = len;

	return (MAIL_OK);
}

/* ---------- conf/mail.conf ---------- */

void
mail_conf_defaults(struct mail_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->starttls = 1;
	c->remind_days[0] = 3;
	c->remind_days[1] = 1;
	c->remind_days[2] = 0;
	c->nremind = 3;
	c->digest_hour = 7;
	c->interval = 10;
	c->batch = 20;
	c->attempts = 8;
	c->retry_base = 60;
	c->retry_max = 3600;
	c->connect_timeout = 10;
	c->timeout = 60;
}

static char *
mail_trim(char *s)
{
	char	*end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r'))
		*--end = '\0';

	return (s);
}

static int
mail_conf_str(char *dst, size_t len, const char *v, int spaces)
{
	const unsigned char	*p;

	if (strlen(v) >= len)
		return (-1);
	for (p = (const unsigned char *)v; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f || (!spaces && *p == ' '))
			return (-1);
	}
	(void)snprintf(dst, len, "%s", v);

	return (0);
}

static int
mail_conf_int(int *dst, const char *v, int min, int max)
{
	char	*end;
	long	n;

	if (*v == '\0' || strspn(v, "0123456789") != strlen(v))
		return (-1);
	n = strtol(v, &end, 10);
	if (*end != '\0' || n < min || n > max)
		return (-1);
	*dst = (int)n;

	return (0);
}

static int
mail_conf_bool(int *dst, const char *v)
{
	if (!strcmp(v, "yes") || !strcmp(v, "required"))
		*dst = 1;
	else if (!strcmp(v, "no"))
		*dst = 0;
	else
		return (-1);

	return (0);
}

/* "a@x.vn, b@y.vn": every one an address, at most MAIL_OFFICE_MAX. */
static int
mail_conf_office(struct mail_conf *c, const char *v)
{
	char	buf[MAIL_OFFICE_MAX * (MAIL_ADDR_MAX + 2)], *p, *a;

	c->noffice = 0;
	if (*v == '\0')
		return (0);
	if (strlen(v) >= sizeof(buf))
		return (-1);
	(void)snprintf(buf, sizeof(buf), "%s", v);
	for (p = buf; (a = strsep(&p, ",")) != NULL;) {
		a = mail_trim(a);
		if (*a == '\0' && p == NULL && c->noffice > 0)
			break;
		if (c->noffice == MAIL_OFFICE_MAX || !mail_addr_ok(a))
			return (-1);
		(void)snprintf(c->office[c->noffice++], MAIL_ADDR_MAX + 1,
		    "%s", a);
	}

	return (0);
}

/* "3, 1, 0": days before the deadline, each once, 0 the day itself. */
static int
mail_conf_days(struct mail_conf *c, const char *v)
{
	char	buf[128], *p, *d;
	size_t	i;
	int	n;

	if (strlen(v) >= sizeof(buf))
		return (-1);
	(void)snprintf(buf, sizeof(buf), "%s", v);
	c->nremind = 0;
	for (p = buf; (d = strsep(&p, ",")) != NULL;) {
		d = mail_trim(d);
		if (c->nremind == MAIL_REMIND_MAX ||
		    mail_conf_int(&n, d, 0, 60) == -1)
			return (-1);
		for (i = 0; i < c->nremind; i++) {
			if (c->remind_days[i] == n)
				return (-1);
		}
		c->remind_days[c->nremind++] = n;
	}

	return (0);
}

static int
mail_prefix(const char *s, const char *prefix)
{
	return (!strncmp(s, prefix, strlen(prefix)) &&
	    s[strlen(prefix)] != '\0');
}

static int
mail_conf_set(struct mail_conf *c, const char *k, const char *v)
{
	if (!strcmp(k, "url"))
		return (mail_conf_str(c->url, sizeof(c->url), v, 0) == -1 ||
		    (*v != '\0' && !mail_prefix(v, "smtp://") &&
		    !mail_prefix(v, "smtps://")) ? -1 : 0);
	if (!strcmp(k, "resolve"))
		return (mail_conf_str(c->resolve, sizeof(c->resolve), v, 0));
	if (!strcmp(k, "starttls"))
		return (mail_conf_bool(&c->starttls, v));
	if (!strcmp(k, "username"))
		return (mail_conf_str(c->username, sizeof(c->username), v, 0));
	if (!strcmp(k, "password_file"))
		return (mail_conf_str(c->password_file,
		    sizeof(c->password_file), v, 1));
	if (!strcmp(k, "cainfo"))
		return (mail_conf_str(c->cainfo, sizeof(c->cainfo), v, 1));
	if (!strcmp(k, "login_options"))
		return (mail_conf_str(c->login_options,
		    sizeof(c->login_options), v, 0));
	if (!strcmp(k, "from"))
		return (mail_addr_ok(v) ? mail_conf_str(c->from_addr,
		    sizeof(c->from_addr), v, 0) : -1);
	if (!strcmp(k, "from_name"))
		return (mail_text_ok(v, 0) ? mail_conf_str(c->from_name,
		    sizeof(c->from_name), v, 1) : -1);
	if (!strcmp(k, "reply_to"))
		return (*v == '\0' || mail_addr_ok(v) ? mail_conf_str(
		    c->reply_to, sizeof(c->reply_to), v, 0) : -1);
	if (!strcmp(k, "message_id_domain"))
		return (*v == '\0' || strspn(v, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") != strlen(v) ?
		    -1 : mail_conf_str(c->id_domain, sizeof(c->id_domain), v,
		    0));
	if (!strcmp(k, "portal_url"))
		return ((mail_prefix(v, "https://") ||
		    mail_prefix(v, "http://")) ? mail_conf_str(c->portal_url,
		    sizeof(c->portal_url), v, 0) : -1);
	if (!strcmp(k, "office"))
		return (mail_conf_office(c, v));
	if (!strcmp(k, "remind_days"))
		return (mail_conf_days(c, v));
	if (!strcmp(k, "digest_hour"))
		return (mail_conf_int(&c->digest_hour, v, 0, 23));
	if (!strcmp(k, "interval"))
		return (mail_conf_int(&c->interval, v, 1, 3600));
	if (!strcmp(k, "batch"))
		return (mail_conf_int(&c->batch, v, 1, 500));
	if (!strcmp(k, "attempts"))
		return (mail_conf_int(&c->attempts, v, 1, 50));
	if (!strcmp(k, "retry_base"))
		return (mail_conf_int(&c->retry_base, v, 1, 86400));
	if (!strcmp(k, "retry_max"))
		return (mail_conf_int(&c->retry_max, v, 1, 7 * 86400));
	if (!strcmp(k, "connect_timeout"))
		return (mail_conf_int(&c->connect_timeout, v, 1, 300));
	if (!strcmp(k, "timeout"))
		return (mail_conf_int(&c->timeout, v, 1, 600));

	return (-2);
}

/*
 * Lines of "key = value", '#' comments, blank lines.  0 when the whole
 * text is good, else -1 with the line and the problem in err.  A server
 * (url) needs a sender (from) and the portal's address (portal_url).
 */
int
mail_conf_parse(struct mail_conf *c, const char *text, char *err,
    size_t errlen)
{
	char	*copy, *p, *line, *eq, *k, *v, *at;
	int	n, r;

	if ((copy = strdup(text)) == NULL) {
		(void)snprintf(err, errlen, "out of memory");
		return (-1);
	}
	n = 0;
	r = 0;
	for (p = copy; r == 0 && (line = strsep(&p, "\n")) != NULL;) {
		n++;
		line = mail_trim(line);
		if (*line == '\0' || *line == '#')
			continue;
		if ((eq = strchr(line, '=')) == NULL) {
			(void)snprintf(err, errlen, "line %d: not key = value",
			    n);
			r = -1;
			break;
		}
		*eq = '\0';
		k = mail_trim(line);
		v = mail_trim(eq + 1);
		switch (mail_conf_set(c, k, v)) {
		case 0:
			break;
		case -2:
			(void)snprintf(err, errlen, "line %d: unknown key '%.40s'",
			    n, k);
			r = -1;
			break;
		default:
			(void)snprintf(err, errlen, "line %d: bad value for "
			    "'%.40s'", n, k);
			r = -1;
			break;
		}
	}
	free(copy);
	if (r != 0)
		return (r);

	if (c->url[0] != '\0' && (c->from_addr[0] == '\0' ||
	    c->portal_url[0] == '\0')) {
		(void)snprintf(err, errlen, "a server (url) needs 'from' and "
		    "'portal_url'");
		return (-1);
	}
	if (c->retry_max < c->retry_base) {
		(void)snprintf(err, errlen, "retry_max is below retry_base");
		return (-1);
	}
	if (c->id_domain[0] == '\0' && (at = strchr(c->from_addr, '@')) != NULL)
		(void)snprintf(c->id_domain, sizeof(c->id_domain), "%s", at + 1);

	return (0);
}
