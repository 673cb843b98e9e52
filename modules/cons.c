/*
 * Consolidation maths: rates from sums, levels as counts of units, kind
 * labels, month differences.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cons.h"
#include "form.h"
#include "unitcsv.h"

/* Derive in values of every member of an object: {key: {"values"}}. */
static void
cons_derive_members(const struct form *f, json_t *obj)
{
	const char	*key;
	json_t		*m;

	json_object_foreach(obj, key, m)
		form_derive(f, json_object_get(m, "values"), NULL);
}

static void
cons_derive_array(const struct form *f, json_t *arr)
{
	size_t		i;
	json_t		*m;

	json_array_foreach(arr, i, m)
		form_derive(f, json_object_get(m, "values"), NULL);
}

static void
cons_kind_label(json_t *o, const char *kind)
{
	const struct unit_kind	*k;

	if (kind != NULL && (k = unitcsv_kind_find(kind)) != NULL)
		json_object_set_new(o, "kind_label", json_string(k->label));
}

static void
cons_labels(json_t *cons)
{
	const char	*key;
	json_t		*m;
	size_t		i;

	json_object_foreach(json_object_get(cons, "by_kind"), key, m)
		cons_kind_label(m, key);
	json_array_foreach(json_object_get(cons, "units"), i, m)
		cons_kind_label(m, json_string_value(json_object_get(m,
		    "kind")));
	json_array_foreach(json_object_get(cons, "missing"), i, m)
		cons_kind_label(m, json_string_value(json_object_get(m,
		    "kind")));
}

/*
 * The number of units at each level of every level item into values,
 * zeros included, in place of whatever the statement summed there:
 * counts is {item: {"4": 1, "5": 1}} as the statement counted them.  A
 * range too wide to list keeps the levels counted only.
 */
static void
cons_levels_into(const struct form *f, json_t *values, json_t *counts)
{
	const struct form_item	*it;
	json_t			*src, *o, *n;
	char			key[16];
	long long		k;
	size_t			i;

	if (!json_is_object(values))
		return;
	for (i = 0; i < f->nitems; i++) {
		it = &f->items[i];
		if (it->kind != FORM_LEVEL)
			continue;
		src = json_object_get(counts, it->code);
		if (it->max - it->min >= CONS_LEVELS_MAX) {
			o = json_is_object(src) ? json_deep_copy(src) :
			    json_object();
			json_object_set_new(values, it->code, o);
			continue;
		}
		o = json_object();
		for (k = it->min; k <= (long long)it->max; k++) {
			(void)snprintf(key, sizeof(key), "%lld", k);
			n = json_object_get(src, key);
			json_object_set_new(o, key, json_integer(
			    json_is_integer(n) && json_integer_value(n) > 0 ?
			    json_integer_value(n) : 0));
		}
		json_object_set_new(values, it->code, o);
	}
}

/* A sum of levels means nothing: where one may be, it goes. */
static void
cons_levels_drop(const struct form *f, json_t *values)
{
	size_t		i;

	if (!json_is_object(values))
		return;
	for (i = 0; i < f->nitems; i++)
		if (f->items[i].kind == FORM_LEVEL)
			(void)json_object_del(values, f->items[i].code);
}

static void
cons_levels_members(const struct form *f, json_t *members, json_t *counts)
{
	const char	*key;
	json_t		*m;

	json_object_foreach(members, key, m)
		cons_levels_into(f, json_object_get(m, "values"),
		    json_object_get(counts, key));
}

/*
 * A level (1-7) is not added up: the statement counts the units at each
 * level under "levels" ({"values", "by_district", "by_kind"}, each as
 * cons_levels_into() reads them), and the province, each district and
 * each kind get those counts.  The per-unit rows keep each unit's own.
 */
