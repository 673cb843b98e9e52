/*
 * libFuzzer targets: the form loader (form_load_json, modules/form.c).
 *
 * fuzz_form          the input is JSON text, as an administrator uploads
 *                    it: form_load_text() (json_loadb with
 *                    JSON_REJECT_DUPLICATES, then form_load_checked()),
 *                    and form_load_json() when it is JSON.
 * fuzz_form_mutate   (built with -DFUZZ_FORM_MUTATE) the input is a
 *                    program of edits applied to the real forms/PL1.json
 *                    (or PL2.json when the first byte is odd): delete a
 *                    node, replace it by another type, copy one node over
 *                    another, rename a reference, reorder an array...
 *                    so nearly every input reaches deep into the loader's
 *                    semantic checks instead of failing at the syntax.
 *
 * Every refusal tells at least one problem, each a {"where", "message"}
 * of strings, and exactly when no form comes back.  A form the loader
 * accepts is compared with the real PL1 (form_diff, form_stable,
 * form_absent) and must then be safe for the rest of the core:
 * its indexes are in range, and a report body built from it goes
 * through form_validate(), form_derive(), check_run() and
 * form_aggregate() under the sanitizers.  Built by scripts/fuzz.sh.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "check.h"
#include "form.h"

#ifndef FUZZ_FORMS_DIR
#define FUZZ_FORMS_DIR	"forms"
#endif

#define FUZZ_JSON_MAX	(1024 * 1024)	/* FORM_FILE_MAX */

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_fail(const char *what, int line)
{
	fprintf(stderr, "fuzz_form.c:%d: invariant broken: %s\n", line, what);
	abort();
}

#define REQUIRE(c)	do { if (!(c)) fuzz_fail(#c, __LINE__); } while (0)

static const char	*stations2[] = { "TYT-XUANHONG", "TYT-XUANTRUONG" };

/* A district health centre managing two stations, and the CDC. */
static const struct form_unit	units[] = {
	{ "TTYT-THOXUAN", "district_centre", 1, 1, 0, stations2, 2 },
	{ "CDC-TH", "cdc", 0, 0, 1, NULL, 0 },
};

static const struct form_window	window = { "2023-06-15", "2023-07-14" };

/* ---- what a loaded form promises ---- */

