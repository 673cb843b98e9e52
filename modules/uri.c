/*
 * Percent-decoding and strict UTF-8 for what arrives in a request line.
 * Everything the portal reads from a path segment or a query argument
 * passes here first, so that no handler sees bytes PostgreSQL would
 * refuse (a 500) or a value cut short that would read as "no filter".
 */
#include <stdint.h>
#include <string.h>

#include "uri.h"

/* Longest argument name compared; the portal's are short words. */
#define URI_NAME_MAX	32

/* The state of a UTF-8 sequence being read, one byte at a time. */
struct uri_utf8 {
	int		need;		/* continuation bytes still due */
	unsigned char	lo, hi;		/* range of the next one */
	uint32_t	cp;
};

static int	uri_hex(int);
static int	uri_byte(const char **, const char *, int);
static int	uri_utf8_step(struct uri_utf8 *, unsigned char);
static int	uri_control(uint32_t);

int
uri_decode(const char *src, size_t len, int plus, char *dst, size_t dstlen)
{
	struct uri_utf8	u;
	const char	*p, *end;
	size_t		o;
	int		b;

	if (dst != NULL && dstlen > 0)
		dst[0] = '\0';
	if (dst != NULL && dstlen == 0)
		return (URI_TOO_LONG);
	if (len > URI_INPUT_MAX)
		return (URI_TOO_LONG);

	memset(&u, 0, sizeof(u));
	p = src;
	end = src + len;
	o = 0;
	while (p < end) {
		if ((b = uri_byte(&p, end, plus)) == -1 ||
		    uri_utf8_step(&u, (unsigned char)b) == -1)
			goto malformed;
		if (dst == NULL) {
			o++;
			continue;
		}
		if (o + 1 >= dstlen) {
			dst[0] = '\0';
			return (URI_TOO_LONG);
		}
		dst[o++] = (char)b;
	}
	if (u.need != 0)
		goto malformed;
	if (dst != NULL)
		dst[o] = '\0';

	return ((int)o);

malformed:
	if (dst != NULL)
		dst[0] = '\0';

	return (URI_MALFORMED);
}

int
uri_qs_get(const char *qs, const char *name, char *buf, size_t len,
    int *why)
{
	const char	*p, *amp, *eq, *v;
	char		key[URI_NAME_MAX + 1];
	int		found, r, bad;

	if (len > 0)
		buf[0] = '\0';
	*why = 0;
	if (qs == NULL)
		return (0);

	found = 0;
	bad = 0;
	for (p = qs; *p != '\0'; p = (*amp == '&') ? amp + 1 : amp) {
		if ((amp = strchr(p, '&')) == NULL)
			amp = p + strlen(p);
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		/* A key that does not decode is nobody's name. */
		if (uri_decode(p, (size_t)(eq - p), 1, key, sizeof(key)) < 0 ||
		    strcmp(key, name) != 0)
			continue;
		if (found++) {
			if (len > 0)
				buf[0] = '\0';
			*why = URI_REPEATED;
			return (-1);
		}
		v = (eq < amp) ? eq + 1 : amp;
		if ((r = uri_decode(v, (size_t)(amp - v), 1, buf, len)) < 0)
			bad = r;
	}
	if (bad != 0) {
		*why = bad;
		return (-1);
	}

	return (found);
}

const char *
uri_problem(int why)
{
	switch (why) {
	case URI_TOO_LONG:
		return ("too_long");
	case URI_REPEATED:
		return ("repeated");
	default:
		return ("malformed");
	}
}

static int
uri_hex(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);

	return (-1);
}

/* The next decoded byte, or -1 for a '%' not followed by two hex digits. */
static int
uri_byte(const char **pp, const char *end, int plus)
{
	const char	*p = *pp;
	int		hi, lo;

	if (*p == '%') {
		if (end - p < 3 || (hi = uri_hex(p[1])) == -1 ||
		    (lo = uri_hex(p[2])) == -1)
			return (-1);
		*pp = p + 3;
		return (hi * 16 + lo);
	}
	*pp = p + 1;
	if (*p == '+' && plus)
		return (' ');

	return ((unsigned char)*p);
}

/*
 * Feed one byte; -1 when the text can not be UTF-8 (the well-formed
 * sequences of Unicode's table 3-7) or a character is a control.
 */
static int
uri_utf8_step(struct uri_utf8 *u, unsigned char b)
{
	if (u->need > 0) {
		if (b < u->lo || b > u->hi)
			return (-1);
		u->cp = (u->cp << 6) | (b & 0x3f);
		u->lo = 0x80;
		u->hi = 0xbf;
		if (--u->need > 0)
			return (0);
		return (uri_control(u->cp) ? -1 : 0);
	}

	u->lo = 0x80;
	u->hi = 0xbf;
	if (b < 0x80) {
		u->cp = b;
		return (uri_control(u->cp) ? -1 : 0);
	} else if (b >= 0xc2 && b <= 0xdf) {
		u->need = 1;
		u->cp = b & 0x1f;
	} else if (b >= 0xe0 && b <= 0xef) {
		u->need = 2;
		u->cp = b & 0x0f;
		if (b == 0xe0)
			u->lo = 0xa0;	/* overlong below U+0800 */
		else if (b == 0xed)
			u->hi = 0x9f;	/* surrogates */
	} else if (b >= 0xf0 && b <= 0xf4) {
		u->need = 3;
		u->cp = b & 0x07;
		if (b == 0xf0)
			u->lo = 0x90;	/* overlong below U+10000 */
		else if (b == 0xf4)
			u->hi = 0x8f;	/* above U+10FFFF */
	} else {
		/* A lone continuation byte, C0/C1 (overlong), F5-FF. */
		return (-1);
	}

	return (0);
}

/* NUL and the other C0 controls, DEL, and the C1 controls. */
static int
uri_control(uint32_t cp)
{
	return (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f));
}