static void
cons_levels(const struct form *f, json_t *cons)
{
	json_t		*lv, *st, *m;
	const char	*key;
	size_t		i;

	lv = json_object_get(cons, "levels");
	cons_levels_into(f, json_object_get(cons, "values"),
	    json_object_get(lv, "values"));
	cons_levels_members(f, json_object_get(cons, "by_district"),
	    json_object_get(lv, "by_district"));
	cons_levels_members(f, json_object_get(cons, "by_kind"),
	    json_object_get(lv, "by_kind"));
	(void)json_object_del(cons, "levels");

	st = json_object_get(cons, "stations");
	cons_levels_drop(f, json_object_get(st, "values"));
	json_object_foreach(json_object_get(st, "by_district"), key, m)
		cons_levels_drop(f, json_object_get(m, "values"));
	json_array_foreach(json_object_get(cons, "trend"), i, m)
		cons_levels_drop(f, json_object_get(m, "values"));
	cons_levels_drop(f, json_object_get(json_object_get(cons, "monthly"),
	    "values"));
}

static int
cons_listed(json_t *codes, const char *code)
{
	json_t		*c;
	size_t		i;

	json_array_foreach(codes, i, c) {
		if (json_is_string(c) && !strcmp(json_string_value(c), code))
			return (1);
	}

	return (0);
}

/*
 * Reported against the sum of the months, for every typed count.  An
 * item some month's outline did not ask for has no monthly sum to
 * compare: "monthly" and "difference" are null, "absent" true.
 */
static void
cons_differences(const struct form *f, json_t *cons)
{
	json_t		*monthly, *rep, *mon, *diff, *a, *b, *absent;
	json_int_t	x, y;
	size_t		i;

	if ((monthly = json_object_get(cons, "monthly")) == NULL ||
	    !json_is_object(monthly))
		return;
	rep = json_object_get(cons, "values");
	mon = json_object_get(monthly, "values");
	absent = json_object_get(monthly, "absent");
	diff = json_object();

	for (i = 0; i < f->nitems; i++) {
		if (f->items[i].kind != FORM_COUNT &&
		    f->items[i].kind != FORM_MONEY)
			continue;
		a = json_object_get(rep, f->items[i].code);
		b = json_object_get(mon, f->items[i].code);
		if (cons_listed(absent, f->items[i].code)) {
			json_object_set_new(diff, f->items[i].code, json_pack(
			    "{s:O, s:n, s:n, s:b}", "reported", a ? a :
			    json_null(), "monthly", "difference", "absent", 1));
			continue;
		}
		if (!json_is_integer(a) && !json_is_integer(b))
			continue;
		x = json_is_integer(a) ? json_integer_value(a) : 0;
		y = json_is_integer(b) ? json_integer_value(b) : 0;
		json_object_set_new(diff, f->items[i].code, json_pack(
		    "{s:I, s:I, s:I}", "reported", x, "monthly", y,
		    "difference", x - y));
	}
	json_object_set_new(monthly, "differences", diff);
}

/* The union of the items of f absent from each version of the map. */
static json_t *
cons_absent_of(const struct form *f, json_t *versions, cons_lookup lookup,
    void *arg)
{
	const struct form	*g;
	const char		*k;
	json_t			*out, *v, *a, *c;
	size_t			i;

	out = json_array();
	json_object_foreach(versions, k, v) {
		g = lookup != NULL && json_is_integer(v) ?
		    lookup((int)json_integer_value(v), arg) : NULL;
		a = form_absent(f, g);
		json_array_foreach(a, i, c) {
			if (!cons_listed(out, json_string_value(c)))
				json_array_append(out, c);
		}
		json_decref(a);
	}

	return (out);
}

/*
 * Each month of the trend derived by its own version, with "absent":
 * the items of f that month's version did not have (their values are
 * not there, and are never 0).
 */
static void
cons_trend(const struct form *f, json_t *cons, cons_lookup lookup,
    void *arg)
{
	const struct form	*g;
	json_t			*p, *v;
	size_t			i;

	json_array_foreach(json_object_get(cons, "trend"), i, p) {
		v = json_object_get(p, "version");
		g = lookup != NULL && json_is_integer(v) ?
		    lookup((int)json_integer_value(v), arg) : NULL;
		form_derive(g != NULL ? g : f, json_object_get(p, "values"),
		    NULL);
		json_object_set_new(p, "absent", form_absent(f, g));
	}
}