static void
form_check_shape(const struct form *f)
{
	const struct form_item		*it;
	const struct form_list		*l;
	const struct form_check		*c;
	size_t				i, j;
	int				n;

	REQUIRE(f->json != NULL);
	REQUIRE(f->nitems > 0 && f->nsections > 0);
	REQUIRE(memchr(f->code, '\0', sizeof(f->code)) != NULL);
	n = (int)f->nitems;

	for (i = 0; i < f->nitems; i++) {
		it = &f->items[i];
		REQUIRE(it->code != NULL && it->label != NULL);
		REQUIRE(form_item_index(f, it->code) == (int)i);
		REQUIRE(form_list_index(f, it->code) == -1);
		REQUIRE(it->kind >= FORM_COUNT && it->kind <= FORM_SUM);
		REQUIRE(it->section >= 0 && (size_t)it->section <
		    f->nsections);
		if (it->kind == FORM_LEVEL)
			REQUIRE(it->min <= it->max);
		if (it->kind == FORM_RATE) {
			REQUIRE(it->num >= 0 && it->num < n);
			REQUIRE(it->den >= 0 && it->den < n);
			REQUIRE(it->num != it->den && it->num != (int)i &&
			    it->den != (int)i);
			/* Derived inputs come first: one pass derives. */
			if (form_is_derived(&f->items[it->num]))
				REQUIRE(it->num < (int)i);
			if (form_is_derived(&f->items[it->den]))
				REQUIRE(it->den < (int)i);
		}
		if (it->kind == FORM_SUM) {
			REQUIRE(it->nsum > 0 && it->sum_of != NULL);
			for (j = 0; j < it->nsum; j++) {
				REQUIRE(it->sum_of[j] >= 0 &&
				    it->sum_of[j] < n);
				REQUIRE(it->sum_of[j] != (int)i);
				if (form_is_derived(&f->items[it->sum_of[j]]))
					REQUIRE(it->sum_of[j] < (int)i);
			}
		}
	}

	for (i = 0; i < f->nlists; i++) {
		l = &f->lists[i];
		REQUIRE(l->code != NULL);
		REQUIRE(form_list_index(f, l->code) == (int)i);
		REQUIRE(l->section >= 0 && (size_t)l->section <
		    f->nsections);
		REQUIRE(l->ncols > 0 && l->cols != NULL);
		REQUIRE(l->max_rows >= 1);
		for (j = 0; j < l->ncols; j++) {
			REQUIRE(l->cols[j].code != NULL);
			REQUIRE(l->cols[j].kind >= FORM_COL_TEXT &&
			    l->cols[j].kind <= FORM_COL_CHOICE);
			if (l->cols[j].kind == FORM_COL_CHOICE)
				REQUIRE(l->cols[j].nchoices > 0 &&
				    l->cols[j].choices != NULL);
		}
	}

	for (i = 0; i < f->nchecks; i++) {
		c = &f->checks[i];
		REQUIRE(c->rule != NULL && c->message != NULL);
		REQUIRE(c->type >= CHECK_PARTS_LE && c->type <=
		    CHECK_COMPLETE);
		if (c->type == CHECK_COMPLETE)
			REQUIRE(c->kinds != 0 && (c->kinds &
			    ((1U << FORM_RATE) | (1U << FORM_SUM))) == 0);
		REQUIRE(c->severity == CHECK_ERROR ||
		    c->severity == CHECK_WARNING);
		REQUIRE(c->nitems == 0 || c->items != NULL);
		for (j = 0; j < c->nitems; j++)
			REQUIRE(c->items[j] >= 0 && c->items[j] < n);
		REQUIRE(c->whole >= -1 && c->whole < n);
		if (c->type == CHECK_PARTS_LE || c->type == CHECK_PARTS_EQ)
			REQUIRE(c->whole >= 0 && c->nitems > 0);
		if (c->type == CHECK_PATTERN || c->type ==
		    CHECK_DATE_IN_PERIOD) {
			REQUIRE(c->list >= 0 && (size_t)c->list < f->nlists);
			REQUIRE(c->column >= 0 && (size_t)c->column <
			    f->lists[c->list].ncols);
		}
		if (c->type == CHECK_PATTERN)
			REQUIRE(c->re != NULL);
	}
}

/* ---- a report built from a loaded form, through the engine ---- */

static json_t *
fuzz_value(const struct form_item *it, size_t i, int variant)
{
	switch (it->kind) {
	case FORM_COUNT:
	case FORM_MONEY:
		return (json_integer((json_int_t)((i * 37 + 11) %
		    (variant ? 1000 : 200))));
	case FORM_LEVEL:
		return (json_integer((json_int_t)(variant ? it->max :
		    it->min)));
	case FORM_TEXT:
		return (json_string(variant ? "Kế hoạch năm 2023" : "x"));
	default:
		return (NULL);
	}
}

static json_t *
fuzz_cell(const struct form_column *col, int row)
{
	switch (col->kind) {
	case FORM_COL_DATE:
		return (json_string(row ? "2030-01-20" : "2023-07-01"));
	case FORM_COL_DOCNO:
		return (json_string(row ? "372-QD" : "372/QĐ-SYT"));
	case FORM_COL_COUNT:
		return (json_integer(row ? 0 : 3));
	case FORM_COL_CHOICE:
		return (json_string(col->choices[row % col->nchoices]));
	default:
		return (json_string(row ? "Văn bản khác" : "Văn bản"));
	}
}

