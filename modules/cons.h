/*
 * Consolidation maths, pure: what the grouped statement cannot do.  Every
 * rate and total is recomputed from summed counts (never averaged), and a
 * six-month or annual report is compared with the sum of its months.
 */
#ifndef CONS_H
#define CONS_H

#include <jansson.h>

#include "form.h"

/* A level item's range listed level by level, zeros included, up to. */
#define CONS_LEVELS_MAX		20

/*
 * Complete a consolidation as the statement "consolidate" returns it:
 * put the number of units at each level of every level item (the form's
 * kind "level", e.g. emr.level) into the province's, each district's and
 * each kind's values as {"1": n, ..., "7": n}, from the statement's
 * "levels", which goes; derive the form's rates and totals in every
 * values object (province, districts, kinds, station appendices, units,
 * months, trend), add the Vietnamese kind labels, and, when "monthly" is
 * there, its "differences": {item: {"reported", "monthly", "difference"}}
 * for every count either side has.
 */
void	cons_complete(const struct form *, json_t *cons);

/*
 * The same, across outline versions: f is the period's version; lookup
 * gives the version a month was filed under ("version" of each trend
 * point, "versions" of "monthly"; NULL: not loaded).  Each trend point
 * is derived by its version and gets "absent", the codes of f's items
 * and lists its version lacks; "monthly" gets "absent", the items some
 * month's version lacks, left out of its values, and each of them in
 * "differences" has "monthly" and "difference" null and "absent" true.
 * An absent item is never 0.
 */
typedef const struct form	*(*cons_lookup)(int version, void *arg);
void	cons_complete_versions(const struct form *, json_t *cons,
	    cons_lookup, void *arg);

/*
 * One element of "units" or "missing", alone: what cons_complete() does
 * to each (its values derived, its kind_label).
 */
void	cons_complete_row(const struct form *, json_t *row);

/*
 * The derived items of one unit's values, from the JSON text of its
 * stored items: {code: value} in the order cons_complete_row() would put
 * them after the stored ones; NULL when that text cannot be completed so
 * (not JSON, or a derived item already among them).
 */
json_t	*cons_values_derived(const struct form *, const char *, size_t);
const char	*cons_kind_label_of(const char *kind);

#endif