/* A monthly sum over months some of which did not ask is no figure. */
static void
cons_monthly(const struct form *f, json_t *cons, cons_lookup lookup,
    void *arg)
{
	json_t		*m, *absent, *c;
	size_t		i;

	if (!json_is_object(m = json_object_get(cons, "monthly")))
		return;
	absent = cons_absent_of(f, json_object_get(m, "versions"), lookup,
	    arg);
	json_array_foreach(absent, i, c)
		(void)json_object_del(json_object_get(m, "values"),
		    json_string_value(c));
	json_object_set_new(m, "absent", absent);
	form_derive(f, json_object_get(m, "values"), NULL);
}

void
cons_complete(const struct form *f, json_t *cons)
{
	cons_complete_versions(f, cons, NULL, NULL);
}

void
cons_complete_versions(const struct form *f, json_t *cons,
    cons_lookup lookup, void *arg)
{
	json_t		*st;

	cons_levels(f, cons);
	form_derive(f, json_object_get(cons, "values"), NULL);
	cons_derive_members(f, json_object_get(cons, "by_district"));
	cons_derive_members(f, json_object_get(cons, "by_kind"));
	st = json_object_get(cons, "stations");
	form_derive(f, json_object_get(st, "values"), NULL);
	cons_derive_members(f, json_object_get(st, "by_district"));
	cons_derive_array(f, json_object_get(cons, "units"));
	cons_trend(f, cons, lookup, arg);
	cons_monthly(f, cons, lookup, arg);
	cons_differences(f, cons);
	cons_labels(cons);
}

/*
 * One element of the per-unit parts, as cons_complete() leaves those of
 * "units" and "missing": its values (when it has them) derived, its kind
 * labelled.  For the parts streamed one element at a time (cons_api.c).
 */
void
cons_complete_row(const struct form *f, json_t *row)
{
	json_t		*values;

	if (json_is_object(values = json_object_get(row, "values")))
		form_derive(f, values, NULL);
	cons_kind_label(row, json_string_value(json_object_get(row, "kind")));
}

static int
cons_derived_kind(int kind)
{
	return (kind == FORM_RATE || kind == FORM_SUM);
}

/*
 * The derived items of one unit's values, given as JSON text with the
 * stored items only (consolidate_detail): an object of them in the
 * outline's order, which is where form_derive() puts them, after the
 * stored ones.  A caller may so write the text it has and these after
 * it, rather than parse and write the whole element again.  NULL: not
 * JSON, or a derived item among the stored ones (form_derive() would
 * drop and put it back: the caller takes the long way).
 */
json_t *
cons_values_derived(const struct form *f, const char *text, size_t len)
{
	json_t		*v, *out, *x;
	size_t		i;

	if ((v = json_loadb(text, len, 0, NULL)) == NULL ||
	    !json_is_object(v)) {
		json_decref(v);
		return (NULL);
	}
	for (i = 0; i < f->nitems; i++) {
		if (cons_derived_kind(f->items[i].kind) &&
		    json_object_get(v, f->items[i].code) != NULL) {
			json_decref(v);
			return (NULL);
		}
	}
	form_derive(f, v, NULL);
	out = json_object();
	for (i = 0; i < f->nitems; i++) {
		if (cons_derived_kind(f->items[i].kind) &&
		    (x = json_object_get(v, f->items[i].code)) != NULL)
			json_object_set(out, f->items[i].code, x);
	}
	json_decref(v);

	return (out);
}

/* The Vietnamese name of a kind of unit, NULL when none. */
const char *
cons_kind_label_of(const char *kind)
{
	const struct unit_kind	*k;

	if (kind == NULL || (k = unitcsv_kind_find(kind)) == NULL)
		return (NULL);

	return (k->label);
}