static void
fuzz_results(json_t *res)
{
	json_t		*r;
	const char	*sev;
	char		*s;
	size_t		i;

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

static void
fuzz_engine(const struct form *f, const struct form_unit *u)
{
	json_t		*body, *values, *stations, *lists, *comments;
	json_t		*hist, *old, *row, *rows, *months, *agg, *details;
	json_t		*res;
	size_t		i, j, s;
	int		r, comment_done;

	body = json_object();
	values = json_object();
	stations = json_object();
	lists = json_object();
	comments = json_object();
	old = json_object();
	comment_done = 0;

	for (i = 0; i < f->nitems; i++) {
		const struct form_item	*it = &f->items[i];

		if (form_is_derived(it) || !form_item_applies(f, (int)i, u))
			continue;
		json_object_set_new(values, it->code, fuzz_value(it, i, 0));
		json_object_set_new(old, it->code, fuzz_value(it, i, 1));
		if (!comment_done && it->kind != FORM_TEXT) {
			json_object_set_new(comments, it->code,
			    json_string("Giải trình số liệu"));
			comment_done = 1;
		}
		if (!it->stations || it->kind == FORM_TEXT)
			continue;
		for (s = 0; s < u->nstations; s++) {
			row = json_object_get(stations, u->stations[s]);
			if (row == NULL) {
				row = json_object();
				json_object_set_new(stations, u->stations[s],
				    row);
			}
			json_object_set_new(row, it->code,
			    fuzz_value(it, i + s, 0));
		}
	}
	for (i = 0; i < f->nlists; i++) {
		const struct form_list	*l = &f->lists[i];

		if (!form_list_applies(f, (int)i, u))
			continue;
		rows = json_array();
		for (r = 0; r < 2; r++) {
			row = json_object();
			for (j = 0; j < l->ncols; j++)
				json_object_set_new(row, l->cols[j].code,
				    fuzz_cell(&l->cols[j], r));
			json_array_append_new(rows, row);
		}
		json_object_set_new(lists, l->code, rows);
	}

	json_object_set_new(body, "version", json_integer(0));
	json_object_set(body, "values", values);
	json_object_set(body, "stations", stations);
	json_object_set(body, "lists", lists);
	json_object_set(body, "comments", comments);

	details = NULL;
	if (form_validate(f, u, body, &details) == 0) {
		REQUIRE(details == NULL);
		hist = json_pack("[{s:s, s:o}, {s:s, s:o}]",
		    "period", "2023-06", "values", json_deep_copy(old),
		    "period", "2023-05", "values", json_deep_copy(values));
		REQUIRE(hist != NULL);
		for (i = 0; i < json_array_size(hist); i++)
			form_derive(f, json_object_get(json_array_get(hist,
			    i), "values"), NULL);
		form_derive(f, values, stations);
		res = check_run(f, u, &window, values, stations, lists,
		    comments, hist);
		fuzz_results(res);
		json_decref(res);
		res = check_run(f, u, NULL, values, NULL, NULL, NULL, NULL);
		fuzz_results(res);
		json_decref(res);
		json_decref(hist);

		months = json_pack("[{s:O, s:O}, {s:O, s:O}]",
		    "values", old, "stations", stations,
		    "values", values, "stations", stations);
		REQUIRE(months != NULL);
		agg = form_aggregate(f, months);
		REQUIRE(agg != NULL);
		form_derive(f, json_object_get(agg, "values"),
		    json_object_get(agg, "stations"));
		json_decref(agg);
		json_decref(months);
	} else {
		REQUIRE(json_is_array(details) &&
		    json_array_size(details) > 0);
		json_decref(details);
	}

	json_decref(old);
	json_decref(values);
	json_decref(stations);
	json_decref(lists);
	json_decref(comments);
	json_decref(body);
}

static struct form	*real_pl1;

/* Problems: an array of {"where", "message"} strings, empty iff loaded. */
static void
fuzz_problems(json_t *problems, const struct form *f)
{
	json_t		*p;
	size_t		i;

	REQUIRE(json_is_array(problems));
	REQUIRE((f == NULL) == (json_array_size(problems) > 0));
	REQUIRE(json_array_size(problems) <= 101);
	json_array_foreach(problems, i, p) {
		REQUIRE(json_is_string(json_object_get(p, "where")));
		REQUIRE(json_string_length(json_object_get(p, "message")) > 0);
	}
}

/* A loaded form against the real outline: its differences and codes. */
static void
fuzz_versions(const struct form *f, json_t *def)
{
	json_t		*d, *problems, *a;

	if (real_pl1 == NULL) {
		real_pl1 = form_load(FUZZ_FORMS_DIR "/PL1.json", NULL, 0);
		REQUIRE(real_pl1 != NULL);
	}
	d = form_diff(real_pl1, f);
	REQUIRE(json_is_object(json_object_get(d, "added")));
	json_decref(d);
	problems = json_array();
	form_stable(real_pl1, 1, def, problems);
	json_decref(problems);
	a = form_absent(f, real_pl1);
	REQUIRE(json_array_size(a) <= f->nitems + f->nlists);
	json_decref(a);
}

/* Load, and on success check the form and run the engine with it. */
static void
fuzz_load(json_t *def)
{
	struct form	*f;
	json_t		*problems;
	char		err[FORM_ERR_MAX], *small;
	size_t		i, smalllen;

	problems = NULL;
	f = form_load_checked(def, &problems);
	fuzz_problems(problems, f);
	json_decref(problems);
	form_free(f);

	memset(err, 'X', sizeof(err));
	f = form_load_json(def, err, sizeof(err));
	REQUIRE(memchr(err, '\0', sizeof(err)) != NULL);
	if (f == NULL) {
		/* "NULL on any problem, with a message in err". */
		REQUIRE(err[0] != '\0');
		smalllen = 1 + strlen(err) % 24;
		if ((small = malloc(smalllen)) == NULL)
			abort();
		REQUIRE(form_load_json(def, small, smalllen) == NULL);
		REQUIRE(memchr(small, '\0', smalllen) != NULL);
		free(small);
		REQUIRE(form_load_json(def, NULL, 0) == NULL);
		return;
	}

	form_check_shape(f);
	fuzz_versions(f, def);
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		fuzz_engine(f, &units[i]);
	form_free(f);
}

#ifndef FUZZ_FORM_MUTATE

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct form	*f;
	json_t		*def, *problems;
	json_error_t	jerr;
	int		syntax;

	if (size > FUZZ_JSON_MAX)
		return (0);
	f = form_load_text((const char *)data, size, &problems, &syntax);
	fuzz_problems(problems, f);
	json_decref(problems);
	form_free(f);

	def = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
	    &jerr);
	if (size <= FORM_TEXT_MAX)
		REQUIRE((def == NULL) == (syntax == 1));
	if (def == NULL)
		return (0);
	fuzz_load(def);
	json_decref(def);

	return (0);
}

