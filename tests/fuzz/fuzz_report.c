/*
 * libFuzzer targets: a report body against the real forms, as
 * PUT /api/v1/reports/{unit}/{period}/{form} handles it (reports.c:
 * rpt_put_ctx, reports_checks), without Kore or the database.
 *
 * fuzz_report   (default) the input is the request body: JSON text read
 *               like api.c does (json_loadb, JSON_REJECT_DUPLICATES, an
 *               object).  For PL1 and PL2 (loaded once from forms/):
 *               form_validate(); when it passes, the parts are merged
 *               like the handler, derived (form_derive) and checked
 *               (check_run) with the unit's history, and the results
 *               dumped.  The body may carry a "history" array of
 *               {"period", "values"}: it stands for the unit's earlier
 *               reports (read from the database in the portal), is
 *               taken out of the body, and only its entries that pass
 *               form_validate are used, as only validated reports are
 *               ever stored.  Check.h promises that check_run reads any
 *               part of any type as empty, so an invalid body is also
 *               run through form_derive + check_run (defence in depth).
 * fuzz_docno    (-DFUZZ_DOCNO) the input is document numbers, one per
 *               line, put in the "number" cells of a PL2 "directives"
 *               list and checked by check_run: the pattern check runs
 *               PCRE2 without JIT.  Each cell is also matched with the
 *               same compiled pattern under a tight match limit, so any
 *               input that makes the pattern backtrack badly is reported
 *               long before it would be a hang.
 *
 * The unit is a district health centre (hospital, GKSKLX) with two
 * stations; the period window is 2023-06-15 .. 2023-07-14.  With
 * FUZZ_VERBOSE=1 in the environment, fuzz_report prints what
 * form_validate and check_run said (to read a reproducer).
 */
#define PCRE2_CODE_UNIT_WIDTH	8

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <pcre2.h>

#include "check.h"
#include "form.h"

#ifndef FUZZ_FORMS_DIR
#define FUZZ_FORMS_DIR	"forms"
#endif

/* The portal's body limit is larger; bigger inputs only cost time. */
#define FUZZ_BODY_MAX	(256 * 1024)

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_fail(const char *what, int line)
{
	fprintf(stderr, "fuzz_report.c:%d: invariant broken: %s\n", line,
	    what);
	abort();
}

#define REQUIRE(c)	do { if (!(c)) fuzz_fail(#c, __LINE__); } while (0)

static struct form	*forms[2];	/* PL1, PL2 */
static int		verbose;	/* FUZZ_VERBOSE=1: say what ran */

static const char	*stations2[] = { "TYT-XUANHONG", "TYT-XUANTRUONG" };

static const struct form_unit	unit = {
	"TTYT-THOXUAN", "district_centre", 1, 1, 0, stations2, 2
};

static const struct form_window	window = { "2023-06-15", "2023-07-14" };

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char	*names[2] = { "PL1.json", "PL2.json" };
	const char		*dir;
	char			path[4096], err[FORM_ERR_MAX];
	int			i;

	(void)argc;
	(void)argv;
	verbose = getenv("FUZZ_VERBOSE") != NULL;
	if ((dir = getenv("FUZZ_FORMS_DIR")) == NULL)
		dir = FUZZ_FORMS_DIR;
	for (i = 0; i < 2; i++) {
		(void)snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if ((forms[i] = form_load(path, err, sizeof(err))) == NULL) {
			fprintf(stderr, "fuzz_report: %s\n", err);
			abort();
		}
	}
	return (0);
}

/* The results' documented shape, then what the handler does with them. */
static void
fuzz_results(json_t *res)
{
	json_t		*r;
	const char	*sev;
	char		*s;
	size_t		i;

	/* NULL only when out of memory, which the fuzzer does not cause. */
	REQUIRE(json_is_array(res));
	json_array_foreach(res, i, r) {
		REQUIRE(json_is_object(r));
		REQUIRE(json_is_string(json_object_get(r, "rule")));
		REQUIRE(json_is_string(json_object_get(r, "message")));
		sev = json_string_value(json_object_get(r, "severity"));
		REQUIRE(sev != NULL && (strcmp(sev, "error") == 0 ||
		    strcmp(sev, "warning") == 0));
	}
	(void)check_blocking(res);
	s = json_dumps(res, JSON_COMPACT);
	REQUIRE(s != NULL);
	free(s);
}

#ifndef FUZZ_DOCNO

