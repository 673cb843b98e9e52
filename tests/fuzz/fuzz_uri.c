/*
 * libFuzzer target: the request-line reader (modules/uri.c), which every
 * path segment and query-string value passes before a handler sees it.
 *
 * The input is two bytes of settings and then the text: the first byte
 * gives the size of the output buffer (0-63), the second whether '+' is a
 * space and which argument name is asked for.  Checked:
 *  - uri_decode() answers a length or one of its two reasons; what it
 *    decodes is NUL-terminated within the buffer, of that length, valid
 *    UTF-8 by a second, independent reading (shortest form, no
 *    surrogate, at most U+10FFFF) without controls; the check-only call
 *    agrees; the decoded text encoded again as %XX decodes to itself.
 *  - uri_qs_get() answers 1, 0 or -1 with a reason; a value it answers
 *    passes the same checks; a name written twice literally is never
 *    answered; on -1 and 0 the buffer holds "".
 * Built by scripts/fuzz.sh.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uri.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_fail(const char *what, int line)
{
	fprintf(stderr, "fuzz_uri.c:%d: invariant broken: %s\n", line, what);
	abort();
}

#define REQUIRE(c)	do { if (!(c)) fuzz_fail(#c, __LINE__); } while (0)

static const char *const names[] = { "unit", "period", "a", "x y", "%" };

/* UTF-8 without controls, read another way than uri.c does. */
static int
text_ok(const unsigned char *s, size_t n)
{
	size_t		i, len, k;
	uint32_t	cp, min;

	for (i = 0; i < n; i += len) {
		if (s[i] < 0x80) {
			len = 1, cp = s[i], min = 0;
		} else if ((s[i] & 0xe0) == 0xc0) {
			len = 2, cp = s[i] & 0x1f, min = 0x80;
		} else if ((s[i] & 0xf0) == 0xe0) {
			len = 3, cp = s[i] & 0x0f, min = 0x800;
		} else if ((s[i] & 0xf8) == 0xf0) {
			len = 4, cp = s[i] & 0x07, min = 0x10000;
		} else {
			return (0);
		}
		if (i + len > n)
			return (0);
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return (0);
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return (0);
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
			return (0);
	}

	return (1);
}

/* A decoded value as a caller would find it in a buffer of len bytes. */
static void
check_value(const char *buf, size_t len, int n)
{
	REQUIRE(n >= 0 && (size_t)n < len);
	REQUIRE(buf[n] == '\0' && strlen(buf) == (size_t)n);
	REQUIRE(text_ok((const unsigned char *)buf, (size_t)n));
}

/* Every byte as %XX decodes to the same bytes, '+' or not. */
static void
check_round_trip(const char *buf, size_t n, int plus)
{
	char		*enc, *back;
	size_t		i;
	int		r;

	if ((enc = malloc(n * 3 + 1)) == NULL || (back = malloc(n + 1)) ==
	    NULL)
		abort();
	for (i = 0; i < n; i++)
		(void)snprintf(enc + i * 3, 4, "%%%02X",
		    (unsigned char)buf[i]);
	enc[n * 3] = '\0';
	r = uri_decode(enc, n * 3, plus, back, n + 1);
	REQUIRE(r == (int)n);
	REQUIRE(memcmp(back, buf, n) == 0);
	free(enc);
	free(back);
}

/* How many pairs of qs have exactly name, unescaped, as their key. */
static int
literal_count(const char *qs, const char *name)
{
	const char	*p, *end;
	size_t		nlen, klen;
	int		count;

	nlen = strlen(name);
	count = 0;
	for (p = qs; ; p = end + 1) {
		if ((end = strchr(p, '&')) == NULL)
			end = p + strlen(p);
		klen = strcspn(p, "=&");
		if (klen == nlen && memcmp(p, name, nlen) == 0 &&
		    strpbrk(name, "%+") == NULL)
			count++;
		if (*end == '\0')
			break;
	}

	return (count);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*name;
	char		*s, *buf;
	size_t		len, n;
	int		plus, r, check, why;

	if (size < 2)
		return (0);
	len = data[0] % 64;
	plus = data[1] & 1;
	name = names[(data[1] >> 1) % (sizeof(names) / sizeof(names[0]))];
	n = size - 2;
	if ((s = malloc(n + 1)) == NULL || (buf = malloc(len + 1)) == NULL)
		abort();
	memcpy(s, data + 2, n);
	s[n] = '\0';

	/* Exactly len bytes: AddressSanitizer sees a write past them. */
	r = uri_decode(s, n, plus, len > 0 ? buf : NULL, len);
	check = uri_decode(s, n, plus, NULL, 0);
	REQUIRE(check >= 0 || check == URI_MALFORMED || check == URI_TOO_LONG);
	if (len == 0) {
		REQUIRE(r == check);
	} else if (r >= 0) {
		check_value(buf, len, r);
		REQUIRE(check == r);
		check_round_trip(buf, (size_t)r, plus);
	} else {
		REQUIRE(r == URI_MALFORMED || r == URI_TOO_LONG);
		REQUIRE(buf[0] == '\0');
		if (r == URI_MALFORMED)
			REQUIRE(check == URI_MALFORMED);
		else
			REQUIRE(check == URI_MALFORMED || check >= (int)len - 1);
	}

	/* The query reader, on the text up to its first NUL. */
	if (len > 0) {
		r = uri_qs_get(s, name, buf, len, &why);
		REQUIRE(r == 1 || r == 0 || r == -1);
		if (r == 1) {
			REQUIRE(why == 0);
			check_value(buf, len, (int)strlen(buf));
			REQUIRE(literal_count(s, name) <= 1);
		} else {
			REQUIRE(buf[0] == '\0');
			if (r == -1)
				REQUIRE(why == URI_TOO_LONG ||
				    why == URI_MALFORMED ||
				    why == URI_REPEATED);
			else
				REQUIRE(why == 0 && literal_count(s, name) == 0);
		}
	}

	free(s);
	free(buf);

	return (0);
}
