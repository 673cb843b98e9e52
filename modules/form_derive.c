/*
 * Derived values of an outline (rates and totals, which nobody types)
 * and a longer period's figures from its months.  Pure C over jansson.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "form_int.h"

static void	form_derive_row(const struct form *, json_t *, int);
static json_t	*form_derive_rate(const struct form *, json_t *,
		    const struct form_item *);
static json_t	*form_derive_sum(const struct form *, json_t *,
		    const struct form_item *);
static double	form_round1(double);
static void	form_aggregate_item(const struct form_item *, json_t *,
		    const char *, json_t *);

/*
 * Derived values.  Stale ones go first: a rate whose denominator became
 * 0 must disappear, not keep last month's figure.
 */
void
form_derive(const struct form *f, json_t *values, json_t *stations)
{
	const char	*code;
	json_t		*row;

	if (f == NULL)
		return;
	if (json_is_object(values))
		form_derive_row(f, values, 0);
	if (!json_is_object(stations))
		return;
	json_object_foreach(stations, code, row) {
		if (json_is_object(row))
			form_derive_row(f, row, 1);
	}
}

static void
form_derive_row(const struct form *f, json_t *row, int station)
{
	const struct form_item	*it;
	json_t			*v;
	size_t			i;

	for (i = 0; i < f->nitems; i++) {
		if (form_kind_derived(f->items[i].kind))
			(void)json_object_del(row, f->items[i].code);
	}

	/* Derived inputs come first in the outline: one pass suffices. */
	for (i = 0; i < f->nitems; i++) {
		it = &f->items[i];
		if (!form_kind_derived(it->kind) || (station && !it->stations))
			continue;
		if (it->kind == FORM_RATE)
			v = form_derive_rate(f, row, it);
		else
			v = form_derive_sum(f, row, it);
		if (v != NULL)
			(void)json_object_set_new(row, it->code, v);
	}
}

static json_t *
form_derive_rate(const struct form *f, json_t *row,
    const struct form_item *it)
{
	json_t		*num, *den;
	double		d;

	num = json_object_get(row, f->items[it->num].code);
	den = json_object_get(row, f->items[it->den].code);
	if (!json_is_number(num) || !json_is_number(den))
		return (NULL);
	if ((d = json_number_value(den)) == 0.0)
		return (NULL);

	return (json_real(form_round1(1000.0 * json_number_value(num) / d)));
}

/* Missing inputs count as 0, unless all are missing. */
static json_t *
form_derive_sum(const struct form *f, json_t *row, const struct form_item *it)
{
	json_t		*v;
	double		dsum;
	int64_t		isum, x;
	size_t		i;
	int		any, real;

	any = real = 0;
	isum = 0;
	dsum = 0.0;
	for (i = 0; i < it->nsum; i++) {
		v = json_object_get(row, f->items[it->sum_of[i]].code);
		if (!json_is_number(v))
			continue;
		any = 1;
		dsum += json_number_value(v);
		if (json_is_real(v)) {
			real = 1;
			continue;
		}
		x = (int64_t)json_integer_value(v);
		if ((x > 0 && isum > INT64_MAX - x) ||
		    (x < 0 && isum < INT64_MIN - x))
			real = 1;
		else
			isum += x;
	}

	if (!any)
		return (NULL);
	if (real)
		return (json_real(dsum));

	return (json_integer((json_int_t)isum));
}

/*
 * t is ten times the rate: round half away from zero to a whole number,
 * then back to one decimal.  By hand, so the core needs no libm; beyond
 * 2^52 a double has no fraction left to round.
 */
static double
form_round1(double t)
{
	if (t >= 4503599627370496.0 || t <= -4503599627370496.0)
		return (t / 10.0);
	if (t >= 0)
		return ((double)(int64_t)(t + 0.5) / 10.0);

	return ((double)(int64_t)(t - 0.5) / 10.0);
}

/* One item over the months' objects (values or one station's rows). */
static void
form_aggregate_item(const struct form_item *it, json_t *months,
    const char *station, json_t *out)
{
	json_t		*src, *v;
	size_t		i;
	int64_t		sum;
	int		seen;

	sum = 0;
	seen = 0;
	for (i = 0; i < json_array_size(months); i++) {
		src = json_object_get(json_array_get(months, i),
		    station ? "stations" : "values");
		if (station != NULL)
			src = json_object_get(src, station);
		if ((v = json_object_get(src, it->code)) == NULL ||
		    !json_is_integer(v))
			continue;
		if (it->over_time == FORM_OVER_LAST)
			sum = json_integer_value(v);
		else if (sum > FORM_INT_MAX - json_integer_value(v))
			sum = FORM_INT_MAX;
		else
			sum += json_integer_value(v);
		seen = 1;
	}
	if (seen)
		json_object_set_new(out, it->code, json_integer(sum));
}

json_t *
form_aggregate(const struct form *f, json_t *months)
{
	json_t		*values, *stations, *row, *m;
	const char	*code;
	size_t		i, j;

	values = json_object();
	stations = json_object();

	/* Every station any month has a row for. */
	json_array_foreach(months, j, m) {
		json_object_foreach(json_object_get(m, "stations"), code, row) {
			if (json_object_get(stations, code) == NULL)
				json_object_set_new(stations, code,
				    json_object());
		}
	}

	for (i = 0; i < f->nitems; i++) {
		if (f->items[i].kind != FORM_COUNT &&
		    f->items[i].kind != FORM_MONEY)
			continue;
		form_aggregate_item(&f->items[i], months, NULL, values);
		if (!f->items[i].stations)
			continue;
		json_object_foreach(stations, code, row)
			form_aggregate_item(&f->items[i], months, code, row);
	}

	return (json_pack("{s:o, s:o}", "values", values, "stations",
	    stations));
}
