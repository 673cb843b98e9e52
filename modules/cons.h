/*
 * Consolidation maths, pure: what the grouped statement cannot do.  Every
 * rate and total is recomputed from summed counts (never averaged), and a
 * six-month or annual report is compared with the sum of its months.
 */
#ifndef CONS_H
#define CONS_H

#include <jansson.h>

#include "form.h"

/*
 * Complete a consolidation as the statement "consolidate" returns it:
 * derive the form's rates and totals in every values object (province,
 * districts, kinds, station appendices, units, months, trend), add the
 * Vietnamese kind labels, and, when "monthly" is there, its
 * "differences": {item: {"reported", "monthly", "difference"}} for every
 * count either side has.
 */
void	cons_complete(const struct form *, json_t *cons);

#endif