/* What reports.c merges: the part sent, else the stored one (none). */
static json_t *
part(json_t *body, const char *key)
{
	json_t		*v;

	if ((v = json_object_get(body, key)) != NULL)
		return (json_deep_copy(v));
	return (json_object());
}

/* The earlier reports that could have been stored: validated ones. */
static json_t *
history_for(const struct form *f, json_t *given)
{
	json_t		*hist, *e, *v, *wrap, *period;
	size_t		i;

	hist = json_array();
	json_array_foreach(given, i, e) {
		if (json_array_size(hist) == 8)
			break;
		v = json_object_get(e, "values");
		if (!json_is_object(v))
			continue;
		wrap = json_pack("{s:O}", "values", v);
		if (form_validate(f, &unit, wrap, NULL) == 0) {
			period = json_object_get(e, "period");
			json_array_append_new(hist, json_pack("{s:s, s:o}",
			    "period", json_is_string(period) ?
			    json_string_value(period) : "2023-06",
			    "values", json_deep_copy(v)));
		}
		json_decref(wrap);
	}
	for (i = 0; i < json_array_size(hist); i++)
		form_derive(f, json_object_get(json_array_get(hist, i),
		    "values"), NULL);
	return (hist);
}

static void
fuzz_form(const struct form *f, json_t *body, json_t *given)
{
	json_t		*details, *d, *values, *stations, *lists, *comments;
	json_t		*hist, *res;
	char		*s;
	size_t		i;
	int		rc;

	details = NULL;
	rc = form_validate(f, &unit, body, &details);
	REQUIRE(rc == 0 || rc == FORM_BAD_VALUE || rc == FORM_BAD_SHAPE);
	/* The shape alone, without the form, says the same. */
	REQUIRE((rc == FORM_BAD_SHAPE) == (form_shape(body, NULL) != 0));
	if (verbose) {
		s = json_dumps(details, JSON_COMPACT | JSON_ENSURE_ASCII);
		fprintf(stderr, "%s: form_validate %d %s\n", f->code, rc,
		    s != NULL ? s : "");
		free(s);
	}
	if (rc == 0) {
		REQUIRE(details == NULL);
	} else {
		/* "with *details set to a JSON array" of what is wrong. */
		REQUIRE(json_is_array(details) &&
		    json_array_size(details) > 0);
		json_array_foreach(details, i, d) {
			REQUIRE(json_is_string(json_object_get(d,
			    "message")));
		}
		s = json_dumps(details, JSON_COMPACT);
		REQUIRE(s != NULL);
		free(s);
		json_decref(details);
	}

	values = part(body, "values");
	stations = part(body, "stations");
	lists = part(body, "lists");
	comments = part(body, "comments");
	hist = history_for(f, given);

	form_derive(f, values, stations);
	res = check_run(f, &unit, &window, values, stations, lists,
	    comments, hist);
	fuzz_results(res);
	if (verbose) {
		s = json_dumps(res, JSON_COMPACT | JSON_ENSURE_ASCII);
		fprintf(stderr, "%s: %zu earlier reports; check_run %s\n",
		    f->code, json_array_size(hist), s != NULL ? s : "");
		free(s);
	}
	json_decref(res);

	if (rc == 0) {
		/* What is stored: the parts as sent, dumped. */
		s = json_dumps(body, JSON_COMPACT);
		REQUIRE(s != NULL);
		free(s);
		/* The same report with no window and no history. */
		res = check_run(f, &unit, NULL, values, stations, lists,
		    comments, NULL);
		fuzz_results(res);
		json_decref(res);
	}

	json_decref(hist);
	json_decref(values);
	json_decref(stations);
	json_decref(lists);
	json_decref(comments);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t		*body, *given;
	json_error_t	jerr;

	if (size > FUZZ_BODY_MAX)
		return (0);
	body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
	    &jerr);
	/* api.c answers 400 to anything but an object. */
	if (body == NULL || !json_is_object(body)) {
		json_decref(body);
		return (0);
	}

	given = json_incref(json_object_get(body, "history"));
	(void)json_object_del(body, "history");

	fuzz_form(forms[0], body, given);
	fuzz_form(forms[1], body, given);

	json_decref(given);
	json_decref(body);

	return (0);
}

#else /* FUZZ_DOCNO */

#define DOCNO_CELLS_MAX		64
#define DOCNO_MATCH_LIMIT	200000	/* PCRE2's default is 10,000,000 */
#define DOCNO_DEPTH_LIMIT	10000

