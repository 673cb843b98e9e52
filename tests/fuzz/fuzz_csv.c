/*
 * libFuzzer target: the registry CSV upload (POST /api/v1/units/import).
 *
 * Arbitrary bytes go through csv_parse() and unitcsv_read() exactly as
 * the upload body does, and the promises of csv.h and unitcsv.h are
 * checked on what comes back (fields are valid UTF-8 within the limits,
 * codes are valid, issues are in line order, messages are terminated),
 * besides anything AddressSanitizer, UndefinedBehaviorSanitizer or the
 * leak checker see.  Built by scripts/fuzz.sh.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "unitcsv.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_fail(const char *what, int line)
{
	fprintf(stderr, "fuzz_csv.c:%d: invariant broken: %s\n", line, what);
	abort();
}

#define REQUIRE(c)	do { if (!(c)) fuzz_fail(#c, __LINE__); } while (0)

/* A fixed-size char array holds a NUL-terminated string. */
#define TERMINATED(a)	(memchr((a), '\0', sizeof(a)) != NULL)

static int
utf8_str(const char *s)
{
	return (csv_utf8_valid(s, strlen(s)));
}

static int
all_digits(const char *s)
{
	return (*s != '\0' && strspn(s, "0123456789") == strlen(s));
}

static int
has_upper_ascii(const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s >= 'A' && *s <= 'Z')
			return (1);
	}
	return (0);
}

static size_t
line_ends(const uint8_t *p, size_t n)
{
	size_t		i, lines;

	for (i = 0, lines = 0; i < n; i++) {
		if (p[i] == '\n')
			lines++;
		else if (p[i] == '\r' && (i + 1 == n || p[i + 1] != '\n'))
			lines++;
	}
	return (lines);
}

static void
fuzz_csv_parse(const uint8_t *data, size_t size)
{
	struct csv_doc	doc;
	char		err[CSV_ERR_MAX], *small;
	size_t		i, j, len, prev, maxline, smalllen;
	int		rc;

	memset(err, 'X', sizeof(err));
	rc = csv_parse((const char *)data, size, &doc, err, sizeof(err));
	REQUIRE(rc == 0 || rc == -1);
	REQUIRE(TERMINATED(err));

	if (rc == -1) {
		/* Emptied, with a message that is whole UTF-8. */
		REQUIRE(doc.nrows == 0 && doc.rows == NULL);
		REQUIRE(err[0] != '\0');
		REQUIRE(utf8_str(err));

		/* A short buffer: cut, terminated, still whole UTF-8. */
		smalllen = 1 + size % 48;
		if ((small = malloc(smalllen)) == NULL)
			abort();
		memset(small, 'X', smalllen);
		rc = csv_parse((const char *)data, size, &doc, small,
		    smalllen);
		REQUIRE(rc == -1);
		REQUIRE(memchr(small, '\0', smalllen) != NULL);
		REQUIRE(utf8_str(small));
		free(small);
		csv_free(&doc);
		return;
	}

	REQUIRE(doc.sep == ',' || doc.sep == ';' || doc.sep == '\t');
	REQUIRE(doc.nrows <= CSV_MAX_ROWS + 1);
	REQUIRE(doc.nrows == 0 || doc.rows != NULL);

	maxline = line_ends(data, size) + 1;
	prev = 0;
	for (i = 0; i < doc.nrows; i++) {
		const struct csv_row	*r = &doc.rows[i];

		/* Rows start on later and later physical lines. */
		REQUIRE(r->line > prev);
		REQUIRE(r->line <= maxline);
		prev = r->line;
		REQUIRE(r->nfields <= CSV_MAX_FIELDS);
		REQUIRE(r->nfields == 0 || r->fields != NULL);
		for (j = 0; j < r->nfields; j++) {
			REQUIRE(r->fields[j] != NULL);
			len = strlen(r->fields[j]);
			REQUIRE(len <= CSV_MAX_FIELD);
			REQUIRE(len <= size);
			REQUIRE(csv_utf8_valid(r->fields[j], len));
		}
	}

	/* "doc may be reused or freed again". */
	csv_free(&doc);
	csv_free(&doc);
}

/* csv_utf8_cut() on a valid text cut at an arbitrary byte. */
static void
fuzz_utf8_cut(const uint8_t *data, size_t size)
{
	char		*s;
	size_t		cut, len;

	if (size == 0 || memchr(data, '\0', size) != NULL ||
	    !csv_utf8_valid((const char *)data, size))
		return;

	cut = data[0] % (size + 1);
	if ((s = malloc(cut + 1)) == NULL)
		abort();
	memcpy(s, data, cut);
	s[cut] = '\0';
	csv_utf8_cut(s);
	len = strlen(s);
	REQUIRE(len <= cut && cut - len <= 3);
	REQUIRE(csv_utf8_valid(s, len));
	REQUIRE(memcmp(s, data, len) == 0);
	free(s);
}