#else /* FUZZ_FORM_MUTATE */

#define MUT_MAX_OPS	8
#define MUT_MAX_NODES	8192

static json_t	*base[2];		/* PL1, PL2 as parsed once */

struct rd {
	const uint8_t	*p;
	size_t		n;
};

struct node {
	json_t		*parent;	/* NULL for the root */
	const char	*key;		/* in an object, else NULL */
	size_t		index;		/* in an array */
	json_t		*v;
};

struct nodes {
	struct node	n[MUT_MAX_NODES];
	size_t		count;
};

static struct nodes	nodes;

static unsigned
rd_u8(struct rd *r)
{
	unsigned	v;

	if (r->n == 0)
		return (0);
	v = r->p[0];
	r->p++;
	r->n--;
	return (v);
}

static unsigned
rd_u16(struct rd *r)
{
	unsigned	hi;

	hi = rd_u8(r);
	return ((hi << 8) | rd_u8(r));
}

static void
collect(json_t *parent, const char *key, size_t index, json_t *v)
{
	const char	*k;
	json_t		*c;
	size_t		i;

	if (nodes.count == MUT_MAX_NODES)
		return;
	nodes.n[nodes.count].parent = parent;
	nodes.n[nodes.count].key = key;
	nodes.n[nodes.count].index = index;
	nodes.n[nodes.count].v = v;
	nodes.count++;

	if (json_is_object(v)) {
		json_object_foreach(v, k, c)
			collect(v, k, 0, c);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, c)
			collect(v, NULL, i, c);
	}
}