static const struct form_check	*docno_check;
static pcre2_match_context	*mctx;
static pcre2_match_data		*mdata;

static void
docno_init(void)
{
	const struct form	*f = forms[1];
	size_t			i;

	for (i = 0; i < f->nchecks; i++) {
		if (f->checks[i].type == CHECK_PATTERN &&
		    strcmp(f->checks[i].rule, "directives.number_pattern") ==
		    0)
			docno_check = &f->checks[i];
	}
	if (docno_check == NULL) {
		fprintf(stderr, "fuzz_docno: PL2 has no "
		    "directives.number_pattern check\n");
		abort();
	}
	mctx = pcre2_match_context_create(NULL);
	mdata = pcre2_match_data_create_from_pattern(docno_check->re, NULL);
	if (mctx == NULL || mdata == NULL)
		abort();
	(void)pcre2_set_match_limit(mctx, DOCNO_MATCH_LIMIT);
	(void)pcre2_set_depth_limit(mctx, DOCNO_DEPTH_LIMIT);
}

/*
 * Invalid UTF-8 and NUL cannot reach the checks: api.c's json_loadb
 * refuses both.
 */
static json_t *
cell_string(const uint8_t *p, size_t len)
{
	char		*buf;
	json_t		*s;
	size_t		i;

	if (memchr(p, '\0', len) == NULL &&
	    (s = json_stringn((const char *)p, len)) != NULL)
		return (s);
	if ((buf = malloc(len + 1)) == NULL)
		abort();
	memcpy(buf, p, len);
	for (i = 0; i < len; i++) {
		if (buf[i] == '\0' || (unsigned char)buf[i] >= 0x80)
			buf[i] = '?';
	}
	s = json_stringn(buf, len);
	free(buf);
	return (s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t		*body, *rows, *lists, *values, *res, *r, *cell;
	const uint8_t	*p, *end, *nl;
	const char	*rule;
	size_t		i, ncells, npattern;
	int		rc;

	if (docno_check == NULL)
		docno_init();
	if (size > 64 * 1024)
		return (0);

	rows = json_array();
	p = data;
	end = data + size;
	while (p < end && json_array_size(rows) < DOCNO_CELLS_MAX) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((cell = cell_string(p, (size_t)(nl - p))) != NULL) {
			/* The pattern alone, under a tight limit. */
			rc = pcre2_match(docno_check->re,
			    (PCRE2_SPTR)json_string_value(cell),
			    json_string_length(cell), 0, 0, mdata, mctx);
			if (rc == PCRE2_ERROR_MATCHLIMIT ||
			    rc == PCRE2_ERROR_DEPTHLIMIT ||
			    rc == PCRE2_ERROR_HEAPLIMIT) {
				fprintf(stderr, "fuzz_docno: the document "
				    "number pattern needs more than %d match "
				    "steps on a %zu-byte cell (rc %d)\n",
				    DOCNO_MATCH_LIMIT,
				    json_string_length(cell), rc);
				abort();
			}
			json_array_append_new(rows, json_pack("{s:o, s:s, "
			    "s:s}", "number", cell, "date", "2023-07-01",
			    "abstract", "Kế hoạch chuyển đổi số"));
		}
		p = nl + 1;
	}
	ncells = json_array_size(rows);

	lists = json_pack("{s:o}", "directives", rows);
	values = json_object();
	body = json_pack("{s:i, s:O, s:O}", "version", 0, "values", values,
	    "lists", lists);
	REQUIRE(body != NULL);

	/* The shape (at most 64 characters); the result does not matter. */
	if (form_validate(forms[1], &unit, body, &r) != 0)
		json_decref(r);

	/* The pattern check runs on every cell, whatever its length. */
	res = check_run(forms[1], &unit, &window, values, NULL, lists, NULL,
	    NULL);
	fuzz_results(res);
	npattern = 0;
	json_array_foreach(res, i, r) {
		rule = json_string_value(json_object_get(r, "rule"));
		if (rule != NULL && strcmp(rule,
		    "directives.number_pattern") == 0) {
			npattern++;
			REQUIRE(json_integer_value(json_object_get(r,
			    "row")) >= 1);
			REQUIRE((size_t)json_integer_value(json_object_get(r,
			    "row")) <= ncells);
		}
	}
	REQUIRE(npattern <= ncells);

	json_decref(res);
	json_decref(body);
	json_decref(values);
	json_decref(lists);

	return (0);
}

#endif /* FUZZ_DOCNO */
