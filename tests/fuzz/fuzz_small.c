/*
 * libFuzzer target: the small validators of outside text.
 *
 * The input is up to four fields separated by NUL bytes.
 *  - Contacts (PUT /api/v1/contacts/{unit}): contact_check(name,
 *    position, phone, email), absent fields as NULL, and each field
 *    validator alone, with output buffers of exact size so that
 *    AddressSanitizer sees any write past them.  What a valid contact
 *    holds is checked (phone 0XXXXXXXXX[X], e-mail lower case, lengths).
 *  - Periods and dates (period codes in URLs, ?year=, the calendar
 *    editor): period_code_parse() and period_date_parse() on every field;
 *    what parses must print back the same, a known code must look up to
 *    a period with start <= end <= deadline, and period_date_parse()
 *    must agree with form_date_valid() on the years both accept.
 *  - The request headers of the pages' files (Accept-Encoding,
 *    If-None-Match): webcache_accepts_gzip() and webcache_etag_match()
 *    on every field, every field as the ETag too; a quoted field matches
 *    itself, "*" anything.
 * Built by scripts/fuzz.sh.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "period.h"
#include "unitcsv.h"
#include "webcache.h"

#define NFIELDS		4

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_fail(const char *what, int line)
{
	fprintf(stderr, "fuzz_small.c:%d: invariant broken: %s\n", line,
	    what);
	abort();
}

#define REQUIRE(c)	do { if (!(c)) fuzz_fail(#c, __LINE__); } while (0)
#define TERMINATED(a)	(memchr((a), '\0', sizeof(a)) != NULL)

static int
all_digits(const char *s)
{
	return (*s != '\0' && strspn(s, "0123456789") == strlen(s));
}

static void
fuzz_phone(const char *in, size_t outlen)
{
	char		*out;
	size_t		len;
	int		rc;

	if ((out = malloc(outlen)) == NULL)
		abort();
	memset(out, 'X', outlen);
	rc = contact_phone_normalise(in, out, outlen);
	REQUIRE(rc == 0 || rc == -1);
	if (rc == 0) {
		REQUIRE(outlen >= CONTACT_PHONE_MAX + 1);
		REQUIRE(memchr(out, '\0', outlen) != NULL);
		len = strlen(out);
		REQUIRE((len == 10 || len == 11) && out[0] == '0' &&
		    all_digits(out));
		/* Normalising the stored form gives it back. */
		{
			char	again[CONTACT_PHONE_MAX + 1];

			REQUIRE(contact_phone_normalise(out, again,
			    sizeof(again)) == 0);
			REQUIRE(strcmp(out, again) == 0);
		}
	}
	free(out);
}

static void
fuzz_email(const char *in, size_t outlen)
{
	char		*out;
	const char	*msg;
	size_t		i;

	if ((out = malloc(outlen)) == NULL)
		abort();
	memset(out, 'X', outlen);
	msg = contact_email_check(in, out, outlen);
	if (msg == NULL) {
		REQUIRE(memchr(out, '\0', outlen) != NULL);
		REQUIRE(strlen(out) <= CONTACT_EMAIL_MAX);
		for (i = 0; out[i] != '\0'; i++)
			REQUIRE(!(out[i] >= 'A' && out[i] <= 'Z'));
		REQUIRE(out[0] == '\0' || contact_email_valid(out));
	}
	free(out);
}

static void
fuzz_contact(char *const f[NFIELDS], size_t nf, const uint8_t *data,
    size_t size)
{
	struct contact	c;
	const char	*field[NFIELDS], *msg, *first;
	char		phone[CONTACT_PHONE_MAX + 1];
	char		email[CONTACT_EMAIL_MAX + 1];
	size_t		i, len, longest;

	longest = 0;
	for (i = 0; i < NFIELDS; i++) {
		field[i] = i < nf ? f[i] : NULL;
		if (field[i] != NULL && strlen(field[i]) > longest)
			longest = strlen(field[i]);
	}

	memset(&c, 'X', sizeof(c));
	msg = contact_check(field[0], field[1], field[2], field[3], &c);
	if (msg == NULL) {
		REQUIRE(TERMINATED(c.name) && TERMINATED(c.position) &&
		    TERMINATED(c.phone) && TERMINATED(c.email));
		REQUIRE(c.name[0] != '\0');
		REQUIRE(strlen(c.name) <= CONTACT_NAME_MAX);
		REQUIRE(strlen(c.position) <= CONTACT_POSITION_MAX);
		len = strlen(c.phone);
		REQUIRE((len == 10 || len == 11) && c.phone[0] == '0' &&
		    all_digits(c.phone));
		REQUIRE(c.email[0] == '\0' || contact_email_valid(c.email));
		/* Checking the stored contact again changes nothing. */
		{
			struct contact	again;

			REQUIRE(contact_check(c.name, c.position, c.phone,
			    c.email, &again) == NULL);
			REQUIRE(strcmp(again.name, c.name) == 0);
			REQUIRE(strcmp(again.position, c.position) == 0);
			REQUIRE(strcmp(again.phone, c.phone) == 0);
			REQUIRE(strcmp(again.email, c.email) == 0);
		}
	}
	REQUIRE(contact_check(field[0], field[1], field[2], field[3], NULL) ==
	    msg);

	/* The form is the first problem of its four validators. */
	if (longest <= 1000) {
		first = contact_name_check(field[0] ? field[0] : "");
		if (first == NULL)
			first = contact_position_check(field[1] ?
			    field[1] : "");
		if (first == NULL)
			first = contact_phone_check(field[2] ? field[2] :
			    "", phone, sizeof(phone));
		if (first == NULL)
			first = contact_email_check(field[3] ? field[3] :
			    "", email, sizeof(email));
		REQUIRE(first == msg);
	}

	/* Each validator on its own, with output buffers of every size. */
	for (i = 0; i < nf; i++) {
		(void)contact_name_check(f[i]);
		(void)contact_position_check(f[i]);
		(void)unitcsv_code_valid(f[i]);
		(void)unitcsv_kind_find(f[i]);
		fuzz_phone(f[i], 1 + (size > 0 ? data[0] % 16 : 0));
		fuzz_phone(f[i], CONTACT_PHONE_MAX + 1);
		fuzz_email(f[i], 1 + (size > 1 ? data[1] : 0));
		fuzz_email(f[i], CONTACT_EMAIL_MAX + 1);
		if (contact_phone_check(f[i], phone, sizeof(phone)) == NULL)
			REQUIRE(all_digits(phone));
	}
}