static void
fuzz_unitcsv(const uint8_t *data, size_t size)
{
	struct unitcsv_result	res;
	size_t			i, prev, len;
	int			rc;

	rc = unitcsv_read((const char *)data, size, &res);
	REQUIRE(rc == UNITCSV_OK || rc == UNITCSV_ISSUES ||
	    rc == UNITCSV_ERROR);

	if (rc == UNITCSV_ERROR) {
		REQUIRE(res.units == NULL && res.issues == NULL);
		unitcsv_free(&res);
		return;
	}
	REQUIRE((rc == UNITCSV_OK) == (res.nissues == 0));
	REQUIRE(res.nissues <= UNITCSV_MAX_ISSUES + 1);
	REQUIRE(res.nunits <= res.nrows);
	REQUIRE(res.nrows <= CSV_MAX_ROWS);

	for (i = 0; i < res.nunits; i++) {
		const struct unit_rec	*u = &res.units[i];

		REQUIRE(TERMINATED(u->code) && TERMINATED(u->name) &&
		    TERMINATED(u->kind) && TERMINATED(u->district) &&
		    TERMINATED(u->parent));
		REQUIRE(unitcsv_code_valid(u->code));
		REQUIRE(u->name[0] != '\0' && utf8_str(u->name));
		REQUIRE(utf8_str(u->district));
		REQUIRE(unitcsv_kind_find(u->kind) != NULL);
		REQUIRE(u->parent[0] == '\0' ||
		    unitcsv_code_valid(u->parent));
		REQUIRE(u->line >= 2);
		if (i > 0)
			REQUIRE(u->line > res.units[i - 1].line);

		REQUIRE(TERMINATED(u->contact.name) &&
		    TERMINATED(u->contact.position) &&
		    TERMINATED(u->contact.phone) &&
		    TERMINATED(u->contact.email));
		if (!u->has_contact) {
			REQUIRE(u->contact.name[0] == '\0' &&
			    u->contact.phone[0] == '\0' &&
			    u->contact.email[0] == '\0');
			continue;
		}
		REQUIRE(u->contact.name[0] != '\0');
		REQUIRE(utf8_str(u->contact.name));
		REQUIRE(utf8_str(u->contact.position));
		len = strlen(u->contact.phone);
		REQUIRE((len == 10 || len == 11) &&
		    u->contact.phone[0] == '0' &&
		    all_digits(u->contact.phone));
		REQUIRE(!has_upper_ascii(u->contact.email));
		REQUIRE(u->contact.email[0] == '\0' ||
		    contact_email_valid(u->contact.email));
	}

	/* Every row, for the registry: what it holds is well formed. */
	REQUIRE((res.rows == NULL) == (res.nrows == 0));
	for (i = 0; i < res.nrows; i++) {
		const struct unit_rec	*u = &res.rows[i];

		REQUIRE(TERMINATED(u->code) && TERMINATED(u->name) &&
		    TERMINATED(u->kind) && TERMINATED(u->district) &&
		    TERMINATED(u->parent));
		REQUIRE(u->code[0] == '\0' || unitcsv_code_valid(u->code));
		REQUIRE(u->kind[0] == '\0' ||
		    unitcsv_kind_find(u->kind) != NULL);
		REQUIRE(u->parent[0] == '\0' ||
		    unitcsv_code_valid(u->parent));
		REQUIRE(utf8_str(u->name) && utf8_str(u->district));
		if (i > 0)
			REQUIRE(u->line > res.rows[i - 1].line);
	}

	prev = 0;
	for (i = 0; i < res.nissues; i++) {
		const struct unitcsv_issue	*is = &res.issues[i];

		REQUIRE(TERMINATED(is->column) && TERMINATED(is->message));
		REQUIRE(is->message[0] != '\0');
		REQUIRE(utf8_str(is->column) && utf8_str(is->message));
		/* In line order; past the maximum a last line-0 summary. */
		if (i == UNITCSV_MAX_ISSUES && i + 1 == res.nissues)
			REQUIRE(is->line == 0);
		else
			REQUIRE(is->line >= prev);
		prev = is->line;
	}

	unitcsv_free(&res);
	REQUIRE(res.units == NULL && res.rows == NULL && res.issues == NULL);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (unitcsv_init() == -1) {
		fprintf(stderr, "fuzz_csv: unitcsv_init failed\n");
		abort();
	}
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* More than the server takes is refused before parsing. */
	if (size > CSV_MAX_BYTES)
		return (0);

	fuzz_csv_parse(data, size);
	fuzz_utf8_cut(data, size);
	fuzz_unitcsv(data, size);

	return (0);
}