static struct node *
pick(struct rd *r, int want_parent)
{
	size_t		i;

	if (nodes.count < 2)
		return (NULL);
	/* Node 0 is the root: only chosen where a parent is not needed. */
	i = rd_u16(r) % nodes.count;
	if (want_parent && i == 0)
		i = 1;
	return (&nodes.n[i]);
}

/* Replace a node in its parent (steals v). */
static void
put(struct node *at, json_t *v)
{
	if (v == NULL)
		return;
	if (at->parent == NULL) {
		json_decref(v);
		return;
	}
	if (at->key != NULL)
		json_object_set_new(at->parent, at->key, v);
	else
		json_array_set_new(at->parent, at->index, v);
}

/* A string from the input, made valid UTF-8 without NUL. */
static json_t *
rd_string(struct rd *r)
{
	char		buf[256];
	size_t		len, i;
	json_t		*s;

	len = rd_u8(r) % 80;
	if (len > r->n)
		len = r->n;
	memcpy(buf, r->p, len);
	r->p += len;
	r->n -= len;
	buf[len] = '\0';
	if ((s = json_stringn(buf, len)) != NULL && strlen(buf) == len)
		return (s);
	json_decref(s);
	for (i = 0; i < len; i++) {
		if (buf[i] == '\0' || (unsigned char)buf[i] >= 0x80)
			buf[i] = '?';
	}
	return (json_stringn(buf, len));
}

static json_t *
interesting_int(struct rd *r)
{
	static const json_int_t	ints[] = {
		-1, 0, 1, 2, 3, 4, 7, 64, 65, 100, 101, 10000, 10001,
		100000, 100001, 2147483647LL, 2147483648LL,
		9007199254740991LL, 9007199254740992LL, INT64_MAX, INT64_MIN,
		-9007199254740991LL
	};

	return (json_integer(ints[rd_u8(r) % (sizeof(ints) /
	    sizeof(ints[0]))]));
}

static json_t *
interesting_real(struct rd *r)
{
	static const double	reals[] = {
		0.0, -0.0, 0.5, 1.0, 1.0000001, 1.5, 2.0, 99.9, 100.0,
		100.5, -1.0, 1e300, -1e300, 5e-324, 9007199254740993.0
	};

	return (json_real(reals[rd_u8(r) % (sizeof(reals) /
	    sizeof(reals[0]))]));
}