static void
fuzz_period(const char *s)
{
	struct period	p, cal[PERIOD_MAX_PER_YEAR];
	struct pdate	d;
	char		buf[32];
	int		kind, year, month, n, i;

	kind = year = month = -1;
	if (period_code_parse(s, &kind, &year, &month) == 0) {
		REQUIRE(year >= PERIOD_YEAR_MIN && year <= PERIOD_YEAR_MAX);
		switch (kind) {
		case PERIOD_KIND_MONTH:
			REQUIRE(month >= 1 && month <= 12);
			(void)snprintf(buf, sizeof(buf), "%04d-%02d", year,
			    month);
			break;
		case PERIOD_KIND_HALF:
			(void)snprintf(buf, sizeof(buf), "%04d-H1", year);
			break;
		case PERIOD_KIND_YEAR:
			(void)snprintf(buf, sizeof(buf), "%04d-Y", year);
			break;
		default:
			REQUIRE(!"unknown period kind");
		}
		REQUIRE(strcmp(buf, s) == 0);

		if (period_lookup(s, &p) == 0) {
			REQUIRE(strcmp(p.code, s) == 0);
			REQUIRE(p.kind == kind && p.year == year);
			REQUIRE(period_date_valid(&p.start) &&
			    period_date_valid(&p.end) &&
			    period_date_valid(&p.deadline));
			REQUIRE(period_check_dates(&p.start, &p.end,
			    &p.deadline) == NULL);
			REQUIRE(TERMINATED(p.name));
		}
		n = period_generate(year, cal, PERIOD_MAX_PER_YEAR);
		REQUIRE(n >= 0 && n <= PERIOD_MAX_PER_YEAR);
		for (i = 0; i < n; i++)
			REQUIRE(period_code_parse(cal[i].code, NULL, NULL,
			    NULL) == 0);
	} else {
		REQUIRE(period_lookup(s, &p) == -1);
	}

	if (period_date_parse(s, &d) == 0) {
		REQUIRE(period_date_valid(&d));
		period_date_format(&d, buf, sizeof(buf));
		REQUIRE(strcmp(buf, s) == 0);
		/* form.c's dates are the same days, 1900 to 2100 only. */
		REQUIRE(form_date_valid(s) == (d.y <= 2100));
	} else {
		REQUIRE(!form_date_valid(s));
	}
}

static void
fuzz_headers(char **f, size_t nf)
{
	char		*quoted;
	size_t		i, j, len;
	int		r;

	for (i = 0; i < nf; i++) {
		r = webcache_accepts_gzip(f[i]);
		REQUIRE(r == 0 || r == 1);
		for (j = 0; j < nf; j++) {
			r = webcache_etag_match(f[i], f[j]);
			REQUIRE(r == 0 || r == 1);
		}
		REQUIRE(webcache_etag_match("*", f[i]));
		len = strlen(f[i]);
		if (memchr(f[i], '"', len) != NULL)
			continue;
		if ((quoted = malloc(len + 3)) == NULL)
			abort();
		(void)snprintf(quoted, len + 3, "\"%s\"", f[i]);
		REQUIRE(webcache_etag_match(quoted, quoted));
		free(quoted);
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (unitcsv_init() == -1)
		abort();
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*f[NFIELDS];
	const uint8_t	*p, *end, *nul;
	size_t		nf, len, i;
	struct pdate	d[3];

	if (size > 8192)
		return (0);

	/* Up to four NUL-separated fields, each in a buffer of its own. */
	nf = 0;
	p = data;
	end = data + size;
	while (nf < NFIELDS && (p < end || (nf == 0 && size == 0))) {
		if ((nul = memchr(p, '\0', (size_t)(end - p))) == NULL ||
		    nf == NFIELDS - 1)
			nul = end;
		len = (size_t)(nul - p);
		if ((f[nf] = malloc(len + 1)) == NULL)
			abort();
		memcpy(f[nf], p, len);
		/* The last field may hold NULs: a C string ends at the first. */
		f[nf][len] = '\0';
		nf++;
		p = nul + 1;
	}

	fuzz_contact(f, nf, data, size);
	fuzz_headers(f, nf);
	for (i = 0; i < nf; i++)
		fuzz_period(f[i]);
	if (nf >= 3 && period_date_parse(f[0], &d[0]) == 0 &&
	    period_date_parse(f[1], &d[1]) == 0 &&
	    period_date_parse(f[2], &d[2]) == 0) {
		if (period_check_dates(&d[0], &d[1], &d[2]) == NULL)
			REQUIRE(period_date_cmp(&d[0], &d[1]) <= 0 &&
			    period_date_cmp(&d[1], &d[2]) <= 0);
	}

	for (i = 0; i < nf; i++)
		free(f[i]);

	return (0);
}
