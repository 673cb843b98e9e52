/*
 * Consolidation maths: rates from sums, kind labels, month differences.
 */
#include <stdint.h>
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

/* Reported against the sum of the months, for every typed count. */
static void
cons_differences(const struct form *f, json_t *cons)
{
	json_t		*monthly, *rep, *mon, *diff, *a, *b;
	json_int_t	x, y;
	size_t		i;

	if ((monthly = json_object_get(cons, "monthly")) == NULL ||
	    !json_is_object(monthly))
		return;
	rep = json_object_get(cons, "values");
	mon = json_object_get(monthly, "values");
	diff = json_object();

	for (i = 0; i < f->nitems; i++) {
		if (f->items[i].kind != FORM_COUNT &&
		    f->items[i].kind != FORM_MONEY)
			continue;
		a = json_object_get(rep, f->items[i].code);
		b = json_object_get(mon, f->items[i].code);
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

void
cons_complete(const struct form *f, json_t *cons)
{
	json_t		*st;

	form_derive(f, json_object_get(cons, "values"), NULL);
	cons_derive_members(f, json_object_get(cons, "by_district"));
	cons_derive_members(f, json_object_get(cons, "by_kind"));
	st = json_object_get(cons, "stations");
	form_derive(f, json_object_get(st, "values"), NULL);
	cons_derive_members(f, json_object_get(st, "by_district"));
	cons_derive_array(f, json_object_get(cons, "units"));
	cons_derive_array(f, json_object_get(cons, "trend"));
	form_derive(f, json_object_get(json_object_get(cons, "monthly"),
	    "values"), NULL);
	cons_differences(f, cons);
	cons_labels(cons);
}