static void
mutate_one(struct rd *r, json_t *root)
{
	struct node	*a, *b;
	json_t		*v, *tmp;
	const char	*s;
	char		buf[160];
	size_t		len, cut;
	unsigned	op;

	nodes.count = 0;
	collect(NULL, NULL, 0, root);
	op = rd_u8(r) % 13;
	if ((a = pick(r, 1)) == NULL)
		return;

	switch (op) {
	case 0:		/* delete */
		if (a->key != NULL)
			(void)json_object_del(a->parent, a->key);
		else
			(void)json_array_remove(a->parent, a->index);
		break;
	case 1:
		put(a, json_null());
		break;
	case 2:
		put(a, json_boolean(rd_u8(r) & 1));
		break;
	case 3:
		put(a, interesting_int(r));
		break;
	case 4:
		put(a, interesting_real(r));
		break;
	case 5:
		put(a, rd_string(r));
		break;
	case 6:		/* another node's copy in its place */
		if ((b = pick(r, 0)) == NULL)
			break;
		put(a, json_deep_copy(b->v));
		break;
	case 7:		/* a string becomes another string: references */
		if ((b = pick(r, 1)) == NULL || !json_is_string(b->v))
			break;
		put(a, json_string(json_string_value(b->v)));
		break;
	case 8:		/* grow an array or an object */
		b = pick(r, 0);
		tmp = b != NULL ? json_deep_copy(b->v) : json_null();
		if (json_is_array(a->v)) {
			json_array_insert_new(a->v, rd_u8(r) %
			    (json_array_size(a->v) + 1), tmp);
		} else if (json_is_object(a->v)) {
			v = rd_string(r);
			if (rd_u8(r) & 1 && b != NULL && b->key != NULL)
				json_object_set_new(a->v, b->key, tmp);
			else if (v != NULL)
				json_object_set_new(a->v,
				    json_string_value(v), tmp);
			else
				json_decref(tmp);
			json_decref(v);
		} else {
			json_decref(tmp);
		}
		break;
	case 9:		/* swap two array elements: order matters */
		if (!json_is_array(a->v) || json_array_size(a->v) < 2)
			break;
		{
			size_t	i = rd_u8(r) % json_array_size(a->v);
			size_t	j = rd_u8(r) % json_array_size(a->v);

			tmp = json_incref(json_array_get(a->v, i));
			json_array_set(a->v, i, json_array_get(a->v, j));
			json_array_set_new(a->v, j, tmp);
		}
		break;
	case 10:	/* cut or extend a string */
		if ((s = json_string_value(a->v)) == NULL)
			break;
		len = strlen(s);
		if (len >= sizeof(buf) - 4)
			len = sizeof(buf) - 4;
		memcpy(buf, s, len);
		cut = rd_u8(r);
		if (cut & 1) {
			len = (cut >> 1) % (len + 1);
		} else {
			static const char	*tails[] = {
				"x", ".", "_", "A", "Đ", "-", " ", "\\", "(",
				")", "*", "{9999}", "ạ", "/"
			};
			const char	*t = tails[(cut >> 1) %
			    (sizeof(tails) / sizeof(tails[0]))];

			if (len + strlen(t) < sizeof(buf)) {
				memcpy(buf + len, t, strlen(t));
				len += strlen(t);
			}
		}
		buf[len] = '\0';
		/* A cut through a UTF-8 sequence: drop its bytes. */
		while ((v = json_stringn(buf, len)) == NULL && len > 0)
			buf[--len] = '\0';
		put(a, v);
		break;
	case 11:
		put(a, rd_u8(r) & 1 ? json_object() : json_array());
		break;
	default:	/* a container emptied of all but one child */
		if (json_is_array(a->v) && json_array_size(a->v) > 1) {
			tmp = json_incref(json_array_get(a->v, 0));
			json_array_clear(a->v);
			json_array_append_new(a->v, tmp);
		}
		break;
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char	*names[2] = { "PL1.json", "PL2.json" };
	json_error_t		jerr;
	const char		*dir;
	char			path[4096];
	int			i;

	(void)argc;
	(void)argv;
	if ((dir = getenv("FUZZ_FORMS_DIR")) == NULL)
		dir = FUZZ_FORMS_DIR;
	for (i = 0; i < 2; i++) {
		(void)snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		base[i] = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
		if (base[i] == NULL) {
			fprintf(stderr, "fuzz_form_mutate: %s: %s\n", path,
			    jerr.text);
			abort();
		}
	}
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rd	r;
	json_t		*def;
	int		i;

	r.p = data;
	r.n = size;
	/* The spare bits of the first byte are the number of edits. */
	i = (int)rd_u8(&r);
	if ((def = json_deep_copy(base[i & 1])) == NULL)
		abort();
	for (i = (i >> 1) % (MUT_MAX_OPS + 1); i > 0 && r.n > 0; i--)
		mutate_one(&r, def);
	fuzz_load(def);
	json_decref(def);

	return (0);
}

#endif /* FUZZ_FORM_MUTATE */
